// The page's RangeReader over the host's projections.events stream
// (renderer/src/features/projections/host-range-reader.ts), against a scripted stream that
// behaves like the host's: a range event, fetching progress, record frames (at most a few
// ahead of the last acknowledged one) and an end. Frames are made by the real encoder; the
// session on top is the real one with the CLI's worker-thread sandbox, and its final state is
// checked against a plain loop over the same events.
import { afterEach, describe, expect, it } from 'vitest';
import { decodeRecordFrameBytes, encodeRecordFrame } from '../../src/common/codecs/record-frame.ts';
import type { EventOf, StreamParamsOf } from '../../src/common/contract/api.ts';
import { createProjectionSession } from '../../src/common/projections/projection-session.ts';
import type { RangeReadProgress, RangeRecord } from '../../src/common/projections/session-api.ts';
import { HostRangeReader, type RangeHost } from '../../renderer/src/features/projections/host-range-reader.ts';
import { createRunner, eventOf, merged, orderStream, REVENUE, started } from './projection-session-support.ts';

type Event = EventOf<'projections.events'>;
type Params = StreamParamsOf<'projections.events'>;

const FRAMES_AHEAD = 2;

/** A host stream over events in order: `per` events a frame, at most FRAMES_AHEAD frames unacknowledged. */
class ScriptedHost implements RangeHost {
  readonly subscribed: Params[] = [];
  readonly acks: number[] = [];
  closed = 0;
  private pump: (() => void) | null = null;
  private readonly events: RangeRecord[];
  private readonly options: {
    per?: number;
    end?: { after: number; reason: 'topic-deleted' | 'records-deleted' | 'failed'; message: string };
    fail?: Error;
    badFrame?: boolean;
  };
  constructor(events: RangeRecord[], options: ScriptedHost['options'] = {}) {
    this.events = events;
    this.options = options;
  }

  subscribe(params: Params, onEvent: (event: Event) => void): { close(): void; done: Promise<void> } {
    this.subscribed.push(params);
    let settle!: { resolve(): void; reject(e: Error): void };
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    done.catch(() => undefined);
    let open = true;
    const limit = Math.min(this.options.end?.after ?? this.events.length, params.maxEvents ?? Infinity);
    const per = this.options.per ?? 100;
    let at = 0;
    let seq = 0;
    let acked = 0;
    const emit = (e: Event): void => void (open && onEvent(e));
    const next: Record<string, string> = {};
    this.pump = () => {
      while (open && seq - acked < FRAMES_AHEAD && at < limit) {
        const chunk = this.events.slice(at, Math.min(at + per, limit));
        at += chunk.length;
        for (const r of chunk) next[String(r.partition)] = (r.offset + 1n).toString();
        const frame = this.options.badFrame && seq === 1 ? new Uint8Array([9, 9, 9, 9, 1]) : encodeRecordFrame(chunk);
        emit({ type: 'records', seq: ++seq, frame, delivered: at });
      }
      if (open && at >= limit && seq === acked) {
        const end = this.options.end;
        emit({
          type: 'end',
          reason: end ? end.reason : 'complete',
          message: end ? end.message : null,
          delivered: [],
          next: { ...next },
        });
        open = false;
        settle.resolve();
      }
    };
    this.ackHandler = (s) => {
      acked = Math.max(acked, s);
      queueMicrotask(() => this.pump?.());
    };
    setTimeout(() => {
      if (this.options.fail) {
        open = false;
        settle.reject(this.options.fail);
        return;
      }
      emit({ type: 'range', readId: 'r1', partitions: [], events: limit });
      emit({ type: 'fetching', fetched: 0, missing: 10 });
      emit({ type: 'fetching', fetched: 10, missing: 10 });
      emit({ type: 'notice', message: 'The start moved past deleted records.' });
      this.pump?.();
    }, 0);
    return {
      done,
      close: () => {
        this.closed++;
        open = false;
        settle.resolve();
      },
    };
  }

  private ackHandler: (seq: number) => void = () => undefined;

  ack(readId: string, seq: number): Promise<unknown> {
    expect(readId).toBe('r1');
    this.acks.push(seq);
    this.ackHandler(seq);
    return Promise.resolve({ known: true });
  }
}

const RANGE = {
  connectionId: 'sample',
  topic: 'orders',
  from: { kind: 'earliest' as const },
  to: { kind: 'latest' as const },
};

/** REVENUE as a plain loop over the events. */
function revenueLoop(events: RangeRecord[]): unknown {
  const state = { customers: {} as Record<string, { orders: number; cents: number }>, paid: 0 };
  for (const r of events) {
    const e = eventOf(r);
    if (e.type !== 'OrderPaid') continue;
    const c = (state.customers[e.customer] ??= { orders: 0, cents: 0 });
    c.orders += 1;
    c.cents += e.amount!;
    state.paid += 1;
  }
  return state;
}

afterEach(() => {
  for (const r of started.splice(0)) r.terminate();
});

describe('decodeRecordFrameBytes', () => {
  it('gives back the bytes that were encoded, headers and nulls included', () => {
    const enc = new TextEncoder();
    const records = [
      {
        partition: 2,
        offset: 2n ** 40n + 7n,
        timestampMs: 1_700_000_000_123,
        key: null,
        value: enc.encode('{"a":1}'),
        headers: [
          { key: 'event-type', value: enc.encode('X') },
          { key: 'n', value: null },
        ],
      },
      { partition: 0, offset: 0n, timestampMs: 0, key: new Uint8Array([0xff, 0x00]), value: null, headers: [] },
    ];
    const back = decodeRecordFrameBytes(encodeRecordFrame(records));
    expect(
      back.map((r) => ({
        ...r,
        key: r.key && [...r.key],
        value: r.value && [...r.value],
        headers: r.headers.map((h) => ({ key: h.key, value: h.value && [...h.value] })),
      })),
    ).toEqual(
      records.map((r) => ({
        ...r,
        key: r.key && [...r.key],
        value: r.value && [...r.value],
        headers: r.headers.map((h) => ({ key: h.key, value: h.value && [...h.value] })),
      })),
    );
  });

  it('refuses a cut frame and a frame of previews, saying so', () => {
    const frame = encodeRecordFrame([
      { partition: 0, offset: 1n, timestampMs: 1, key: null, value: new Uint8Array(100), headers: [] },
    ]);
    expect(() => decodeRecordFrameBytes(frame.subarray(0, frame.length - 1))).toThrow(/cut short or malformed/);
    const preview = encodeRecordFrame(
      [{ partition: 0, offset: 1n, timestampMs: 1, key: null, value: new Uint8Array(100), headers: [] }],
      10,
    );
    expect(() => decodeRecordFrameBytes(preview)).toThrow(/cut to a preview/);
  });
});

describe('HostRangeReader', () => {
  const events = merged(orderStream(7, 400, 3));

  it('delivers every event in order, acknowledges each frame once, reports progress and ends complete', async () => {
    const host = new ScriptedHost(events, { per: 64 });
    const notices: string[] = [];
    const progress: RangeReadProgress[] = [];
    const read = new HostRangeReader(host, RANGE, { onNotice: (m) => notices.push(m) }).open({
      onProgress: (p) => progress.push(p),
    });
    const got: RangeRecord[] = [];
    for (let rs = await read.next(); rs !== null; rs = await read.next()) got.push(...rs);
    expect(got.map((r) => `${r.topic}/${r.partition}/${r.offset}`)).toEqual(
      events.map((r) => `${r.topic}/${r.partition}/${r.offset}`),
    );
    expect(Buffer.from(got[5]!.value!).toString()).toBe(Buffer.from(events[5]!.value!).toString());
    const frames = Math.ceil(events.length / 64);
    expect(host.acks).toEqual(Array.from({ length: frames }, (_, i) => i + 1));
    expect(read.end()).toMatchObject({ reason: 'complete', message: null });
    expect(notices).toEqual(['The start moved past deleted records.']);
    expect(progress.some((p) => p.phase === 'fetching' && p.fetched === 10 && p.missing === 10)).toBe(true);
    expect(progress.at(-1)).toEqual({ phase: 'reading', delivered: events.length, total: events.length });
    expect(host.subscribed[0]).toEqual(RANGE);
  });

  it('passes a cut and a window to the host', () => {
    const host = new ScriptedHost(events);
    new HostRangeReader(host, RANGE).open({ startAt: { '0': '5' }, maxEvents: 10 }).cancel();
    expect(host.subscribed[0]).toEqual({ ...RANGE, startAt: { '0': '5' }, maxEvents: 10 });
  });

  it('cancel unsubscribes and ends cancelled at the cut of the events taken', async () => {
    const host = new ScriptedHost(events, { per: 50 });
    const read = new HostRangeReader(host, RANGE).open({});
    const first = (await read.next())!;
    read.cancel();
    expect(host.closed).toBe(1);
    expect(await read.next()).toBeNull();
    const last = first.at(-1)!;
    expect(read.end()).toMatchObject({ reason: 'cancelled' });
    expect(read.end()!.next[String(last.partition)]).toBe((last.offset + 1n).toString());
  });

  it('a stream the host fails ends the read failed with the host’s message', async () => {
    const read = new HostRangeReader(
      new ScriptedHost(events, { fail: new Error('The topic "nope" does not exist in sample.') }),
      RANGE,
    ).open({});
    expect(await read.next()).toBeNull();
    expect(read.end()).toMatchObject({ reason: 'failed', message: 'The topic "nope" does not exist in sample.' });
  });

  it('a frame that does not decode ends the read failed, naming it, and unsubscribes', async () => {
    const host = new ScriptedHost(events, { per: 10, badFrame: true });
    const read = new HostRangeReader(host, RANGE).open({});
    expect((await read.next())!.length).toBe(10);
    expect(await read.next()).toEqual([]);
    expect(await read.next()).toBeNull();
    expect(read.end()!.message).toMatch(/cannot be read: A record frame of 5 bytes is cut short or malformed/);
    expect(host.closed).toBe(1);
  });

  it('a session over it computes what a plain loop does; a read cut short keeps the state so far', async () => {
    const whole = await createProjectionSession({
      reader: new HostRangeReader(new ScriptedHost(events, { per: 97 }), RANGE),
      createRunner: createRunner('revenue.js'),
      source: REVENUE,
      fileName: 'revenue.js',
    }).run();
    expect(whole.failure).toBeNull();
    expect(whole.end.reason).toBe('complete');
    expect(whole.outcome).toMatchObject({ keyed: false, state: revenueLoop(events) });

    const host = new ScriptedHost(events, {
      per: 97,
      end: { after: 300, reason: 'topic-deleted', message: 'The topic orders was deleted while it was read.' },
    });
    const cut = await createProjectionSession({
      reader: new HostRangeReader(host, RANGE),
      createRunner: createRunner('revenue.js'),
      source: REVENUE,
      fileName: 'revenue.js',
    }).run();
    expect(cut.end).toMatchObject({
      reason: 'topic-deleted',
      message: 'The topic orders was deleted while it was read.',
    });
    expect(cut.events).toBe(300);
    expect(cut.outcome).toMatchObject({ keyed: false, state: revenueLoop(events.slice(0, 300)) });
  });
});
