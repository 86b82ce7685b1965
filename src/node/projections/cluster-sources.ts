// Partitions to replay, read from a cluster or a capture (any ClusterClient: the Kafka reader
// or an OfflineCluster over a replay log) — one read per partition, so that the merge
// (event-order.ts) can wait for one partition without holding the others' records: each read
// keeps at most a few fetched batches ahead and waits (its onRecords is awaited) until the merge
// takes them. Reads never join a group or commit (the readers never do).
import { EventscopeError } from '../../common/contract/errors.ts';
import type { ClusterClient, Isolation, KafkaRecord, StartPosition } from '../kafka/index.ts';
import type { PartitionSource } from '../../common/projections/event-order.ts';

/** Where a replay stops in each partition: after this offset, or before the first record later than this time. */
export type ReplayStop = { kind: 'offset'; offset: bigint } | { kind: 'time'; timestampMs: number };

export interface ClusterSourceOptions {
  from: StartPosition;
  to?: ReplayStop | null;
  isolation?: Isolation;
  /** Outages, recoveries and notices of the reads, in words. */
  onStatus?(message: string): void;
}

/**
 * How many of a partition's records (in offset order) come before the stop, and whether the stop
 * is reached with them (nothing after them is to be read).
 */
export function cutAtStop(
  records: readonly KafkaRecord[],
  stop: ReplayStop | null,
): { keep: number; reachedStop: boolean } {
  if (!stop) return { keep: records.length, reachedStop: false };
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (stop.kind === 'offset' ? r.offset > stop.offset : r.timestampMs > stop.timestampMs)
      return { keep: i, reachedStop: true };
    if (stop.kind === 'offset' && r.offset === stop.offset) return { keep: i + 1, reachedStop: true };
  }
  return { keep: records.length, reachedStop: false };
}

/** Fetched batches a partition's read may hold before it waits for the merge. */
const MAX_QUEUED_BATCHES = 3;

class ClusterPartitionSource implements PartitionSource {
  readonly topic: string;
  readonly partition: number;
  private readonly client: ClusterClient;
  private readonly options: ClusterSourceOptions;
  private readonly controller = new AbortController();
  private readonly queue: KafkaRecord[][] = [];
  private started = false;
  private done = false;
  private failure: unknown = null;
  private wake: (() => void) | null = null;
  private room: (() => void) | null = null;

  constructor(client: ClusterClient, topic: string, partition: number, options: ClusterSourceOptions) {
    this.client = client;
    this.topic = topic;
    this.partition = partition;
    this.options = options;
  }

  async next(): Promise<KafkaRecord[] | null> {
    if (!this.started) this.start();
    for (;;) {
      const records = this.queue.shift();
      if (records) {
        this.signalRoom();
        return records;
      }
      if (this.failure !== null) throw this.failure;
      if (this.done) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  /** Stops the read (the replay ended or failed). */
  close(): void {
    this.done = true;
    this.controller.abort();
    this.signalRoom();
    this.signalWake();
  }

  private start(): void {
    this.started = true;
    const stop = this.options.to ?? null;
    this.client
      .read({
        topic: this.topic,
        partitions: [this.partition],
        from: this.options.from,
        ...(this.options.isolation ? { isolation: this.options.isolation } : {}),
        follow: false,
        signal: this.controller.signal,
        ...(this.options.onStatus ? { onStatus: (s: { message: string }) => this.options.onStatus!(s.message) } : {}),
        onRecords: async (records) => {
          if (this.done || records.length === 0) return;
          const { keep, reachedStop } = cutAtStop(records, stop);
          if (keep > 0) this.queue.push(keep === records.length ? records : records.slice(0, keep));
          this.signalWake();
          if (reachedStop) {
            this.close();
            return;
          }
          while (this.queue.length >= MAX_QUEUED_BATCHES && !this.done)
            await new Promise<void>((resolve) => (this.room = resolve));
        },
      })
      .then(
        () => {
          this.done = true;
          this.signalWake();
        },
        (err: unknown) => {
          // A read stopped on purpose may end with an abort error: not a failure.
          if (!this.controller.signal.aborted) this.failure = err;
          this.done = true;
          this.signalWake();
        },
      );
  }

  private signalWake(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }

  private signalRoom(): void {
    const room = this.room;
    this.room = null;
    room?.();
  }
}

/** One source per partition of each topic (every partition unless `partitions` says which). Close them when the replay ends. */
export async function clusterPartitionSources(
  client: ClusterClient,
  topics: string[],
  partitions: number[] | null,
  options: ClusterSourceOptions,
): Promise<{ sources: PartitionSource[]; close(): void }> {
  const sources: ClusterPartitionSource[] = [];
  for (const topic of topics) {
    const detail = await client.describeTopic(topic);
    const held = detail.partitions.map((p) => p.partition).sort((a, b) => a - b);
    const chosen = partitions ?? held;
    const missing = chosen.filter((p) => !held.includes(p));
    if (missing.length > 0) {
      throw new EventscopeError(
        'NOT_FOUND',
        `"${topic}" has no partition ${missing.join(', ')} (it has ${held.length === 0 ? 'none' : `${held[0]}–${held[held.length - 1]}`}).`,
        'partition',
      );
    }
    for (const p of chosen) sources.push(new ClusterPartitionSource(client, topic, p, options));
  }
  return { sources, close: () => sources.forEach((s) => s.close()) };
}
