import { describe, expect, it } from 'vitest';
import { partitionLag, partitionLags, totalLag } from '../../src/lag/partition-lag.ts';

describe('partition lag', () => {
  it('is end − committed, never negative, null where nothing is committed', () => {
    expect(partitionLag(1204n, 6514n)).toBe(5310n);
    expect(partitionLag(6514n, 6514n)).toBe(0n);
    // Committed above the end (the log was truncated): nothing left to consume.
    expect(partitionLag(9000n, 6514n)).toBe(0n);
    expect(partitionLag(null, 6514n)).toBeNull();
    // int64 offsets stay exact.
    expect(partitionLag(1n, 9_223_372_036_854_775_807n)).toBe(9_223_372_036_854_775_806n);
  });

  it('totals the known lags; null when none is known', () => {
    expect(totalLag([5n, null, 7n, 0n])).toBe(12n);
    expect(totalLag([0n])).toBe(0n);
    expect(totalLag([null, null])).toBeNull();
    expect(totalLag([])).toBeNull();
  });

  it('lists every committed partition and the uncommitted partitions of the same topics, sorted', () => {
    const ends = new Map([
      ['orders', new Map([[0, 100n], [1, 50n], [2, 10n]])],
      ['other', new Map([[0, 5n]])],
    ]);
    const rows = partitionLags(
      [
        { topic: 'orders', partition: 1, offset: 60n },
        { topic: 'orders', partition: 0, offset: 40n },
        { topic: 'gone', partition: 0, offset: 3n },
      ],
      ends,
    );
    expect(rows).toEqual([
      { topic: 'gone', partition: 0, committed: 3n, end: null, lag: null },
      { topic: 'orders', partition: 0, committed: 40n, end: 100n, lag: 60n },
      { topic: 'orders', partition: 1, committed: 60n, end: 50n, lag: 0n },
      { topic: 'orders', partition: 2, committed: null, end: 10n, lag: null },
    ]);
    expect(totalLag(rows.map((r) => r.lag))).toBe(60n);
  });
});
