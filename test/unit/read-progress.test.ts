// What each Fetch answer proves about a partition (src/node/kafka/read-progress.ts), without a
// broker: an empty answer is never "the end"; rotation gives every partition its turn first;
// a compacted tail is skipped only on proof; a batch larger than the budget grows it; a
// partition that cannot advance is an error naming it.
import { describe, expect, it } from 'vitest';
import { DEFAULT_FETCH_LIMITS, fetchLimitsFromEnv } from '../../src/node/kafka/fetch-limits.ts';
import {
  GAP_PROOF_ANSWERS,
  ReadProgress,
  STARVED_ROUNDS_LIMIT,
  TRUNCATION_PROOF_ANSWERS,
  type PartitionAnswer,
} from '../../src/node/kafka/read-progress.ts';

const limits = { ...DEFAULT_FETCH_LIMITS, partitionMaxBytes: 1000, largestBatchBytes: 100_000 };

function progress(start: [number, bigint][], end: [number, bigint][], follow = false): ReadProgress {
  return new ReadProgress({
    topic: 't',
    start: new Map(start),
    end: new Map(end),
    follow,
    readCommitted: true,
    limits,
  });
}

function answer(overrides: Partial<PartitionAnswer>): PartitionAnswer {
  return {
    position: 1,
    highWatermark: 100n,
    lastStableOffset: 100n,
    throttled: false,
    nextOffset: null,
    truncatedBatchBytes: null,
    ...overrides,
  };
}

describe('read progress', () => {
  it('advances past the batches returned, and is done at the end offset', () => {
    const p = progress([[0, 0n]], [[0, 100n]]);
    const c = p.get(0)!;
    expect(p.settle(c, answer({ nextOffset: 40n }))).toEqual({ from: 0n, to: 40n });
    expect(c.done).toBe(false);
    expect(p.settle(c, answer({ nextOffset: 100n }))).toEqual({ from: 40n, to: 100n });
    expect(c.done).toBe(true);
  });

  it('an empty answer behind others (the response budget was spent) is not the end: the partition waits its turn', () => {
    const p = progress(
      [
        [0, 0n],
        [5, 0n],
      ],
      [
        [0, 100n],
        [5, 100n],
      ],
    );
    const c5 = p.get(5)!;
    // However long: with hundreds of partitions on a broker, one waits many rounds for its turn.
    for (let i = 0; i < STARVED_ROUNDS_LIMIT * 10; i++)
      expect(p.settle(c5, answer({ position: 1 + (i % 300) }))).toBeNull();
    expect(c5.done).toBe(false);
    expect(c5.next).toBe(0n);
  });

  it('rotation: partitions that advanced go to the back, starved ones come first', () => {
    const p = progress(
      [
        [0, 0n],
        [1, 0n],
        [2, 0n],
      ],
      [
        [0, 9n],
        [1, 9n],
        [2, 9n],
      ],
    );
    expect(p.active().map((c) => c.partition)).toEqual([0, 1, 2]);
    p.rotate(new Set([0, 1]));
    expect(p.active().map((c) => c.partition)).toEqual([2, 0, 1]);
  });

  it('skips a gap only on proof: first in an unthrottled request, empty, several times in a row, with offsets past it', () => {
    const p = progress([[0, 50n]], [[0, 100n]]);
    const c = p.get(0)!;
    // Throttled: proves nothing.
    expect(p.settle(c, answer({ position: 0, throttled: true }))).toBeNull();
    expect(c.next).toBe(50n);
    // First and unthrottled, but once is not enough (a tiered-storage read that timed out is empty too).
    for (let i = 1; i < GAP_PROOF_ANSWERS; i++)
      expect(p.settle(c, answer({ position: 0, lastStableOffset: 100n }))).toBeNull();
    expect(c.next).toBe(50n);
    // Again: no batch is left below the last stable offset.
    expect(p.settle(c, answer({ position: 0, lastStableOffset: 100n }))).toEqual({ from: 50n, to: 100n });
    expect(c.done).toBe(true);
  });

  it('an answer further back in between starts the proof over', () => {
    const p = progress([[0, 50n]], [[0, 100n]]);
    const c = p.get(0)!;
    for (let i = 1; i < GAP_PROOF_ANSWERS; i++) p.settle(c, answer({ position: 0 }));
    expect(p.settle(c, answer({ nextOffset: 60n }))).toEqual({ from: 50n, to: 60n });
    for (let i = 1; i < GAP_PROOF_ANSWERS; i++) expect(p.settle(c, answer({ position: 0 }))).toBeNull();
    expect(c.next).toBe(60n);
  });

  it('reads to the last stable offset under read_committed (an open transaction past it is not waited for)', () => {
    const p = progress([[0, 0n]], [[0, 10n]]);
    const c = p.get(0)!;
    expect(p.settle(c, answer({ nextOffset: 10n, highWatermark: 15n, lastStableOffset: 10n }))).toEqual({
      from: 0n,
      to: 10n,
    });
    expect(c.done).toBe(true);
  });

  it('a batch cut short grows the budget (up to the largest batch) and keeps the offset', () => {
    const p = progress([[0, 0n]], [[0, 100n]]);
    const c = p.get(0)!;
    expect(p.settle(c, answer({ truncatedBatchBytes: 5000 }))).toBeNull();
    expect(c.maxBytes).toBe(5000);
    expect(c.next).toBe(0n);
    expect(p.settle(c, answer({ nextOffset: 1n }))).toEqual({ from: 0n, to: 1n });
    expect(c.maxBytes).toBe(limits.partitionMaxBytes);
    expect(() => p.settle(c, answer({ truncatedBatchBytes: 200_000 }))).toThrow(
      /Partition 0 of "t" has a record batch of 200000 bytes at offset 1/,
    );
  });

  it('a partition that cannot advance while first in its request (its batch never comes whole) is an error that names it', () => {
    const p = progress([[3, 7n]], [[3, 100n]]);
    const c = p.get(3)!;
    for (let i = 1; i < STARVED_ROUNDS_LIMIT; i++)
      expect(p.settle(c, answer({ position: 0, truncatedBatchBytes: 5000 }))).toBeNull();
    expect(() => p.settle(c, answer({ position: 0, truncatedBatchBytes: 5000 }))).toThrow(
      /Partition 3 of "t" does not advance at offset 7.*up to 100/,
    );
  });

  it('a log truncated below the end seen at the start stops there, and says so', () => {
    const p = progress([[0, 80n]], [[0, 100n]]);
    const c = p.get(0)!;
    // Not on one answer: a new leader's high watermark can lag for a moment.
    for (let i = 1; i < TRUNCATION_PROOF_ANSWERS; i++)
      expect(p.settle(c, answer({ position: 0, highWatermark: 80n, lastStableOffset: 80n }))).toBeNull();
    expect(c.done).toBe(false);
    expect(p.settle(c, answer({ position: 0, highWatermark: 80n, lastStableOffset: 80n }))).toBeNull();
    expect(c.done).toBe(true);
    expect(p.notices[0]).toMatch(/Partition 0 of "t" now ends at offset 80, below 100/);
  });

  it('a rewind can take a finished partition back below its end', () => {
    const p = progress([[0, 0n]], [[0, 10n]]);
    const c = p.get(0)!;
    p.settle(c, answer({ nextOffset: 10n }));
    expect(c.done).toBe(true);
    p.rewind(new Map([[0, 4n]]));
    expect([c.next, c.done]).toEqual([4n, false]);
  });

  it('following: nothing new is not an error, however long', () => {
    const p = progress([[0, 100n]], [[0, 100n]], true);
    const c = p.get(0)!;
    for (let i = 0; i < STARVED_ROUNDS_LIMIT * 2; i++) expect(p.settle(c, answer({ position: 0 }))).toBeNull();
    expect(c.done).toBe(false);
  });

  it('fetch limits can be lowered through the environment, and refuse nonsense by name', () => {
    expect(
      fetchLimitsFromEnv({ EVENTSCOPE_FETCH_MAX_BYTES: '65536', EVENTSCOPE_PARTITION_FETCH_MAX_BYTES: '16384' }),
    ).toMatchObject({ responseMaxBytes: 65536, partitionMaxBytes: 16384 });
    expect(fetchLimitsFromEnv({})).toEqual(DEFAULT_FETCH_LIMITS);
    expect(() => fetchLimitsFromEnv({ EVENTSCOPE_FETCH_MAX_BYTES: 'lots' })).toThrow(
      /EVENTSCOPE_FETCH_MAX_BYTES=lots is not a byte count/,
    );
  });
});
