import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import type { KafkaRecord } from '../../src/node/kafka/index.ts';
import { ReplayLog } from '../../src/node/log/replay-log.ts';
import { SpanBatcher } from '../../src/node/log/span-batcher.ts';
import { testTempDir } from '../support/temp-dir.ts';

const tempPath = () => join(testTempDir('es-batch-'), 'log.sqlite');
const tempLog = () => new ReplayLog(tempPath());
const records = (partition: number, from: number, count: number): KafkaRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    partition,
    offset: BigInt(from + i),
    timestampMs: from + i,
    key: null,
    value: Buffer.from(`v${from + i}`),
    headers: [],
  }));

describe('SpanBatcher', () => {
  it('merges contiguous fetched spans of a partition into one stored row, and stores nothing before it is asked', () => {
    const path = tempPath();
    const log = new ReplayLog(path);
    const batcher = new SpanBatcher(log, 'c1', 'orders');
    for (let i = 0; i < 10; i++)
      batcher.add(0, { from: BigInt(i * 10), to: BigInt(i * 10 + 10) }, records(0, i * 10, 10));
    batcher.add(1, { from: 0n, to: 5n }, records(1, 0, 5));
    expect(batcher.size).toBe(105);
    expect(log.ranges({ cluster: 'c1', topic: 'orders', partition: 0 })).toEqual([]);
    expect(batcher.store()).toBe(105);
    expect(batcher.size).toBe(0);
    expect(log.ranges({ cluster: 'c1', topic: 'orders', partition: 0 })).toEqual([{ from: 0n, to: 100n }]);
    expect(log.recordCount('c1', 'orders')).toBe(105);
    expect(batcher.store()).toBe(0);
    log.close();
    const db = new DatabaseSync(path, { readOnly: true });
    expect(db.prepare('SELECT count(*) AS n FROM batches').get()).toEqual({ n: 2 }); // one row per partition
    db.close();
  });

  it('keeps a gap between spans a gap (a range not fetched is not claimed as held)', () => {
    const log = tempLog();
    const batcher = new SpanBatcher(log, 'c1', 'orders');
    batcher.add(0, { from: 0n, to: 10n }, records(0, 0, 10));
    batcher.add(0, { from: 20n, to: 30n }, records(0, 20, 10));
    // A span whose records were compacted away still covers its offsets.
    batcher.add(0, { from: 30n, to: 40n }, []);
    batcher.store();
    expect(log.ranges({ cluster: 'c1', topic: 'orders', partition: 0 })).toEqual([
      { from: 0n, to: 10n },
      { from: 20n, to: 40n },
    ]);
  });
});
