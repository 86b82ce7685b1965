import { describe, expect, it } from 'vitest';
import {
  evaluateGroup,
  evaluateGroupWindows,
  evaluatePartition,
  groupLevel,
  type LagWindowSample,
} from '../../src/node/lag/lag-status.ts';

const T0 = 1_700_000_000_000;
const STEP = 10_000;

/** A window sampled every 10 s from T0: committed offsets and log-end offsets, one per sample. */
function window(committed: (number | null)[], end: number[]): LagWindowSample[] {
  return committed.map((c, i) => ({
    at: T0 + i * STEP,
    committed: c === null ? null : BigInt(c),
    end: BigInt(end[i]!),
  }));
}
const repeat = <T>(value: T, n: number): T[] => Array.from({ length: n }, () => value);
const range = (from: number, step: number, n: number): number[] => Array.from({ length: n }, (_, i) => from + i * step);

describe('evaluatePartition', () => {
  it('is not evaluated with fewer than 3 samples that have a committed offset', () => {
    expect(evaluatePartition('orders', 0, [])).toBeNull();
    expect(evaluatePartition('orders', 0, window([1, 2], [10, 10]))).toBeNull();
    // Samples before the last one without a commit do not count.
    expect(evaluatePartition('orders', 0, window([1, 2, 3, null, 5, 6], [10, 10, 10, 10, 10, 10]))).toBeNull();
    expect(evaluatePartition('orders', 0, window([null, null, null], [10, 10, 10]))).toBeNull();
  });

  it('OK: consuming with steady lag, catching up, or caught up', () => {
    expect(evaluatePartition('orders', 1, window(range(100, 100, 5), range(1000, 100, 5)))).toEqual({
      level: 'OK',
      reason: 'partition 1 of orders: consuming, 900 behind',
    });
    expect(evaluatePartition('orders', 1, window(range(100, 500, 4), range(5000, 100, 4)))).toEqual({
      level: 'OK',
      reason: 'partition 1 of orders: catching up: lag fell from 4,900 to 3,700 in 30 s',
    });
    expect(evaluatePartition('orders', 1, window([10, 20, 30], [10, 20, 30]))).toEqual({
      level: 'OK',
      reason: 'partition 1 of orders: caught up',
    });
    // Lag that goes up and down (not monotonic) and ends higher: not WARN.
    expect(evaluatePartition('orders', 1, window([0, 100, 200, 300], [1000, 1050, 1150, 1400]))?.level).toBe('OK');
  });

  it('OK whenever the window touches zero lag, even where it would otherwise warn or stall', () => {
    // Growing lag from 0: WARN without the zero.
    expect(evaluatePartition('orders', 2, window([100, 150, 200, 250], [100, 200, 300, 400]))).toEqual({
      level: 'OK',
      reason: 'partition 2 of orders: 150 behind, caught up within the last 30 s',
    });
    // The same offset all along, lag 0 at first.
    expect(evaluatePartition('orders', 2, window([100, 100, 100], [100, 120, 140]))?.level).toBe('OK');
  });

  it('a committed offset above the log end (truncated log) is lag 0: OK', () => {
    expect(evaluatePartition('orders', 0, window([500, 500, 500], [100, 100, 100]))).toEqual({
      level: 'OK',
      reason: 'partition 0 of orders: caught up',
    });
  });

  it('WARN: committing, but lag never falls and ends higher', () => {
    expect(evaluatePartition('orders', 3, window([1000, 1100, 1200], [2000, 2200, 2400]))).toEqual({
      level: 'WARN',
      reason: 'partition 3 of orders: falling behind: lag grew from 1,000 to 1,200 in 20 s while committing',
    });
    // Lag flat for a while, then growing: still never decreasing.
    expect(evaluatePartition('orders', 3, window([1000, 1100, 1100, 1300], [2000, 2100, 2100, 2500]))?.level).toBe(
      'WARN',
    );
    // Offsets that moved early in the window and then stopped, lag growing: still moving within the window → WARN.
    expect(evaluatePartition('orders', 3, window([1000, 1100, 1100, 1100], [2000, 2200, 2400, 2600]))?.level).toBe(
      'WARN',
    );
  });

  it('STALL: the same offset all through the window while behind', () => {
    const stalled = window(repeat(1204, 10), range(6000, 60, 9).concat(6514));
    expect(evaluatePartition('orders', 3, stalled)).toEqual({
      level: 'STALL',
      reason: 'partition 3 of orders: offset 1,204 unchanged for 1 min 30 s while 5,310 behind',
    });
    // Nothing produced either: lag constant, offset unchanged — still a stall.
    expect(evaluatePartition('orders', 3, window([5, 5, 5], [9, 9, 9]))?.level).toBe('STALL');
  });

  it('STOP: evaluated later than the window spans without the offset moving', () => {
    const stalled = window(repeat(1204, 10), repeat(6514, 10));
    const last = T0 + 9 * STEP;
    // At the last sample: a stall; one failed attempt later, unchanged for longer than the window: stopped.
    expect(evaluatePartition('orders', 3, stalled, last)?.level).toBe('STALL');
    expect(evaluatePartition('orders', 3, stalled, last + 60_000)).toEqual({
      level: 'STOP',
      reason:
        'partition 3 of orders: offset 1,204 has not moved for 2 min 30 s, longer than the 1 min 30 s window, while 5,310 behind',
    });
    // The offset last moved at the 3rd sample (20 s in); 90 s span: stopped once now is more than 90 s after that.
    const moved = window([100, 200, 300, 300, 300, 300, 300, 300, 300, 300], repeat(1000, 10));
    expect(evaluatePartition('orders', 3, moved, T0 + 20_000 + 90_000)?.level).not.toBe('STOP');
    expect(evaluatePartition('orders', 3, moved, T0 + 20_000 + 90_001)?.level).toBe('STOP');
    // A "now" before the last sample counts as the last sample.
    expect(evaluatePartition('orders', 3, stalled, T0)?.level).toBe('STALL');
  });

  it('REWIND: the committed offset went backwards, and outranks every other rule', () => {
    expect(evaluatePartition('orders', 4, window([5000, 5100, 1204, 1300], [6000, 6100, 6200, 6610]))).toEqual({
      level: 'REWIND',
      reason: 'partition 4 of orders: offset went back from 5,100 to 1,204 and is 5,310 behind',
    });
    // Lag 0 before the rewind does not hide it.
    expect(evaluatePartition('orders', 4, window([1000, 1000, 10, 20], [1000, 1000, 1000, 1000]))?.level).toBe(
      'REWIND',
    );
    // Over STOP: a rewound window judged long after.
    expect(evaluatePartition('orders', 4, window([50, 40, 40, 40], [100, 100, 100, 100]), T0 + 3_600_000)?.level).toBe(
      'REWIND',
    );
    // Recovered: lag reached 0 after the rewind — the usual rules again.
    expect(evaluatePartition('orders', 4, window([500, 100, 300, 350], [500, 300, 300, 400]))?.level).toBe('OK');
  });

  it('orders the samples by time', () => {
    const samples = window([1000, 1100, 1200], [2000, 2200, 2400]).reverse();
    expect(evaluatePartition('orders', 3, samples)?.level).toBe('WARN');
  });
});

describe('group status', () => {
  const ok = { topic: 'orders', partition: 0, samples: window(range(100, 100, 5), range(1000, 100, 5)) };
  const warn = { topic: 'orders', partition: 1, samples: window([1000, 1100, 1200], [2000, 2200, 2400]) };
  const stall = { topic: 'payments', partition: 3, samples: window(repeat(1204, 10), repeat(6514, 10)) };
  const bigStall = { topic: 'audit', partition: 7, samples: window(repeat(0, 5), repeat(90_000, 5)) };
  const fresh = { topic: 'orders', partition: 2, samples: window([1, 2], [5, 5]) };

  it('is the worst partition: STALL, STOP and REWIND are ERR and the reason names it', () => {
    const { status, partitions } = evaluateGroupWindows([warn, ok, stall]);
    expect(status).toEqual({
      level: 'ERR',
      reason: 'partition 3 of payments: offset 1,204 unchanged for 1 min 30 s while 5,310 behind',
    });
    expect(partitions.map((p) => [p.topic, p.partition, p.status?.level, p.lag])).toEqual([
      ['orders', 0, 'OK', 900n],
      ['orders', 1, 'WARN', 1200n],
      ['payments', 3, 'STALL', 5310n],
    ]);
  });

  it('between partitions of the same level, the one furthest behind; the others are counted', () => {
    expect(evaluateGroupWindows([stall, bigStall]).status).toEqual({
      level: 'ERR',
      reason: 'partition 7 of audit: offset 0 unchanged for 40 s while 90,000 behind (and 1 more partition in error)',
    });
    // REWIND outranks a larger stall.
    const rewind = { topic: 'orders', partition: 9, samples: window([50, 40, 40], [100, 100, 100]) };
    expect(evaluateGroupWindows([bigStall, rewind]).status.reason).toBe(
      'partition 9 of orders: offset went back from 50 to 40 and is 60 behind (and 1 more partition in error)',
    );
  });

  it('WARN when the worst is WARN; OK names the partition furthest behind', () => {
    expect(evaluateGroupWindows([ok, warn, fresh]).status).toEqual({
      level: 'WARN',
      reason: 'partition 1 of orders: falling behind: lag grew from 1,000 to 1,200 in 20 s while committing',
    });
    expect(evaluateGroupWindows([ok, fresh]).status).toEqual({
      level: 'OK',
      reason: '1 partition OK; the furthest behind is partition 0 of orders (900); 1 partition not evaluated yet',
    });
    const caughtUp = { topic: 'orders', partition: 5, samples: window([1, 2, 3], [1, 2, 3]) };
    expect(evaluateGroupWindows([caughtUp, { ...caughtUp, partition: 6 }]).status).toEqual({
      level: 'OK',
      reason: '2 partitions OK',
    });
  });

  it('UNKNOWN when nothing could be evaluated', () => {
    expect(evaluateGroupWindows([fresh]).status).toEqual({
      level: 'UNKNOWN',
      reason: "not evaluated yet: a status needs 3 samples of a partition's committed offset",
    });
    expect(evaluateGroupWindows([]).status.level).toBe('UNKNOWN');
  });

  it("takes the contract's partition rows (lag as a decimal string) as they are", () => {
    const status = evaluateGroup([
      { topic: 'a', partition: 0, lag: '10', status: { level: 'STALL', reason: 'small' } },
      { topic: 'a', partition: 1, lag: '2000', status: { level: 'STALL', reason: 'large' } },
      { topic: 'a', partition: 2, lag: null, status: null },
    ]);
    expect(status).toEqual({ level: 'ERR', reason: 'large (and 1 more partition in error)' });
  });

  it('maps partition levels to group levels', () => {
    expect(['OK', 'WARN', 'STALL', 'STOP', 'REWIND'].map((l) => groupLevel(l as 'OK'))).toEqual([
      'OK',
      'WARN',
      'ERR',
      'ERR',
      'ERR',
    ]);
  });
});
