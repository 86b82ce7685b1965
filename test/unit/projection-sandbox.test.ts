// Projections in their CLI sandbox (a worker thread): results equal a plain loop, every failure
// mode stops with the right event and line, and the projection reaches nothing of Node.
import { Writable } from 'node:stream';
import fc from 'fast-check';
import { afterEach, describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../src/common/projections/event-batch.ts';
import type { PartitionSource } from '../../src/common/projections/event-order.ts';
import type { ProjectionFailure, ProjectionOutcome } from '../../src/common/projections/projection-api.ts';
import { ProjectionFailedError, type ProjectionRunner } from '../../src/common/projections/projection-runner.ts';
import { replayIntoProjection } from '../../src/common/projections/replay.ts';
import { startProjectionSandbox } from '../../src/node/projections/node-sandbox.ts';

const enc = new TextEncoder();

interface TestEvent {
  topic?: string;
  partition?: number;
  timestamp?: number;
  key?: string | null;
  value?: unknown;
  raw?: Uint8Array | null;
  headers?: Record<string, string | null>;
}

/** Records per partition, offsets from 0, timestamps rising unless given. */
function sources(events: TestEvent[]): PartitionSource[] {
  const byPartition = new Map<string, { topic: string; partition: number; records: SourceRecord[] }>();
  events.forEach((e, i) => {
    const topic = e.topic ?? 'orders';
    const partition = e.partition ?? 0;
    const id = `${topic}/${partition}`;
    let p = byPartition.get(id);
    if (!p) byPartition.set(id, (p = { topic, partition, records: [] }));
    const value =
      e.raw !== undefined
        ? e.raw
        : e.value === undefined
          ? null
          : enc.encode(typeof e.value === 'string' ? e.value : JSON.stringify(e.value));
    p.records.push({
      partition,
      offset: BigInt(p.records.length),
      timestampMs: e.timestamp ?? 1_700_000_000_000 + i,
      key: e.key === undefined || e.key === null ? null : enc.encode(e.key),
      value,
      headers: Object.entries(e.headers ?? {}).map(([key, v]) => ({ key, value: v === null ? null : enc.encode(v) })),
    });
  });
  return [...byPartition.values()].map((p) => {
    let at = 0;
    return {
      topic: p.topic,
      partition: p.partition,
      // Handed over in small pieces, as a reader does.
      next: async () => {
        if (at >= p.records.length) return null;
        const piece = p.records.slice(at, at + 7);
        at += piece.length;
        return piece;
      },
    };
  });
}

const running: ProjectionRunner[] = [];
afterEach(() => {
  for (const r of running.splice(0)) r.terminate();
});

function sandbox(
  options: { timeLimitMs?: number; memoryLimitMb?: number; console?: NodeJS.WritableStream } = {},
): ProjectionRunner {
  const runner = startProjectionSandbox({
    fileName: 'test-projection.js',
    console: options.console ?? new Writable({ write: (_c, _e, cb) => cb() }),
    ...options,
  });
  running.push(runner);
  return runner;
}

async function replay(
  source: string,
  events: TestEvent[],
  options: { timeLimitMs?: number; memoryLimitMb?: number; console?: NodeJS.WritableStream } = {},
): Promise<ProjectionOutcome> {
  const runner = sandbox(options);
  await runner.load(source);
  const { outcome } = await replayIntoProjection(runner, sources(events));
  return outcome;
}

async function failure(
  source: string,
  events: TestEvent[],
  options: { timeLimitMs?: number; memoryLimitMb?: number } = {},
): Promise<ProjectionFailure> {
  const err = await replay(source, events, options).then(
    () => null,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ProjectionFailedError);
  return (err as ProjectionFailedError).failure;
}

/** The line of the first occurrence of a marker in a source (1-based). */
function lineOf(source: string, marker: string): number {
  return source.slice(0, source.indexOf(marker)).split('\n').length;
}

const order = (type: string, customerId: string, amountCents: number, extra: TestEvent = {}): TestEvent => ({
  value: { type, customerId, amountCents },
  headers: { 'event-type': type },
  ...extra,
});

describe('projection results', () => {
  it('an unkeyed projection ends in the state a plain loop computes, over any events', async () => {
    const source = `
export default {
  typeFrom: { jsonField: 'type' },
  init: () => ({ placed: 0, paidCents: 0, last: null }),
  on: {
    Placed(s, e) { s.placed += 1; s.last = e.offset; return s; },
    Paid: (s, e) => ({ ...s, paidCents: s.paidCents + e.value.amountCents, last: e.offset }),
  },
};`;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            type: fc.constantFrom('Placed', 'Paid', 'Other'),
            amount: fc.integer({ min: 0, max: 10_000 }),
            partition: fc.integer({ min: 0, max: 2 }),
          }),
          { maxLength: 300 },
        ),
        async (items) => {
          const events = items.map((it) => ({
            partition: it.partition,
            value: { type: it.type, amountCents: it.amount },
          }));
          const outcome = await replay(source, events);
          // The plain loop over the same events, in the order the replay feeds them (timestamps rise with the index).
          const expected = { placed: 0, paidCents: 0, last: null as string | null };
          const offsets = [0, 0, 0];
          for (const it of items) {
            const offset = String(offsets[it.partition]!++);
            if (it.type === 'Placed') {
              expected.placed += 1;
              expected.last = offset;
            } else if (it.type === 'Paid') {
              expected.paidCents += it.amount;
              expected.last = offset;
            }
          }
          expect(outcome).toMatchObject({ keyed: false, state: expected });
          expect(outcome.counts.events).toBe(items.length);
          expect(outcome.counts.unmatched).toBe(items.filter((i) => i.type === 'Other').length);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('a keyed projection keeps one state per key, equal to a plain loop per key', async () => {
    const source = `
export default {
  typeFrom: { header: 'event-type' },
  keyBy: (e) => e.value.customerId,
  init: () => ({ orders: 0, cents: 0 }),
  on: {
    OrderPaid(state, event) {
      state.orders += 1;
      state.cents += event.value.amountCents;
      return state;
    },
  },
};`;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            customer: fc.constantFrom('a', 'b', 'c', 'd'),
            cents: fc.integer({ min: 0, max: 5000 }),
            paid: fc.boolean(),
          }),
          { maxLength: 300 },
        ),
        async (items) => {
          const outcome = await replay(
            source,
            items.map((it) => order(it.paid ? 'OrderPaid' : 'OrderPlaced', it.customer, it.cents)),
          );
          const expected = new Map<string, { orders: number; cents: number }>();
          for (const it of items) {
            if (!it.paid) continue;
            const s = expected.get(it.customer) ?? { orders: 0, cents: 0 };
            s.orders += 1;
            s.cents += it.cents;
            expected.set(it.customer, s);
          }
          expect(outcome.keyed).toBe(true);
          if (!outcome.keyed) return;
          expect(outcome.states).toEqual([...expected]);
          expect(outcome.counts.keys).toBe(expected.size);
        },
      ),
      { numRuns: 15 },
    );
  });

  it('sees each event as topic, partition, offset (text), timestamp, key, value (JSON, text or bytes), headers and type', async () => {
    const source = `
export default {
  typeFrom: (event) => event.headers['event-type'] ?? (typeof event.value === 'string' ? 'Text' : null),
  init: () => [],
  any(state, e) {
    state.push({ topic: e.topic, partition: e.partition, offset: e.offset, timestamp: e.timestamp, key: e.key, type: e.type, headers: e.headers,
      value: e.value instanceof Uint8Array ? { bytes: Array.from(e.value) } : e.value });
    return state;
  },
};`;
    const outcome = await replay(source, [
      {
        topic: 'payments',
        partition: 2,
        timestamp: 1000,
        key: 'k1',
        value: { type: 'Paid', n: 1 },
        headers: { 'event-type': 'Paid', trace: null },
      },
      { topic: 'payments', partition: 2, timestamp: 1001, key: null, value: 'not json {' },
      { topic: 'payments', partition: 2, timestamp: 1002, raw: new Uint8Array([0xff, 0xfe, 0x00]) },
      { topic: 'payments', partition: 2, timestamp: 1003, raw: null, headers: { 'event-type': 'Deleted' } },
      { topic: 'payments', partition: 2, timestamp: 1004, value: '42' },
    ]);
    expect(outcome.keyed).toBe(false);
    expect(outcome.keyed === false && outcome.state).toEqual([
      {
        topic: 'payments',
        partition: 2,
        offset: '0',
        timestamp: 1000,
        key: 'k1',
        type: 'Paid',
        headers: { 'event-type': 'Paid', trace: null },
        value: { type: 'Paid', n: 1 },
      },
      {
        topic: 'payments',
        partition: 2,
        offset: '1',
        timestamp: 1001,
        key: null,
        type: 'Text',
        headers: {},
        value: 'not json {',
      },
      {
        topic: 'payments',
        partition: 2,
        offset: '2',
        timestamp: 1002,
        key: null,
        type: null,
        headers: {},
        value: { bytes: [0xff, 0xfe, 0x00] },
      },
      {
        topic: 'payments',
        partition: 2,
        offset: '3',
        timestamp: 1003,
        key: null,
        type: 'Deleted',
        headers: { 'event-type': 'Deleted' },
        value: null,
      },
      { topic: 'payments', partition: 2, offset: '4', timestamp: 1004, key: null, type: null, headers: {}, value: 42 },
    ]);
    expect(outcome.counts).toMatchObject({ events: 5, untyped: 2, unmatched: 0 });
  });

  it('counts events per type, untyped, unmatched and unkeyed; any takes what no on handler does', async () => {
    const events = [
      order('A', 'x', 1),
      order('A', 'y', 1),
      order('B', 'x', 1),
      { value: { customerId: 'x' } },
      order('C', 'z', 1),
      order('A', '', 1, { value: { type: 'A' } }),
    ];
    const withoutAny = await replay(
      `export default { typeFrom: { header: 'event-type' }, keyBy: (e) => e.value.customerId, init: () => 0, on: { A: (n) => n + 1 } };`,
      events,
    );
    expect(withoutAny.counts).toEqual({
      events: 6,
      byType: [
        { type: 'A', events: 3, handled: true },
        { type: 'B', events: 1, handled: false },
        { type: 'C', events: 1, handled: false },
      ],
      untyped: 1,
      unmatched: 3,
      unkeyed: 1,
      keys: 2,
    });
    const withAny = await replay(
      `export default { typeFrom: { header: 'event-type' }, init: () => ({ a: 0, other: [] }), on: { A(s) { s.a++; return s; } }, any(s, e) { s.other.push(e.type); } };`,
      events,
    );
    expect(withAny).toMatchObject({ keyed: false, state: { a: 3, other: ['B', null, 'C'] }, counts: { unmatched: 0 } });
  });

  it('typeFrom reads a nested JSON field', async () => {
    const outcome = await replay(
      `export default { typeFrom: { jsonField: 'meta.kind' }, init: () => ({}), any(s, e) { s[e.offset] = e.type; return s; } };`,
      [
        { value: { meta: { kind: 'Nested' } } },
        { value: { meta: { kind: 7 } } },
        { value: { meta: null } },
        { value: 'text' },
      ],
    );
    expect(outcome).toMatchObject({ state: { 0: 'Nested', 1: '7', 2: null, 3: null }, counts: { untyped: 2 } });
  });

  it('named helpers may be exported; a handler that returns nothing keeps the state it mutated', async () => {
    const outcome = await replay(
      `export const add = (a, b) => a + b;
export function twice(n) { return add(n, n); }
export default { typeFrom: { header: 'event-type' }, init: () => ({ n: 0 }), on: { A(state) { state.n = twice(state.n + 1); } } };`,
      [order('A', 'x', 1), order('A', 'x', 1)],
    );
    expect(outcome).toMatchObject({ state: { n: 6 } });
  });
});

describe('projection failures', () => {
  it('a handler that throws stops the replay, naming the event and the line', async () => {
    const source = `export default {
  typeFrom: { header: 'event-type' },
  init: () => ({ total: 0 }),
  on: {
    OrderPaid(state, event) {
      state.total += event.value.payment.amountCents; // THROWS
      return state;
    },
  },
};`;
    const f = await failure(source, [
      order('OrderPlaced', 'a', 1),
      { partition: 1, ...order('OrderPaid', 'a', 5) },
      order('OrderPaid', 'b', 7),
    ]);
    expect(f).toMatchObject({
      kind: 'threw',
      file: 'test-projection.js',
      line: lineOf(source, 'THROWS'),
      handler: 'on.OrderPaid',
      event: { topic: 'orders', partition: 1, offset: '0', type: 'OrderPaid' },
    });
    expect(f.column).toBeGreaterThan(0);
    expect(f.message).toMatch(
      /^test-projection\.js line 6: on\.OrderPaid failed on orders partition 1 offset 0 \(type OrderPaid\): TypeError: Cannot read properties of undefined/,
    );
  });

  it("a throw in a helper names the helper's line; typeFrom and keyBy are named when they throw", async () => {
    const helper = `function amountOf(event) {
  return event.value.amount.cents; // HELPER
}
export default { typeFrom: { header: 'event-type' }, init: () => 0, on: { A: (s, e) => s + amountOf(e) } };`;
    expect(await failure(helper, [order('A', 'a', 1)])).toMatchObject({
      line: lineOf(helper, 'HELPER'),
      handler: 'on.A',
      event: { offset: '0' },
    });
    const keyBy = `export default {
  typeFrom: { header: 'event-type' },
  keyBy: (e) => e.value.customer.id, // KEY
  init: () => 0,
  on: { A: (s) => s + 1 },
};`;
    expect(await failure(keyBy, [order('A', 'a', 1)])).toMatchObject({ line: lineOf(keyBy, 'KEY'), handler: 'keyBy' });
  });

  it('an endless loop is stopped by the time limit, naming the event it was on and the line', async () => {
    const source = `export default {
  typeFrom: { header: 'event-type' },
  init: () => 0,
  on: {
    A(s, e) {
      let spins = 0;
      if (e.value.customerId === 'loop') while (true) spins++; // LOOPS
      return s + 1;
    },
  },
};`;
    const events = Array.from({ length: 50 }, (_, i) => order('A', i === 31 ? 'loop' : 'x', 1, { partition: i % 2 }));
    const started = Date.now();
    const f = await failure(source, events, { timeLimitMs: 500 });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(f).toMatchObject({
      kind: 'timeout',
      line: lineOf(source, 'LOOPS'),
      event: { topic: 'orders', partition: 1, offset: '15' },
    });
    expect(f.message).toMatch(
      /^test-projection\.js line 7: the projection ran longer than 0\.5 s on orders partition 1 offset 15 \(in a batch of 50 events from orders partition 0 offset 0 to orders partition 1 offset 24\) and was stopped\. Does it loop forever\?/,
    );
    // A module whose own top level loops: stopped while it is loaded, at its line.
    const loading = `let n = 0;\nwhile (n >= 0) n = (n + 1) % 7;\nexport default { init: () => 0, any: (s) => s };`;
    expect(await failure(loading, [], { timeLimitMs: 500 })).toMatchObject({
      kind: 'timeout',
      line: 2,
      message: expect.stringContaining('while it was loaded'),
    });
  });

  it('a projection that allocates without bound runs out of its memory limit, naming the event', async () => {
    const source = `export default {
  typeFrom: { header: 'event-type' },
  init: () => ({ kept: [] }),
  on: { A(s, e) { if (e.value.customerId === 'grow') for (;;) s.kept.push({ at: s.kept.length, text: 'x'.repeat(20) + s.kept.length }); return s; } },
};`;
    const events = Array.from({ length: 20 }, (_, i) => order('A', i === 12 ? 'grow' : 'x', 1));
    const f = await failure(source, events, { memoryLimitMb: 32, timeLimitMs: 30_000 });
    expect(f).toMatchObject({ kind: 'memory', event: { partition: 0, offset: '12' } });
    expect(f.message).toContain('ran out of memory (its limit is 32 MB) on orders partition 0 offset 12');
  });

  it('a final state that is not JSON is refused, saying where', async () => {
    const cases: [string, RegExp][] = [
      ['init: () => ({ byCustomer: new Map() })', /state\.byCustomer is a Map/],
      ['init: () => ({ f: () => 1 })', /state\.f is a function/],
      ['init: () => ({ ratio: 0 / 0 })', /state\.ratio is NaN/],
      ['init: () => ({ big: 10n })', /state\.big is a BigInt/],
      [
        'init: () => { const s = { a: {} }; s.a.back = s; return s; }',
        /state\.a\.back refers back to an object that holds it \(a cycle\)/,
      ],
      ['init: () => ({ list: [1, Symbol("s")] })', /state\.list\[1\] is a symbol/],
    ];
    for (const [init, message] of cases) {
      const f = await failure(`export default { typeFrom: { header: 'event-type' }, ${init}, on: { A: (s) => s } };`, [
        order('A', 'a', 1),
      ]);
      expect(f.kind).toBe('state');
      expect(f.message).toMatch(message);
      expect(f.message).toContain('Keep the state to plain objects');
    }
    const keyed = await failure(
      `export default { typeFrom: { header: 'event-type' }, keyBy: (e) => e.value.customerId, init: () => ({}), on: { A(s, e) { if (e.value.customerId === 'b') s.when = new Set(); return s; } } };`,
      [order('A', 'a', 1), order('A', 'b', 1)],
    );
    expect(keyed.message).toMatch(/the state of key "b"\.when is a Set/);
  });

  it('a syntax error names the line', async () => {
    const source = `export default {
  typeFrom: { header: 'event-type' },
  init: () => ({ n: 0 }),
  on: {
    A(state) {
      state.n += ; // BROKEN
      return state;
    },
  },
};`;
    const f = await failure(source, [order('A', 'a', 1)]);
    expect(f).toMatchObject({ kind: 'syntax', line: lineOf(source, 'BROKEN'), event: null });
    expect(f.message).toMatch(/^test-projection\.js line 6: SyntaxError: Unexpected token/);
    // The object literal's } closes the method: the ; after it is where it breaks.
    const unclosed = `export default {\n  init: () => ({}),\n  any(s) { return s;\n};\n`;
    expect(await failure(unclosed, [])).toMatchObject({ kind: 'syntax', line: 4 });
    // Input that ends too early: the last line.
    const cut = `export default {\n  init: () => ({}),\n  any(s) { return s; },\n`;
    expect(await failure(cut, [])).toMatchObject({
      kind: 'syntax',
      line: 4,
      message: expect.stringContaining('Unexpected end of input'),
    });
    const imports = `// helpers\nimport { readFileSync } from 'node:fs';\nexport default { init: () => 0, any: (s) => s };`;
    expect(await failure(imports, [])).toMatchObject({
      kind: 'syntax',
      line: 2,
      message: expect.stringContaining('`import` is not available'),
    });
    expect(await failure(`const x = 1;\nmodule.exports = { init: () => 0 };`, [])).toMatchObject({
      kind: 'syntax',
      message: expect.stringContaining('no `export default`'),
    });
  });

  it('a wrong shape is said before any event, with the line and what was expected', async () => {
    const cases: [string, string, RegExp][] = [
      [
        'export default [1, 2];',
        'export default',
        /the default export must be the projection, an object \{ typeFrom, init, on \}; it is an array/,
      ],
      [
        'export default {\n  init: () => 0,\n  any: (s) => s,\n  keyby: (e) => e.key,\n};',
        'keyby',
        /unknown property "keyby": a projection has typeFrom, init, keyBy, on, any/,
      ],
      ['export default {\n  initial: () => 0,\n};', 'initial', /unknown property "initial"/],
      [
        'export default {\n  typeFrom: { header: "t" },\n  on: { A: (s) => s },\n};',
        'export default',
        /init must be a function that returns the initial state.*it is missing/,
      ],
      [
        'export default {\n  typeFrom: { header: "t" },\n  init: () => 0,\n  on: {\n    A: (s) => s,\n    B: "nothing",\n  },\n};',
        'B:',
        /on\.B must be a function \(state, event\) => state; it is a string/,
      ],
      [
        'export default {\n  typeFrom: { header: "t" },\n  init: () => 0,\n};',
        'export default',
        /the projection has no handler/,
      ],
      [
        'export default {\n  init: () => 0,\n  on: { A: (s) => s },\n};',
        'export default',
        /typeFrom must be .* to say where an event's type is; it is missing/,
      ],
      [
        'export default {\n  init: () => 0,\n  keyBy: "customerId",\n  any: (s) => s,\n};',
        'keyBy',
        /keyBy must be a function \(event\) => key; it is a string/,
      ],
    ];
    for (const [source, marker, message] of cases) {
      const f = await failure(source, [order('A', 'a', 1)]);
      expect(f.kind, source).toBe('shape');
      expect(f.line, source).toBe(lineOf(source, marker));
      expect(f.message, source).toMatch(message);
      expect(f.event).toBeNull();
    }
  });

  it('an unknown type source is a shape error at typeFrom; a type that is not text is an error at the event', async () => {
    const unknown = `export default {\n  init: () => 0,\n  typeFrom: { field: 'type' },\n  on: { A: (s) => s },\n};`;
    const f = await failure(unknown, [order('A', 'a', 1)]);
    expect(f).toMatchObject({ kind: 'shape', line: 3 });
    expect(f.message).toContain(
      "typeFrom must be { header: 'event-type' }, { jsonField: 'type' } or a function (event) => type; it is { field } with a string",
    );
    const both = `export default {\n  init: () => 0,\n  typeFrom: { header: 'a', jsonField: 'b' },\n  on: { A: (s) => s },\n};`;
    expect(await failure(both, [])).toMatchObject({
      kind: 'shape',
      line: 3,
      message: expect.stringContaining('it is { header, jsonField }'),
    });
    const badReturn = `export default {\n  init: () => 0,\n  typeFrom: (e) => e.value, // TYPE\n  on: { A: (s) => s },\n};`;
    expect(await failure(badReturn, [order('A', 'a', 1)])).toMatchObject({
      kind: 'threw',
      handler: 'typeFrom',
      event: { offset: '0' },
      message: expect.stringContaining('typeFrom returned an object'),
    });
  });

  it('a module that throws while loading names the line; a Promise from a handler is an error', async () => {
    const source = `const table = JSON.parse('{ nope');\nexport default { init: () => 0, any: (s) => s };`;
    expect(await failure(source, [])).toMatchObject({
      kind: 'load',
      line: 1,
      message: expect.stringContaining('the module threw while it was loaded: SyntaxError'),
    });
    const asyncHandler = `export default {\n  typeFrom: { header: 'event-type' },\n  init: () => 0,\n  on: { async A(s) { return s + 1; } },\n};`;
    expect(await failure(asyncHandler, [order('A', 'a', 1)])).toMatchObject({
      kind: 'threw',
      handler: 'on.A',
      message: expect.stringContaining('returned a Promise'),
    });
  });
});

describe('projection sandbox', () => {
  it('reaches neither require, process, fetch, modules, timers nor the file system', async () => {
    const source = `
const probes = {};
const probe = (name, f) => { try { probes[name] = String(f()); } catch (e) { probes[name] = 'threw ' + e.name; } };
probe('require', () => typeof require);
probe('process', () => typeof process);
probe('globalThis.process', () => typeof globalThis.process);
probe('globalThis.require', () => typeof globalThis.require);
probe('module', () => typeof module);
probe('fetch', () => typeof fetch);
probe('globalThis.fetch', () => typeof globalThis.fetch);
probe('Buffer', () => typeof globalThis.Buffer);
probe('setTimeout', () => typeof globalThis.setTimeout);
probe('BroadcastChannel', () => typeof globalThis.BroadcastChannel);
probe('sloppy this', () => typeof (() => {}).constructor('return this')().process);
probe('Function process', () => (() => {}).constructor('return typeof process')());
probe('Function require', () => (() => {}).constructor('return typeof require')());
probe('eval process', () => (0, eval)('typeof process'));
probe('constructor chain', () => typeof ({}).constructor.constructor('return globalThis')().process);
let imported = 'pending';
import('node:fs').then((m) => { imported = 'LOADED ' + typeof m.readFileSync; }, (e) => { imported = 'refused: ' + e.message; });
let importedByFunction = 'pending';
(() => {}).constructor('return import("node:child_process")')().then(() => { importedByFunction = 'LOADED'; }, (e) => { importedByFunction = 'refused: ' + e.message; });
export default {
  init: () => ({ probes }),
  any(s) { s.imported = imported; s.importedByFunction = importedByFunction; return s; },
};`;
    const outcome = await replay(source, [{ value: 1 }]);
    const state = (
      outcome as { state: { probes: Record<string, string>; imported: string; importedByFunction: string } }
    ).state;
    expect(state.probes).toEqual({
      require: 'undefined',
      process: 'undefined',
      'globalThis.process': 'undefined',
      'globalThis.require': 'undefined',
      module: 'undefined',
      fetch: 'undefined',
      'globalThis.fetch': 'undefined',
      Buffer: 'undefined',
      setTimeout: 'undefined',
      BroadcastChannel: 'undefined',
      'sloppy this': 'undefined',
      'Function process': 'undefined',
      'Function require': 'undefined',
      'eval process': 'undefined',
      'constructor chain': 'undefined',
    });
    expect(state.imported).toMatch(/^refused: Cannot load "node:fs": a projection runs with no modules/);
    expect(state.importedByFunction).toMatch(/^refused: Cannot load "node:child_process"/);
  });

  it("sends the projection's console to the stream it is given, not to standard output", async () => {
    let said = '';
    const console = new Writable({
      write(chunk: Buffer, _e, cb) {
        said += chunk.toString();
        cb();
      },
    });
    await replay(
      `export default { init: () => 0, any(s, e) { console.log('saw', e.offset); return s + 1; } };`,
      [{ value: 1 }, { value: 2 }],
      { console },
    );
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(said).toBe('saw 0\nsaw 1\n');
  });

  it('a runner that was stopped answers with the failure again, and a new sandbox starts clean', async () => {
    const runner = sandbox();
    await expect(runner.load('export default { init: 1 };')).rejects.toBeInstanceOf(ProjectionFailedError);
    await expect(runner.finish()).rejects.toThrow(/init must be a function/);
    const outcome = await replay(`export default { init: () => 0, any: (s) => s + 1 };`, [{ value: 1 }]);
    expect(outcome).toMatchObject({ state: 1 });
  });
});
