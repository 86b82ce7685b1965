// Where a key moves the selection of a list: ↑/↓ one row, PageUp/PageDown a screen (less one
// row, so the row last seen stays in view), Home/End the first and last rows. With nothing
// selected (or the selection gone from the rows), a move starts from the rows on screen. Pure:
// unit-tested alone (test/unit/list-keys.test.ts); MessageList.tsx applies it.

export interface ListView {
  /** Rows in the list. */
  count: number;
  /** The selected row's index, -1 for none. */
  selected: number;
  /** The first and last rows wholly on screen. */
  firstShown: number;
  lastShown: number;
  /** Rows a PageUp/PageDown moves. */
  page: number;
}

/** The index the key selects, or null for a key that is not a move (or an empty list). */
export function moveSelection(key: string, v: ListView): number | null {
  if (v.count === 0) return null;
  const { selected: at, firstShown, lastShown, page } = v;
  let to: number;
  switch (key) {
    case 'ArrowDown':
      to = at >= 0 ? at + 1 : firstShown;
      break;
    case 'ArrowUp':
      to = at >= 0 ? at - 1 : lastShown;
      break;
    case 'PageDown':
      to = (at >= 0 ? at : firstShown) + page;
      break;
    case 'PageUp':
      to = (at >= 0 ? at : lastShown) - page;
      break;
    case 'Home':
      to = 0;
      break;
    case 'End':
      to = v.count - 1;
      break;
    default:
      return null;
  }
  return Math.max(0, Math.min(v.count - 1, to));
}

/** The screen of a scrolled list of fixed-height rows: the rows wholly shown and the page size. */
export function shownRows(
  scrollTop: number,
  viewportHeight: number,
  rowHeight: number,
  count: number,
): Pick<ListView, 'firstShown' | 'lastShown' | 'page'> {
  const last = Math.max(0, count - 1);
  const firstShown = Math.min(last, Math.ceil(scrollTop / rowHeight));
  return {
    firstShown,
    // A viewport lower than a row shows none wholly: the first is also the last.
    lastShown: Math.min(last, Math.max(firstShown, Math.floor((scrollTop + viewportHeight) / rowHeight) - 1)),
    page: Math.max(1, Math.floor(viewportHeight / rowHeight) - 1),
  };
}
