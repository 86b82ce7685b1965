import { describe, expect, it } from 'vitest';
import { partitionLag, totalLag } from '../../src/node/lag/partition-lag.ts';

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
});
