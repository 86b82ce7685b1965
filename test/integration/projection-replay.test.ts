// `eventscope replay` on the real broker (orders produced with kcat over 3 partitions) and over
// the sample capture with the sample projections: the final state equals what the produced
// events say, a failing projection names the event and the line, bad arguments are exit 2.
//
// replayCommand is called directly until cli.ts's parseArgs knows replay's flags; the test of
// the built bin is skipped until then (see its reason).
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { replayCommand, type ReplayFlags } from '../../src/node/host/cli-replay.ts';
import { sampleEvents, SAMPLE_CAPTURE_PATH } from '../../scripts/make-sample-capture.ts';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { uniqueName } from '../support/unique.ts';

const PROJECTIONS = new URL('../../resources/projections/', import.meta.url).pathname;
const BIN = new URL('../../bin/eventscope.js', import.meta.url).pathname;

class Collect extends Writable {
  text = '';
  override _write(chunk: Buffer, _e: BufferEncoding, cb: () => void): void {
    this.text += chunk.toString();
    cb();
  }
}

async function replay(flags: ReplayFlags): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new Collect();
  const err = new Collect();
  const code = await replayCommand(flags, out, err);
  return { code, stdout: out.text, stderr: err.text };
}

const dir = mkdtempSync(join(tmpdir(), 'es-projection-replay-'));
function projectionFile(name: string, source: string): string {
  const path = join(dir, name);
  writeFileSync(path, source);
  return path;
}

interface Produced {
  partition: number;
  offset: number;
  customerId: string;
  type: 'OrderPlaced' | 'OrderPaid';
  amountCents: number;
}

describe('eventscope replay on a cluster', () => {
  const kafka = inject('kafka');
  const topic = uniqueName('projection-orders');
  const produced: Produced[] = [];

  beforeAll(() => {
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 3 });
    // 3 partitions × 40 orders (an OrderPlaced then an OrderPaid each), keyed by customer, with an event-type header.
    for (let p = 0; p < 3; p++) {
      for (const type of ['OrderPlaced', 'OrderPaid'] as const) {
        const lines: string[] = [];
        for (let i = 0; i < 40; i++) {
          const customerId = `cus_${(p * 40 + i) % 7}`;
          const amountCents = 100 * (p + 1) + i;
          lines.push(`${customerId}\t${JSON.stringify({ type, orderId: `ord_${p}_${i}`, customerId, amountCents })}`);
          produced.push({ partition: p, offset: (type === 'OrderPlaced' ? 0 : 40) + i, customerId, type, amountCents });
        }
        execFileSync(
          'kcat',
          ['-b', kafka.bootstrap, '-P', '-t', topic, '-p', String(p), '-K', '\t', '-H', `event-type=${type}`],
          { input: lines.join('\n') + '\n', stdio: ['pipe', 'ignore', 'pipe'], timeout: 60_000 },
        );
      }
    }
  });

  const revenue = projectionFile(
    'revenue.js',
    `// Paid cents per customer.
export default {
  typeFrom: { header: 'event-type' },
  keyBy: (event) => event.key,
  init: () => ({ orders: 0, paidCents: 0 }),
  on: {
    OrderPaid(state, event) {
      state.orders += 1;
      state.paidCents += event.value.amountCents;
      return state;
    },
  },
};
`,
  );

  it("replays every partition and prints each key's state, equal to the produced events", async () => {
    const { code, stdout, stderr } = await replay({
      projection: revenue,
      topic: [topic],
      bootstrap: kafka.bootstrap,
      json: true,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      keyed: boolean;
      states: Record<string, { orders: number; paidCents: number }>;
      counts: { events: number; byType: unknown[]; unmatched: number };
      ranges: unknown[];
    };
    const expected: Record<string, { orders: number; paidCents: number }> = {};
    for (const e of produced) {
      if (e.type !== 'OrderPaid') continue;
      const s = (expected[e.customerId] ??= { orders: 0, paidCents: 0 });
      s.orders += 1;
      s.paidCents += e.amountCents;
    }
    expect(result.keyed).toBe(true);
    expect(result.states).toEqual(expected);
    expect(result.counts).toMatchObject({
      events: 240,
      unmatched: 120,
      byType: [
        { type: 'OrderPaid', events: 120, handled: true },
        { type: 'OrderPlaced', events: 120, handled: false },
      ],
    });
    expect(result.ranges).toEqual(
      [0, 1, 2].map((partition) => ({ topic, partition, firstOffset: '0', lastOffset: '79', events: 80 })),
    );
  });

  it('replays a chosen range: --partition, --from offset:N, --to N (inclusive)', async () => {
    const { code, stdout } = await replay({
      projection: revenue,
      topic: [topic],
      bootstrap: kafka.bootstrap,
      partition: ['1'],
      from: 'offset:45',
      to: '47',
      json: true,
    });
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      states: Record<string, { orders: number; paidCents: number }>;
      ranges: unknown[];
    };
    const chosen = produced.filter((e) => e.partition === 1 && e.offset >= 45 && e.offset <= 47);
    expect(Object.values(result.states).reduce((n, s) => n + s.paidCents, 0)).toBe(
      chosen.reduce((n, e) => n + e.amountCents, 0),
    );
    expect(result.ranges).toEqual([{ topic, partition: 1, firstOffset: '45', lastOffset: '47', events: 3 }]);
  });

  it('prints the state and counts for people', async () => {
    const { code, stdout } = await replay({ projection: revenue, topic: [topic], bootstrap: kafka.bootstrap });
    expect(code).toBe(0);
    expect(stdout).toMatch(/^Replayed 240 events through revenue\.js in [\d.]+ s\.\n/);
    expect(stdout).toContain(`  ${topic} partition 2: offsets 0–79, 80 events\n`);
    expect(stdout).toMatch(/ {2}OrderPlaced +120 {2}\(no handler\)\n/);
    expect(stdout).toContain('120 events no handler took');
    expect(stdout).toMatch(/State per key \(7 keys\):\n\{\n {2}"cus_0": \{/);
  });

  it('stops at the event a projection throws on, naming it and the line: exit 1', async () => {
    const failing = projectionFile(
      'failing.js',
      `export default {
  typeFrom: { header: 'event-type' },
  init: () => 0,
  on: {
    OrderPaid: (total, event) => total + event.value.payment.amountCents,
  },
};
`,
    );
    const { code, stdout, stderr } = await replay({
      projection: failing,
      topic: [topic],
      bootstrap: kafka.bootstrap,
      partition: ['2'],
    });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toContain(
      `eventscope: failing.js line 5: on.OrderPaid failed on ${topic} partition 2 offset 40 (type OrderPaid): TypeError: Cannot read properties of undefined (reading 'amountCents')`,
    );
    expect(stderr).toContain('  > 5 |     OrderPaid: (total, event) => total + event.value.payment.amountCents,');
  });

  it('says what is wrong with the arguments: exit 2', async () => {
    const cases: [ReplayFlags, string][] = [
      [{ topic: [topic], bootstrap: kafka.bootstrap }, 'Say which projection to run: --projection FILE'],
      [{ projection: revenue, bootstrap: kafka.bootstrap }, 'Say which topic to replay'],
      [
        { projection: revenue, topic: [topic] },
        'Say where to read: --bootstrap HOST:PORT (a cluster) or --capture FILE',
      ],
      [{ projection: revenue, topic: [topic], bootstrap: kafka.bootstrap, capture: SAMPLE_CAPTURE_PATH }, 'not both'],
      [
        { projection: revenue, topic: [topic], bootstrap: kafka.bootstrap, to: 'tomorrow' },
        '--to tomorrow: use an offset',
      ],
      [
        { projection: revenue, topic: [topic], bootstrap: kafka.bootstrap, from: 'start' },
        '--from start: use earliest',
      ],
      [
        { projection: revenue, topic: [topic], bootstrap: kafka.bootstrap, partition: ['x'] },
        '--partition x is not a partition number',
      ],
      [{ projection: join(dir, 'missing.js'), topic: [topic], bootstrap: kafka.bootstrap }, 'Cannot read --projection'],
      [
        { projection: revenue, topic: [topic], bootstrap: kafka.bootstrap, 'time-limit': 'forever' },
        '--time-limit forever is not a duration',
      ],
    ];
    for (const [flags, message] of cases) {
      const { code, stderr } = await replay(flags);
      expect(code, message).toBe(2);
      expect(stderr).toContain(message);
      expect(stderr).toContain('Usage: eventscope replay --projection FILE');
    }
  });

  it('names a topic that does not exist: exit 1', async () => {
    const { code, stderr } = await replay({
      projection: revenue,
      topic: ['no-such-topic-here'],
      bootstrap: kafka.bootstrap,
    });
    expect(code).toBe(1);
    expect(stderr).toMatch(/no-such-topic-here/);
  });

  // The built bin (`npx electron-vite build` first). Enabled once cli.ts dispatches `replay` to
  // replayCommand and its parseArgs OPTIONS know --projection, --capture, --to, --time-limit and
  // --memory-limit (strings; --topic, --partition, --from, --json, --bootstrap exist already).
  it('runs through the built bin', async () => {
    const run = async (args: string[]): Promise<{ code: number; stdout: string; stderr: string }> => {
      try {
        const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
          timeout: 60_000,
          maxBuffer: 64 * 1024 * 1024,
        });
        return { code: 0, stdout, stderr };
      } catch (e) {
        const x = e as { code?: number; stdout?: string; stderr?: string };
        return { code: typeof x.code === 'number' ? x.code : -1, stdout: x.stdout ?? '', stderr: x.stderr ?? '' };
      }
    };
    const ok = await run([
      'replay',
      '--projection',
      revenue,
      '--topic',
      topic,
      '--bootstrap',
      kafka.bootstrap,
      '--json',
    ]);
    expect(ok.code).toBe(0);
    expect((JSON.parse(ok.stdout) as { counts: { events: number } }).counts.events).toBe(240);
    const fromCapture = await run([
      'replay',
      '--projection',
      join(PROJECTIONS, 'revenue-per-customer.js'),
      '--topic',
      'orders',
      '--capture',
      SAMPLE_CAPTURE_PATH,
      '--to',
      'time:2026-11-25T12:00:00Z',
    ]);
    expect(fromCapture.code).toBe(0);
    expect(fromCapture.stdout).toMatch(/^Replayed [\d,]+ events through revenue-per-customer\.js/);
    const bad = await run(['replay', '--projection', revenue, '--topic', topic]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('Say where to read');
  });
});

describe('eventscope replay over the sample capture', () => {
  const events = sampleEvents();

  it('revenue-per-customer.js: paid cents per customer, each order once', async () => {
    const { code, stdout, stderr } = await replay({
      projection: join(PROJECTIONS, 'revenue-per-customer.js'),
      topic: ['orders'],
      capture: SAMPLE_CAPTURE_PATH,
      json: true,
    });
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const { state, counts } = JSON.parse(stdout) as {
      state: {
        revenueCents: Record<string, number>;
        paidOrders: Record<string, number>;
        duplicatePayments: number;
        paymentsForUnknownOrders: unknown[];
      };
      counts: { events: number };
    };
    // What the generator wrote: each order's customer, and the orders paid (OrderPaid, once per order).
    const customerOf = new Map<string, string>();
    const paid = new Map<string, number>();
    let repeated = 0;
    for (const e of events) {
      if (e.topic !== 'orders' || !e.body) continue;
      if (e.type === 'OrderPlaced') customerOf.set(e.body['orderId'] as string, e.body['customerId'] as string);
      if (e.type === 'OrderPaid') {
        if (paid.has(e.body['orderId'] as string)) repeated++;
        else paid.set(e.body['orderId'] as string, e.body['amountCents'] as number);
      }
    }
    const revenue: Record<string, number> = {};
    for (const [orderId, cents] of paid)
      revenue[customerOf.get(orderId)!] = (revenue[customerOf.get(orderId)!] ?? 0) + cents;
    expect(state.revenueCents).toEqual(revenue);
    expect(Object.values(state.paidOrders).reduce((a, b) => a + b, 0)).toBe(paid.size);
    expect(state.duplicatePayments).toBe(repeated);
    expect(repeated).toBeGreaterThan(0);
    expect(state.paymentsForUnknownOrders).toEqual([]);
    expect(counts.events).toBe(events.filter((e) => e.topic === 'orders').length);
  });

  it('order-lifecycle.js over orders and payments: one state per order, odd transitions flagged', async () => {
    const { code, stdout } = await replay({
      projection: join(PROJECTIONS, 'order-lifecycle.js'),
      topic: ['orders', 'payments'],
      capture: SAMPLE_CAPTURE_PATH,
      json: true,
    });
    expect(code).toBe(0);
    const { states, counts } = JSON.parse(stdout) as {
      states: Record<
        string,
        { status: string; flags: { problem: string; type: string; topic: string; offset: string }[] }
      >;
      counts: { keys: number; events: number; unmatched: number };
    };
    expect(counts.events).toBe(events.length);
    expect(counts.keys).toBe(900);
    expect(counts.unmatched).toBe(0);
    const problems = (orderId: string): string[] => states[orderId]!.flags.map((f) => f.problem);
    // The shipment that arrives before its order was placed; the payment whose value is cut short; the tombstone.
    expect(problems('ord_100042')).toEqual(['an event for an order never placed', 'OrderPlaced after shipped']);
    expect(problems('ord_100013')).toContain('the value is not JSON');
    expect(problems('ord_100007')).toContain('a tombstone');
    // Every repeated OrderPaid, and nothing else of the kind.
    const twice = Object.entries(states)
      .filter(([, s]) => s.flags.some((f) => f.problem === 'OrderPaid twice'))
      .map(([id]) => id);
    const repeatedOrders = new Set<string>();
    const seen = new Set<string>();
    for (const e of events) {
      if (e.type !== 'OrderPaid') continue;
      if (seen.has(e.key!)) repeatedOrders.add(e.key!);
      seen.add(e.key!);
    }
    expect(twice.sort()).toEqual([...repeatedOrders].sort());
    expect(new Set(Object.values(states).map((s) => s.status))).toEqual(
      new Set(['shipped', 'paid', 'cancelled', 'refunded']),
    );
  });

  it('replays up to a time (--to time:ISO)', async () => {
    const until = Date.UTC(2026, 10, 25, 9, 0, 0);
    const { code, stdout } = await replay({
      projection: join(PROJECTIONS, 'revenue-per-customer.js'),
      topic: ['orders'],
      capture: SAMPLE_CAPTURE_PATH,
      to: 'time:2026-11-25T09:00:00Z',
      json: true,
    });
    expect(code).toBe(0);
    const { counts } = JSON.parse(stdout) as { counts: { events: number } };
    // Per partition, up to its first event later than that time (the early shipment sits at offset 0 of its partition).
    expect(counts.events).toBe(events.filter((e) => e.topic === 'orders' && e.time <= until).length);
  });
});
