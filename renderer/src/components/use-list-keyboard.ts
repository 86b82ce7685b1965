// Keyboard navigation of a list, shared by every list of the app but the message list (which
// has its own, list-keys.ts): ↑/↓ move the focus one item, Home/End to the first and last,
// Enter opens the focused item. The list is one tab stop (a roving tabindex: the item last
// focused is the one Tab lands on), and the focus ring shows where the keyboard is.
//
// Items are the elements inside the container that carry `data-list-item`. Two kinds of list:
// - counted (`count` given): item i carries `data-list-index={i}`, and the list may be
//   virtualized: an item not in the DOM is scrolled to (`scrollToIndex`) and focused once drawn;
// - small lists (no `count`): the items are whatever is in the DOM, in document order (the
//   rail, whose items are buttons that open themselves on Enter).
import { useCallback, useEffect, useRef, useState, type FocusEvent, type KeyboardEvent } from 'react';

export interface ListKeyboardOptions {
  /** How many items a counted (possibly virtualized) list has. */
  count?: number;
  /** Opens item i (Enter). Without it Enter is left to the item (a button clicks itself). */
  onOpen?: (index: number) => void;
  /** Brings item i into the DOM (a virtualizer's scrollToIndex). */
  scrollToIndex?: (index: number) => void;
}

export interface ListKeyboard<E extends HTMLElement> {
  /** Spread on the element that holds the items. */
  containerProps: { ref: (element: E | null) => void; onKeyDown: (e: KeyboardEvent<HTMLElement>) => void };
  /** Spread on item i of a counted list. */
  itemProps: (index: number) => {
    'data-list-item': '';
    'data-list-index': number;
    tabIndex: number;
    onFocus: (e: FocusEvent<HTMLElement>) => void;
  };
}

const ITEM = '[data-list-item]';

export function useListKeyboard<E extends HTMLElement = HTMLElement>({
  count,
  onOpen,
  scrollToIndex,
}: ListKeyboardOptions = {}): ListKeyboard<E> {
  const containerRef = useRef<E | null>(null);
  const [active, setActive] = useState(0);
  // An item asked for that is not drawn yet (a virtualized list scrolling to it).
  const pending = useRef<number | null>(null);
  const counted = count !== undefined;
  const tabStop = counted ? Math.max(0, Math.min(active, count - 1)) : active;

  const itemAt = useCallback(
    (index: number): HTMLElement | null =>
      containerRef.current?.querySelector<HTMLElement>(`${ITEM}[data-list-index="${index}"]`) ?? null,
    [],
  );

  const focusCounted = (index: number): void => {
    setActive(index);
    const element = itemAt(index);
    if (element) {
      pending.current = null;
      element.focus();
      element.scrollIntoView?.({ block: 'nearest' });
    } else {
      pending.current = index;
      scrollToIndex?.(index);
    }
  };

  // After a render, focus the item a key asked for if it has been drawn since.
  useEffect(() => {
    if (pending.current === null) return;
    const element = itemAt(pending.current);
    if (element) {
      pending.current = null;
      element.focus();
    }
  });

  const onKeyDown = (e: KeyboardEvent<HTMLElement>): void => {
    if (e.altKey || e.ctrlKey || e.metaKey || e.shiftKey) return;
    const target = e.target as HTMLElement;
    // Keys typed into a control inside an item (a checkbox) are that control's.
    if (!target.matches(ITEM)) return;
    const container = containerRef.current;
    if (!container) return;
    if (counted) {
      const index = Number(target.dataset['listIndex']);
      if (!Number.isInteger(index) || count === 0) return;
      const next = {
        ArrowDown: Math.min(index + 1, count - 1),
        ArrowUp: Math.max(index - 1, 0),
        Home: 0,
        End: count - 1,
      }[e.key];
      if (next !== undefined) {
        e.preventDefault();
        focusCounted(next);
      } else if (e.key === 'Enter' && onOpen) {
        e.preventDefault();
        onOpen(index);
      }
      return;
    }
    const items = [...container.querySelectorAll<HTMLElement>(ITEM)].filter(
      (el) => !(el as HTMLButtonElement).disabled,
    );
    const index = items.indexOf(target);
    if (index < 0 || items.length === 0) return;
    const next = {
      ArrowDown: Math.min(index + 1, items.length - 1),
      ArrowUp: Math.max(index - 1, 0),
      Home: 0,
      End: items.length - 1,
    }[e.key];
    if (next !== undefined) {
      e.preventDefault();
      setActive(next);
      items[next]!.focus();
    } else if (e.key === 'Enter' && onOpen) {
      e.preventDefault();
      onOpen(index);
    }
  };

  const ref = useCallback((element: E | null) => {
    containerRef.current = element;
  }, []);

  return {
    containerProps: { ref, onKeyDown },
    itemProps: (index) => ({
      'data-list-item': '',
      'data-list-index': index,
      tabIndex: index === tabStop ? 0 : -1,
      onFocus: (e) => {
        if (e.target === e.currentTarget) setActive(index);
      },
    }),
  };
}
