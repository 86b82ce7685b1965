// Reads partitions by sending Fetch requests straight to their leaders, from offsets we
// choose: no consumer group on the wire, no commits, ever. Errors are handled per partition:
// leaders are looked up again on NOT_LEADER and similar answers, an offset that fell out of
// range is moved to the nearest end. Record batches are decoded by our own decoder
// (src/kafka/protocol/record-batch.ts), which skips control batches and aborted transactional
// records (read_committed) and steps over the offset gaps of compacted topics.
import { RpcError } from '../../contract/errors.ts';
import { sleep } from '../../util/sleep.ts';
import type { KafkaRecord, ReadRequest, ReadSummary, StartOffsets, StartPosition } from '../partition-reader.ts';
import kafkajsProtocolErrors from 'kafkajs/src/protocol/error.js';
import { decodeRecordSet, type AbortedTransaction } from '../protocol/record-batch.ts';
import { hasKafkaErrorType } from './errors.ts';
import { ISOLATION, OFFSET_SPEC, rawFetch, type InternalCluster, type MetadataPartition } from './internals.ts';

/** Bytes per partition per fetch: one 10 MB record must fit, with room for its batch. */
const PARTITION_MAX_BYTES = 12 * 1024 * 1024;
const FETCH_MAX_BYTES = 64 * 1024 * 1024;
/** How long a broker may hold a fetch open waiting for new records. */
const FOLLOW_WAIT_MS = 500;
const CATCH_UP_WAIT_MS = 100;
const RETRY_BACKOFF_MS = [250, 500, 1_000, 2_000, 5_000];
/** Reading to the end gives up after this many failed rounds in a row; following never does. */
const MAX_FAILED_ROUNDS_TO_END = 8;
const METADATA_REFRESH_MS = 5_000;

const OFFSET_OUT_OF_RANGE = 1;
/** Partition errors that mean "ask the metadata again and retry": the leader moved or is being elected. */
const PARTITION_RETRIABLE = new Set([3, 5, 6, 9, 56, 74, 75]);

const RETRIABLE_TYPES = new Set(['NOT_LEADER_FOR_PARTITION', 'NOT_LEADER_OR_FOLLOWER', 'LEADER_NOT_AVAILABLE', 'UNKNOWN_TOPIC_OR_PARTITION', 'FENCED_LEADER_EPOCH', 'UNKNOWN_LEADER_EPOCH', 'REPLICA_NOT_AVAILABLE', 'NOT_COORDINATOR', 'KAFKA_STORAGE_ERROR']);

interface PartitionState {
  partition: number;
  next: bigint;
  end: bigint;
  done: boolean;
  /** Empty answers in a row at an offset below end (the tail of the range was compacted away). */
  emptyRounds: number;
}

export class PartitionFetcher {
  private readonly cluster: InternalCluster;
  private readonly target: string;

  constructor(cluster: InternalCluster, target: string) {
    this.cluster = cluster;
    this.target = target;
  }

  async partitionsOf(topic: string): Promise<MetadataPartition[]> {
    const md = await this.cluster.metadata({ topics: [topic] }).catch((err: unknown) => {
      if (hasKafkaErrorType(err, 'UNKNOWN_TOPIC_OR_PARTITION')) throw new RpcError('UNKNOWN_TOPIC', `Topic "${topic}" does not exist on ${this.target}.`);
      throw err;
    });
    const t = md.topicMetadata.find((x) => x.topic === topic);
    if (!t) throw new RpcError('UNKNOWN_TOPIC', `Topic "${topic}" does not exist on ${this.target}.`);
    return [...t.partitionMetadata].sort((a, b) => a.partitionId - b.partitionId);
  }

  /** ListOffsets per leader for each partition: -2 earliest, -1 latest, or a timestamp. */
  async listOffsets(topic: string, partitions: MetadataPartition[], timestamp: number, isolationLevel: number): Promise<Map<number, bigint>> {
    const byLeader = new Map<number, number[]>();
    for (const p of partitions) {
      if (p.leader < 0) throw new RpcError('KAFKA_ERROR', `Partition ${p.partitionId} of "${topic}" has no leader right now (offline).`);
      byLeader.set(p.leader, [...(byLeader.get(p.leader) ?? []), p.partitionId]);
    }
    const result = new Map<number, bigint>();
    await Promise.all(
      [...byLeader].map(async ([nodeId, ids]) => {
        const broker = await this.cluster.findBroker({ nodeId });
        const response = await broker.listOffsets({ isolationLevel, topics: [{ topic, partitions: ids.map((partition) => ({ partition, timestamp })) }] }).catch((err: unknown) => {
          // The topic was deleted between the metadata and this request.
          if (hasKafkaErrorType(err, 'UNKNOWN_TOPIC_OR_PARTITION')) throw new RpcError('UNKNOWN_TOPIC', `Topic "${topic}" does not exist on ${this.target} (any more).`);
          throw err;
        });
        for (const r of response.responses) for (const p of r.partitions) result.set(p.partition, BigInt(p.offset));
      }),
    );
    return result;
  }

  async startOffsets(topic: string, partitionIds: number[] | undefined, from: StartPosition): Promise<StartOffsets> {
    const all = await this.partitionsOf(topic);
    const chosen = partitionIds === undefined ? all : partitionIds.map((id) => {
      const p = all.find((x) => x.partitionId === id);
      if (!p) throw new RpcError('BAD_CONFIG', `Partition ${id} does not exist: "${topic}" has partitions 0–${all.length - 1}.`, 'partition');
      return p;
    });
    const earliest = await this.listOffsets(topic, chosen, OFFSET_SPEC.EARLIEST, ISOLATION.READ_COMMITTED);
    const end = await this.listOffsets(topic, chosen, OFFSET_SPEC.LATEST, ISOLATION.READ_COMMITTED);
    const start = new Map<number, bigint>();
    const byTime = from.kind === 'timestamp' ? await this.listOffsets(topic, chosen, from.timestampMs, ISOLATION.READ_COMMITTED) : null;
    for (const p of chosen) {
      const lo = earliest.get(p.partitionId)!;
      const hi = end.get(p.partitionId)!;
      const clamp = (o: bigint): bigint => (o < lo ? lo : o > hi ? hi : o);
      switch (from.kind) {
        case 'earliest':
          start.set(p.partitionId, lo);
          break;
        case 'latest':
          start.set(p.partitionId, hi);
          break;
        case 'offset':
          start.set(p.partitionId, clamp(from.offset));
          break;
        case 'last':
          start.set(p.partitionId, clamp(hi - from.count));
          break;
        case 'timestamp': {
          // -1: no record at or after that time; start at the end.
          const o = byTime!.get(p.partitionId)!;
          start.set(p.partitionId, o < 0n ? hi : o);
          break;
        }
      }
    }
    return { start, end };
  }

  async read(request: ReadRequest): Promise<ReadSummary> {
    const { topic, signal } = request;
    const { start, end } = await this.startOffsets(topic, request.partitions, request.from);
    for (const [partition, offset] of request.startAt ?? []) if (start.has(partition)) start.set(partition, offset);
    request.onStart?.({ start, end });
    const states: PartitionState[] = [...start].map(([partition, next]) => ({ partition, next, end: end.get(partition)!, done: !request.follow && next >= end.get(partition)!, emptyRounds: 0 }));
    let delivered = 0;
    let failedRounds = 0;
    let outage = false;
    const limit = request.maxRecords ?? Infinity;

    let partitions: MetadataPartition[] | null = null;
    let metadataAt = 0;
    while (!signal?.aborted && delivered < limit) {
      const active = states.filter((s) => !s.done);
      if (active.length === 0) break;
      try {
        // Leaders are looked up again after any error, and now and then while following so
        // that partitions added to the topic are picked up.
        if (partitions === null || (request.follow && Date.now() - metadataAt > METADATA_REFRESH_MS)) {
          partitions = await this.partitionsOf(topic);
          metadataAt = Date.now();
          if (request.follow && request.partitions === undefined) {
            for (const p of partitions) {
              if (states.some((s) => s.partition === p.partitionId)) continue;
              states.push({ partition: p.partitionId, next: 0n, end: 0n, done: false, emptyRounds: 0 });
              active.push(states[states.length - 1]!);
              request.onStatus?.({ phase: 'recovered', message: `Partition ${p.partitionId} was added to ${topic}; reading it from its start.` });
            }
          }
        }
        const byLeader = new Map<number, PartitionState[]>();
        for (const s of active) {
          const leader = partitions!.find((p) => p.partitionId === s.partition)?.leader ?? -1;
          if (leader < 0) throw Object.assign(new Error(`partition ${s.partition} has no leader`), { type: 'LEADER_NOT_AVAILABLE' });
          byLeader.set(leader, [...(byLeader.get(leader) ?? []), s]);
        }
        let leadersMoved = false;
        await Promise.all(
          [...byLeader].map(async ([nodeId, group]) => {
            const broker = await this.cluster.findBroker({ nodeId });
            const response = await rawFetch(broker, {
              isolationLevel: ISOLATION.READ_COMMITTED,
              maxWaitTime: request.follow ? FOLLOW_WAIT_MS : CATCH_UP_WAIT_MS,
              minBytes: 1,
              maxBytes: FETCH_MAX_BYTES,
              topics: [{ topic, partitions: group.map((s) => ({ partition: s.partition, fetchOffset: s.next.toString(), maxBytes: PARTITION_MAX_BYTES })) }],
            });
            if (response.errorCode !== 0) throw kafkaError(response.errorCode, `fetching ${topic}`);
            for (const t of response.topics) {
              for (const p of t.partitions) {
                const state = group.find((s) => s.partition === p.partition);
                if (!state || delivered >= limit || signal?.aborted) continue;
                if (p.errorCode === OFFSET_OUT_OF_RANGE) {
                  await this.recoverOutOfRange(topic, [state]);
                  continue;
                }
                if (PARTITION_RETRIABLE.has(p.errorCode)) {
                  leadersMoved = true;
                  continue;
                }
                if (p.errorCode !== 0) throw kafkaError(p.errorCode, `reading ${topic}-${p.partition}`);
                const from = state.next;
                let records = this.accept(state, p.records, p.aborted);
                const room = limit - delivered;
                if (records.length > room) {
                  // Stop right after the last record handed over, so nextOffsets is exact.
                  records = records.slice(0, room);
                  state.next = records[records.length - 1]!.offset + 1n;
                }
                if (!request.follow && !state.done && state.next >= state.end) state.done = true;
                if (state.next === from) continue;
                delivered += records.length;
                await request.onRecords(records, { partition: state.partition, from, to: state.next });
              }
            }
          }),
        );
        if (leadersMoved) {
          // Some partitions moved or are between leaders: look them up again, then go on.
          partitions = null;
          await sleep(RETRY_BACKOFF_MS[0]!, signal);
        }
        if (outage) request.onStatus?.({ phase: 'recovered', message: `Reading ${topic} again.` });
        outage = false;
        failedRounds = 0;
      } catch (err) {
        failedRounds++;
        partitions = null;
        const type = (err as { type?: string }).type;
        const retriable = (type !== undefined && RETRIABLE_TYPES.has(type)) || /connect|closed|timeout|ECONN|not available|no leader/i.test(String((err as Error).message));
        if (!retriable || (!request.follow && failedRounds > MAX_FAILED_ROUNDS_TO_END)) throw err;
        if (!outage) request.onStatus?.({ phase: 'outage', message: `Cannot read ${topic} right now (${(err as Error).message}); retrying.` });
        outage = true;
        await this.cluster.refreshMetadata().catch(() => undefined);
        await sleep(RETRY_BACKOFF_MS[Math.min(failedRounds - 1, RETRY_BACKOFF_MS.length - 1)]!, signal);
      }
    }
    return { records: delivered, nextOffsets: new Map(states.map((s) => [s.partition, s.next])) };
  }

  /** Decodes one partition's record set, and moves the partition's next offset past it. */
  private accept(state: PartitionState, data: Buffer, aborted: AbortedTransaction[]): KafkaRecord[] {
    const decoded = decodeRecordSet(state.partition, data, state.next, aborted);
    if (decoded.legacyFormat && decoded.records.length === 0) {
      throw new RpcError('KAFKA_ERROR', `Partition ${state.partition} holds records in the message format of Kafka before 0.11 at offset ${state.next}; Eventscope reads only the current record format.`);
    }
    if (decoded.nextOffset === null || decoded.nextOffset <= state.next) {
      // Nothing at next although next < end: the rest of the range was compacted away.
      // Reading to the end stops here.
      if (++state.emptyRounds >= 2 && state.next < state.end) state.done = true;
      return decoded.records;
    }
    state.emptyRounds = 0;
    state.next = decoded.nextOffset;
    return decoded.records;
  }

  /** OFFSET_OUT_OF_RANGE: the retention moved the log start past us, or the log was truncated. */
  private async recoverOutOfRange(topic: string, affected: PartitionState[]): Promise<void> {
    const partitions = await this.partitionsOf(topic);
    const chosen = partitions.filter((p) => affected.some((s) => s.partition === p.partitionId));
    const earliest = await this.listOffsets(topic, chosen, OFFSET_SPEC.EARLIEST, ISOLATION.READ_COMMITTED);
    const latest = await this.listOffsets(topic, chosen, OFFSET_SPEC.LATEST, ISOLATION.READ_COMMITTED);
    for (const s of affected) {
      const lo = earliest.get(s.partition) ?? s.next;
      const hi = latest.get(s.partition) ?? s.next;
      s.next = s.next < lo ? lo : s.next > hi ? hi : s.next;
    }
  }
}

/** An error for a Kafka error code, with kafkajs's name for it (its `type`) so retry logic can tell. */
function kafkaError(code: number, doing: string): Error {
  const known = (kafkajsProtocolErrors as { errorCodes?: { code: number; type: string; message: string }[] }).errorCodes?.find((e) => e.code === code);
  return Object.assign(new Error(`Kafka error ${known?.type ?? code} while ${doing}: ${known?.message ?? 'unknown error code'}`), { type: known?.type ?? `ERROR_${code}` });
}
