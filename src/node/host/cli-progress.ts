// The progress line of a long CLI read (`export`, `tail` without --max): records and bytes read
// so far and, against the end offsets seen at the start, the percentage, the rate and the time
// left. Only on a terminal: drawn on stderr, rewritten in place with \r at most every REDRAW_MS,
// and cleared at the end, so that it never stays in the scrollback. Not a terminal (a pipe, a
// file, the tests): there is no line at all, and stderr carries exactly what it did without it.
import { formatBytes, formatCount } from '../../common/format/numbers.ts';
import { formatDuration } from '../../common/format/durations.ts';
import type { FetchedSpan, KafkaRecord, StartOffsets } from '../kafka/partition-reader.ts';

/** Where the line goes: stderr, or a fake terminal in the tests. */
export interface ProgressStream {
  isTTY?: boolean;
  /** The terminal's width: the line is cut to fit, since a line that wraps cannot be rewritten with \r. */
  columns?: number;
  write(chunk: string): boolean;
}

/** Time, and a repeating timer (its stop function returned): the system's, or a fake one in the tests. */
export interface ProgressClock {
  now(): number;
  every(ms: number, tick: () => void): () => void;
}

export const systemClock: ProgressClock = {
  now: () => Date.now(),
  every: (ms, tick) => {
    const timer = setInterval(tick, ms);
    // Never what keeps the process alive.
    timer.unref();
    return () => clearInterval(timer);
  },
};

/** At most 5 redraws a second. */
export const REDRAW_MS = 200;
/** Rates are measured over the last few seconds: a follow that has gone quiet shows it. */
export const RATE_WINDOW_MS = 5000;

/** Clears the line the cursor is on (carriage return, erase to the end of the line). */
const CLEAR = '\r\x1b[K';

export interface ProgressOptions {
  topic: string;
  /** Reading stops at the end offsets seen at the start (export, tail --end): a percentage and the time left. */
  toEnd: boolean;
  clock?: ProgressClock;
}

export class ProgressLine {
  private readonly stream: ProgressStream;
  private readonly clock: ProgressClock;
  private readonly topic: string;
  private readonly toEnd: boolean;
  private readonly stopTimer: () => void;
  private records = 0;
  private bytes = 0;
  private readonly start = new Map<number, bigint>();
  private readonly end = new Map<number, bigint>();
  /** Per partition, the offset read up to (the end of the last span). */
  private readonly position = new Map<number, bigint>();
  /** Offsets to read from the start to the end offsets, and how many of them are read. */
  private total = 0n;
  private done = 0n;
  /** Whether the line is on the screen (and must be cleared before anything else is written). */
  private shown = false;
  private finished = false;
  /** Counts at each redraw of the last RATE_WINDOW_MS (and the start), oldest first: what the rates are measured on. */
  private samples: { at: number; records: number; done: bigint }[] = [];

  constructor(stream: ProgressStream, options: ProgressOptions) {
    this.stream = stream;
    this.clock = options.clock ?? systemClock;
    this.topic = options.topic;
    this.toEnd = options.toEnd;
    this.samples.push({ at: this.clock.now(), records: 0, done: 0n });
    this.stopTimer = this.clock.every(REDRAW_MS, () => this.draw());
  }

  /** Where reading starts and ends, per partition (the reader's onStart); rates are measured from here. */
  started(offsets: StartOffsets): void {
    this.samples = [{ at: this.clock.now(), records: this.records, done: this.done }];
    this.total = 0n;
    for (const [partition, start] of offsets.start) {
      const end = offsets.end.get(partition) ?? start;
      this.start.set(partition, start);
      this.end.set(partition, end > start ? end : start);
      this.position.set(partition, start);
      if (end > start) this.total += end - start;
    }
  }

  /** A fetched batch (the reader's onRecords): its records and bytes, and the offsets its span covered (gaps included). */
  read(records: KafkaRecord[], span: FetchedSpan): void {
    this.records += records.length;
    for (const r of records) {
      let size = (r.key?.length ?? 0) + (r.value?.length ?? 0);
      for (const h of r.headers) size += h.key.length + (h.value?.length ?? 0);
      this.bytes += size;
    }
    const start = this.start.get(span.partition);
    const end = this.end.get(span.partition);
    // A partition added while following has no end to read to: counted, not measured.
    if (start === undefined || end === undefined) return;
    const before = this.position.get(span.partition) ?? start;
    if (span.to <= before) return;
    this.position.set(span.partition, span.to);
    const clamp = (offset: bigint): bigint => (offset < start ? start : offset > end ? end : offset);
    this.done += clamp(span.to) - clamp(before);
  }

  /** Writes a message of its own line (a notice, an outage): the progress line is cleared first and drawn again at the next tick. */
  say(text: string): void {
    this.clear();
    this.stream.write(text);
  }

  /** Stops redrawing and clears the line. */
  finish(): void {
    if (this.finished) return;
    this.finished = true;
    this.stopTimer();
    this.clear();
  }

  /** The line as it would be drawn now (not cut to the terminal's width). */
  text(): string {
    const now = this.clock.now();
    // Rates over the window: from its oldest sample to now, once that spans a second.
    const since = this.samples.find((s) => s.at >= now - RATE_WINDOW_MS) ?? {
      at: now,
      records: this.records,
      done: this.done,
    };
    const spanMs = now - since.at;
    const parts: string[] = [];
    const remaining = this.total - this.done;
    if (this.total > 0n && (this.toEnd || remaining > 0n)) {
      // One decimal, from integers: offsets may exceed 2^53.
      const permille = Number((this.done * 1000n) / this.total);
      parts.push(`${this.toEnd ? '' : 'catching up: '}${(permille / 10).toFixed(1)}%`);
    }
    parts.push(`${formatCount(this.records)} record${this.records === 1 ? '' : 's'}`, formatBytes(this.bytes));
    if (spanMs >= 1000)
      parts.push(`${formatCount(Math.round(((this.records - since.records) * 1000) / spanMs))} records/s`);
    const doneInSpan = this.done - since.done;
    if (remaining > 0n && doneInSpan > 0n && spanMs >= 1000) {
      const leftMs = Number((remaining * BigInt(Math.round(spanMs))) / doneInSpan);
      parts.push(`${leftMs < 1000 ? 'under 1 s' : formatDuration(leftMs)} left`);
    } else if (!this.toEnd && remaining <= 0n && this.start.size > 0) {
      parts.push('following');
    }
    return `${this.topic}: ${parts.join(' · ')}`;
  }

  private draw(): void {
    if (this.finished) return;
    let line = this.text();
    const now = this.clock.now();
    this.samples.push({ at: now, records: this.records, done: this.done });
    while (this.samples.length > 1 && this.samples[0]!.at < now - RATE_WINDOW_MS) this.samples.shift();
    const columns = this.stream.columns;
    if (columns !== undefined && columns > 1 && line.length > columns - 1) line = line.slice(0, columns - 1);
    this.stream.write(`\r${line}\x1b[K`);
    this.shown = true;
  }

  private clear(): void {
    if (!this.shown) return;
    this.stream.write(CLEAR);
    this.shown = false;
  }
}

/** A progress line on stream when it is a terminal; null (nothing is ever written) when it is not. */
export function createProgressLine(stream: ProgressStream, options: ProgressOptions): ProgressLine | null {
  return stream.isTTY === true ? new ProgressLine(stream, options) : null;
}
