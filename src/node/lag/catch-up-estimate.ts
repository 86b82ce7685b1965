// How fast a group consumes, how fast its topics are written, and when it will have caught
// up, from its sampled offsets. Pure.
//
// - Rates between two samples: the sum over partitions present in both of how far the
//   committed offset (consume) or the log end (produce) moved, per second. A partition whose
//   offset went backwards (a rewind, a truncated or recreated topic) or that has no committed
//   offset in one of them adds nothing; null when no partition could be compared.
// - Catch-up: the least-squares slope of total lag over time across the last points (the
//   window, DEFAULT_TREND_POINTS by default); with lag falling, the time for the latest lag
//   to reach 0 at that slope. Lag growing or flat: null, said why.
import { formatCount } from '../../common/format/numbers.ts';
import { formatDuration } from '../../common/format/durations.ts';
import { formatRate } from './lag-text.ts';

export const DEFAULT_TREND_POINTS = 10;

export interface TotalLagPoint {
  at: number;
  totalLag: number | null;
}

export interface CatchUpEstimate {
  /** Seconds until lag reaches 0 at the current trend; 0 when caught up; null when it will not (or cannot be told). */
  seconds: number | null;
  reason: string;
}

export interface OffsetsSnapshot {
  at: number;
  partitions: readonly { topic: string; partition: number; committed: bigint | null; end: bigint }[];
}

export interface Rates {
  /** Records/s the group committed past; null when nothing could be compared. */
  consumeRate: number | null;
  /** Records/s written to its partitions; null when nothing could be compared. */
  produceRate: number | null;
}

/** Below this many records/s the trend counts as flat. */
const FLAT_SLOPE = 1e-6;

/** Least-squares slope of y over x; null with fewer than two distinct x. */
export function leastSquaresSlope(xs: readonly number[], ys: readonly number[]): number | null {
  const n = Math.min(xs.length, ys.length);
  if (n < 2) return null;
  let sumX = 0;
  let sumY = 0;
  for (let i = 0; i < n; i++) {
    sumX += xs[i]!;
    sumY += ys[i]!;
  }
  const meanX = sumX / n;
  const meanY = sumY / n;
  let sxy = 0;
  let sxx = 0;
  for (let i = 0; i < n; i++) {
    const dx = xs[i]! - meanX;
    sxy += dx * (ys[i]! - meanY);
    sxx += dx * dx;
  }
  return sxx === 0 ? null : sxy / sxx;
}

/** Seconds until total lag reaches 0 at the trend of the last `window` points with a known lag. */
export function estimateCatchUp(points: readonly TotalLagPoint[], options: { window?: number } = {}): CatchUpEstimate {
  const known = points
    .filter((p): p is { at: number; totalLag: number } => p.totalLag !== null)
    .slice(-(options.window ?? DEFAULT_TREND_POINTS));
  const last = known[known.length - 1];
  if (!last) return { seconds: null, reason: 'no lag known yet' };
  if (last.totalLag <= 0) return { seconds: 0, reason: 'caught up' };
  if (known.length < 2) return { seconds: null, reason: 'one sample so far: the trend needs two or more' };
  const t0 = known[0]!.at;
  const slope = leastSquaresSlope(
    known.map((p) => (p.at - t0) / 1000),
    known.map((p) => p.totalLag),
  );
  if (slope === null) return { seconds: null, reason: 'the samples were all taken at the same time: no trend yet' };
  if (slope > FLAT_SLOPE)
    return {
      seconds: null,
      reason: `lag is growing by ${formatRate(slope)} records/s: it will not catch up at this rate`,
    };
  if (slope >= -FLAT_SLOPE)
    return {
      seconds: null,
      reason: `lag is flat at ${formatCount(Math.round(last.totalLag))}: it will not catch up at this rate`,
    };
  const seconds = Math.ceil(last.totalLag / -slope);
  return {
    seconds,
    reason: `lag is falling by ${formatRate(-slope)} records/s: caught up in about ${formatDuration(seconds * 1000)}`,
  };
}

/** Consume and produce rates (records/s) between two samples of a group. */
export function ratesBetween(before: OffsetsSnapshot, after: OffsetsSnapshot): Rates {
  const seconds = (after.at - before.at) / 1000;
  if (!(seconds > 0)) return { consumeRate: null, produceRate: null };
  const earlier = new Map(before.partitions.map((p) => [`${p.topic}\u0000${p.partition}`, p]));
  let consumed: bigint | null = null;
  let produced: bigint | null = null;
  for (const p of after.partitions) {
    const b = earlier.get(`${p.topic}\u0000${p.partition}`);
    if (!b) continue;
    if (p.end >= b.end) produced = (produced ?? 0n) + (p.end - b.end);
    if (p.committed !== null && b.committed !== null && p.committed >= b.committed)
      consumed = (consumed ?? 0n) + (p.committed - b.committed);
  }
  return {
    consumeRate: consumed === null ? null : Number(consumed) / seconds,
    produceRate: produced === null ? null : Number(produced) / seconds,
  };
}
