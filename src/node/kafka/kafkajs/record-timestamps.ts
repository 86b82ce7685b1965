// The timestamp of the record at (or the first after) given offsets, read with our group-free
// Fetch (rawFetch + the record-batch decoder), never a consumer: what consumer lag needs for
// "how old is the oldest record not yet consumed". Offsets of one partition are answered from
// one read where they are close (a Fetch returns the records from the smallest offset on, and
// every asked offset up to the last record returned gets its answer); partitions of one leader
// share a request. An offset past the end, or with only control records and gaps after it,
// has no record: null.
import { KAFKA_ERROR, KafkaProtocolError, isRetriableKafkaCode } from '../protocol/kafka-error-codes.ts';
import { decodeRecordSet } from '../protocol/record-batch.ts';
import { sleep } from '../../../common/util/sleep.ts';
import { ISOLATION, OFFSET_SPEC, rawFetch, type InternalCluster } from './internals.ts';
import { findBrokerById, listOffsetsByLeader, partitionKey, type LeaderTopic } from './list-offsets.ts';

export interface TimestampPosition {
  topic: string;
  partition: number;
  offset: bigint;
}

/** Enough for the first records of a partition; a first batch larger than this grows the budget. */
const START_BUDGET_BYTES = 64 * 1024;
const MAX_BUDGET_BYTES = 64 * 1024 * 1024;
/** Below Kafka's default fetch.max.bytes (55 MB), which caps a response whatever a request asks. */
const MAX_REQUEST_BYTES = 50 * 1024 * 1024;
const MAX_PARTITIONS_PER_REQUEST = 1_000;
/** Rounds in which a partition was refused (leader moving) or answered empty below its end, before giving up on it. */
const MAX_REFUSED_ROUNDS = 10;
const MAX_EMPTY_ANSWERS = 3;
const REFUSED_BACKOFF_MS = 200;

interface PartitionCursor {
  topic: string;
  partition: number;
  /** Offsets still without an answer, ascending. */
  pending: bigint[];
  /** Where the next Fetch starts: at or after the smallest pending offset (nothing but gaps and control records between). */
  from: bigint;
  budget: number;
  refused: number;
  empty: number;
}

/**
 * Answers, in the order of positions, the timestamp (ms) of the record at or first after each
 * offset, or null where there is none. leadersOf: the partitions' leaders of these topics
 * (absent topics are taken as deleted: null).
 */
export async function readTimestampsAt(
  cluster: InternalCluster,
  leadersOf: (topics: string[]) => Promise<LeaderTopic[]>,
  positions: readonly TimestampPosition[],
): Promise<(number | null)[]> {
  const answers = new Map<string, Map<bigint, number | null>>();
  const cursors = new Map<string, PartitionCursor>();
  for (const p of positions) {
    const key = partitionKey(p.topic, p.partition);
    let cursor = cursors.get(key);
    if (!cursor) {
      cursor = {
        topic: p.topic,
        partition: p.partition,
        pending: [],
        from: p.offset,
        budget: START_BUDGET_BYTES,
        refused: 0,
        empty: 0,
      };
      cursors.set(key, cursor);
      answers.set(key, new Map());
    }
    cursor.pending.push(p.offset < 0n ? 0n : p.offset);
  }
  for (const c of cursors.values()) {
    c.pending = [...new Set(c.pending)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    c.from = c.pending[0]!;
  }
  const settle = (c: PartitionCursor, offset: bigint, timestamp: number | null): void => {
    answers.get(partitionKey(c.topic, c.partition))!.set(offset, timestamp);
  };
  const settleAll = (c: PartitionCursor, timestamp: number | null): void => {
    for (const o of c.pending) settle(c, o, timestamp);
    c.pending = [];
  };

  let leaders = await leaderMap(leadersOf, [...new Set([...cursors.values()].map((c) => c.topic))]);
  while (true) {
    const open = [...cursors.values()].filter((c) => c.pending.length > 0);
    if (open.length === 0) break;
    const byLeader = new Map<number, PartitionCursor[]>();
    let refused = false;
    for (const c of open) {
      const leader = leaders.get(partitionKey(c.topic, c.partition));
      if (leader === undefined) {
        settleAll(c, null); // the topic or partition is not there (deleted)
        continue;
      }
      if (leader < 0) {
        if (++c.refused > MAX_REFUSED_ROUNDS)
          throw new KafkaProtocolError(KAFKA_ERROR.LEADER_NOT_AVAILABLE, `reading ${c.topic}-${c.partition}`);
        refused = true; // no leader now (one being elected): look again after a pause
        continue;
      }
      const list = byLeader.get(leader) ?? [];
      byLeader.set(leader, list);
      list.push(c);
    }
    const outOfRange: PartitionCursor[] = [];
    const requests: Promise<void>[] = [];
    for (const [nodeId, list] of byLeader) {
      for (let i = 0; i < list.length; i += MAX_PARTITIONS_PER_REQUEST) {
        const chunk = list.slice(i, i + MAX_PARTITIONS_PER_REQUEST);
        requests.push(
          (async () => {
            const broker = await findBrokerById(cluster, nodeId);
            const byTopic = new Map<string, PartitionCursor[]>();
            for (const c of chunk) {
              const list = byTopic.get(c.topic) ?? [];
              byTopic.set(c.topic, list);
              list.push(c);
            }
            const unanswered = new Map(chunk.map((c) => [partitionKey(c.topic, c.partition), c]));
            const response = await rawFetch(broker, {
              isolationLevel: ISOLATION.READ_UNCOMMITTED,
              maxWaitTime: 0,
              minBytes: 0,
              maxBytes: Math.min(
                MAX_REQUEST_BYTES,
                chunk.reduce((sum, c) => sum + c.budget, 0),
              ),
              topics: [...byTopic].map(([topic, cs]) => ({
                topic,
                partitions: cs.map((c) => ({
                  partition: c.partition,
                  fetchOffset: c.from.toString(),
                  maxBytes: c.budget,
                })),
              })),
            });
            if (response.errorCode !== 0) throw new KafkaProtocolError(response.errorCode, 'reading record timestamps');
            for (const t of response.topics) {
              for (const answer of t.partitions) {
                const key = partitionKey(t.topic, answer.partition);
                const c = unanswered.get(key);
                if (!c) continue;
                unanswered.delete(key);
                if (answer.errorCode === KAFKA_ERROR.OFFSET_OUT_OF_RANGE) {
                  outOfRange.push(c);
                  continue;
                }
                if (answer.errorCode !== 0) {
                  if (!isRetriableKafkaCode(answer.errorCode) || ++c.refused > MAX_REFUSED_ROUNDS)
                    throw new KafkaProtocolError(
                      answer.errorCode,
                      `reading the record at offset ${c.from} of ${c.topic}-${c.partition}`,
                    );
                  refused = true;
                  continue;
                }
                settleAnswer(c, answer.records, answer.highWatermark, settle);
              }
            }
            // Not in the answer at all (a broker never does that): counted as an empty answer, so no loop goes on for ever.
            for (const c of unanswered.values()) if (++c.empty > MAX_EMPTY_ANSWERS) settleAll(c, null);
          })(),
        );
      }
    }
    await Promise.all(requests);
    if (outOfRange.length > 0) await moveIntoRange(cluster, leadersOf, outOfRange, settleAll);
    if (refused) {
      await sleep(REFUSED_BACKOFF_MS);
      await cluster.refreshMetadata().catch(() => undefined);
      leaders = await leaderMap(leadersOf, [...new Set(open.map((c) => c.topic))]);
    }
  }
  return positions.map(
    (p) => answers.get(partitionKey(p.topic, p.partition))!.get(p.offset < 0n ? 0n : p.offset) ?? null,
  );
}

/** What one partition's answer settles: every pending offset up to the last record returned, those at or past the end (null), and where to read next. */
function settleAnswer(
  c: PartitionCursor,
  data: Buffer,
  highWatermark: bigint,
  settle: (c: PartitionCursor, offset: bigint, timestamp: number | null) => void,
): void {
  const decoded = decodeRecordSet({ topic: c.topic, partition: c.partition }, data, c.from, []);
  const records = decoded.records;
  let next = 0;
  const still: bigint[] = [];
  for (const offset of c.pending) {
    while (next < records.length && records[next]!.offset < offset) next++;
    if (next < records.length) settle(c, offset, records[next]!.timestampMs);
    else if (offset >= highWatermark && highWatermark >= 0n) settle(c, offset, null);
    else still.push(offset);
  }
  c.pending = still;
  if (still.length === 0) return;
  const smallest = still[0]!;
  if (decoded.nextOffset !== null && decoded.nextOffset > c.from) {
    // Past every record returned: nothing but gaps and control records up to nextOffset.
    c.from = decoded.nextOffset > smallest ? decoded.nextOffset : smallest;
    c.empty = 0;
    return;
  }
  if (decoded.truncatedBatchBytes !== null && c.budget < MAX_BUDGET_BYTES) {
    c.budget = Math.min(MAX_BUDGET_BYTES, Math.max(c.budget * 2, decoded.truncatedBatchBytes));
    return;
  }
  if (decoded.legacyFormat || c.from >= highWatermark || ++c.empty > MAX_EMPTY_ANSWERS) {
    for (const offset of still) settle(c, offset, null);
    c.pending = [];
  }
}

/** Offsets the log no longer (or not yet) has: below its start, read from the start; at or past its end, no record. */
async function moveIntoRange(
  cluster: InternalCluster,
  leadersOf: (topics: string[]) => Promise<LeaderTopic[]>,
  cursors: PartitionCursor[],
  settleAll: (c: PartitionCursor, timestamp: number | null) => void,
): Promise<void> {
  const topics = await leadersOf([...new Set(cursors.map((c) => c.topic))]);
  const [earliest, latest] = await listOffsetsByLeader(cluster, topics, [OFFSET_SPEC.EARLIEST, OFFSET_SPEC.LATEST]);
  for (const c of cursors) {
    const key = partitionKey(c.topic, c.partition);
    const start = earliest!.get(key);
    const end = latest!.get(key);
    if (start === undefined || end === undefined) {
      if (++c.refused > MAX_REFUSED_ROUNDS)
        throw new KafkaProtocolError(
          KAFKA_ERROR.OFFSET_OUT_OF_RANGE,
          `reading the record at offset ${c.from} of ${c.topic}-${c.partition}`,
        );
      continue;
    }
    if (c.from >= BigInt(end)) settleAll(c, null);
    else if (c.from < BigInt(start)) c.from = BigInt(start);
    else if (++c.refused > MAX_REFUSED_ROUNDS)
      throw new KafkaProtocolError(
        KAFKA_ERROR.OFFSET_OUT_OF_RANGE,
        `reading the record at offset ${c.from} of ${c.topic}-${c.partition}`,
      );
  }
}

async function leaderMap(
  leadersOf: (topics: string[]) => Promise<LeaderTopic[]>,
  topics: string[],
): Promise<Map<string, number>> {
  const map = new Map<string, number>();
  for (const t of await leadersOf(topics))
    for (const p of t.partitionMetadata) map.set(partitionKey(t.topic, p.partitionId), p.leader);
  return map;
}
