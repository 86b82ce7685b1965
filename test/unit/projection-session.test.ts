// Projection sessions in the CLI's worker-thread sandbox over an in-memory range of order events
// on three partitions: the state at any event equals a fresh run over the events up to it, the
// diff an event made, run-until, snapshots within their budget, a read that ends early, and a
// comparison with a consumer that missed an event, reported at the first event they part on.
import { afterEach, describe, expect, it } from 'vitest';
import { ProjectionFailedError } from '../../src/common/projections/projection-runner.ts';
import {
  createProjectionSession,
  type ProjectionSessionHandle,
} from '../../src/common/projections/projection-session.ts';
import { canonicalJson } from '../../src/common/projections/state-diff.ts';
import type { RangeRecord } from '../../src/common/projections/session-api.ts';
import {
  createRunner,
  eventOf,
  freshRun,
  memoryReader,
  merged,
  ORDER_STATES,
  orderStatesByLoop,
  orderStream,
  REVENUE,
  seeded,
  started,
  type MemoryReader,
} from './projection-session-support.ts';

const sessions: ProjectionSessionHandle[] = [];
afterEach(() => {
  for (const s of sessions.splice(0)) s.dispose();
  for (const r of started.splice(0)) r.terminate();
});

const EVENTS = merged(orderStream(9, 120));

function session(
  source: string,
  options: {
    events?: RangeRecord[];
    reader?: MemoryReader;
    snapshotEvery?: number;
    snapshotBudgetBytes?: number;
    fileName?: string;
  } = {},
): { session: ProjectionSessionHandle; reader: MemoryReader } {
  const reader = options.reader ?? memoryReader(options.events ?? EVENTS);
  const s = createProjectionSession({
    reader,
    createRunner: createRunner(options.fileName),
    source,
    fileName: options.fileName ?? 'orders-projection.js',
    ...(options.snapshotEvery !== undefined ? { snapshotEvery: options.snapshotEvery } : {}),
    ...(options.snapshotBudgetBytes !== undefined ? { snapshotBudgetBytes: options.snapshotBudgetBytes } : {}),
  });
  sessions.push(s);
  return { session: s, reader };
}

/** Random indexes in 1..n from a seed, with the ends. */
function someIndexes(seed: number, n: number, count: number): number[] {
  const rnd = seeded(seed);
  const out = new Set([1, n]);
  while (out.size < count) out.add(1 + Math.floor(rnd() * n));
  return [...out];
}

describe('a projection session', () => {
  it('runs over every partition to the same final state as a fresh run, with snapshots along the way', async () => {
    const { session: s } = session(ORDER_STATES, { snapshotEvery: 16 });
    const result = await s.run();
    expect(result.failure).toBeNull();
    expect(result.end.reason).toBe('complete');
    expect(result.events).toBe(EVENTS.length);
    expect(s.events).toBe(EVENTS.length);
    expect(result.outcome).toEqual(await freshRun(ORDER_STATES, EVENTS));
    expect(new Set(EVENTS.map((r) => r.partition)).size).toBe(3);
    const stats = s.snapshotStats();
    expect(stats.indexes.length).toBeGreaterThan(EVENTS.length / 16 - 1);
    expect(stats.indexes.every((i) => i % stats.every === 0)).toBe(true);
  });

  it('answers the state after event N equal to a fresh run over the first N events (keyed, random N)', async () => {
    const { session: s } = session(ORDER_STATES, { snapshotEvery: 32 });
    await s.run();
    // In a scrambled order: forwards, backwards, across snapshots.
    for (const n of someIndexes(11, EVENTS.length, 9)) {
      const view = await s.stateAt(n);
      const fresh = await freshRun(ORDER_STATES, EVENTS.slice(0, n));
      if (!fresh.keyed) throw new Error('keyed expected');
      const record = EVENTS[n - 1]!;
      expect(view.index).toBe(n);
      expect(view.event).toMatchObject({
        partition: record.partition,
        offset: record.offset.toString(),
        type: eventOf(record).type,
        handler: `on.${eventOf(record).type}`,
      });
      expect(view.key).toBe(eventOf(record).orderId);
      expect(view.state).toEqual(new Map(fresh.states).get(view.key!));
      expect(view.keys).toBe(fresh.states.length);
    }
    const start = await s.stateAt(0);
    expect(start).toMatchObject({ index: 0, event: null, key: null, state: null, keys: 0, changes: [] });
  });

  it('answers the whole state after event N equal to a fresh run (unkeyed, random N)', async () => {
    const { session: s } = session(REVENUE, { snapshotEvery: 8 });
    await s.run();
    for (const n of someIndexes(5, EVENTS.length, 8)) {
      const view = await s.stateAt(n);
      const fresh = await freshRun(REVENUE, EVENTS.slice(0, n));
      expect(fresh.keyed).toBe(false);
      expect(view.state).toEqual(fresh.keyed ? null : fresh.state);
      expect(view.key).toBeNull();
      expect(view.keys).toBeNull();
    }
    expect((await s.stateAt(0)).state).toEqual({ customers: {}, paid: 0 });
  });

  it('steps to the next event without reading from the snapshot again', async () => {
    const { session: s, reader } = session(ORDER_STATES, { snapshotEvery: 64 });
    await s.run();
    await s.stateAt(70);
    const opened = reader.opened;
    for (let n = 71; n <= 80; n++) expect((await s.stateAt(n)).index).toBe(n);
    expect(reader.opened).toBe(opened);
    // Backwards goes to a snapshot again.
    await s.stateAt(10);
    expect(reader.opened).toBe(opened + 1);
  });

  it('shows the diff an event made', async () => {
    const { session: s } = session(ORDER_STATES);
    await s.run();
    const paidAt = EVENTS.findIndex((r) => eventOf(r).type === 'OrderPaid') + 1;
    const paid = eventOf(EVENTS[paidAt - 1]!);
    const view = await s.stateAt(paidAt);
    expect(view.changes).toEqual([
      { path: 'state.status', before: 'placed', after: 'paid' },
      { path: 'state.paid', before: 0, after: paid.amount },
    ]);
    // A key's first event: the whole state appears.
    const placedAt = EVENTS.findIndex((r) => eventOf(r).type === 'OrderPlaced') + 1;
    expect((await s.stateAt(placedAt)).changes).toEqual([
      {
        path: 'state',
        before: undefined,
        after: { status: 'placed', items: eventOf(EVENTS[placedAt - 1]!).items, paid: 0 },
      },
    ]);
  });

  it('runs until an expression over state and event holds, or says the range ended first', async () => {
    const { session: s } = session(ORDER_STATES, { snapshotEvery: 16 });
    await s.run();
    const firstCancel = EVENTS.findIndex((r) => eventOf(r).type === 'OrderCancelled') + 1;
    expect(await s.runUntil("state.status === 'cancelled'", 0)).toEqual({ index: firstCancel, failure: null });
    const secondCancel = EVENTS.findIndex((r, i) => i + 1 > firstCancel && eventOf(r).type === 'OrderCancelled') + 1;
    expect(await s.runUntil("event.type === 'OrderCancelled'", firstCancel)).toEqual({
      index: secondCancel,
      failure: null,
    });
    expect(await s.runUntil('state.paid > 1e12', 3)).toEqual({ index: null, failure: null });
    // Then stepping still answers the right state.
    const view = await s.stateAt(firstCancel);
    expect(view.state).toMatchObject({ status: 'cancelled' });
  });

  it('names what is wrong with a run-until expression', async () => {
    const { session: s } = session(ORDER_STATES);
    await s.run();
    const syntax = await s.runUntil('state.status ===', 0);
    expect(syntax.index).toBeNull();
    expect(syntax.failure?.kind).toBe('syntax');
    expect(syntax.failure?.message).toMatch(/^Run until: it is not a JavaScript expression/);
    const threw = await s.runUntil('state.nothing.deeper', 5);
    expect(threw.failure?.kind).toBe('threw');
    const sixth = EVENTS[5]!;
    expect(threw.failure?.event).toEqual({
      topic: 'orders',
      partition: sixth.partition,
      offset: sixth.offset.toString(),
    });
    expect(threw.failure?.message).toMatch(/TypeError/);
    await expect(s.runUntil('true', EVENTS.length + 1)).rejects.toThrow(/from 0 to 360/);
  });

  it('thins snapshots out to stay within a small memory budget, and still steps right', async () => {
    // The final state (120 orders) is about 6 KB of JSON: room for a few snapshots, not 180.
    const budget = 30_000;
    const { session: s } = session(ORDER_STATES, { snapshotEvery: 2, snapshotBudgetBytes: budget });
    await s.run();
    const stats = s.snapshotStats();
    expect(stats.bytes).toBeLessThanOrEqual(budget);
    expect(stats.every).toBeGreaterThan(2);
    expect(stats.indexes.length).toBeGreaterThan(3);
    expect(stats.indexes.length).toBeLessThan(EVENTS.length / 2 / 4);
    const n = 301;
    const fresh = await freshRun(ORDER_STATES, EVENTS.slice(0, n));
    const view = await s.stateAt(n);
    expect(view.state).toEqual(fresh.keyed ? new Map(fresh.states).get(view.key!) : null);
  });

  it('keeps the state computed so far when the read ends early, saying why', async () => {
    const reader = memoryReader(EVENTS, {
      endAfter: {
        events: 100,
        reason: 'records-deleted',
        message: 'Records of partition 1 were deleted before they were read.',
      },
    });
    const { session: s } = session(REVENUE, { reader });
    const result = await s.run();
    expect(result.failure).toBeNull();
    expect(result.end).toMatchObject({
      reason: 'records-deleted',
      message: 'Records of partition 1 were deleted before they were read.',
    });
    expect(result.events).toBe(100);
    expect(result.outcome).toEqual(await freshRun(REVENUE, EVENTS.slice(0, 100)));
    expect((await s.stateAt(100)).state).toEqual(result.outcome!.keyed ? null : result.outcome!.state);
  });

  it('stops a cancelled run with what it computed', async () => {
    const { session: s } = session(REVENUE);
    const controller = new AbortController();
    let seen = 0;
    const result = await s.run({
      signal: controller.signal,
      onProgress: (p) => {
        seen = p.delivered;
        if (p.delivered >= 50) controller.abort();
      },
    });
    expect(result.end.reason).toBe('cancelled');
    expect(result.events).toBeLessThan(EVENTS.length);
    expect(result.events).toBe(seen);
    expect(result.outcome).toEqual(await freshRun(REVENUE, EVENTS.slice(0, result.events)));
  });

  it('names the event and the line when the projection fails during stepping', async () => {
    const victim = EVENTS.findIndex((r) => eventOf(r).type === 'OrderShipped') + 1;
    const record = EVENTS[victim - 1]!;
    const source = ORDER_STATES.replace(
      "OrderShipped(state) { state.status = 'shipped'; },",
      `OrderShipped(state, event) {\n      if (event.value.orderId === '${eventOf(record).orderId}') throw new Error('no courier');\n      state.status = 'shipped';\n    },`,
    );
    expect(source).not.toBe(ORDER_STATES);
    const { session: s } = session(source);
    const result = await s.run();
    expect(result.failure).toMatchObject({
      kind: 'threw',
      line: 10,
      handler: 'on.OrderShipped',
      event: { partition: record.partition, offset: record.offset.toString() },
    });
    expect(result.events).toBeGreaterThanOrEqual(victim);
    expect((await s.stateAt(victim - 1)).index).toBe(victim - 1);
    const err = await s.stateAt(victim).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProjectionFailedError);
    const failure = (err as ProjectionFailedError).failure;
    expect(failure).toMatchObject({
      kind: 'threw',
      line: 10,
      handler: 'on.OrderShipped',
      event: { topic: 'orders', partition: record.partition, offset: record.offset.toString(), type: 'OrderShipped' },
    });
    expect(failure.message).toContain(
      `orders-projection.js line 10: on.OrderShipped failed on orders partition ${record.partition} offset ${record.offset} (type OrderShipped): Error: no courier`,
    );
    // The session stays usable.
    expect((await s.stateAt(1)).index).toBe(1);
  });

  it('stops a projection that loops while stepping, naming the event, and steps on elsewhere', async () => {
    const victim = EVENTS.findIndex((r) => eventOf(r).type === 'OrderCancelled') + 1;
    const record = EVENTS[victim - 1]!;
    const source = ORDER_STATES.replace(
      "OrderCancelled: (state) => ({ ...state, status: 'cancelled' }),",
      `OrderCancelled(state, event) {\n      while (event.value.orderId === '${eventOf(record).orderId}') {}\n      return { ...state, status: 'cancelled' };\n    },`,
    );
    expect(source).not.toBe(ORDER_STATES);
    const reader = memoryReader(EVENTS);
    const s = createProjectionSession({
      reader,
      createRunner: createRunner('orders-projection.js', 500),
      source,
      fileName: 'orders-projection.js',
      snapshotEvery: 16,
    });
    sessions.push(s);
    const result = await s.run();
    expect(result.failure).toMatchObject({
      kind: 'timeout',
      line: 11,
      event: { partition: record.partition, offset: record.offset.toString() },
    });
    const err = await s.stateAt(victim).then(
      () => null,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ProjectionFailedError);
    expect((err as ProjectionFailedError).failure).toMatchObject({
      kind: 'timeout',
      line: 11,
      event: { partition: record.partition, offset: record.offset.toString() },
    });
    expect((err as ProjectionFailedError).message).toMatch(/ran longer than 0\.5 s on orders partition \d+ offset \d+/);
    expect((await s.stateAt(victim - 1)).index).toBe(victim - 1);
  });

  it('steps from the start when the state cannot be snapshotted (not JSON), and the run says why it failed', async () => {
    const source = `export default {
  typeFrom: { header: 'event-type' },
  init: () => ({ seen: new Set(), events: 0 }),
  any(state, event) { state.seen.add(event.value.orderId); state.events += 1; return state; },
};
`;
    const { session: s } = session(source, { snapshotEvery: 8 });
    const result = await s.run();
    expect(result.failure).toMatchObject({ kind: 'state' });
    expect(result.failure!.message).toMatch(/state\.seen is a Set/);
    expect(s.snapshotStats()).toMatchObject({ indexes: [0], bytes: 0 });
    expect(s.snapshotStats().off).toMatch(/No snapshots: state\.seen is a Set/);
    const view = await s.stateAt(50);
    expect(view.state).toMatchObject({ events: 50 });
  });

  it('refuses indexes outside the run', async () => {
    const { session: s } = session(ORDER_STATES);
    await expect(s.stateAt(1)).rejects.toThrow(/Run the projection first/);
    await s.run();
    await expect(s.stateAt(-1)).rejects.toThrow(/whole number from 0 to 360/);
    await expect(s.stateAt(1.5)).rejects.toThrow(/whole number/);
    await expect(s.stateAt(361)).rejects.toThrow(/it is 361/);
  });
});

describe('comparing with a consumer', () => {
  it('reports a consumer that missed an event at that event, keys on one side only, and the agreeing count', async () => {
    const { session: s } = session(ORDER_STATES, { snapshotEvery: 16 });
    await s.run();
    // The consumer missed the last event of one order (so it agreed up to just before it)…
    const missedOrder = 'o-17';
    const missed = EVENTS.findLastIndex((r) => eventOf(r).orderId === missedOrder) + 1;
    // …and never saw one order's placement (so it never agreed on that one).
    const neverAgreed = 'o-40';
    const placed = EVENTS.findIndex((r) => eventOf(r).orderId === neverAgreed) + 1;
    const consumer = orderStatesByLoop(EVENTS, (i) => i === missed || i === placed);
    consumer.delete('o-3');
    consumer.set('o-999', { status: 'placed', items: 1, paid: 0 });
    const report = await s.compare({ keyed: true, states: [...consumer] });
    expect(report.onlyInConsumer).toEqual(['o-999']);
    expect(report.onlyInProjection).toEqual(['o-3']);
    expect(report.agreeing).toBe(120 - 3);
    expect(report.divergences.map((d) => d.key).sort()).toEqual([missedOrder, neverAgreed].sort());
    const byKey = new Map(report.divergences.map((d) => [d.key, d]));
    const r = EVENTS[missed - 1]!;
    expect(byKey.get(missedOrder)!.firstDivergingEvent).toEqual({
      index: missed,
      topic: 'orders',
      partition: r.partition,
      offset: r.offset.toString(),
      type: eventOf(r).type,
    });
    expect(byKey.get(missedOrder)!.changes).toEqual([
      { path: 'state.status', before: 'paid', after: eventOf(r).type === 'OrderShipped' ? 'shipped' : 'cancelled' },
    ]);
    expect(byKey.get(neverAgreed)!.firstDivergingEvent?.index).toBe(placed);
    expect(report.firstDivergingEvent?.index).toBe(Math.min(missed, placed));
    // The first diverging event is one step-through can show.
    const view = await s.stateAt(missed);
    expect(view.key).toBe(missedOrder);
  });

  it('agrees with a consumer that computed the same, whatever order its keys are in', async () => {
    const { session: s } = session(ORDER_STATES);
    await s.run();
    const consumer = [...orderStatesByLoop(EVENTS)]
      .reverse()
      .map(([k, v]) => [k, JSON.parse(canonicalJson(v)) as unknown] as [string, unknown]);
    // Pasted as one object of key → state.
    const report = await s.compare({ keyed: false, state: Object.fromEntries(consumer) });
    expect(report).toEqual({
      agreeing: 120,
      divergences: [],
      onlyInConsumer: [],
      onlyInProjection: [],
      firstDivergingEvent: null,
    });
  });

  it('finds where a whole state parted from the consumer (unkeyed)', async () => {
    const { session: s } = session(REVENUE);
    const result = await s.run();
    const outcome = result.outcome!;
    if (outcome.keyed) throw new Error('unkeyed expected');
    // The consumer missed the last payment of the range.
    const lastPaid = EVENTS.findLastIndex((r) => eventOf(r).type === 'OrderPaid') + 1;
    const before = await freshRun(
      REVENUE,
      EVENTS.filter((_r, i) => i + 1 !== lastPaid),
    );
    const report = await s.compare({ keyed: false, state: before.keyed ? null : before.state });
    expect(report.agreeing).toBe(0);
    expect(report.divergences).toHaveLength(1);
    expect(report.divergences[0]!.key).toBeNull();
    expect(report.firstDivergingEvent?.index).toBe(lastPaid);
    const customer = eventOf(EVENTS[lastPaid - 1]!).customer;
    expect(report.divergences[0]!.changes.map((c) => c.path)).toEqual([
      `state.customers["${customer}"].orders`,
      `state.customers["${customer}"].cents`,
      'state.paid',
    ]);
  });

  it('says what is wrong with a consumer state of the wrong shape, and compares only after a run', async () => {
    const { session: s } = session(ORDER_STATES);
    await expect(s.compare({ keyed: false, state: {} })).rejects.toThrow(/Run the projection to the end first/);
    await s.run();
    await expect(s.compare({ keyed: false, state: 42 })).rejects.toThrow(
      /must be an object of key → state .* it is number/,
    );
  });
});
