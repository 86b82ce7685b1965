// A live tail of one topic: reads with the partition fetcher (no group), writes what it
// fetched to the replay log, and hands records to its subscriber in flushes: at once after a
// quiet spell, then at most every MIN_FLUSH_GAP_MS (or every FLUSH_MAX_RECORDS records). The
// subscriber acknowledges flushes; while MAX_UNACKED_FLUSHES are outstanding the session
// holds records back, and once MAX_BUFFERED_RECORDS (or MAX_BUFFERED_BYTES) are held it stops
// fetching until the subscriber catches up. So a slow renderer slows the tail down instead of
// growing memory, and no record is dropped (a read that reaches its end also waits until the
// subscriber has taken everything held). Records travel as one binary record frame per flush,
// cut to PREVIEW_BYTES. Each flush says, per partition, where a new read resumes to continue
// exactly after it (nextOffsets): the one source of truth for pause/resume.
import { encodeRecordFrame } from '../../common/codecs/record-frame.ts';
import type { Position, TailEvent } from '../../common/contract/dto.ts';
import { formatCount } from '../../common/format/numbers.ts';
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
/**
 * A following tail is "caught-up" only when every partition is fetched to within this many
 * records of its end offset (the latest the broker's Fetch answers gave: the high watermark,
 * read_committed the last stable offset) AND no record has arrived for CAUGHT_UP_QUIET_MS.
 * While records keep arriving it is "live", however close to the end it reads.
 */
export const CAUGHT_UP_DISTANCE = 100n;
export const CAUGHT_UP_QUIET_MS = 1_000;

export interface TailRequest {
  cluster: string;
  topic: string;
  partitions?: number[];
  from: Position;
  follow: boolean;
  /** Said (as notices) once the tail has started: e.g. what the replay log set aside before it. */
  notices?: string[];
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
      // A resume names every partition the stopped session knew (its last flush's nextOffsets
      // cover them all, those that delivered nothing too), so a partition missing here is one
      // that session never saw: added to the topic since, or added while it ran and still
      // empty then. None of its records has been shown, so it is read from its start, as the
      // fetcher reads a partition that joins while following. Not 'latest': records written
      // to it while the tail was paused would be skipped. The session says so in a status
      // message (run), so it is not silent.
      return {
        from: { kind: 'earliest' },
        perPartition: new Map(Object.entries(position.offsets).map(([p, o]) => [Number(p), BigInt(o)])),
      };
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
  /**
   * Per partition, how far it has been fetched (span ends: gaps included): every partition the
   * session reads, from onStart on, and partitions that join once they deliver a span.
   */
  private readonly next = new Map<number, bigint>();
  /**
   * Per partition, the records fetched and not yet sent, oldest first from `head`: the same
   * records as `buffer`, grouped so that the first one held back is found without scanning
   * the buffer (up to MAX_BUFFERED_RECORDS) at every flush.
   */
  private readonly held = new Map<number, { records: KafkaRecord[]; head: number }>();
  private waiters: (() => void)[] = [];
  private end = new Map<number, bigint>();
  private caughtUp = false;
  /** Following: per partition, the latest end offset the fetcher reported (from the start's end offsets on). */
  private readonly latestEnd = new Map<number, bigint>();
  /** Following: when the read started and when a record last arrived; the phase last said, and why. */
  private startedAt = 0;
  private lastArrivalAt = -Infinity;
  private said: { phase: 'live' | 'caught-up' | 'outage' | 'done'; why: string } | null = null;
  /** Following: set once every partition has been within CAUGHT_UP_DISTANCE of its end ("catching up" before). */
  private reachedEnd = false;
  private quietTimer: ReturnType<typeof setTimeout> | null = null;

  constructor(
    id: string,
    client: ClusterClient,
    log: ReplayLog | null,
    request: TailRequest,
    emit: (event: TailEvent) => void,
  ) {
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
          for (const [p, o] of end) this.latestEnd.set(p, o);
          this.startedAt = performance.now();
          this.emit({
            type: 'started',
            sessionId: this.id,
            partitions: [...start.keys()],
            startOffsets: record(start),
            endOffsets: record(end),
          });
          for (const message of this.request.notices ?? []) this.emit({ type: 'notice', message });
          const unnamed = perPartition ? [...start.keys()].filter((p) => !perPartition.has(p)) : [];
          if (unnamed.length > 0) {
            const which =
              unnamed.length === 1
                ? `Partition ${unnamed[0]} is new to this tail (no offset to resume it at); reading it`
                : `Partitions ${unnamed.join(', ')} are new to this tail (no offsets to resume them at); reading them`;
            this.emit({ type: 'notice', message: `${which} from the start.` });
          }
          if (this.request.follow) this.judge();
        },
        onStatus: (status) => {
          if (status.phase === 'notice') return this.emit({ type: 'notice', message: status.message });
          this.status(status.phase === 'outage' ? 'outage' : 'live', status.message);
          if (status.phase === 'recovered') this.judge();
        },
        onEndOffset: (partition, offset) => void this.latestEnd.set(partition, offset),
        onRecords: (records, span) => this.accept(records, span, signal),
      });
      // Reading ended (the end offsets reached, or stopped): what is still held back goes out as
      // the subscriber acknowledges, before the stream ends. Without this wait a subscriber
      // slower than the read would never get the last held records.
      this.flush();
      while (this.buffer.length > 0 && !signal.aborted) {
        await new Promise<void>((resolve) => this.waiters.push(resolve));
        this.flush();
      }
      this.stopJudging();
      this.status(
        this.request.follow ? 'live' : 'done',
        this.request.follow ? 'Stopped.' : 'Read to the end offsets seen at the start.',
      );
    } finally {
      signal.removeEventListener('abort', onAbort);
      if (this.flushTimer) clearTimeout(this.flushTimer);
      this.stopJudging();
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
    if (records.length > 0) {
      let held = this.held.get(span.partition);
      if (!held) this.held.set(span.partition, (held = { records: [], head: 0 }));
      for (const r of records) {
        this.buffer.push(r);
        held.records.push(r);
        this.bufferedBytes += recordBytes(r);
      }
    }
    if (records.length > 0) this.lastArrivalAt = performance.now();
    if (this.request.follow) {
      this.judge();
    } else if (!this.caughtUp && [...this.end].every(([p, o]) => (this.next.get(p) ?? 0n) >= o)) {
      // Reading to the end offsets seen at the start: nothing more will come.
      this.caughtUp = true;
      this.flush();
      this.status('caught-up', 'Caught up with the records that were there when the tail started.');
    }
    if (this.buffer.length >= FLUSH_MAX_RECORDS) this.flush();
    else
      this.flushTimer ??= setTimeout(
        () => this.flush(),
        Math.max(0, this.lastFlushAt + MIN_FLUSH_GAP_MS - performance.now()),
      );
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
      this.unhold(records);
      this.emit({
        type: 'records',
        flush: ++this.flushNo,
        count: records.length,
        frame: encodeRecordFrame(records, PREVIEW_BYTES),
        nextOffsets: this.resumeOffsets(),
      });
    }
    if (!this.full()) this.release();
  }

  /** Marks records (the oldest held, in buffer order) as sent. */
  private unhold(records: readonly KafkaRecord[]): void {
    // Records come in runs of one partition (a fetched batch each): look its queue up per run.
    let partition = -1;
    let held: { records: KafkaRecord[]; head: number } | undefined;
    for (const r of records) {
      this.bufferedBytes -= recordBytes(r);
      if (r.partition !== partition) {
        partition = r.partition;
        held = this.held.get(partition);
      }
      held!.head++;
    }
    for (const [p, h] of this.held) {
      if (h.head === h.records.length) this.held.delete(p);
      // Let go of sent records now and then, not at every flush (a copy of what is left).
      else if (h.head >= FLUSH_MAX_RECORDS && h.head * 2 >= h.records.length)
        this.held.set(p, { records: h.records.slice(h.head), head: 0 });
    }
  }

  /**
   * Per partition of the session, where a read resumes to continue exactly after what the
   * subscriber has been sent: the first record still held back, else how far it is fetched
   * (so gaps after the last record sent are not read again).
   */
  private resumeOffsets(): Record<string, string> {
    const offsets: Record<string, string> = {};
    for (const [p, fetched] of this.next) {
      const held = this.held.get(p);
      offsets[p] = (held ? held.records[held.head]!.offset : fetched).toString();
    }
    return offsets;
  }

  private release(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  /**
   * Following: decides between "live" (catching up, or records arriving) and "caught-up" (every
   * partition within CAUGHT_UP_DISTANCE of its latest end offset, and no record for
   * CAUGHT_UP_QUIET_MS), and says it when that changes. Not during an outage: that phase stands
   * until the fetcher says it is over.
   */
  private judge(): void {
    if (this.said?.phase === 'outage' || this.said?.phase === 'done') return;
    const now = performance.now();
    const arriving = now - this.lastArrivalAt < CAUGHT_UP_QUIET_MS;
    // Records keep arriving at the live edge: still live, nothing to work out per partition
    // (this runs per fetched batch); the timer looks again once they may have stopped.
    if (arriving && this.said?.phase === 'live' && this.said.why === 'live') return this.lookAgain(now);
    let behind = 0n;
    let atEnd = true;
    for (const [p, end] of this.latestEnd) {
      const distance = end - (this.next.get(p) ?? end);
      if (distance > 0n) behind += distance;
      if (distance > CAUGHT_UP_DISTANCE) atEnd = false;
    }
    const quietFor = now - Math.max(this.startedAt, this.lastArrivalAt);
    if (atEnd) this.reachedEnd = true;
    if (atEnd && quietFor >= CAUGHT_UP_QUIET_MS) {
      if (this.said?.phase === 'caught-up') return;
      this.flush();
      const near = behind === 0n ? 'read to its end offset' : `within ${CAUGHT_UP_DISTANCE} records of its end offset`;
      this.say(
        'caught-up',
        'caught-up',
        `Caught up: every partition is ${near}, and no new record for ${CAUGHT_UP_QUIET_MS / 1000} s.`,
      );
      return;
    }
    if (!this.reachedEnd)
      this.say('live', 'catching-up', `Catching up: ${formatCount(behind)} records to read before the end offsets.`);
    // Records arriving (or known to be there): live. At the end with nothing new yet: wait for the quiet spell.
    else if (!atEnd || arriving) this.say('live', 'live', 'Live: new records are arriving.');
    this.lookAgain(now);
  }

  /** Judges again once it may have been quiet long enough (a fetch that brings nothing calls nothing here). */
  private lookAgain(now: number): void {
    if (this.quietTimer !== null) return;
    const quietAt = Math.max(this.startedAt, this.lastArrivalAt) + CAUGHT_UP_QUIET_MS;
    this.quietTimer = setTimeout(
      () => {
        this.quietTimer = null;
        this.judge();
      },
      // Quiet already, yet not at the end (a slow subscriber holds the fetcher back): once a second.
      quietAt > now ? quietAt - now + 5 : CAUGHT_UP_QUIET_MS,
    );
  }

  /** Says a phase unless it (for the same reason) was said last. */
  private say(phase: 'live' | 'caught-up', why: string, message: string): void {
    if (this.said?.phase === phase && this.said.why === why) return;
    this.status(phase, message, why);
  }

  private stopJudging(): void {
    if (this.quietTimer) clearTimeout(this.quietTimer);
    this.quietTimer = null;
  }

  private status(phase: 'live' | 'caught-up' | 'outage' | 'done', message: string, why = message): void {
    this.said = { phase, why };
    this.emit({ type: 'status', phase, message, logStopped: this.logStopped, nextOffsets: this.resumeOffsets() });
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
