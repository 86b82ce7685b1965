// The JavaScript filter's answer cache stays bounded however long a live tail runs, and the
// rows the list holds stay answered (no row is tested twice while it is in the window).
import { describe, expect, it } from 'vitest';
import type { RecordDto } from '../../src/common/contract/dto.ts';
import { PREDICATE_CACHE_MAX, PredicateCache } from '../../renderer/src/features/messages/predicate-cache.ts';
import {
  appendLive,
  emptyWindow,
  MAX_WINDOW_ROWS,
  prependOlder,
} from '../../renderer/src/features/messages/message-window.ts';
import { bareRecord } from '../support/bare-record.ts';

const rec = bareRecord;
/** A stand-in for the user's expression: deterministic, so an answer read back can be checked. */
const matches = (r: RecordDto): boolean => Number(r.offset) % 3 === 0;

/** What use-predicate-filter does after each update: test the rows not answered yet. */
function testUntested(cache: PredicateCache, rows: readonly RecordDto[]): number {
  const untested = rows.filter((r) => !cache.has(r));
  cache.record(untested, untested.map(matches));
  return untested.length;
}

describe('predicate cache', () => {
  it('stays bounded over a long live tail, and keeps every row of the window answered', () => {
    const windowMax = 2_000;
    const cache = new PredicateCache(2 * windowMax);
    let w = emptyWindow();
    let offset = 0;
    let tested = 0;
    for (let flush = 0; flush < 400; flush++) {
      const batch = Array.from({ length: 250 }, (_, i) => rec(i % 4, offset + i));
      offset += batch.length;
      w = appendLive(w, batch, windowMax);
      tested += testUntested(cache, w.rows);
      expect(cache.size).toBeLessThanOrEqual(cache.max);
      // Only the new rows were sent to the worker: the window's older rows were still answered.
      expect(tested).toBe(offset);
    }
    expect(offset).toBe(100_000);
    expect(cache.size).toBe(2 * windowMax);
    for (const r of w.rows) expect(cache.get(r)).toBe(matches(r));
  });

  it('with its default size, holds twice the message window and no more', () => {
    const cache = new PredicateCache();
    expect(cache.max).toBe(PREDICATE_CACHE_MAX);
    expect(PREDICATE_CACHE_MAX).toBe(2 * MAX_WINDOW_ROWS);
    const all = Array.from({ length: PREDICATE_CACHE_MAX + 30_000 }, (_, i) => rec(0, i));
    for (let i = 0; i < all.length; i += 5_000) {
      const batch = all.slice(i, i + 5_000);
      cache.record(batch, batch.map(matches));
    }
    expect(cache.size).toBe(PREDICATE_CACHE_MAX);
    // The oldest answers went first; the newest are kept.
    expect(cache.has(all[0]!)).toBe(false);
    expect(cache.has(all[29_999]!)).toBe(false);
    expect(cache.get(all[30_000]!)).toBe(matches(all[30_000]!));
    expect(cache.get(all.at(-1)!)).toBe(matches(all.at(-1)!));
  });

  it('stays bounded when older rows are paged in and the window detaches', () => {
    const windowMax = 1_000;
    const cache = new PredicateCache(2 * windowMax);
    let w = emptyWindow();
    w = appendLive(
      w,
      Array.from({ length: 5_000 }, (_, i) => rec(0, 10_000 + i)),
      windowMax,
    );
    testUntested(cache, w.rows);
    // Scrolling up: pages of older rows push the newest out of the bottom.
    for (let page = 1; page <= 8; page++) {
      const older = Array.from({ length: 500 }, (_, i) => rec(0, 14_000 - page * 500 + i));
      w = prependOlder(w, older, true, windowMax);
      testUntested(cache, w.rows);
      expect(cache.size).toBeLessThanOrEqual(cache.max);
      for (const r of w.rows) expect(cache.get(r)).toBe(matches(r));
    }
    expect(w.detached).toBe(true);
  });

  it('answers a re-tested row with its newest answer, a missing answer as false', () => {
    const cache = new PredicateCache(2);
    cache.record([rec(0, 1), rec(0, 2)], [true]);
    expect(cache.get(rec(0, 1))).toBe(true);
    expect(cache.get(rec(0, 2))).toBe(false);
    // Re-answered, 0:1 is now the newest: adding a third evicts 0:2.
    cache.record([rec(0, 1)], [false]);
    cache.record([rec(0, 3)], [true]);
    expect(cache.get(rec(0, 1))).toBe(false);
    expect(cache.has(rec(0, 2))).toBe(false);
    expect(cache.get(rec(0, 3))).toBe(true);
    expect(cache.get(rec(1, 1))).toBeUndefined();
  });

  it('refuses a size that holds nothing, saying so', () => {
    expect(() => new PredicateCache(0)).toThrow(/at least one answer \(got 0\)/);
    expect(() => new PredicateCache(Number.NaN)).toThrow(/at least one answer/);
  });
});
