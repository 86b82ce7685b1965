// Messages of a topic: a live tail (or a read from a chosen position) into a virtualized
// list that sticks to the bottom, pages older rows in from the replay log when scrolled to
// the top, filters what it shows, searches everything the log holds, and opens a record in
// the detail pane.
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Position, RecordDto } from '../../../../src/contract/dto.ts';
import { compileFilter, type FilterSpec } from '../../../../src/filters/record-filter.ts';
import { formatBytes, formatCount } from '../../../../src/format/numbers.ts';
import { formatTimestamp, parseTimestamp, type TimeZoneChoice } from '../../../../src/format/timestamps.ts';
import { ErrorNotice, errorText } from '../../components/ErrorNotice.tsx';
import { useConnections } from '../../state/connections-store.ts';
import { rpc } from '../../state/host-store.ts';
import { useNavigation } from '../../state/navigation-store.ts';
import { useTabs } from '../../state/tabs-store.ts';
import type { MessagesQuery } from '../../state/view-routes.ts';
import { useTimeZone } from '../../state/time-zone-store.ts';
import { downloadText } from './download.ts';
import { ProduceDialog } from './ProduceDialog.tsx';
import { RecordDetail } from './RecordDetail.tsx';
import { useLogSearch } from './use-log-search.ts';
import { useFittingChars } from './use-fitting-chars.ts';
import { useTail, type TailProgress, type TailState } from './use-tail.ts';
import { MAX_WINDOW_ROWS } from './message-window.ts';
import { usePredicateFilter } from './use-predicate-filter.ts';

const ROW_HEIGHT_PX = 26;
/** More than the rows a screen can show plus overscan: slot keys stay unique. */
const ROW_SLOTS = 1_024;
/** The list exports at most this many rows; the CLI's "eventscope export" has no limit. */
const MAX_EXPORT_ROWS = 100_000;
/** Until the value column is measured: enough for a wide screen. */
const DEFAULT_PREVIEW_CHARS = 200;
/** The key column is narrow and fixed. */
const KEY_PREVIEW_CHARS = 40;

type FromKind = 'last' | 'latest' | 'earliest' | 'offset' | 'timestamp';
type FilterKind = FilterSpec['kind'] | 'javascript';

/** Cut to what the column can show: the browser shapes every character of a cell's text, shown or not. */
function preview(p: NonNullable<RecordDto['value']>, chars: number): string {
  const text = p.encoding === 'utf8' ? p.text : `base64:${p.base64}`;
  return text.length > chars ? text.slice(0, chars) + '…' : text;
}

/** A key cell: its text, or a mark for no key (null), never the word "null" (a key may be that text). */
function KeyCell({ p }: { p: RecordDto['key'] }) {
  return p === null ? (
    <span className="mono cell null-mark" data-testid="message-key" data-null="true" title="This record has no key (null)">
      no key
    </span>
  ) : (
    <span className="mono cell" data-testid="message-key">{preview(p, KEY_PREVIEW_CHARS)}</span>
  );
}

/** A value cell: its text, or a tombstone badge for a null value (it deletes the key in a compacted topic). */
function ValueCell({ p, chars }: { p: RecordDto['value']; chars: number }) {
  return p === null ? (
    <span className="mono cell" data-testid="message-value" data-tombstone="true" title="A null value: a tombstone, which deletes this key in a compacted topic">
      <span className="badge badge-tombstone">tombstone</span>
    </span>
  ) : (
    <span className="mono cell" data-testid="message-value">{preview(p, chars)}</span>
  );
}

/** The banner under the toolbar: what the tail is doing, in words, with the rate while records arrive. */
function statusBanner(state: TailState): { className: string; text: string } | null {
  const rate = state.rate > 0 ? ` · ${formatCount(state.rate)} records/s` : '';
  switch (state.phase) {
    case 'live':
      return { className: 'notice-live', text: rate ? `${(state.message ?? 'Live').replace(/\.$/, '')}${rate}` : (state.message ?? 'Live.') };
    case 'caught-up':
      return { className: 'notice-ok', text: state.message ?? 'Caught up.' };
    case 'outage':
      return state.message ? { className: 'notice-error', text: state.message } : null;
    case 'paused':
      return state.message ? { className: 'notice-warning', text: state.message } : null;
    case 'done':
      return state.message ? { className: 'notice-ok', text: state.message } : null;
    default:
      return null;
  }
}

function positionOf(kind: FromKind, value: string, zone: TimeZoneChoice): Position | string {
  switch (kind) {
    case 'latest':
    case 'earliest':
      return { kind };
    case 'last':
      return /^\d{1,12}$/.test(value) ? { kind: 'last', count: value } : 'Give how many of the last records to show (a whole number).';
    case 'offset':
      return /^\d{1,19}$/.test(value) ? { kind: 'offset', offset: value } : 'Give an offset (a whole number).';
    case 'timestamp': {
      // Read in the chosen time zone unless it names its own; other forms as the browser reads them.
      const ms = parseTimestamp(value, zone) ?? Date.parse(value);
      return Number.isFinite(ms) ? { kind: 'timestamp', timestamp: ms } : `Give a time like 2026-11-26 10:00:00 (${zone === 'utc' ? 'UTC' : 'local time'}) or 2026-11-26T10:00:00Z.`;
    }
  }
}

/** The start position as an address carries it (view-routes.ts MessagesQuery.from). */
function fromText(position: Position): string | undefined {
  switch (position.kind) {
    case 'earliest':
    case 'latest':
      return position.kind;
    case 'last':
      return `last:${position.count}`;
    case 'offset':
      return `offset:${position.offset}`;
    case 'timestamp':
      return `time:${new Date(position.timestamp).toISOString()}`;
    default:
      return undefined;
  }
}

/** The form's start fields for an address's from= (null: none, or not one this view reads). */
function fromFields(from: string | undefined): { kind: FromKind; value: string } | null {
  if (from === 'earliest' || from === 'latest') return { kind: from, value: '' };
  const m = /^(last|offset|time):(.+)$/.exec(from ?? '');
  if (!m) return null;
  if (m[1] === 'time') return { kind: 'timestamp', value: /^\d+$/.test(m[2]!) ? new Date(Number(m[2])).toISOString() : m[2]! };
  return { kind: m[1] as 'last' | 'offset', value: m[2]! };
}

/** The filter fields for an address's filter= ("kind:text"). */
function filterFields(filter: string | undefined): { kind: FilterKind; text: string } {
  const m = /^(contains|regex|jsonPath|javascript):([\s\S]*)$/.exec(filter ?? '');
  return m ? { kind: m[1] as FilterKind, text: m[2]! } : { kind: 'contains', text: '' };
}

function formatDuration(seconds: number): string {
  if (!Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

/** Progress of a read against the end offsets seen at its start, until it has caught up with them. */
function ProgressLine({ progress, rate, running }: { progress: TailProgress; rate: number; running: boolean }) {
  if (progress.target === 0) return null;
  const finished = progress.done >= progress.target;
  const pct = finished ? 100 : Math.min(99, Math.floor((progress.done * 100) / progress.target));
  const left = progress.target - progress.done;
  const elapsed = ((progress.finishedAt ?? Date.now()) - progress.startedAt) / 1000;
  const detail = finished
    ? `in ${formatDuration(elapsed)}`
    : running && rate > 0
      ? `${formatCount(rate)} records/s · about ${formatDuration(left / rate)} left`
      : running
        ? 'reading…'
        : 'stopped';
  return (
    <div className={`tail-progress${finished ? ' tail-progress-done' : ''}`} data-testid="tail-progress" data-percent={pct}>
      <progress max={progress.target} value={Math.min(progress.done, progress.target)} aria-label="Read progress" />
      <span className="meta">
        {finished ? 'Caught up with the end seen at the start: ' : 'Reading to the end seen at the start: '}
        <span data-testid="tail-progress-percent">{pct} %</span> · {formatCount(progress.records)} records · {formatBytes(progress.bytes)} · {formatCount(Math.min(progress.done, progress.target))} of {formatCount(progress.target)} offsets · {detail}
      </span>
    </div>
  );
}

function filterSpec(kind: FilterKind, text: string, equals: string): FilterSpec | null {
  if (text.trim() === '' || kind === 'javascript') return null;
  if (kind === 'contains') return { kind, text };
  if (kind === 'regex') return { kind, pattern: text, flags: 'i' };
  return { kind, path: text, equals };
}

export interface MessagesViewProps {
  connectionId: string;
  topic: string;
  /** The tab this view lives in (tabs-store.ts); its address is kept there. */
  tabId?: string;
  /** Shown (its tab is the view): a hidden tab keeps its tail, rows, scroll, filter and selection. */
  active?: boolean;
  /** What the address asked for when the tab opened; with from=, the tail starts at once. */
  initial?: MessagesQuery;
}

export function MessagesView({ connectionId, topic, tabId, active = true, initial = {} }: MessagesViewProps) {
  const go = useNavigation((s) => s.go);
  const replace = useNavigation((s) => s.replace);
  const setTabView = useTabs((s) => s.setView);
  const tail = useTail(connectionId, topic);
  const search = useLogSearch(connectionId, topic);
  const [initialFrom] = useState(() => fromFields(initial.from));
  const [initialFilter] = useState(() => filterFields(initial.filter));
  const [fromKind, setFromKind] = useState<FromKind>(initialFrom?.kind ?? 'last');
  const [fromValue, setFromValue] = useState(initialFrom && initialFrom.value !== '' ? initialFrom.value : '100');
  const [partition, setPartition] = useState(initial.partition ?? 'all');
  const [formError, setFormError] = useState<string | null>(null);
  const [filterKind, setFilterKind] = useState<FilterKind>(initialFilter.kind);
  const [filterText, setFilterText] = useState(initialFilter.text);
  const [filterEquals, setFilterEquals] = useState(initial.equals ?? '');
  /** The position and partition the tail was last started with: what the address carries. */
  const [startedWith, setStartedWith] = useState<{ from: string | undefined; partition: string } | null>(null);
  const [selected, setSelected] = useState<RecordDto | null>(null);
  const [producing, setProducing] = useState<{ from: RecordDto | null } | null>(null);
  const [exportError, setExportError] = useState<unknown>(null);
  const writable = useConnections((s) => s.connections.find((c) => c.profile.id === connectionId)?.profile.writable ?? false);
  const { state } = tail;
  const zone = useTimeZone();

  const spec = filterSpec(filterKind, filterText, filterEquals);
  const compiled = useMemo(() => {
    if (!spec) return { match: null, error: null };
    try {
      return { match: compileFilter(spec), error: null };
    } catch (err) {
      return { match: null, error: errorText(err) };
    }
  }, [filterKind, filterText, filterEquals]);

  const source = search.active ? search.matches : state.window.rows;
  // Search results were already filtered by the same expression on their way in.
  const byPredicate = usePredicateFilter(filterKind === 'javascript' && filterText.trim() !== '' && !search.active ? filterText : null, source);
  const rows = useMemo(() => byPredicate.visible ?? (compiled.match && !search.active ? source.filter(compiled.match) : source), [source, compiled.match, search.active, byPredicate.visible]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const valueHeadRef = useRef<HTMLSpanElement>(null);
  const valueChars = useFittingChars(valueHeadRef, 'mono', DEFAULT_PREVIEW_CHARS);
  const stuckToBottom = useRef(true);
  // No rows rendered beyond the screen while following the live edge: every update replaces
  // all rows on screen, and each costs layout. Scrolled away, overscan keeps scrolling smooth.
  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT_PX, overscan: stuckToBottom.current ? 1 : 12 });

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
  activeRef.current = active;
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (!active || !el) return;
    if (stuckToBottom.current) el.scrollTop = el.scrollHeight;
    else el.scrollTop = lastScrollTop.current;
    // Chromium may give a shown element its old scroll position back by itself, and setting the
    // same value fires no scroll event: the virtualizer would keep drawing the rows of the offset
    // it last read while hidden (0). Tell it to read the offset again.
    el.dispatchEvent(new Event('scroll'));
  }, [active]);

  const lastScrollTop = useRef(0);
  const onScroll = async (): Promise<void> => {
    const el = scrollRef.current;
    if (!el || !activeRef.current) return;
    // Only the user scrolling up unsticks the list; rows arriving (the content growing under
    // a scroll in flight) must not, or a fast tail would drift away from its newest rows.
    if (el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT_PX * 2) {
      if (!stuckToBottom.current) scrolledTo.current = ''; // back at the bottom: snap to it on the next update
      stuckToBottom.current = true;
    }
    else if (el.scrollTop < lastScrollTop.current) stuckToBottom.current = false;
    lastScrollTop.current = el.scrollTop;
    if (el.scrollTop === 0 && !search.active && state.window.olderAvailable && !state.loadingOlder) await loadOlder();
  };

  const loadOlder = async (): Promise<void> => {
    const added = await tail.loadOlder();
    // Keep the rows the user was looking at in place.
    if (added > 0 && scrollRef.current) {
      stuckToBottom.current = false;
      scrollRef.current.scrollTop = added * ROW_HEIGHT_PX;
      lastScrollTop.current = scrollRef.current.scrollTop;
    }
  };

  const [captureSaved, setCaptureSaved] = useState<string | null>(null);
  const exportCapture = async (): Promise<void> => {
    setExportError(null);
    try {
      const saved = await rpc().call('captures.export', { connectionId, topic });
      setCaptureSaved(`Saved ${formatCount(saved.records)} records to ${saved.path}. Open it later with "Open capture file…", no cluster needed.`);
    } catch (err) {
      setExportError(err);
    }
  };

  // Space pauses and resumes the tail (when not typing in a field).
  const running = state.phase === 'live' || state.phase === 'caught-up' || state.phase === 'outage' || state.phase === 'starting';
  useEffect(() => {
    if (!active) return;
    const onKey = (e: KeyboardEvent): void => {
      const target = e.target as HTMLElement | null;
      if (e.key !== ' ' || target?.closest('input, textarea, select, button')) return;
      e.preventDefault();
      if (running) tail.pause();
      else if (state.phase === 'paused') tail.resume();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [running, state.phase, tail, active]);

  const exportShown = async (format: 'ndjson' | 'csv'): Promise<void> => {
    setExportError(null);
    try {
      const result = await rpc().call('records.export', { connectionId, topic, format, records: rows.slice(-MAX_EXPORT_ROWS).map((r) => ({ partition: r.partition, offset: r.offset })) });
      downloadText(`${topic}.${format}`, result.text, format === 'csv' ? 'text/csv' : 'application/x-ndjson');
    } catch (err) {
      setExportError(err);
    }
  };

  const start = (): void => {
    const position = positionOf(fromKind, fromValue, zone);
    if (typeof position === 'string') return setFormError(position);
    setFormError(null);
    setSelected(null);
    stuckToBottom.current = true;
    scrolledTo.current = '';
    setStartedWith({ from: fromText(position), partition });
    tail.start(position, partition === 'all' ? undefined : [Number(partition)]);
  };

  // An address with a start position (a copied link) starts the tail there at once.
  const startRef = useRef(start);
  startRef.current = start;
  useEffect(() => {
    if (initialFrom) startRef.current();
  }, [initialFrom]);

  // The address says where this tail started and what it filters (replacing the entry: typing a
  // filter adds no history), and the tab keeps it for its link.
  const address = useMemo(() => {
    const query: MessagesQuery = {};
    if (startedWith?.from) query.from = startedWith.from;
    if (startedWith && startedWith.partition !== 'all') query.partition = startedWith.partition;
    if (filterText !== '') query.filter = `${filterKind}:${filterText}`;
    if (filterText !== '' && filterKind === 'jsonPath' && filterEquals !== '') query.equals = filterEquals;
    return { kind: 'messages' as const, connectionId, topic, ...query };
  }, [connectionId, topic, startedWith, filterKind, filterText, filterEquals]);
  useEffect(() => {
    if (tabId) setTabView(tabId, address);
  }, [tabId, address, setTabView]);
  useEffect(() => {
    if (!active) return;
    const shown = useNavigation.getState().view;
    if (shown.kind === 'messages' && shown.connectionId === connectionId && shown.topic === topic) replace(address);
  }, [active, address, connectionId, topic, replace]);

  const statusClass = state.phase === 'outage' || state.phase === 'error' ? 'badge-bad' : state.phase === 'paused' ? 'badge-warn' : state.phase === 'caught-up' ? 'badge-ok' : '';
  const banner = statusBanner(state);

  return (
    <section className="view messages-view" data-testid="messages-view" data-topic={topic} data-active={active} style={active ? undefined : { display: 'none' }} aria-hidden={!active}>
      <header className="view-header messages-toolbar" data-testid="messages-toolbar">
        <button type="button" className="link topic-link" onClick={() => go({ kind: 'topic', connectionId, topic })} title={`Back to ${topic}`}>
          ← {topic}
        </button>
        <h2>Messages</h2>
        <label>
          From{' '}
          <select value={fromKind} onChange={(e) => setFromKind(e.target.value as FromKind)} data-testid="from-kind">
            <option value="last">last N per partition</option>
            <option value="latest">now (new records only)</option>
            <option value="earliest">the beginning</option>
            <option value="offset">offset</option>
            <option value="timestamp">time</option>
          </select>
        </label>
        {(fromKind === 'last' || fromKind === 'offset' || fromKind === 'timestamp') && (
          <input value={fromValue} onChange={(e) => setFromValue(e.target.value)} data-testid="from-value" aria-label="Start position" style={{ width: 170 }} placeholder={fromKind === 'timestamp' ? '2026-11-26 10:00:00' : ''} title={fromKind === 'timestamp' ? `A time in ${zone === 'utc' ? 'UTC' : 'local time'} (Settings → Time zone), or with its own zone: 2026-11-26T10:00:00Z` : undefined} />
        )}
        <label>
          Partition{' '}
          <input value={partition} onChange={(e) => setPartition(e.target.value.trim() || 'all')} data-testid="partition" style={{ width: 60 }} aria-label="Partition (all or a number)" />
        </label>
        <button type="button" className="primary" onClick={start} data-testid="start-tail">
          {running ? 'Restart' : 'Start'}
        </button>
        {running ? (
          <button type="button" onClick={tail.pause} data-testid="pause-tail" title="Pause (Space)">
            Pause
          </button>
        ) : state.phase === 'paused' ? (
          <button type="button" onClick={tail.resume} data-testid="resume-tail" title="Resume (Space)">
            Resume
          </button>
        ) : null}
        <span className={`badge ${statusClass}`} data-testid="tail-phase">{state.phase}</span>
      </header>
      <div className="view-header messages-toolbar" data-testid="messages-filterbar">
        <select value={filterKind} onChange={(e) => setFilterKind(e.target.value as FilterKind)} data-testid="filter-kind" aria-label="Filter kind">
          <option value="contains">contains</option>
          <option value="regex">regex</option>
          <option value="jsonPath">JSON path =</option>
          <option value="javascript">JavaScript</option>
        </select>
        <input value={filterText} onChange={(e) => setFilterText(e.target.value)} placeholder={filterKind === 'jsonPath' ? '$.type' : filterKind === 'javascript' ? 'value.type === "OrderPaid" && value.amountCents > 5000' : 'filter the list'} data-testid="filter-text" aria-label="Filter" />
        {filterKind === 'jsonPath' && <input value={filterEquals} onChange={(e) => setFilterEquals(e.target.value)} placeholder="value" data-testid="filter-equals" aria-label="Equals" />}
        <button
          type="button"
          disabled={(filterKind === 'javascript' ? filterText.trim() === '' : !spec || compiled.error !== null) || search.running}
          onClick={() => (filterKind === 'javascript' ? search.run({ kind: 'javascript', code: filterText }) : spec && search.run(spec))}
          data-testid="search-log"
        >
          Search the replay log
        </button>
        {search.running && (
          <>
            <span className="meta" data-testid="search-progress">
              scanned {formatCount(search.scanned)} of {formatCount(search.total)} · {formatCount(search.matched)} matches
            </span>
            <button type="button" onClick={search.cancel} data-testid="cancel-search">
              Cancel
            </button>
          </>
        )}
        {search.active && !search.running && (
          <>
            <span className="meta" data-testid="search-done">
              {formatCount(search.matched)} matches in {formatCount(search.scanned)} stored records{search.cancelled ? ' (cancelled)' : ''}
            </span>
            <button type="button" onClick={search.clear} data-testid="clear-search">
              Back to the tail
            </button>
          </>
        )}
        <span className="toolbar-end">
          <span className="meta" data-testid="row-count">
            {formatCount(rows.length)} shown · {formatCount(state.received)} received
          </span>
          <button type="button" onClick={() => void exportShown('ndjson')} disabled={rows.length === 0} data-testid="export-ndjson" title="Whole records, as shown (filtered)">
            Export NDJSON
          </button>
          <button type="button" onClick={() => void exportShown('csv')} disabled={rows.length === 0} data-testid="export-csv">
            CSV
          </button>
          <button type="button" onClick={() => void exportCapture()} data-testid="export-capture" title="Everything the replay log holds of this topic, as a capture file that opens offline">
            Save capture
          </button>
          <button type="button" onClick={() => setProducing({ from: null })} disabled={!writable} data-testid="produce" title={writable ? 'Write a record' : 'This connection is read-only (connection settings → Allow writes)'}>
            Produce…
          </button>
        </span>
      </div>
      {formError && <div className="notice notice-error" role="alert">{formError}</div>}
      <ErrorNotice error={exportError} />
      {captureSaved && <div className="notice notice-ok" data-testid="capture-saved">{captureSaved}</div>}
      {producing && <ProduceDialog connectionId={connectionId} topic={topic} from={producing.from} onClose={() => setProducing(null)} />}
      {(compiled.error ?? byPredicate.error) && <div className="notice notice-error" role="alert" data-testid="filter-error">{compiled.error ?? byPredicate.error}</div>}
      {byPredicate.pending && <div className="meta" data-testid="filter-pending">Filtering…</div>}
      <ErrorNotice error={state.error ?? search.error} />
      {banner && (
        <div className={`notice ${banner.className}`} data-testid="tail-message">
          {banner.text}
        </div>
      )}
      {state.logStopped && <div className="notice notice-warning" data-testid="log-stopped">{state.logStopped}</div>}
      {state.notices.map((notice, i) => (
        <div key={i} className="notice notice-warning" data-testid="tail-notice">
          {notice}
        </div>
      ))}
      {state.progress && <ProgressLine progress={state.progress} rate={state.rate} running={running} />}
      {state.window.droppedOlder > 0 && !search.active && (
        <div className="notice notice-info" data-testid="older-in-log" data-count={state.window.droppedOlder}>
          {formatCount(state.window.droppedOlder)} older rows are in the replay log: this list keeps {formatCount(MAX_WINDOW_ROWS)} rows in memory.{' '}
          <button type="button" onClick={() => void loadOlder()} disabled={state.loadingOlder || !state.window.olderAvailable} data-testid="load-older">
            Load older rows
          </button>
        </div>
      )}
      {state.window.detached && !search.active && (
        <div className="notice notice-warning">
          {formatCount(state.window.newerHidden)} newer records are not shown.{' '}
          <button type="button" onClick={() => void tail.jumpToLatest()} data-testid="jump-latest">
            Jump to latest
          </button>
        </div>
      )}
      <div className={`messages-body${selected ? ' with-detail' : ''}`}>
        <div className="messages-list">
          <div className="vgrid-head messages-grid" role="row">
            <span className="num">Part.</span>
            <span className="num">Offset</span>
            <span title={zone === 'utc' ? 'Record timestamps in UTC (Settings → Time zone)' : 'Record timestamps in this machine’s time zone (Settings → Time zone)'} data-testid="time-header">
              Time ({zone === 'utc' ? 'UTC' : 'local'})
            </span>
            <span>Key</span>
            <span ref={valueHeadRef}>Value</span>
            <span className="num">Size</span>
            <span className="num">Hdrs</span>
          </div>
          <div className="vgrid-body" ref={scrollRef} onScroll={() => void onScroll()} role="grid" aria-rowcount={rows.length} data-testid="message-list">
            {state.loadingOlder && <div className="meta">Loading older records from the replay log…</div>}
            <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
              {virtualizer.getVirtualItems().map((item) => {
                const r = rows[item.index]!;
                const isSelected = selected?.partition === r.partition && selected.offset === r.offset;
                return (
                  <div
                    // Keyed by slot, not by record: when rows shift (a tail appends, the user
                    // scrolls) React rewrites the text of the rows on screen instead of
                    // replacing them all with new elements.
                    key={item.index % ROW_SLOTS}
                    role="row"
                    tabIndex={0}
                    className={`vgrid-row messages-grid${isSelected ? ' selected' : ''}`}
                    style={{ position: 'absolute', top: 0, left: 0, right: 0, height: ROW_HEIGHT_PX, transform: `translateY(${item.start}px)` }}
                    onClick={() => setSelected(r)}
                    onKeyDown={(e) => e.key === 'Enter' && setSelected(r)}
                    data-testid="message-row"
                    data-partition={r.partition}
                    data-offset={r.offset}
                  >
                    <span className="num">{r.partition}</span>
                    <span className="num mono">{r.offset}</span>
                    <span className="mono" data-testid="message-time">{formatTimestamp(r.timestamp, zone)}</span>
                    <KeyCell p={r.key} />
                    <ValueCell p={r.value} chars={valueChars} />
                    <span className="num">{r.value === null ? '' : formatBytes(r.value.size)}</span>
                    <span className="num">{r.headers.length || ''}</span>
                  </div>
                );
              })}
            </div>
            {rows.length === 0 && state.phase !== 'idle' && <p className="empty">{search.active ? 'No stored record matches.' : 'No records yet.'}</p>}
            {state.phase === 'idle' && <p className="empty">Choose where to start and press Start. Reading never joins a consumer group.</p>}
          </div>
        </div>
        {selected && (
          <RecordDetail
            connectionId={connectionId}
            topic={topic}
            partition={selected.partition}
            offset={selected.offset}
            onClose={() => setSelected(null)}
            {...(writable ? { onReproduce: (record: RecordDto) => setProducing({ from: record }) } : {})}
          />
        )}
      </div>
    </section>
  );
}
