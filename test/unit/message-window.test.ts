import { describe, expect, it } from 'vitest';
import {
  appendLive,
  emptyWindow,
  oldestCursor,
  prependOlder,
  reattach,
} from '../../renderer/src/features/messages/message-window.ts';
import { bareRecord } from '../support/bare-record.ts';

const rec = bareRecord;
const range = (partition: number, from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => rec(partition, from + i));

describe('message window', () => {
  it('keeps at most max rows, dropping the oldest while live', () => {
    let w = emptyWindow();
    for (let i = 0; i < 10; i++) w = appendLive(w, range(0, i * 100, i * 100 + 100), 250);
    expect(w.rows).toHaveLength(250);
    expect(w.rows[0]!.offset).toBe('750');
    expect(w.olderAvailable).toBe(true);
    expect(w.liveNext).toEqual({ 0: '1000' });
  });

  it('pages older rows in and detaches from the live edge when full, counting what it hides', () => {
    let w = appendLive(emptyWindow(), range(0, 900, 1000), 150);
    expect(oldestCursor(w, [0, 1])).toEqual({ 0: '900' });
    w = prependOlder(w, range(0, 800, 900), true, 150);
    expect(w.rows).toHaveLength(150);
    expect(w.rows[0]!.offset).toBe('800');
    expect(w.rows[149]!.offset).toBe('949');
    expect(w.detached).toBe(true);
    w = appendLive(w, range(0, 1000, 1010), 150);
    expect(w.newerHidden).toBe(10);
    expect(w.rows[149]!.offset).toBe('949');
    expect(w.liveNext).toEqual({ 0: '1010' });
    w = reattach(w, range(0, 960, 1010), true);
    expect(w).toMatchObject({ detached: false, newerHidden: 0, olderAvailable: true });
  });

  it('pages a partition with no rows back from its live edge', () => {
    const w = appendLive(emptyWindow(), [rec(1, 5)]);
    expect(oldestCursor({ ...w, rows: [] }, [1])).toEqual({ 1: '6' });
  });
});
