// The virtualized list of messages. It sticks to the bottom while the user is there (new rows
// show in the frame they arrive in) and stays put once they scroll away; scrolled to the top it
// pages older rows in from the replay log, keeping the rows in view where they were. One tab
// stop for the whole list: ↑/↓, PageUp/PageDown, Home/End move the selection (the selected row
// is the grid's active descendant), Enter opens it in the detail pane, Escape closes the pane.
import { useImperativeHandle, useId, useLayoutEffect, useRef, type KeyboardEvent, type Ref } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RecordDto } from '@common/contract/dto.ts';
import { formatBytes } from '@common/format/numbers.ts';
import { formatTimestamp, type TimeZoneChoice } from '@common/format/timestamps.ts';
import { moveSelection, shownRows } from './list-keys.ts';
import { KeyCell, ValueCell } from './MessageCells.tsx';
import { useFittingChars } from './use-fitting-chars.ts';
import type { TailPhase } from './use-tail.ts';
import { virtualRowStyle } from '../../components/virtual-row-style.ts';

const ROW_HEIGHT_PX = 26;
/** More than the rows a screen can show plus overscan: slot keys stay unique. */
const ROW_SLOTS = 1_024;
/** Until the value column is measured: enough for a wide screen. */
const DEFAULT_PREVIEW_CHARS = 200;

/** A row by its place in the topic: what stays selected while rows shift through the window. */
export interface RowKey {
  partition: number;
  offset: string;
}

const isMoveKey = (key: string): boolean => ['ArrowDown', 'ArrowUp', 'PageDown', 'PageUp', 'Home', 'End'].includes(key);

const sameRow = (a: RowKey | null, b: RowKey): boolean =>
  a !== null && a.partition === b.partition && a.offset === b.offset;

/** What the view asks of the list. */
export interface MessageListHandle {
  /** Follow the newest rows again (a fresh start). */
  follow(): void;
  /** Page older rows in from the log, keeping the rows in view in place. */
  loadOlder(): Promise<void>;
}

export interface MessageListProps {
  rows: RecordDto[];
  phase: TailPhase;
  /** The rows are a search's results (no paging back through the tail's window). */
  searching: boolean;
  olderAvailable: boolean;
  loadingOlder: boolean;
  /** Shown (its tab is the view). */
  active: boolean;
  zone: TimeZoneChoice;
  selected: RowKey | null;
  onSelect(row: RecordDto): void;
  onOpen(row: RecordDto): void;
  onCloseDetail(): void;
  /** Pages older rows into the tail's window; how many came. */
  pageOlder(): Promise<number>;
  handle?: Ref<MessageListHandle>;
}

export function MessageList({
  rows,
  phase,
  searching,
  olderAvailable,
  loadingOlder,
  active,
  zone,
  selected,
  onSelect,
  onOpen,
  onCloseDetail,
  pageOlder,
  handle,
}: MessageListProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const valueHeadRef = useRef<HTMLSpanElement>(null);
  const valueChars = useFittingChars(valueHeadRef, 'mono', DEFAULT_PREVIEW_CHARS);
  const rowIdPrefix = useId();
  const stuckToBottom = useRef(true);
  // No rows rendered beyond the screen while following the live edge: every update replaces
  // all rows on screen, and each costs layout. Scrolled away, overscan keeps scrolling smooth.
  const overscan = stuckToBottom.current ? 1 : 12;
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan,
  });

  // Stick to the bottom while the user is there; leave the view alone once they scroll away.
  // Set before paint: new rows show in the same frame they arrive in.
  // Scrolls only when the list's or the viewport's height changed: once the window is full its
  // height stays the same while rows shift through it, and touching scrollTop would force a
  // layout per update.
  const scrolledTo = useRef('');
  const heights = `${virtualizer.getTotalSize()}:${virtualizer.scrollRect?.height ?? 0}`;
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!el || !active || !stuckToBottom.current || rows.length === 0 || scrolledTo.current === heights) return;
    scrolledTo.current = heights;
    el.scrollTop = el.scrollHeight;
  }, [rows, heights, active]);

  // Back in view: where the user left the list (a hidden element has no scroll position to read).
  const activeRef = useRef(active);
  const lastScrollTop = useRef(0);
  useLayoutEffect(() => {
    activeRef.current = active;
    const el = scrollRef.current;
    if (!active || !el) return;
    if (stuckToBottom.current) el.scrollTop = el.scrollHeight;
    else el.scrollTop = lastScrollTop.current;
    // Chromium may give a shown element its old scroll position back by itself, and setting the
    // same value fires no scroll event: the virtualizer would keep drawing the rows of the offset
    // it last read while hidden (0). Tell it to read the offset again.
    el.dispatchEvent(new Event('scroll'));
  }, [active]);

  const loadOlder = async (): Promise<void> => {
    const added = await pageOlder();
    // Keep the rows the user was looking at in place.
    if (added > 0 && scrollRef.current) {
      stuckToBottom.current = false;
      scrollRef.current.scrollTop = added * ROW_HEIGHT_PX;
      lastScrollTop.current = scrollRef.current.scrollTop;
    }
  };

  useImperativeHandle(handle, () => ({
    follow: () => {
      stuckToBottom.current = true;
      scrolledTo.current = '';
    },
    loadOlder,
  }));

  const onScroll = async (): Promise<void> => {
    const el = scrollRef.current;
    if (!el || !activeRef.current) return;
    // Only the user scrolling up unsticks the list; rows arriving (the content growing under
    // a scroll in flight) must not, or a fast tail would drift away from its newest rows.
    if (el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT_PX * 2) {
      if (!stuckToBottom.current) scrolledTo.current = ''; // back at the bottom: snap to it on the next update
      stuckToBottom.current = true;
    } else if (el.scrollTop < lastScrollTop.current) stuckToBottom.current = false;
    lastScrollTop.current = el.scrollTop;
    if (el.scrollTop === 0 && !searching && olderAvailable && !loadingOlder) await loadOlder();
  };

  /** The keys of a list: move the selection and keep it in view; Enter opens it. */
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const el = scrollRef.current;
    if (!el || e.target !== el || e.altKey || e.ctrlKey || e.metaKey) return;
    if (e.key === 'Escape') return onCloseDetail();
    const at = selected ? rows.findIndex((r) => sameRow(selected, r)) : -1;
    if (e.key === 'Enter') {
      if (at >= 0) onOpen(rows[at]!);
      return;
    }
    const to = moveSelection(e.key, {
      count: rows.length,
      selected: at,
      ...shownRows(el.scrollTop, el.clientHeight, ROW_HEIGHT_PX, rows.length),
    });
    if (to === null) {
      // A move over an empty list is still the list's (no page scroll); other keys go on.
      if (rows.length === 0 && isMoveKey(e.key)) e.preventDefault();
      return;
    }
    e.preventDefault(); // the keys move the selection, not the scroll position
    onSelect(rows[to]!);
    if (to === rows.length - 1) {
      // At the newest row: follow the tail again, as scrolling to the bottom does.
      stuckToBottom.current = true;
      scrolledTo.current = '';
      el.scrollTop = el.scrollHeight;
    } else {
      // Reading older rows: the list no longer follows, or new rows would carry the selection away.
      stuckToBottom.current = false;
      virtualizer.scrollToIndex(to, { align: 'auto' });
    }
  };

  const items = virtualizer.getVirtualItems();
  const activeRow = items.find((item) => sameRow(selected, rows[item.index]!));
  const rowId = (r: RowKey): string => `${rowIdPrefix}-${r.partition}-${r.offset}`;

  return (
    <div className="messages-list">
      <div className="vgrid-head messages-grid" role="row">
        <span className="num">Part.</span>
        <span className="num">Offset</span>
        <span
          title={
            zone === 'utc'
              ? 'Record timestamps in UTC (Settings → Time zone)'
              : 'Record timestamps in this machine’s time zone (Settings → Time zone)'
          }
          data-testid="time-header"
        >
          Time ({zone === 'utc' ? 'UTC' : 'local'})
        </span>
        <span>Key</span>
        <span ref={valueHeadRef}>Value</span>
        <span className="num">Size</span>
        <span className="num">Hdrs</span>
      </div>
      <div
        className="vgrid-body"
        ref={scrollRef}
        onScroll={() => void onScroll()}
        onKeyDown={onKeyDown}
        tabIndex={0}
        role="grid"
        aria-label="Messages (arrow keys move the selection, Enter opens it)"
        aria-rowcount={rows.length}
        aria-activedescendant={activeRow ? rowId(rows[activeRow.index]!) : undefined}
        data-testid="message-list"
      >
        {loadingOlder && <div className="meta">Loading older records from the replay log…</div>}
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => {
            const r = rows[item.index]!;
            const isSelected = sameRow(selected, r);
            return (
              <div
                // Keyed by slot, not by record: when rows shift (a tail appends, the user
                // scrolls) React rewrites the text of the rows on screen instead of
                // replacing them all with new elements.
                key={item.index % ROW_SLOTS}
                id={rowId(r)}
                role="row"
                aria-rowindex={item.index + 1}
                aria-selected={isSelected}
                className={`vgrid-row messages-grid${isSelected ? ' selected' : ''}`}
                style={virtualRowStyle(item.start, ROW_HEIGHT_PX)}
                onClick={() => {
                  onSelect(r);
                  onOpen(r);
                }}
                data-testid="message-row"
                data-partition={r.partition}
                data-offset={r.offset}
              >
                <span className="num">{r.partition}</span>
                <span className="num mono">{r.offset}</span>
                <span className="mono" data-testid="message-time">
                  {formatTimestamp(r.timestamp, zone)}
                </span>
                <KeyCell p={r.key} />
                <ValueCell p={r.value} chars={valueChars} />
                <span className="num">{r.value === null ? '' : formatBytes(r.value.size)}</span>
                <span className="num">{r.headers.length || ''}</span>
              </div>
            );
          })}
        </div>
        {rows.length === 0 && phase !== 'idle' && (
          <p className="empty">{searching ? 'No stored record matches.' : 'No records yet.'}</p>
        )}
        {phase === 'idle' && (
          <p className="empty">Choose where to start and press Start. Reading never joins a consumer group.</p>
        )}
      </div>
    </div>
  );
}
