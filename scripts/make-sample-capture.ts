// Makes resources/sample-capture.eventscope: the capture the app opens when no cluster is
// configured. A day of an order/payment event stream — JSON values with a "type" field and an
// event-type header, keyed by order id — with the oddities a consumer meets in real life: a
// payment that fails then succeeds, a duplicate event, an event out of order, a tombstone and
// a value that is not JSON. Deterministic: the same file every run.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { CAPTURE_CLUSTER, CAPTURE_FORMAT } from '../src/node/log/capture-file.ts';
import { ReplayLog } from '../src/node/log/replay-log.ts';
import type { KafkaRecord } from '../src/node/kafka/index.ts';
import { ROOT } from './run-steps.ts';
import { LagHistoryStore, type PartitionSample } from '../src/node/lag/lag-history-store.ts';

export const SAMPLE_CAPTURE_PATH = join(ROOT, 'resources', 'sample-capture.eventscope');
const DAY_START = Date.UTC(2026, 10, 25, 6, 0, 0);
const ORDERS = 900;
const PARTITIONS = 3;

let seed = 20261125;
function random(): number {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
}
function pick<T>(items: readonly T[]): T {
  return items[Math.floor(random() * items.length)]!;
}

interface Event {
  topic: 'orders' | 'payments';
  key: string | null;
  type: string;
  time: number;
  body: Record<string, unknown> | null;
  raw?: string;
}

function partitionOf(key: string): number {
  let h = 0;
  for (const ch of key) h = (h * 31 + ch.charCodeAt(0)) >>> 0;
  return h % PARTITIONS;
}

export function sampleEvents(): Event[] {
  const events: Event[] = [];
  const customers = Array.from({ length: 120 }, (_, i) => `cus_${(1000 + i).toString(36)}`);
  const skus = [
    'SKU-COFFEE-1KG',
    'SKU-MUG-BLUE',
    'SKU-GRINDER-S',
    'SKU-FILTER-100',
    'SKU-KETTLE-GOOSE',
    'SKU-BEANS-DECAF',
  ];
  for (let i = 0; i < ORDERS; i++) {
    const orderId = `ord_${(100000 + i).toString()}`;
    const placed = DAY_START + Math.floor((i / ORDERS) * 16 * 3600 * 1000) + Math.floor(random() * 60_000);
    const items = Array.from({ length: 1 + Math.floor(random() * 3) }, () => ({
      sku: pick(skus),
      quantity: 1 + Math.floor(random() * 3),
      unitPriceCents: 500 + Math.floor(random() * 8000),
    }));
    const total = items.reduce((s, it) => s + it.quantity * it.unitPriceCents, 0);
    const customerId = pick(customers);
    events.push({
      topic: 'orders',
      key: orderId,
      type: 'OrderPlaced',
      time: placed,
      body: { type: 'OrderPlaced', orderId, customerId, items, totalCents: total, currency: 'EUR' },
    });
    const paymentId = `pay_${(500000 + i).toString()}`;
    const authorized = placed + 2_000 + Math.floor(random() * 20_000);
    const roll = random();
    if (roll < 0.06) {
      events.push({
        topic: 'payments',
        key: orderId,
        type: 'PaymentFailed',
        time: authorized,
        body: {
          type: 'PaymentFailed',
          paymentId,
          orderId,
          amountCents: total,
          reason: pick(['card_declined', 'insufficient_funds', 'expired_card']),
        },
      });
      if (roll < 0.03) {
        events.push({
          topic: 'payments',
          key: orderId,
          type: 'PaymentAuthorized',
          time: authorized + 90_000,
          body: { type: 'PaymentAuthorized', paymentId: `${paymentId}_retry`, orderId, amountCents: total },
        });
        events.push({
          topic: 'orders',
          key: orderId,
          type: 'OrderPaid',
          time: authorized + 95_000,
          body: { type: 'OrderPaid', orderId, paymentId: `${paymentId}_retry`, amountCents: total },
        });
      } else {
        events.push({
          topic: 'orders',
          key: orderId,
          type: 'OrderCancelled',
          time: authorized + 600_000,
          body: { type: 'OrderCancelled', orderId, reason: 'payment_failed' },
        });
        continue;
      }
    } else {
      events.push({
        topic: 'payments',
        key: orderId,
        type: 'PaymentAuthorized',
        time: authorized,
        body: { type: 'PaymentAuthorized', paymentId, orderId, amountCents: total },
      });
      events.push({
        topic: 'payments',
        key: orderId,
        type: 'PaymentCaptured',
        time: authorized + 1_500,
        body: { type: 'PaymentCaptured', paymentId, orderId, amountCents: total },
      });
      events.push({
        topic: 'orders',
        key: orderId,
        type: 'OrderPaid',
        time: authorized + 2_000,
        body: { type: 'OrderPaid', orderId, paymentId, amountCents: total },
      });
      // Now and then the same event twice: at-least-once delivery upstream.
      if (random() < 0.02)
        events.push({
          topic: 'orders',
          key: orderId,
          type: 'OrderPaid',
          time: authorized + 2_300,
          body: { type: 'OrderPaid', orderId, paymentId, amountCents: total },
        });
    }
    const shipped = authorized + 3_600_000 + Math.floor(random() * 7_200_000);
    if (random() < 0.85)
      events.push({
        topic: 'orders',
        key: orderId,
        type: 'OrderShipped',
        time: shipped,
        body: {
          type: 'OrderShipped',
          orderId,
          carrier: pick(['DHL', 'UPS', 'PostNL']),
          trackingNumber: `TRK${Math.floor(random() * 1e10)}`,
        },
      });
    if (random() < 0.03)
      events.push({
        topic: 'payments',
        key: orderId,
        type: 'PaymentRefunded',
        time: shipped + 86_400_000 / 4,
        body: { type: 'PaymentRefunded', paymentId, orderId, amountCents: Math.floor(total / 2) },
      });
  }
  // An event that arrives before the one it follows, a tombstone, and a value that is not JSON.
  events.push({
    topic: 'orders',
    key: 'ord_100042',
    type: 'OrderShipped',
    time: DAY_START + 1_000,
    body: { type: 'OrderShipped', orderId: 'ord_100042', carrier: 'DHL', trackingNumber: 'TRK-EARLY' },
  });
  events.push({
    topic: 'orders',
    key: 'ord_100007',
    type: 'tombstone',
    time: DAY_START + 20 * 3600 * 1000,
    body: null,
  });
  events.push({
    topic: 'payments',
    key: 'ord_100013',
    type: 'PaymentCaptured',
    time: DAY_START + 3 * 3600 * 1000,
    body: null,
    raw: '{"type":"PaymentCaptured","orderId":"ord_100013","amountCents":',
  });
  return events.sort((a, b) => a.time - b.time);
}

export function makeSampleCapture(path = SAMPLE_CAPTURE_PATH): { records: number } {
  rmSync(path, { force: true });
  const log = new ReplayLog(path, { capBytesPerCluster: Number.MAX_SAFE_INTEGER });
  const byPartition = new Map<string, KafkaRecord[]>();
  let trace = 0;
  for (const e of sampleEvents()) {
    const partition = partitionOf(e.key ?? '');
    const list = byPartition.get(`${e.topic}/${partition}`) ?? [];
    byPartition.set(`${e.topic}/${partition}`, list);
    const value =
      e.raw !== undefined ? Buffer.from(e.raw) : e.body === null ? null : Buffer.from(JSON.stringify(e.body));
    list.push({
      partition,
      offset: BigInt(list.length),
      timestampMs: e.time,
      key: e.key === null ? null : Buffer.from(e.key),
      value,
      headers: [
        { key: 'event-type', value: Buffer.from(e.type) },
        { key: 'trace-id', value: Buffer.from(`trc_${(++trace).toString(16).padStart(8, '0')}`) },
        { key: 'content-type', value: Buffer.from('application/json') },
      ],
    });
  }
  let records = 0;
  for (const [streamKey, list] of [...byPartition].sort(([a], [b]) => a.localeCompare(b))) {
    const [topic, partition] = streamKey.split('/') as [string, string];
    records += log.append(
      { cluster: CAPTURE_CLUSTER, topic, partition: Number(partition) },
      { from: 0n, to: BigInt(list.length) },
      list,
    );
  }
  writeSampleGroups(path, byPartition);
  log.setMeta('format', CAPTURE_FORMAT);
  log.setMeta(
    'info',
    JSON.stringify({
      name: 'Sample capture',
      description: 'A day of an online shop: orders and payments, with the oddities a consumer meets.',
      createdAt: DAY_START,
      source: 'generated by scripts/make-sample-capture.ts',
    }),
  );
  log.seal();
  log.close();
  return { records };
}

const SAMPLE_EVERY_MS = 60_000;
const DAY_END = DAY_START + 16 * 3600 * 1000;

/**
 * The consumer groups the capture carries, sampled every minute over the day, each showing one
 * status at the end: shipping-service keeps up (OK), invoice-generator falls behind while still
 * committing (WARN), fraud-scoring stops committing on one partition while behind (STALL, then
 * STOP: ERR), analytics-loader is reset to the start of the day (REWIND: ERR), and
 * payment-reconciler reads payments and keeps up (OK).
 */
function writeSampleGroups(path: string, byPartition: Map<string, KafkaRecord[]>): void {
  const history = new LagHistoryStore(path, { wal: false });
  const timestamps = (topic: string, partition: number): number[] =>
    (byPartition.get(`${topic}/${partition}`) ?? []).map((r) => r.timestampMs);
  /** Records of the partition produced by time t: its log-end offset then. */
  const endAt = (ts: number[], t: number): number => {
    let lo = 0;
    let hi = ts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ts[mid]! <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
  /** The group's committed offset on a partition at time t, given that partition's end now and the group's last sample there. */
  type Position = (
    t: number,
    partition: number,
    end: number,
    ts: number[],
    previous: { committed: number; end: number; index: number } | null,
  ) => number;
  const slowFrom = DAY_START + 14.5 * 3600 * 1000;
  const groups: { id: string; topic: 'orders' | 'payments'; committedAt: Position }[] = [
    { id: 'shipping-service', topic: 'orders', committedAt: (t, _p, _end, ts) => endAt(ts, t - 4_000) },
    {
      id: 'invoice-generator',
      topic: 'orders',
      // Keeps up until 20:30, then commits one record at most every other sample, and only when
      // records arrived: offsets move, lag never falls and grows (falling behind).
      committedAt: (t, _p, end, ts, previous) => {
        if (t < slowFrom || !previous) return endAt(ts, t - 10_000);
        return end > previous.end && previous.index % 2 === 0 ? previous.committed + 1 : previous.committed;
      },
    },
    {
      id: 'fraud-scoring',
      topic: 'orders',
      // Partition 1's consumer hangs at 21:40 and never commits again.
      committedAt: (t, p, _end, ts) =>
        endAt(ts, p === 1 ? Math.min(t, DAY_START + 15.66 * 3600 * 1000) - 20_000 : t - 20_000),
    },
    {
      id: 'analytics-loader',
      topic: 'orders',
      // Reset to the start of the day at 21:55, then reads it again from there.
      committedAt: (t, _p, _end, ts) => {
        const resetAt = DAY_END - 5 * 60_000;
        return t < resetAt ? endAt(ts, t - 60_000) : Math.min(endAt(ts, t - 60_000), Math.floor((t - resetAt) / 1_000));
      },
    },
    { id: 'payment-reconciler', topic: 'payments', committedAt: (t, _p, _end, ts) => endAt(ts, t - 2_000) },
  ];
  const previous = new Map<string, { committed: number; end: number; index: number }>();
  for (let t = DAY_START + SAMPLE_EVERY_MS; t <= DAY_END; t += SAMPLE_EVERY_MS) {
    for (const group of groups) {
      const partitions: PartitionSample[] = [];
      for (let p = 0; p < PARTITIONS; p++) {
        const ts = timestamps(group.topic, p);
        const end = endAt(ts, t);
        const last = previous.get(`${group.id}/${p}`) ?? null;
        const committed = Math.max(0, Math.min(end, group.committedAt(t, p, end, ts, last)));
        previous.set(`${group.id}/${p}`, { committed, end, index: (last?.index ?? 0) + 1 });
        partitions.push({
          topic: group.topic,
          partition: p,
          committed: BigInt(committed),
          end: BigInt(end),
          timeLagMs: committed < end ? t - ts[committed]! : null,
        });
      }
      history.addSample(CAPTURE_CLUSTER, group.id, t, partitions);
    }
  }
  for (const group of groups) history.watch(CAPTURE_CLUSTER, group.id, DAY_START);
  history.close();
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const { records } = makeSampleCapture();
  process.stdout.write(`wrote ${records} records to ${SAMPLE_CAPTURE_PATH}\n`);
}
