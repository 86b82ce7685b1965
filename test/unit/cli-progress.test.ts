// The CLI's progress line (src/node/host/cli-progress.ts), driven with a fake terminal and a fake
// clock: drawn only on a terminal, at most every 200 ms, rewritten in place with \r, measured
// against the end offsets seen at the start (gaps included), cleared before any other message
// and at the end. runTail with a stderr that is not a terminal writes nothing of it.
import { describe, expect, it } from 'vitest';
import {
  createProgressLine,
  REDRAW_MS,
  type ProgressClock,
  type ProgressOptions,
} from '../../src/node/host/cli-progress.ts';
import { runTail } from '../../src/node/host/cli-tail.ts';
import type { ClusterClient, KafkaRecord, ReadRequest } from '../../src/node/kafka/index.ts';

class FakeTerminal {
  isTTY = true;
  columns = 200;
  chunks: string[] = [];
  write(chunk: string): boolean {
    this.chunks.push(chunk);
    return true;
  }
  /** What the screen shows on the cursor's line: each \r starts the line anew, ESC[K erases what follows. */
  get screen(): string {
    const all = this.chunks.join('');
    const last = all.split('\r').at(-1)!;
    return last.replace('\x1b[K', '');
  }
}

class FakeClock implements ProgressClock {
  time = 1_000_000;
  intervals: number[] = [];
  private ticks: (() => void)[] = [];
  stopped = 0;
  now(): number {
    return this.time;
  }
  every(ms: number, tick: () => void): () => void {
    this.intervals.push(ms);
    this.ticks.push(tick);
    return () => {
      this.stopped++;
      this.ticks = this.ticks.filter((t) => t !== tick);
    };
  }
  /** Moves time on, firing the timers as a real interval would. */
  advance(ms: number): void {
    for (let left = ms; left > 0; left -= REDRAW_MS) {
      this.time += Math.min(REDRAW_MS, left);
      if (left >= REDRAW_MS) for (const tick of this.ticks) tick();
    }
  }
}

function records(partition: number, from: bigint, count: number, valueBytes = 10): KafkaRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    partition,
    offset: from + BigInt(i),
    timestampMs: 0,
    key: null,
    value: new Uint8Array(valueBytes),
    headers: [],
  }));
}

function setup(options: Partial<ProgressOptions> = {}): {
  terminal: FakeTerminal;
  clock: FakeClock;
  line: NonNullable<ReturnType<typeof createProgressLine>>;
} {
  const terminal = new FakeTerminal();
  const clock = new FakeClock();
  const line = createProgressLine(terminal, { topic: 'orders', toEnd: true, clock, ...options });
  if (!line) throw new Error('expected a progress line on a terminal');
  return { terminal, clock, line };
}

describe('the CLI progress line', () => {
  it('is not made when the stream is not a terminal', () => {
    const clock = new FakeClock();
    for (const isTTY of [false, undefined]) {
      const stream = { isTTY, write: () => true };
      expect(createProgressLine(stream, { topic: 'orders', toEnd: true, clock })).toBeNull();
    }
    expect(clock.intervals).toEqual([]);
  });

  it('is drawn only on the timer, at most every 200 ms, rewritten in place', () => {
    const { terminal, clock, line } = setup();
    expect(clock.intervals).toEqual([REDRAW_MS]);
    expect(REDRAW_MS).toBeGreaterThanOrEqual(200);
    line.started({ start: new Map([[0, 0n]]), end: new Map([[0, 1000n]]) });
    for (let i = 0; i < 50; i++)
      line.read(records(0, BigInt(i * 2), 2), { partition: 0, from: BigInt(i * 2), to: BigInt(i * 2 + 2) });
    expect(terminal.chunks).toEqual([]);
    clock.advance(1000);
    expect(terminal.chunks).toHaveLength(5);
    for (const chunk of terminal.chunks) {
      expect(chunk.startsWith('\r') && chunk.endsWith('\x1b[K')).toBe(true);
      expect(chunk.slice(1)).not.toMatch(/[\r\n]/);
    }
    expect(terminal.screen).toContain('orders: 10.0% · 100 records · 1000 B');
  });

  it('gives the percentage, rate and time left against the end offsets seen at the start', () => {
    const { terminal, clock, line } = setup();
    line.started({
      start: new Map([
        [0, 0n],
        [1, 500n],
      ]),
      end: new Map([
        [0, 1000n],
        [1, 1500n],
      ]),
    });
    clock.advance(2000);
    line.read(records(0, 0n, 600), { partition: 0, from: 0n, to: 600n });
    line.read(records(1, 500n, 400), { partition: 1, from: 500n, to: 900n });
    clock.advance(REDRAW_MS);
    // 1,000 of 2,000 offsets in 2.2 s: as long again to go.
    expect(terminal.screen).toBe('orders: 50.0% · 1,000 records · 9.8 KB · 455 records/s · 2 s left');
  });

  it('counts the offsets a span skipped (compaction, transaction markers) toward the end', () => {
    const { terminal, clock, line } = setup();
    line.started({ start: new Map([[0, 0n]]), end: new Map([[0, 100n]]) });
    line.read(records(0, 0n, 10), { partition: 0, from: 0n, to: 10n });
    line.read([], { partition: 0, from: 10n, to: 75n });
    clock.advance(REDRAW_MS);
    expect(terminal.screen).toMatch(/^orders: 75\.0% · 10 records · 100 B/);
  });

  it('measures offsets beyond 2^53 exactly, and never past 100%', () => {
    const { terminal, clock, line } = setup();
    const start = 9_223_372_036_854_774_000n;
    line.started({ start: new Map([[3, start]]), end: new Map([[3, start + 1000n]]) });
    line.read(records(3, start, 1), { partition: 3, from: start, to: start + 250n });
    clock.advance(REDRAW_MS);
    expect(terminal.screen).toMatch(/^orders: 25\.0% · 1 record · 10 B/);
    line.read(records(3, start + 250n, 1), { partition: 3, from: start + 250n, to: start + 5000n });
    clock.advance(REDRAW_MS);
    expect(terminal.screen).toMatch(/^orders: 100\.0% · 2 records/);
  });

  it('following (tail without --end): catching up to the end seen at the start, then following', () => {
    const { terminal, clock, line } = setup({ toEnd: false });
    line.started({ start: new Map([[0, 0n]]), end: new Map([[0, 100n]]) });
    line.read(records(0, 0n, 40), { partition: 0, from: 0n, to: 40n });
    clock.advance(2000);
    expect(terminal.screen).toBe('orders: catching up: 40.0% · 40 records · 400 B · 20 records/s · 3 s left');
    line.read(records(0, 40n, 80), { partition: 0, from: 40n, to: 120n });
    // A partition added while following: counted, without an end to measure against.
    line.read(records(7, 0n, 5), { partition: 7, from: 0n, to: 5n });
    clock.advance(REDRAW_MS);
    expect(terminal.screen).toBe('orders: 125 records · 1.2 KB · 57 records/s · following');
  });

  it('measures the rate and the time left over the last 5 seconds: a follow gone quiet shows 0 records/s', () => {
    const { terminal, clock, line } = setup({ toEnd: false });
    line.started({ start: new Map([[0, 0n]]), end: new Map([[0, 10_000n]]) });
    // 1,000 offsets a second for 10 s, then 4,000 in the next second.
    for (let s = 0; s < 10; s++) {
      line.read(records(0, BigInt(s * 1000), 1000, 1), {
        partition: 0,
        from: BigInt(s * 1000),
        to: BigInt(s * 1000 + 1000),
      });
      clock.advance(1000);
    }
    line.read(records(0, 10_000n, 1, 1), { partition: 0, from: 10_000n, to: 10_001n });
    expect(terminal.screen).toBe('orders: 10,000 records · 9.8 KB · 1,000 records/s · following');
    clock.advance(6000);
    expect(terminal.screen).toBe('orders: 10,001 records · 9.8 KB · 0 records/s · following');

    const exporting = setup();
    exporting.line.started({ start: new Map([[0, 0n]]), end: new Map([[0, 100_000n]]) });
    for (let s = 0; s < 10; s++) {
      exporting.line.read([], { partition: 0, from: BigInt(s * 1000), to: BigInt(s * 1000 + 1000) });
      exporting.clock.advance(1000);
    }
    for (let s = 0; s < 5; s++) {
      exporting.line.read([], { partition: 0, from: BigInt(10_000 + s * 9000), to: BigInt(19_000 + s * 9000) });
      exporting.clock.advance(1000);
    }
    // 45,000 offsets in the last 5 s: the 45,000 left take 5 s more, not the whole read's average.
    expect(exporting.terminal.screen).toBe('orders: 55.0% · 0 records · 0 B · 0 records/s · 5 s left');
  });

  it('is cut to the terminal width, so that it never wraps', () => {
    const { terminal, clock, line } = setup();
    terminal.columns = 30;
    line.started({ start: new Map([[0, 0n]]), end: new Map([[0, 100n]]) });
    clock.advance(REDRAW_MS);
    expect(terminal.screen).toHaveLength(29);
  });

  it('clears itself before another message, and draws again at the next tick', () => {
    const { terminal, clock, line } = setup();
    line.started({ start: new Map([[0, 0n]]), end: new Map([[0, 100n]]) });
    clock.advance(REDRAW_MS);
    terminal.chunks.length = 0;
    line.say('eventscope: waiting for the broker\n');
    expect(terminal.chunks).toEqual(['\r\x1b[K', 'eventscope: waiting for the broker\n']);
    // Not shown now: a second message needs no clearing.
    line.say('eventscope: reading again\n');
    expect(terminal.chunks.at(-1)).toBe('eventscope: reading again\n');
    expect(terminal.chunks).toHaveLength(3);
    clock.advance(REDRAW_MS);
    expect(terminal.chunks.at(-1)).toMatch(/^\rorders: 0\.0%/);
  });

  it('is cleared at the end and never drawn again; a read too short to draw it writes nothing', () => {
    const { terminal, clock, line } = setup();
    line.started({ start: new Map([[0, 0n]]), end: new Map([[0, 100n]]) });
    clock.advance(REDRAW_MS);
    line.finish();
    expect(terminal.chunks.at(-1)).toBe('\r\x1b[K');
    expect(clock.stopped).toBe(1);
    const written = terminal.chunks.length;
    line.finish();
    clock.advance(1000);
    expect(terminal.chunks).toHaveLength(written);

    const short = setup();
    short.line.started({ start: new Map([[0, 0n]]), end: new Map([[0, 100n]]) });
    short.line.read(records(0, 0n, 100), { partition: 0, from: 0n, to: 100n });
    short.clock.advance(REDRAW_MS - 1);
    short.line.finish();
    expect(short.terminal.chunks).toEqual([]);
  });
});

describe('runTail and the progress line', () => {
  /** A cluster client whose read hands over 3 batches and says one notice. */
  function fakeClient(): ClusterClient {
    const read = async (request: ReadRequest): Promise<{ records: number; nextOffsets: Map<number, bigint> }> => {
      request.onStart?.({ start: new Map([[0, 0n]]), end: new Map([[0, 30n]]) });
      request.onStatus?.({ phase: 'notice', message: 'a notice' });
      for (let i = 0n; i < 3n; i++)
        await request.onRecords(records(0, i * 10n, 10), { partition: 0, from: i * 10n, to: i * 10n + 10n });
      return { records: 30, nextOffsets: new Map([[0, 30n]]) };
    };
    return { read } as unknown as ClusterClient;
  }

  function sink(isTTY: boolean): {
    isTTY: boolean;
    text: string;
    write(chunk: string | Uint8Array, cb?: () => void): boolean;
  } & NodeJS.WritableStream {
    const stream = {
      isTTY,
      text: '',
      write(chunk: string | Uint8Array, cb?: () => void): boolean {
        stream.text += typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString();
        cb?.();
        return true;
      },
      writableLength: 0,
      on: () => stream,
      once: () => stream,
      off: () => stream,
    };
    return stream as unknown as ReturnType<typeof sink>;
  }

  it('with a stderr that is not a terminal, writes only the messages it always wrote', async () => {
    const out = sink(false);
    const err = sink(false);
    const code = await runTail(
      fakeClient(),
      { topic: 'orders', from: { kind: 'earliest' }, stopAtEnd: true, format: 'text', progress: true },
      out,
      err,
    );
    expect(code).toBe(0);
    expect(err.text).toBe('eventscope: a notice\n');
    expect(out.text.split('\n')).toHaveLength(31);
  });

  it('with a terminal stderr, says the same messages (a line too short-lived to draw leaves nothing behind)', async () => {
    const out = sink(false);
    const err = sink(true);
    await runTail(
      fakeClient(),
      { topic: 'orders', from: { kind: 'earliest' }, stopAtEnd: true, format: 'text', progress: true },
      out,
      err,
    );
    expect(err.text).toBe('eventscope: a notice\n');
  });
});
