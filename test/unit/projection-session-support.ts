// Test support for projection sessions: an order event stream generated from a seed across
// several partitions (one order's events on one partition, as a keyed producer writes them), an
// in-memory RangeReader that merges it in event order and resumes at cuts like the host's
// projections.events read, and fresh runs in the CLI's worker-thread sandbox to compare with.
import { Writable } from 'node:stream';
import { EventBatchBuilder, BATCH_EVENTS } from '../../src/common/projections/event-batch.ts';
import type { ProjectionOutcome } from '../../src/common/projections/projection-api.ts';
import type { ProjectionRunner } from '../../src/common/projections/projection-runner.ts';
import { startProjectionSandbox } from '../../src/node/projections/node-sandbox.ts';
import type { RangeRead, RangeReader, RangeReadEnd, RangeRecord } from '../../src/common/projections/session-api.ts';

const enc = new TextEncoder();

/** A small seeded generator (mulberry32): the same stream for the same seed. */
export function seeded(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface OrderEvent {
  type: 'OrderPlaced' | 'OrderPaid' | 'OrderShipped' | 'OrderCancelled';
  orderId: string;
  customer: string;
  items?: number;
  amount?: number;
}

/** Orders placed, paid, then shipped or cancelled, on `partitions` partitions; records per partition in offset order. */
export function orderStream(seed: number, orders: number, partitions = 3): Map<number, RangeRecord[]> {
  const rnd = seeded(seed);
  const raw: { partition: number; timestampMs: number; event: OrderEvent }[] = [];
  for (let i = 1; i <= orders; i++) {
    const orderId = `o-${i}`;
    const customer = `c-${i % 7}`;
    const partition = i % partitions;
    let t = 1_700_000_000_000 + Math.floor(rnd() * 20_000);
    const at = (): number => (t += 1 + Math.floor(rnd() * 3_000));
    raw.push({
      partition,
      timestampMs: at(),
      event: { type: 'OrderPlaced', orderId, customer, items: 1 + Math.floor(rnd() * 5) },
    });
    raw.push({
      partition,
      timestampMs: at(),
      event: { type: 'OrderPaid', orderId, customer, amount: 100 * i + Math.floor(rnd() * 100) },
    });
    raw.push({
      partition,
      timestampMs: at(),
      event: { type: rnd() < 0.7 ? 'OrderShipped' : 'OrderCancelled', orderId, customer },
    });
  }
  const byPartition = new Map<number, RangeRecord[]>();
  for (let p = 0; p < partitions; p++) {
    const records = raw.filter((r) => r.partition === p).sort((a, b) => a.timestampMs - b.timestampMs);
    byPartition.set(
      p,
      records.map((r, offset) => ({
        topic: 'orders',
        partition: p,
        offset: BigInt(offset),
        timestampMs: r.timestampMs,
        key: enc.encode(r.event.orderId),
        value: enc.encode(JSON.stringify(r.event)),
        headers: [{ key: 'event-type', value: enc.encode(r.event.type) }],
      })),
    );
  }
  return byPartition;
}

/** The partitions merged in event order: by timestamp, then partition (the heads of each partition, so offsets stay in order). */
export function merged(byPartition: Map<number, RangeRecord[]>): RangeRecord[] {
  const heads = [...byPartition.entries()].map(([partition, records]) => ({ partition, records, at: 0 }));
  const out: RangeRecord[] = [];
  for (;;) {
    let best: (typeof heads)[number] | null = null;
    for (const h of heads) {
      if (h.at >= h.records.length) continue;
      const r = h.records[h.at]!;
      if (best === null) best = h;
      else {
        const b = best.records[best.at]!;
        if (r.timestampMs < b.timestampMs || (r.timestampMs === b.timestampMs && h.partition < best.partition))
          best = h;
      }
    }
    if (best === null) return out;
    out.push(best.records[best.at++]!);
  }
}

export function eventOf(record: RangeRecord): OrderEvent {
  return JSON.parse(new TextDecoder().decode(record.value!)) as OrderEvent;
}

export interface MemoryReader extends RangeReader {
  /** How many reads were opened (a step to the next event must not open one). */
  opened: number;
}

/**
 * A RangeReader over records in event order, handed over in small pieces as the host's frames
 * are. endAfter: the read ends after that many events of the range, as `end` says (records deleted, topic deleted).
 */
export function memoryReader(
  events: RangeRecord[],
  options: { endAfter?: { events: number; reason: RangeReadEnd['reason']; message: string } } = {},
): MemoryReader {
  const reader: MemoryReader = {
    opened: 0,
    open({ startAt, maxEvents, onProgress }): RangeRead {
      reader.opened++;
      const limit = options.endAfter ? options.endAfter.events : events.length;
      const available = events.slice(0, limit);
      const rest = startAt
        ? available.filter(
            (r) => startAt[String(r.partition)] === undefined || r.offset >= BigInt(startAt[String(r.partition)]!),
          )
        : available;
      const chosen = maxEvents === undefined ? rest : rest.slice(0, maxEvents);
      const endedEarly = options.endAfter !== undefined && (maxEvents === undefined || rest.length < maxEvents);
      let at = 0;
      let cancelled = false;
      let ended: RangeReadEnd | null = null;
      const next: Record<string, string> = { ...(startAt ?? {}) };
      onProgress?.({ phase: 'reading', delivered: 0, total: events.length });
      return {
        next: async () => {
          if (cancelled || at >= chosen.length) {
            ended ??= cancelled
              ? { reason: 'cancelled', message: 'Cancelled.', next }
              : endedEarly
                ? { reason: options.endAfter!.reason, message: options.endAfter!.message, next }
                : { reason: 'complete', message: null, next };
            return null;
          }
          const piece = chosen.slice(at, at + 1 + (at % 11));
          at += piece.length;
          for (const r of piece) next[String(r.partition)] = (r.offset + 1n).toString();
          onProgress?.({ phase: 'reading', delivered: at, total: events.length });
          return piece;
        },
        end: () => ended,
        cancel: () => void (cancelled = true),
      };
    },
  };
  return reader;
}

const quiet = (): Writable => new Writable({ write: (_c, _e, cb) => cb() });

/** Every sandbox a test started, to stop afterwards. */
export const started: ProjectionRunner[] = [];

export function createRunner(fileName = 'orders-projection.js', timeLimitMs?: number): () => ProjectionRunner {
  return () => {
    const runner = startProjectionSandbox({
      fileName,
      console: quiet(),
      ...(timeLimitMs !== undefined ? { timeLimitMs } : {}),
    });
    started.push(runner);
    return runner;
  };
}

/** A fresh run of a projection over the given events (no session, no snapshots): the independent answer. */
export async function freshRun(
  source: string,
  events: RangeRecord[],
  fileName = 'orders-projection.js',
): Promise<ProjectionOutcome> {
  const runner = createRunner(fileName)();
  try {
    await runner.load(source);
    const builder = new EventBatchBuilder();
    for (let i = 0; i < events.length; i++) {
      builder.add(events[i]!.topic, events[i]!);
      if (builder.count >= BATCH_EVENTS) await runner.feed(builder.take());
    }
    if (builder.count > 0) await runner.feed(builder.take());
    return await runner.finish();
  } finally {
    runner.terminate();
  }
}

/** The order state machine, keyed by order. */
export const ORDER_STATES = `export default {
  name: 'order states',
  typeFrom: { header: 'event-type' },
  keyBy: (event) => event.value.orderId,
  init: () => ({ status: 'none', items: 0, paid: 0 }),
  on: {
    OrderPlaced(state, event) { state.status = 'placed'; state.items = event.value.items; return state; },
    OrderPaid(state, event) { state.status = 'paid'; state.paid += event.value.amount; },
    OrderShipped(state) { state.status = 'shipped'; },
    OrderCancelled: (state) => ({ ...state, status: 'cancelled' }),
  },
};
`;

/** Revenue per customer, one state for the whole range. */
export const REVENUE = `export default {
  typeFrom: { jsonField: 'type' },
  init: () => ({ customers: {}, paid: 0 }),
  on: {
    OrderPaid(state, event) {
      const c = (state.customers[event.value.customer] ??= { orders: 0, cents: 0 });
      c.orders += 1;
      c.cents += event.value.amount;
      state.paid += 1;
      return state;
    },
  },
};
`;

/** What ORDER_STATES computes, as a plain loop (a consumer's own code), skipping the events `skip` says. */
export function orderStatesByLoop(
  events: RangeRecord[],
  skip: (index: number) => boolean = () => false,
): Map<string, { status: string; items: number; paid: number }> {
  const states = new Map<string, { status: string; items: number; paid: number }>();
  events.forEach((r, i) => {
    if (skip(i + 1)) return;
    const e = eventOf(r);
    const s = states.get(e.orderId) ?? { status: 'none', items: 0, paid: 0 };
    states.set(e.orderId, s);
    if (e.type === 'OrderPlaced') Object.assign(s, { status: 'placed', items: e.items });
    else if (e.type === 'OrderPaid') Object.assign(s, { status: 'paid', paid: s.paid + e.amount! });
    else if (e.type === 'OrderShipped') s.status = 'shipped';
    else s.status = 'cancelled';
  });
  return states;
}
