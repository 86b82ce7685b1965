// A range of a topic as the projection session reads it (session-api.ts RangeReader), over the
// host's projections.events stream: the host reads the replay log (fetching what it lacks from
// the cluster first) and sends the events in merged order as record frames. Each frame is
// decoded into records with their bytes only when the session takes it, and acknowledged then:
// the host keeps only a few frames ahead of the last acknowledged one, so a slow projection
// slows the read instead of filling the page's memory. Cancelling a read unsubscribes.
import { decodeRecordFrameBytes } from '@common/codecs/record-frame.ts';
import type { EventOf, StreamParamsOf } from '@common/contract/api.ts';
import type {
  RangeRead,
  RangeReader,
  RangeReadEnd,
  RangeReadProgress,
  RangeRecord,
} from '@common/projections/session-api.ts';

export type RangeParams = Omit<StreamParamsOf<'projections.events'>, 'startAt' | 'maxEvents'>;
type RangeEvent = EventOf<'projections.events'>;

/** The host as a range read needs it (the app passes its RPC client; tests can pass another wire's). */
export interface RangeHost {
  subscribe(
    params: StreamParamsOf<'projections.events'>,
    onEvent: (event: RangeEvent) => void,
  ): { close(): void; done: Promise<void> };
  ack(readId: string, seq: number): Promise<unknown>;
}

export interface HostRangeReaderOptions {
  /** Notices that do not stop the read (a start moved past deleted records). */
  onNotice?(message: string): void;
}

export class HostRangeReader implements RangeReader {
  private readonly host: RangeHost;
  readonly params: RangeParams;
  private readonly options: HostRangeReaderOptions;

  constructor(host: RangeHost, params: RangeParams, options: HostRangeReaderOptions = {}) {
    this.host = host;
    this.params = params;
    this.options = options;
  }

  open(options: {
    startAt?: Record<string, string>;
    maxEvents?: number;
    onProgress?(progress: RangeReadProgress): void;
  }): RangeRead {
    return new HostRangeRead(this.host, this.params, options, this.options.onNotice);
  }
}

interface Frame {
  seq: number;
  bytes: Uint8Array;
}

class HostRangeRead implements RangeRead {
  private readonly host: RangeHost;
  private readonly topic: string;
  private readonly onProgress: ((progress: RangeReadProgress) => void) | undefined;
  private readonly frames: Frame[] = [];
  private readonly subscription: { close(): void; done: Promise<void> };
  private readId: string | null = null;
  private total: number | null = null;
  private taken = 0;
  private ended: RangeReadEnd | null = null;
  /** Per partition: the offset after the last record taken (where a cancelled read stopped). */
  private readonly cut: Record<string, string>;
  private wake: (() => void) | null = null;

  constructor(
    host: RangeHost,
    params: RangeParams,
    options: { startAt?: Record<string, string>; maxEvents?: number; onProgress?(progress: RangeReadProgress): void },
    onNotice: ((message: string) => void) | undefined,
  ) {
    this.host = host;
    this.topic = params.topic;
    this.onProgress = options.onProgress;
    this.cut = { ...(options.startAt ?? {}) };
    const full = {
      ...params,
      ...(options.startAt ? { startAt: options.startAt } : {}),
      ...(options.maxEvents !== undefined ? { maxEvents: options.maxEvents } : {}),
    };
    this.subscription = host.subscribe(full, (event) => {
      if (this.ended) return;
      if (event.type === 'range') {
        this.readId = event.readId;
        this.total = event.events;
        this.report({ phase: 'reading', delivered: 0, total: this.total });
      } else if (event.type === 'fetching') {
        this.report({
          phase: 'fetching',
          fetched: event.fetched,
          missing: event.missing,
          delivered: 0,
          total: this.total,
        });
      } else if (event.type === 'records') {
        this.frames.push({ seq: event.seq, bytes: event.frame });
      } else if (event.type === 'notice') {
        onNotice?.(event.message);
      } else {
        this.finish({ reason: event.reason, message: event.message, next: event.next });
        return;
      }
      this.wakeUp();
    });
    this.subscription.done.then(
      () =>
        this.finish({
          reason: 'failed',
          message: 'The host ended the read of the range without saying why. Run it again.',
          next: { ...this.cut },
        }),
      (err: unknown) =>
        this.finish({
          reason: 'failed',
          message: err instanceof Error ? err.message : String(err),
          next: { ...this.cut },
        }),
    );
  }

  async next(): Promise<RangeRecord[] | null> {
    for (;;) {
      const frame = this.frames.shift();
      if (frame) return this.take(frame);
      if (this.ended) return null;
      await new Promise<void>((resolve) => (this.wake = resolve));
    }
  }

  end(): RangeReadEnd | null {
    // Frames still queued are part of the range until taken.
    return this.frames.length === 0 ? this.ended : null;
  }

  cancel(): void {
    if (this.ended && this.frames.length === 0) return;
    this.frames.length = 0;
    this.finish({ reason: 'cancelled', message: 'The run was cancelled.', next: { ...this.cut } });
    this.subscription.close();
  }

  private take(frame: Frame): RangeRecord[] {
    let records: RangeRecord[];
    try {
      const topic = this.topic;
      records = decodeRecordFrameBytes(frame.bytes).map((r) => ({
        topic,
        partition: r.partition,
        offset: r.offset,
        timestampMs: r.timestampMs,
        key: r.key,
        value: r.value,
        headers: r.headers,
      }));
    } catch (err) {
      this.frames.length = 0;
      this.finish({
        reason: 'failed',
        message: `The host sent events that cannot be read: ${err instanceof Error ? err.message : String(err)}`,
        next: { ...this.cut },
      });
      this.subscription.close();
      return [];
    }
    for (const r of records) this.cut[String(r.partition)] = (r.offset + 1n).toString();
    this.taken += records.length;
    // The records are in the page now: the host may send further. A read the host forgot
    // (it ended) answers known: false, which changes nothing here.
    if (this.readId !== null && !this.ended) this.host.ack(this.readId, frame.seq).catch(() => undefined);
    this.report({ phase: 'reading', delivered: this.taken, total: this.total });
    return records;
  }

  private report(progress: RangeReadProgress): void {
    this.onProgress?.(progress);
  }

  private finish(end: RangeReadEnd): void {
    if (this.ended) return;
    this.ended = end;
    this.wakeUp();
  }

  private wakeUp(): void {
    const wake = this.wake;
    this.wake = null;
    wake?.();
  }
}
