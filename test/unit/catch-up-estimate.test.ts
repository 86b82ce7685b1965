import { describe, expect, it } from 'vitest';
import { estimateCatchUp, leastSquaresSlope, ratesBetween } from '../../src/node/lag/catch-up-estimate.ts';

const T0 = 1_700_000_000_000;
const points = (lags: (number | null)[], stepMs = 10_000) =>
  lags.map((totalLag, i) => ({ at: T0 + i * stepMs, totalLag }));

describe('catch-up estimate', () => {
  it('estimates the seconds to lag 0 from the least-squares trend', () => {
    // Falling by 250 records/s (2,500 per 10 s); 5,000 left → 20 s.
    expect(estimateCatchUp(points([10_000, 7_500, 5_000]))).toEqual({
      seconds: 20,
      reason: 'lag is falling by 250 records/s: caught up in about 20 s',
    });
    // A noisy fall: the fitted slope, not the last step.
    const noisy = estimateCatchUp(points([10_000, 9_000, 9_500, 7_000, 6_000]));
    expect(noisy.seconds).toBe(Math.ceil(6_000 / 100));
    expect(noisy.reason).toBe('lag is falling by 100 records/s: caught up in about 1 min');
  });

  it('says why not when lag grows or is flat', () => {
    expect(estimateCatchUp(points([1_000, 2_200, 3_400]))).toEqual({
      seconds: null,
      reason: 'lag is growing by 120 records/s: it will not catch up at this rate',
    });
    expect(estimateCatchUp(points([5_310, 5_310, 5_310]))).toEqual({
      seconds: null,
      reason: 'lag is flat at 5,310: it will not catch up at this rate',
    });
  });

  it('caught up when the latest lag is 0; no estimate without enough known points', () => {
    expect(estimateCatchUp(points([500, 0]))).toEqual({ seconds: 0, reason: 'caught up' });
    expect(estimateCatchUp(points([0]))).toEqual({ seconds: 0, reason: 'caught up' });
    expect(estimateCatchUp(points([]))).toEqual({ seconds: null, reason: 'no lag known yet' });
    expect(estimateCatchUp(points([null, null]))).toEqual({ seconds: null, reason: 'no lag known yet' });
    expect(estimateCatchUp(points([null, 100])).seconds).toBeNull();
    expect(
      estimateCatchUp([
        { at: T0, totalLag: 10 },
        { at: T0, totalLag: 5 },
      ]).seconds,
    ).toBeNull();
  });

  it('uses only the last points of the window', () => {
    // Growing long ago, falling in the last 3 points.
    const history = points([0, 1_000, 2_000, 3_000, 4_000, 3_000, 2_000]);
    expect(estimateCatchUp(history).seconds).toBeNull();
    expect(estimateCatchUp(history, { window: 3 })).toEqual({
      seconds: 20,
      reason: 'lag is falling by 100 records/s: caught up in about 20 s',
    });
  });

  it('least squares', () => {
    expect(leastSquaresSlope([0, 1, 2, 3], [1, 3, 5, 7])).toBe(2);
    expect(leastSquaresSlope([1], [1])).toBeNull();
    expect(leastSquaresSlope([2, 2], [1, 5])).toBeNull();
  });
});

describe('consume and produce rates', () => {
  const before = {
    at: T0,
    partitions: [
      { topic: 'orders', partition: 0, committed: 1_000n, end: 2_000n },
      { topic: 'orders', partition: 1, committed: 500n, end: 800n },
      { topic: 'orders', partition: 2, committed: null, end: 100n },
    ],
  };

  it('sums how far committed and end offsets moved, per second', () => {
    const after = {
      at: T0 + 10_000,
      partitions: [
        { topic: 'orders', partition: 0, committed: 2_000n, end: 3_500n },
        { topic: 'orders', partition: 1, committed: 700n, end: 800n },
        { topic: 'orders', partition: 2, committed: 50n, end: 100n },
        { topic: 'orders', partition: 3, committed: 5n, end: 9n },
      ],
    };
    expect(ratesBetween(before, after)).toEqual({ consumeRate: 120, produceRate: 150 });
  });

  it('leaves out partitions that went backwards; null when nothing compares', () => {
    const after = {
      at: T0 + 5_000,
      partitions: [
        { topic: 'orders', partition: 0, committed: 10n, end: 2_500n },
        { topic: 'orders', partition: 1, committed: 510n, end: 10n },
      ],
    };
    expect(ratesBetween(before, after)).toEqual({ consumeRate: 2, produceRate: 100 });
    expect(
      ratesBetween(before, { at: T0 + 1_000, partitions: [{ topic: 'x', partition: 0, committed: 1n, end: 1n }] }),
    ).toEqual({ consumeRate: null, produceRate: null });
    expect(ratesBetween(before, { ...before, at: T0 })).toEqual({ consumeRate: null, produceRate: null });
  });
});
