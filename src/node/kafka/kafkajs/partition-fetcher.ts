// Reads partitions by sending Fetch requests straight to their leaders, from offsets we
// choose: no consumer group on the wire, no commits, ever. What each answer means for each
// partition (advance, skip a compacted gap, grow the budget, wait its turn) is decided by
// ReadProgress (src/node/kafka/read-progress.ts); this module does the I/O: leaders, requests,
// per-partition errors (leaders looked up again on NOT_LEADER and the like, an offset out of
// range moved to the nearest end), outages retried with backoff. Record batches are decoded
// and checked (CRC-32C, bounds) by src/node/kafka/protocol/record-batch.ts, which skips control
// batches and (read_committed, the default) aborted transactional records. A start the
// partition does not hold (deleted by retention, past the end, no record that late) is moved and
// said (onStatus 'notice'), never silently.
import { sleep } from '../../../common/util/sleep.ts';
import { unknownTopicError } from '../errors.ts';
import { fetchLimitsFromEnv, type FetchLimits } from '../fetch-limits.ts';
import type { Isolation, ReadRequest, ReadSummary, StartOffsets, StartPosition } from '../partition-reader.ts';
import { KAFKA_ERROR, KafkaProtocolError, isRetriableKafkaCode } from '../protocol/kafka-error-codes.ts';
import { decodeRecordSet, scanRecordSet, type AbortedTransaction } from '../protocol/record-batch.ts';
import { ReadProgress, type PartitionCursor } from '../read-progress.ts';
import { EventscopeError } from '../../../common/contract/errors.ts';
import { hasKafkaErrorCode, isRetriable } from './errors.ts';
import {
  ISOLATION,
  OFFSET_SPEC,
  rawFetch,
  type InternalBroker,
  type InternalCluster,
  type MetadataPartition,
} from './internals.ts';

/** How long a broker may hold a fetch open waiting for new records. */
const FOLLOW_WAIT_MS = 500;
const CATCH_UP_WAIT_MS = 100;
export const RETRY_BACKOFF_MS = [250, 500, 1_000, 2_000, 5_000];
/** Reading to the end gives up after this many failed rounds in a row; following never does. */
const MAX_FAILED_ROUNDS_TO_END = 8;
/** Rounds in a row in which a partition's leader refused it (moving, being elected) before that counts as a failure. */
const MAX_REFUSED_ROUNDS = 20;
/** How often a following read looks the topic up again (partitions added, leaders moved), unless the request says otherwise. */
export const METADATA_REFRESH_MS = 5_000;
/**
 * A round still unanswered this long after the wait time it gave the broker is reported as an
 * outage ("waiting for the broker"): a frozen or stuck broker keeps the connection open, and
 * kafkajs gives up on a request only after its request timeout (30 s).
 */
const SLOW_ROUND_GRACE_MS = 3_000;
/** A quota-throttled broker asks us to wait; never longer than this at a time. */
const MAX_THROTTLE_WAIT_MS = 5_000;
const LEADER_NOT_AVAILABLE = 5;

/** One partition's answer, settled, waiting to be handed over: the span [from, to) it covered, its record set still encoded. */
interface Delivery {
  partition: number;
  from: bigint;
  to: bigint;
  data: Buffer;
  aborted: AbortedTransaction[];
}

/** What one round of requests (one per leader) came to. */
interface Round {
  deliveries: Delivery[];
  moved: Set<number>;
  /** A partition's leader refused it with a retriable error: look the leaders up again. */
  refused: KafkaProtocolError | null;
  throttleMs: number;
  /** A leader's request failed (the others' answers are still in deliveries). */
  error: unknown;
}

export class PartitionFetcher {
  private readonly cluster: InternalCluster;
  private readonly target: string;
  private readonly limits: FetchLimits;

  constructor(cluster: InternalCluster, target: string, limits: FetchLimits = fetchLimitsFromEnv()) {
    this.cluster = cluster;
    this.target = target;
    this.limits = limits;
  }

  async partitionsOf(topic: string): Promise<MetadataPartition[]> {
    const md = await this.cluster.metadata({ topics: [topic] }).catch((err: unknown) => {
      throw hasKafkaErrorCode(err, KAFKA_ERROR.UNKNOWN_TOPIC_OR_PARTITION)
        ? unknownTopicError(topic, this.target)
        : err;
    });
    const t = md.topicMetadata.find((x) => x.topic === topic);
    if (!t) throw unknownTopicError(topic, this.target);
    return [...t.partitionMetadata].sort((a, b) => a.partitionId - b.partitionId);
  }

  /** ListOffsets per leader for each partition: -2 earliest, -1 latest, or a timestamp. */
  async listOffsets(
    topic: string,
    partitions: MetadataPartition[],
    timestamp: number,
    isolationLevel: number,
  ): Promise<Map<number, bigint>> {
    const byLeader = new Map<number, number[]>();
    for (const p of partitions) {
      // Retriable, as Kafka says: a tail that starts while leaders are being elected waits for them.
      if (p.leader < 0)
        throw new KafkaProtocolError(
          LEADER_NOT_AVAILABLE,
          `listing the offsets of ${topic}-${p.partitionId}, which has no leader right now (offline)`,
        );
      byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), p.partitionId]);
    }
    const result = new Map<number, bigint>();
    await Promise.all(
      [...byLeader].map(async ([nodeId, ids]) => {
        const broker = await this.cluster.findBroker({ nodeId });
        const response = await broker
          .listOffsets({
            isolationLevel,
            topics: [{ topic, partitions: ids.map((partition) => ({ partition, timestamp })) }],
          })
          .catch((err: unknown) => {
            // The topic was deleted between the metadata and this request.
            throw hasKafkaErrorCode(err, KAFKA_ERROR.UNKNOWN_TOPIC_OR_PARTITION)
              ? unknownTopicError(topic, `${this.target} (any more)`)
              : err;
          });
        for (const r of response.responses) for (const p of r.partitions) result.set(p.partition, BigInt(p.offset));
      }),
    );
    return result;
  }

  async startOffsets(
    topic: string,
    partitionIds: number[] | undefined,
    from: StartPosition,
    isolation: Isolation = 'read_committed',
  ): Promise<StartOffsets> {
    // Negative ListOffsets timestamps are Kafka's special values (latest, earliest, max…);
    // one the broker does not know comes back as "The version of API is not supported".
    if (from.kind === 'timestamp' && !(Number.isSafeInteger(from.timestampMs) && from.timestampMs >= 0)) {
      throw new EventscopeError(
        'INVALID_PARAMS',
        `Cannot start at time ${from.timestampMs}: Kafka timestamps are whole milliseconds from 1970-01-01T00:00:00Z on. Start at the earliest offset to read from the start.`,
        'from.timestamp',
      );
    }
    const all = await this.partitionsOf(topic);
    const chosen =
      partitionIds === undefined
        ? all
        : partitionIds.map((id) => {
            const p = all.find((x) => x.partitionId === id);
            if (!p)
              throw new EventscopeError(
                'BAD_CONFIG',
                `Partition ${id} does not exist: "${topic}" has partitions 0–${all.length - 1}.`,
                'partition',
              );
            return p;
          });
    const level = isolationLevel(isolation);
    const earliest = await this.listOffsets(topic, chosen, OFFSET_SPEC.EARLIEST, level);
    const end = await this.listOffsets(topic, chosen, OFFSET_SPEC.LATEST, level);
    const start = new Map<number, bigint>();
    const notices: string[] = [];
    const byTime = from.kind === 'timestamp' ? await this.listOffsets(topic, chosen, from.timestampMs, level) : null;
    for (const p of chosen) {
      const lo = earliest.get(p.partitionId)!;
      const hi = end.get(p.partitionId)!;
      switch (from.kind) {
        case 'earliest':
          start.set(p.partitionId, lo);
          break;
        case 'latest':
          start.set(p.partitionId, hi);
          break;
        case 'offset':
          // Said, not silent: a start the partition no longer (or does not yet) hold is moved.
          if (from.offset < lo)
            notices.push(
              `Partition ${p.partitionId} of "${topic}" starts at offset ${lo}, not ${from.offset}: the records before ${lo} were deleted (retention or DeleteRecords).`,
            );
          else if (from.offset > hi)
            notices.push(
              `Partition ${p.partitionId} of "${topic}" ends at offset ${hi}; offset ${from.offset} is past its end, so reading starts at the end.`,
            );
          start.set(p.partitionId, from.offset < lo ? lo : from.offset > hi ? hi : from.offset);
          break;
        case 'last':
          start.set(p.partitionId, hi - from.count < lo ? lo : hi - from.count);
          break;
        case 'timestamp': {
          // -1: no record at or after that time; start at the end.
          const o = byTime!.get(p.partitionId)!;
          if (o < 0n)
            notices.push(
              `Partition ${p.partitionId} of "${topic}" has no record at or after ${new Date(from.timestampMs).toISOString()}; reading starts at its end (${hi}).`,
            );
          start.set(p.partitionId, o < 0n ? hi : o);
          break;
        }
      }
    }
    return { start, end, notices };
  }

  async read(request: ReadRequest): Promise<ReadSummary> {
    const { topic, signal } = request;
    const isolation = request.isolation ?? 'read_committed';
    const { start, end, notices } = await this.startOffsets(topic, request.partitions, request.from, isolation);
    for (const [partition, offset] of request.startAt ?? []) if (start.has(partition)) start.set(partition, offset);
    request.onStart?.({ start, end });
    for (const message of notices ?? []) request.onStatus?.({ phase: 'notice', message });
    const progress = new ReadProgress({
      topic,
      start,
      end,
      follow: request.follow,
      readCommitted: isolation === 'read_committed',
      limits: this.limits,
    });
    const limit = request.maxRecords ?? Infinity;
    // With no record limit, the next request goes out before this answer's records are handed
    // over, so the broker's work and ours overlap (a limit must stop exactly: no read-ahead).
    const readAhead = request.maxRecords === undefined;
    /** Per partition, the offset after what has been handed over: what nextOffsets reports. */
    const handedOver = new Map(start);
    let delivered = 0;
    let failedRounds = 0;
    let refusedRounds = 0;
    /** What the reader was last told of an outage: none, a round that is slow to answer, or one that failed. */
    let outage: 'slow' | 'failed' | null = null;
    /** The round in flight has gone unanswered past its wait time (a round read ahead included). */
    let stalled = false;
    let partitions: MetadataPartition[] | null = null;
    let metadataAt = 0;

    /** Hands over what one partition's answer brought, stopping exactly at the record limit. */
    const deliver = async ({ partition, from, to, data, aborted }: Delivery): Promise<void> => {
      let records = decodeRecordSet({ topic, partition }, data, from, aborted).records;
      const room = limit - delivered;
      if (records.length > room) {
        records = records.slice(0, Math.max(0, room));
        to = records.length > 0 ? records[records.length - 1]!.offset + 1n : from;
      }
      delivered += records.length;
      handedOver.set(partition, to);
      await request.onRecords(records, { partition, from, to });
    };

    /** One Fetch to one leader for its partitions, in their rotation order; answers settled, records kept for delivery. */
    const fetchFrom = async (broker: InternalBroker, cursors: PartitionCursor[], round: Round): Promise<void> => {
      const response = await rawFetch(broker, {
        isolationLevel: isolationLevel(isolation),
        maxWaitTime: request.follow ? FOLLOW_WAIT_MS : CATCH_UP_WAIT_MS,
        minBytes: 1,
        maxBytes: Math.max(this.limits.responseMaxBytes, ...cursors.map((c) => c.maxBytes)),
        topics: [
          {
            topic,
            partitions: cursors.map((c) => ({
              partition: c.partition,
              fetchOffset: c.next.toString(),
              maxBytes: c.maxBytes,
            })),
          },
        ],
      });
      if (response.errorCode !== 0) throw new KafkaProtocolError(response.errorCode, `fetching ${topic}`);
      round.throttleMs = Math.max(round.throttleMs, response.throttleTimeMs);
      for (const t of response.topics) {
        for (const answer of t.partitions) {
          const position = cursors.findIndex((c) => c.partition === answer.partition);
          const cursor = cursors[position];
          if (!cursor || signal?.aborted) continue;
          if (answer.errorCode === KAFKA_ERROR.OFFSET_OUT_OF_RANGE) {
            const before = cursor.next;
            const message = await this.recoverOutOfRange(topic, cursor, progress, isolation);
            if (message) request.onStatus?.({ phase: 'notice', message });
            // ListOffsets says the offset is in range after all: back off like a refusal (and
            // give up, naming it, if it goes on) instead of asking again at once, forever.
            if (cursor.next === before)
              round.refused = new KafkaProtocolError(
                answer.errorCode,
                `reading ${topic}-${answer.partition} at offset ${before}`,
              );
            continue;
          }
          if (answer.errorCode !== 0) {
            if (!isRetriableKafkaCode(answer.errorCode))
              throw new KafkaProtocolError(answer.errorCode, `reading ${topic}-${answer.partition}`);
            round.refused = new KafkaProtocolError(answer.errorCode, `reading ${topic}-${answer.partition}`);
            continue;
          }
          // Headers only here: the records are decoded (and their CRCs checked) when handed
          // over, so a response read ahead is held as its bytes, not as record objects that
          // would outlive young-generation collections and grow the heap.
          // How far the partition goes now, for the reader's "caught up?" (before the records are handed over).
          request.onEndOffset?.(
            cursor.partition,
            isolation === 'read_committed' && answer.lastStableOffset >= 0n
              ? answer.lastStableOffset
              : answer.highWatermark,
          );
          const decoded = scanRecordSet({ topic, partition: cursor.partition }, answer.records);
          if (decoded.legacyFormat && decoded.nextOffset === null) {
            throw new EventscopeError(
              'KAFKA_ERROR',
              `Partition ${cursor.partition} of "${topic}" holds records in the message format of Kafka before 0.11 at offset ${cursor.next}; Eventscope reads only the current record format.`,
            );
          }
          const span = progress.settle(cursor, {
            position,
            highWatermark: answer.highWatermark,
            lastStableOffset: answer.lastStableOffset,
            throttled: response.throttleTimeMs > 0,
            nextOffset: decoded.nextOffset,
            truncatedBatchBytes: decoded.truncatedBatchBytes,
          });
          if (span === null) continue;
          round.moved.add(cursor.partition);
          round.deliveries.push({
            partition: cursor.partition,
            from: span.from,
            to: span.to,
            data: answer.records,
            aborted: answer.aborted,
          });
        }
      }
    };

    /**
     * One round: a Fetch to each leader of the partitions still to read. What the leaders that
     * answered brought is kept for delivery even when another leader failed (its error is
     * returned with them), so nothing settled is lost.
     */
    const fetchRound = async (): Promise<Round> => {
      const round: Round = { deliveries: [], moved: new Set(), refused: null, throttleMs: 0, error: null };
      const patienceMs = (request.follow ? FOLLOW_WAIT_MS : CATCH_UP_WAIT_MS) + SLOW_ROUND_GRACE_MS;
      const slow = setTimeout(() => {
        if (signal?.aborted) return;
        stalled = true;
        if (outage !== null) return;
        outage = 'slow';
        request.onStatus?.({
          phase: 'outage',
          message: `Waiting for the broker: ${this.target} has not answered for ${patienceMs / 1000} s while reading ${topic}.`,
        });
      }, patienceMs);
      try {
        // Leaders are looked up again after any error, and now and then while following so
        // that partitions added to the topic are picked up.
        if (
          partitions === null ||
          (request.follow && Date.now() - metadataAt > (request.metadataRefreshMs ?? METADATA_REFRESH_MS))
        ) {
          partitions = await this.partitionsOf(topic);
          metadataAt = Date.now();
          if (request.follow && request.partitions === undefined) {
            for (const p of partitions) {
              if (progress.has(p.partitionId)) continue;
              progress.add(p.partitionId, 0n);
              handedOver.set(p.partitionId, 0n);
              request.onStatus?.({
                phase: 'recovered',
                message: `Partition ${p.partitionId} was added to ${topic}; reading it from its start.`,
              });
            }
          }
        }
        const known = partitions;
        const byLeader = new Map<number, PartitionCursor[]>();
        for (const cursor of progress.active()) {
          const leader = known.find((p) => p.partitionId === cursor.partition)?.leader ?? -1;
          if (leader < 0) throw new KafkaProtocolError(LEADER_NOT_AVAILABLE, `reading ${topic}-${cursor.partition}`);
          byLeader.set(leader, [...(byLeader.get(leader) ?? []), cursor]);
        }
        const results = await Promise.allSettled(
          [...byLeader].map(async ([nodeId, cursors]) =>
            fetchFrom(await this.cluster.findBroker({ nodeId }), cursors, round),
          ),
        );
        const failed = results.find((r) => r.status === 'rejected');
        if (failed) round.error = failed.reason;
      } catch (err) {
        round.error = err;
      } finally {
        clearTimeout(slow);
        stalled = false;
      }
      progress.rotate(round.moved);
      return round;
    };

    let ahead: Promise<Round> | null = null;
    while (!signal?.aborted && delivered < limit) {
      if (ahead === null && progress.active().length === 0) break;
      try {
        const round: Round = await (ahead ?? fetchRound());
        ahead = null;
        const clean = round.error === null && round.refused === null && round.throttleMs === 0;
        if (readAhead && clean && !signal?.aborted && progress.active().length > 0) {
          ahead = fetchRound();
        }
        for (const delivery of round.deliveries) {
          if (delivered >= limit) break;
          await deliver(delivery);
        }
        for (const message of progress.notices.splice(0)) request.onStatus?.({ phase: 'notice', message });
        if (round.error !== null) throw round.error;
        if (round.refused) {
          // Some partitions moved or are between leaders: look them up again, then go on. Not
          // an outage unless it goes on for long.
          if (++refusedRounds > MAX_REFUSED_ROUNDS) throw round.refused;
          partitions = null;
          await sleep(RETRY_BACKOFF_MS[0]!, signal);
        } else {
          refusedRounds = 0;
        }
        if (round.throttleMs > 0) await sleep(Math.min(round.throttleMs, MAX_THROTTLE_WAIT_MS), signal);
        // Not while the round read ahead is itself stuck: that outage is not over.
        if (outage !== null && !stalled) {
          request.onStatus?.({ phase: 'recovered', message: `Reading ${topic} again.` });
          outage = null;
        }
        failedRounds = 0;
      } catch (err) {
        if (ahead !== null) {
          // Records read ahead were not handed over: read them again after the retry.
          await ahead;
          ahead = null;
          progress.rewind(handedOver);
        }
        failedRounds++;
        partitions = null;
        if (!isRetriable(err) || (!request.follow && failedRounds > MAX_FAILED_ROUNDS_TO_END)) throw err;
        // Said once per outage, and also after "waiting for the broker": this names the cause.
        if (outage !== 'failed')
          request.onStatus?.({
            phase: 'outage',
            message: `Cannot read ${topic} right now (${(err as Error).message}); retrying.`,
          });
        outage = 'failed';
        await this.cluster.refreshMetadata().catch(() => undefined);
        await sleep(RETRY_BACKOFF_MS[Math.min(failedRounds - 1, RETRY_BACKOFF_MS.length - 1)]!, signal);
      }
    }
    // A round read ahead and not handed over is dropped: nextOffsets says what was handed over.
    return { records: delivered, nextOffsets: handedOver };
  }

  /** OFFSET_OUT_OF_RANGE: the retention moved the log start past us, or the log was truncated. Returns what to tell the reader. */
  private async recoverOutOfRange(
    topic: string,
    cursor: PartitionCursor,
    progress: ReadProgress,
    isolation: Isolation,
  ): Promise<string | null> {
    const partitions = (await this.partitionsOf(topic)).filter((p) => p.partitionId === cursor.partition);
    const level = isolationLevel(isolation);
    const earliest =
      (await this.listOffsets(topic, partitions, OFFSET_SPEC.EARLIEST, level)).get(cursor.partition) ?? cursor.next;
    const latest =
      (await this.listOffsets(topic, partitions, OFFSET_SPEC.LATEST, level)).get(cursor.partition) ?? cursor.next;
    const from = cursor.next;
    progress.reposition(cursor, from < earliest ? earliest : from > latest ? latest : from);
    if (from < earliest)
      return `Partition ${cursor.partition} of "${topic}": offsets ${from}–${earliest - 1n} were deleted (retention or DeleteRecords) before they were read; reading goes on at ${earliest}.`;
    if (from > latest)
      return `Partition ${cursor.partition} of "${topic}" now ends at ${latest}, below offset ${from} (its log was truncated); reading goes on at ${latest}.`;
    return null;
  }
}

function isolationLevel(isolation: Isolation): number {
  return isolation === 'read_committed' ? ISOLATION.READ_COMMITTED : ISOLATION.READ_UNCOMMITTED;
}
