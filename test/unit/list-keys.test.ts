// Where the message list's keys move its selection (renderer/src/features/messages/list-keys.ts).
import { describe, expect, it } from 'vitest';
import { moveSelection, shownRows, type ListView } from '../../renderer/src/features/messages/list-keys.ts';

const view = (v: Partial<ListView>): ListView => ({
  count: 100,
  selected: -1,
  firstShown: 40,
  lastShown: 59,
  page: 19,
  ...v,
});

describe('list keys', () => {
  it('moves one row with the arrows, a page with PageUp/PageDown, to the ends with Home/End', () => {
    expect(moveSelection('ArrowDown', view({ selected: 10 }))).toBe(11);
    expect(moveSelection('ArrowUp', view({ selected: 10 }))).toBe(9);
    expect(moveSelection('PageDown', view({ selected: 10 }))).toBe(29);
    expect(moveSelection('PageUp', view({ selected: 30 }))).toBe(11);
    expect(moveSelection('Home', view({ selected: 30 }))).toBe(0);
    expect(moveSelection('End', view({ selected: 30 }))).toBe(99);
  });

  it('stops at the first and the last row', () => {
    expect(moveSelection('ArrowUp', view({ selected: 0 }))).toBe(0);
    expect(moveSelection('PageUp', view({ selected: 5 }))).toBe(0);
    expect(moveSelection('ArrowDown', view({ selected: 99 }))).toBe(99);
    expect(moveSelection('PageDown', view({ selected: 90 }))).toBe(99);
  });

  it('with nothing selected, starts from the rows on screen', () => {
    expect(moveSelection('ArrowDown', view({}))).toBe(40);
    expect(moveSelection('ArrowUp', view({}))).toBe(59);
    expect(moveSelection('PageDown', view({}))).toBe(59);
    expect(moveSelection('PageUp', view({}))).toBe(40);
  });

  it('moves nothing in an empty list, and is no move for other keys', () => {
    for (const key of ['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End'])
      expect(moveSelection(key, view({ count: 0, firstShown: 0, lastShown: 0 }))).toBeNull();
    for (const key of ['Enter', 'Escape', ' ', 'a', 'Tab'])
      expect(moveSelection(key, view({ selected: 3 }))).toBeNull();
  });

  it('reads the screen of a scrolled list: rows wholly shown, a page one row short of them', () => {
    // 26 px rows, 520 px high: 20 rows; scrolled 13 px, row 0 is cut and row 20 half shown.
    expect(shownRows(13, 520, 26, 1_000)).toEqual({ firstShown: 1, lastShown: 19, page: 19 });
    expect(shownRows(0, 520, 26, 1_000)).toEqual({ firstShown: 0, lastShown: 19, page: 19 });
    // Fewer rows than the screen holds; a viewport lower than a row.
    expect(shownRows(0, 520, 26, 5)).toEqual({ firstShown: 0, lastShown: 4, page: 19 });
    expect(shownRows(0, 10, 26, 5)).toEqual({ firstShown: 0, lastShown: 0, page: 1 });
  });
});
