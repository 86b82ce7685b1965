// The bounded window of rows the message list holds in memory. Live records append at the
// bottom and push the oldest out of the top; scrolling up pages older rows in from the
// replay log and, when the window is full, pushes the newest out of the bottom — the list is
// then "detached" from the live edge and counts what it is not showing until the user jumps
// back. Memory stays flat however long a tail runs.
import type { RecordDto } from '@common/contract/dto.ts';

export const MAX_WINDOW_ROWS = 50_000;

export interface MessageWindow {
  rows: RecordDto[];
  /** Rows pushed out of the top since the window was last at the log's start (older rows exist). */
  olderAvailable: boolean;
  /** Rows this window pushed out of its top (they are in the replay log); paging older rows back in counts down. */
  droppedOlder: number;
  /** The window no longer reaches the live edge; newerHidden live records arrived meanwhile. */
  detached: boolean;
  newerHidden: number;
  /**
   * Per partition, the offset after the newest record received live (for jump-to-latest and
   * paging back). Not for resume: it lacks partitions that delivered nothing and the gaps after
   * the last record; use-tail resumes at the host's nextOffsets.
   */
  liveNext: Record<string, string>;
}

export function emptyWindow(): MessageWindow {
  return { rows: [], olderAvailable: false, droppedOlder: 0, detached: false, newerHidden: 0, liveNext: {} };
}

function advanceLive(liveNext: Record<string, string>, records: readonly RecordDto[]): Record<string, string> {
  // The newest offset per partition in this batch first (string compare, no BigInt per record).
  const newest = new Map<number, string>();
  for (const r of records) {
    const known = newest.get(r.partition);
    if (known === undefined || isGreaterOffset(r.offset, known)) newest.set(r.partition, r.offset);
  }
  const next = { ...liveNext };
  for (const [partition, offset] of newest) {
    const after = (BigInt(offset) + 1n).toString();
    const known = next[partition];
    if (known === undefined || isGreaterOffset(after, known)) next[partition] = after;
  }
  return next;
}

/** a > b for non-negative decimal offsets without leading zeros. */
function isGreaterOffset(a: string, b: string): boolean {
  return a.length !== b.length ? a.length > b.length : a > b;
}

export function appendLive(window: MessageWindow, records: readonly RecordDto[], max = MAX_WINDOW_ROWS): MessageWindow {
  const liveNext = advanceLive(window.liveNext, records);
  if (window.detached) return { ...window, liveNext, newerHidden: window.newerHidden + records.length };
  const rows = window.rows.concat(records);
  const overflow = rows.length - max;
  return overflow > 0
    ? {
        ...window,
        rows: rows.slice(overflow),
        olderAvailable: true,
        droppedOlder: window.droppedOlder + overflow,
        liveNext,
      }
    : { ...window, rows, liveNext };
}

export function prependOlder(
  window: MessageWindow,
  older: readonly RecordDto[],
  more: boolean,
  max = MAX_WINDOW_ROWS,
): MessageWindow {
  const rows = older.concat(window.rows);
  const overflow = rows.length - max;
  const droppedOlder = more ? Math.max(0, window.droppedOlder - older.length) : 0;
  if (overflow <= 0) return { ...window, rows, olderAvailable: more, droppedOlder };
  return { ...window, rows: rows.slice(0, max), olderAvailable: more, droppedOlder, detached: true };
}

/** Per partition, the offset of the oldest row shown: where the next page of older rows ends. */
export function oldestCursor(window: MessageWindow, partitions: readonly number[]): Record<string, string> {
  const cursor: Record<string, string> = {};
  for (const r of window.rows) {
    const known = cursor[r.partition];
    if (known === undefined || BigInt(r.offset) < BigInt(known)) cursor[r.partition] = r.offset;
  }
  // A partition with no row shown yet pages back from its live edge.
  for (const p of partitions)
    if (cursor[p] === undefined && window.liveNext[p] !== undefined) cursor[p] = window.liveNext[p]!;
  return cursor;
}

/** Back to the live edge with the given newest rows (read from the log). */
export function reattach(window: MessageWindow, newest: readonly RecordDto[], more: boolean): MessageWindow {
  return {
    ...window,
    rows: [...newest],
    olderAvailable: more,
    droppedOlder: more ? Math.max(1, window.droppedOlder + window.rows.length + window.newerHidden - newest.length) : 0,
    detached: false,
    newerHidden: 0,
  };
}
