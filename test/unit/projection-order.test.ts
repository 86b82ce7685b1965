// The order a replay feeds events in — per partition by offset; across partitions and topics by
// timestamp, then topic, then partition — and the partitions it reads from a replay log, with
// --from and --to.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { SourceRecord } from '../../src/common/projections/event-batch.ts';
import { mergePartitions, type PartitionSource } from '../../src/common/projections/event-order.ts';
import { replayIntoProjection } from '../../src/common/projections/replay.ts';
import { clusterPartitionSources } from '../../src/node/projections/cluster-sources.ts';
import { startProjectionSandbox } from '../../src/node/projections/node-sandbox.ts';
import { OfflineCluster } from '../../src/node/log/offline-cluster.ts';
import { ReplayLog } from '../../src/node/log/replay-log.ts';

function record(partition: number, offset: number, timestampMs: number): SourceRecord {
  return {
    partition,
    offset: BigInt(offset),
    timestampMs,
    key: null,
    value: new TextEncoder().encode(JSON.stringify({ n: offset })),
    headers: [],
  };
}

/** A partition's records (timestamps as given, offsets from 0), handed over `piece` at a time. */
function memorySource(topic: string, partition: number, timestamps: number[], piece = 2): PartitionSource {
  const records = timestamps.map((t, i) => record(partition, i, t));
  let at = 0;
  let calls = 0;
  return {
    topic,
    partition,
    next: async () => {
      // An empty hand-over now and then, as a reader that only moved past a gap gives.
      if (++calls % 3 === 0) return [];
      if (at >= records.length) return null;
      const out = records.slice(at, at + piece);
      at += out.length;
      return out;
    },
  };
}

async function merged(sources: PartitionSource[]): Promise<string[]> {
  const out: string[] = [];
  await mergePartitions(sources, (source, records, from, to) => {
    for (let i = from; i < to; i++) out.push(`${source.topic}/${source.partition}@${records[i]!.offset}`);
  });
  return out;
}

describe('event order', () => {
  it('keeps offset order within a partition; across partitions goes by timestamp, then topic, then partition', async () => {
    const order = await merged([
      memorySource('orders', 0, [5, 3, 9]),
      memorySource('orders', 1, [4, 4, 10]),
      memorySource('b', 0, [4]),
    ]);
    expect(order).toEqual([
      'b/0@0',
      'orders/1@0',
      'orders/1@1',
      'orders/0@0',
      'orders/0@1',
      'orders/0@2',
      'orders/1@2',
    ]);
  });

  it('equals picking the earliest head one event at a time, for any partitions', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            topic: fc.constantFrom('a', 'b'),
            timestamps: fc.array(fc.integer({ min: 0, max: 20 }), { maxLength: 30 }),
            piece: fc.integer({ min: 1, max: 7 }),
          }),
          { minLength: 1, maxLength: 5 },
        ),
        async (parts) => {
          const specs = parts.map((p, i) => ({
            topic: p.topic,
            partition: i,
            timestamps: p.timestamps,
            piece: p.piece,
          }));
          const actual = await merged(specs.map((s) => memorySource(s.topic, s.partition, s.timestamps, s.piece)));
          // The reference: one event at a time, the earliest head (timestamp, topic, partition).
          const at = specs.map(() => 0);
          const expected: string[] = [];
          for (;;) {
            let best = -1;
            for (let i = 0; i < specs.length; i++) {
              if (at[i]! >= specs[i]!.timestamps.length) continue;
              if (best < 0) {
                best = i;
                continue;
              }
              const [t, b] = [specs[i]!.timestamps[at[i]!]!, specs[best]!.timestamps[at[best]!]!];
              const key = (k: number): string =>
                `${specs[k]!.topic}\u0000${String(specs[k]!.partition).padStart(3, '0')}`;
              if (t < b || (t === b && key(i) < key(best))) best = i;
            }
            if (best < 0) break;
            expected.push(`${specs[best]!.topic}/${specs[best]!.partition}@${at[best]!}`);
            at[best]!++;
          }
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('replay sources over a replay log', () => {
  const dir = mkdtempSync(join(tmpdir(), 'es-projection-order-'));
  const log = new ReplayLog(join(dir, 'log.sqlite'), { capBytesPerCluster: Number.MAX_SAFE_INTEGER });
  const cluster = new OfflineCluster(log, 'c', 'test log');
  // orders: 3 partitions of 400 records, timestamps interleaved (partition p at 3i + p); payments: 1 partition.
  for (let p = 0; p < 3; p++) {
    const records = Array.from({ length: 400 }, (_, i) => ({
      ...record(p, i, 1_000 + 3 * i + p),
      key: new TextEncoder().encode(`k${i % 7}`),
      value: new TextEncoder().encode(JSON.stringify({ type: 'T', partition: p, i })),
    }));
    log.append({ cluster: 'c', topic: 'orders', partition: p }, { from: 0n, to: 400n }, records);
  }
  log.append(
    { cluster: 'c', topic: 'payments', partition: 0 },
    { from: 0n, to: 10n },
    Array.from({ length: 10 }, (_, i) => record(0, i, 1_000 + 100 * i + 1)),
  );
  afterAll(() => log.close());

  const seen = `export default { init: () => [], any(s, e) { s.push(e.topic + '/' + e.partition + '@' + e.offset + ':' + e.timestamp); return s; } };`;

  async function replayLog(
    topics: string[],
    options: Parameters<typeof clusterPartitionSources>[3],
    partitions: number[] | null = null,
  ): Promise<string[]> {
    const runner = startProjectionSandbox({ fileName: 'seen.js' });
    try {
      await runner.load(seen);
      const { sources, close } = await clusterPartitionSources(cluster, topics, partitions, options);
      try {
        const { outcome } = await replayIntoProjection(runner, sources);
        return (outcome as { state: string[] }).state;
      } finally {
        close();
      }
    } finally {
      runner.terminate();
    }
  }

  it('feeds every partition of the topics in timestamp order', async () => {
    const events = await replayLog(['orders', 'payments'], { from: { kind: 'earliest' } });
    expect(events).toHaveLength(1210);
    const stamps = events.map((e) => Number(e.split(':')[1]));
    expect(stamps).toEqual([...stamps].sort((a, b) => a - b));
    // Equal timestamps (orders/1 and payments/0 at 1001): orders before payments.
    expect(events.slice(0, 4)).toEqual(['orders/0@0:1000', 'orders/1@0:1001', 'payments/0@0:1001', 'orders/2@0:1002']);
  });

  it('starts at --from and stops at --to (an offset, inclusive, or a time) in each partition', async () => {
    const byOffset = await replayLog(
      ['orders'],
      { from: { kind: 'offset', offset: 390n }, to: { kind: 'offset', offset: 394n } },
      [0, 2],
    );
    expect(byOffset.map((e) => e.split(':')[0])).toEqual([
      'orders/0@390',
      'orders/2@390',
      'orders/0@391',
      'orders/2@391',
      'orders/0@392',
      'orders/2@392',
      'orders/0@393',
      'orders/2@393',
      'orders/0@394',
      'orders/2@394',
    ]);
    const byTime = await replayLog(['orders'], {
      from: { kind: 'timestamp', timestampMs: 1_300 },
      to: { kind: 'time', timestampMs: 1_305 },
    });
    expect(byTime).toEqual([
      'orders/0@100:1300',
      'orders/1@100:1301',
      'orders/2@100:1302',
      'orders/0@101:1303',
      'orders/1@101:1304',
      'orders/2@101:1305',
    ]);
    expect(await replayLog(['orders'], { from: { kind: 'last', count: 1n } })).toEqual([
      'orders/0@399:2197',
      'orders/1@399:2198',
      'orders/2@399:2199',
    ]);
  });

  it('names a partition the topic does not have', async () => {
    await expect(clusterPartitionSources(cluster, ['orders'], [0, 7], { from: { kind: 'earliest' } })).rejects.toThrow(
      '"orders" has no partition 7 (it has 0–2).',
    );
  });
});
