// The command palette's filter (renderer/src/features/palette/fuzzy.ts): in-order matching,
// ranking of whole-word and substring matches, and what it refuses.
import { describe, expect, it } from 'vitest';
import { fuzzyFilter, fuzzyMatch } from '../../renderer/src/features/palette/fuzzy.ts';

describe('fuzzyMatch', () => {
  it('matches the query characters in order, case ignored, and says where', () => {
    expect(fuzzyMatch('ordv', 'Orders-v2')?.positions).toEqual([0, 1, 2, 7]);
    expect(fuzzyMatch('OV2', 'orders-v2')).not.toBeNull();
  });

  it('refuses a label missing a character or holding them in another order', () => {
    expect(fuzzyMatch('ordx', 'orders')).toBeNull();
    expect(fuzzyMatch('sro', 'orders')).toBeNull();
  });

  it('matches everything, unmarked, on an empty query', () => {
    expect(fuzzyMatch('  ', 'anything')).toEqual({ score: 0, positions: [] });
  });
});

describe('fuzzyFilter', () => {
  const labels = ['payments-dlq', 'Settings', 'overdue', 'orders', 'order-shipments', 'fraud-scoring'];

  it('ranks a prefix above a substring above a scattered match', () => {
    expect(fuzzyFilter('ord', labels, (l) => l).map((r) => r.item)).toEqual(['orders', 'order-shipments', 'overdue']);
    expect(fuzzyFilter('ship', labels, (l) => l)[0]?.item).toBe('order-shipments');
  });

  it('keeps the given order among equal matches and drops non-matches', () => {
    expect(fuzzyFilter('', labels, (l) => l).map((r) => r.item)).toEqual(labels);
    expect(fuzzyFilter('zzz', labels, (l) => l)).toEqual([]);
  });

  it('finds Settings by a few letters', () => {
    expect(fuzzyFilter('sett', labels, (l) => l)[0]?.item).toBe('Settings');
  });
});
