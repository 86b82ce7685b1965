// A live tail of one topic: reads with the partition fetcher (no group), writes what it
// fetched to the replay log, and hands records to its subscriber in flushes: at once after a
// quiet spell, then at most every MIN_FLUSH_GAP_MS (or every FLUSH_MAX_RECORDS records). The
// subscriber acknowledges flushes; while MAX_UNACKED_FLUSHES are outstanding the session
// holds records back, and once MAX_BUFFERED_RECORDS (or MAX_BUFFERED_BYTES) are held it stops
// fetching until the subscriber catches up. So a slow renderer slows the tail down instead of
// growing memory, and no record is dropped. Records travel as one binary record frame per
// flush, cut to PREVIEW_BYTES.
import { encodeRecordFrame } from '../codecs/record-frame.ts';
import type { Position, TailEvent } from '../contract/dto.ts';
import type { ClusterClient, FetchedSpan, KafkaRecord, StartPosition } from '../kafka/index.ts';
import type { ReplayLog } from '../log/replay-log.ts';
import { SpanBatcher } from '../log/span-batcher.ts';

/**
 * A fast stream is flushed at most this often: each flush is re-rendered by the page (a
 * screen of rows: layout, paint) and stored in the log (a commit). The page applies what
 * arrives at once, so this is the one wait a record sees on its way.
 */
export const MIN_FLUSH_GAP_MS = 80;
export const FLUSH_MAX_RECORDS = 5_000;
export const MAX_UNACKED_FLUSHES = 8;
export const MAX_BUFFERED_RECORDS = 100_000;
/** Held records keep their fetched bytes until flushed: bound those too (large values). */
export const MAX_BUFFERED_BYTES = 64 * 1024 * 1024;
/** Keys, values and header values in a flush are cut to this; the detail pane loads the rest. */
export const PREVIEW_BYTES = 4 * 1024;

export interface TailRequest {
  cluster: string;
  topic: string;
  partitions?: number[];
  from: Position;
  follow: boolean;
}

export function toStartPosition(position: Position): { from: StartPosition; perPartition?: Map<number, bigint> } {
  switch (position.kind) {
    case 'earliest':
    case 'latest':
      return { from: { kind: position.kind } };
    case 'offset':
      return { from: { kind: 'offset', offset: BigInt(position.offset) } };
    case 'timestamp':
      return { from: { kind: 'timestamp', timestampMs: position.timestamp } };
    case 'last':
      return { from: { kind: 'last', count: BigInt(position.count) } };
    case 'offsets':
      return { from: { kind: 'earliest' }, perPartition: new Map(Object.entries(position.offsets).map(([p, o]) => [Number(p), BigInt(o)])) };
  }
}

export class TailSession {
  readonly id: string;
  private readonly client: ClusterClient;
  /** What was fetched and is not yet in the replay log: stored once per flush, in one transaction. */
  private readonly toStore: SpanBatcher | null;
  private readonly request: TailRequest;
  private readonly emit: (event: TailEvent) => void;
  private buffer: KafkaRecord[] = [];
  private bufferedBytes = 0;
  private flushTimer: ReturnType<typeof setTimeout> | null = null;
  private lastFlushAt = -Infinity;
  private flushNo = 0;
  private acked = 0;
  private logStopped: string | null = null;
  private readonly next = new Map<number, bigint>();
  private waiters: (() => void)[] = [];
  private end = new Map<number, bigint>();
  private caughtUp = false;

  constructor(id: string, client: ClusterClient, log: ReplayLog | null, request: TailRequest, emit: (event: TailEvent) => void) {
    this.id = id;
    this.client = client;
    this.toStore = log ? new SpanBatcher(log, request.cluster, request.topic) : null;
    this.request = request;
    this.emit = emit;
  }

  /** Runs until the signal aborts or (follow: false) the end offsets seen at start are read. */
  async run(signal: AbortSignal): Promise<void> {
    const { from, perPartition } = toStartPosition(this.request.from);
    const onAbort = (): void => this.release();
    signal.addEventListener('abort', onAbort, { once: true });
    try {
      await this.client.read({
        topic: this.request.topic,
        // Chosen partitions stay fixed; "all partitions" also takes in partitions added later.
        ...(this.request.partitions ? { partitions: this.request.partitions } : {}),
        from,
        ...(perPartition ? { startAt: perPartition } : {}),
        follow: this.request.follow,
        signal,
        onStart: ({ start, end }) => {
          for (const [p, o] of start) this.next.set(p, o);
          this.end = end;
          this.emit({ type: 'started', sessionId: this.id, partitions: [...start.keys()], startOffsets: record(start), endOffsets: record(end) });
        },
        onStatus: (status) => this.status(status.phase === 'outage' ? 'outage' : 'live', status.message),
        onRecords: (records, span) => this.accept(records, span, signal),
      });
      this.flush();
      this.status(this.request.follow ? 'live' : 'done', this.request.follow ? 'Stopped.' : 'Read to the end offsets seen at the start.');
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (this.flushTimer) clearTimeout(this.flushTimer);
      // Stopped mid-flush: what was fetched still goes to the log.
      this.storeFetched();
    }
  }

  /** The subscriber has rendered flush number n. */
  ack(flush: number): void {
    if (flush > this.acked) this.acked = flush;
    if (this.buffer.length > 0 && this.flushNo - this.acked < MAX_UNACKED_FLUSHES) this.flush();
    if (!this.full()) this.release();
  }

  private full(): boolean {
    return this.buffer.length >= MAX_BUFFERED_RECORDS || this.bufferedBytes >= MAX_BUFFERED_BYTES;
  }

  private async accept(records: KafkaRecord[], span: FetchedSpan, signal: AbortSignal): Promise<void> {
    if (this.logStopped === null) this.toStore?.add(span.partition, span, records);
    this.next.set(span.partition, span.to);
    for (const r of records) {
      this.buffer.push(r);
      this.bufferedBytes += recordBytes(r);
    }
    if (!this.caughtUp && [...this.end].every(([p, o]) => (this.next.get(p) ?? 0n) >= o)) {
      this.caughtUp = true;
      this.flush();
      this.status('caught-up', 'Caught up with the records that were there when the tail started.');
    }
    if (this.buffer.length >= FLUSH_MAX_RECORDS) this.flush();
    else this.flushTimer ??= setTimeout(() => this.flush(), Math.max(0, this.lastFlushAt + MIN_FLUSH_GAP_MS - performance.now()));
    // Backpressure: wait (no fetching) while the subscriber is this far behind.
    while (this.full() && !signal.aborted) await new Promise<void>((resolve) => this.waiters.push(resolve));
  }

  /** Writes what was fetched to the replay log. Before every flush: a record shown is a record stored. */
  private storeFetched(): void {
    if (!this.toStore || this.logStopped !== null) return;
    try {
      this.toStore.store();
    } catch (err) {
      this.logStopped = `The replay log stopped: ${(err as Error).message}. The tail goes on in memory; older records will not be kept.`;
      this.status('live', this.logStopped);
    }
  }

  private flush(): void {
    if (this.flushTimer) {
      clearTimeout(this.flushTimer);
      this.flushTimer = null;
    }
    this.storeFetched();
    while (this.buffer.length > 0 && this.flushNo - this.acked < MAX_UNACKED_FLUSHES) {
      const records = this.buffer.splice(0, FLUSH_MAX_RECORDS);
      this.lastFlushAt = performance.now();
      for (const r of records) this.bufferedBytes -= recordBytes(r);
      this.emit({ type: 'records', flush: ++this.flushNo, count: records.length, frame: encodeRecordFrame(records, PREVIEW_BYTES), dropped: 0 });
    }
    if (!this.full()) this.release();
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private status(phase: 'live' | 'caught-up' | 'outage' | 'done', message: string): void {
    this.emit({ type: 'status', phase, message, logStopped: this.logStopped, nextOffsets: record(this.next) });
  }
}

function record(map: Map<number, bigint>): Record<string, string> {
  return Object.fromEntries([...map].map(([p, o]) => [String(p), o.toString()]));
}

function recordBytes(r: KafkaRecord): number {
  let n = (r.key?.length ?? 0) + (r.value?.length ?? 0);
  for (const h of r.headers) n += h.value?.length ?? 0;
  return n;
}
