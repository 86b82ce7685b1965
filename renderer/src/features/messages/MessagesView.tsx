// Messages of a topic: a live tail (or a read from a chosen position) into a virtualized
// list that sticks to the bottom, pages older rows in from the replay log when scrolled to
// the top, filters what it shows, searches everything the log holds, and opens a record in
// the detail pane. This puts the parts together: the toolbar (where to start), the filter bar
// (filter, search, export), the notices, the list and the detail pane; each keeps its own state
// and the tail, the search and the selection are shared from here.
import { useEffect, useRef, useState } from 'react';
import type { RecordDto } from '@common/contract/dto.ts';
import { useConnections } from '../../state/connections-store.ts';
import { useTimeZone } from '../../state/time-zone-store.ts';
import type { MessagesQuery } from '../../state/view-routes.ts';
import { FilterBar } from './FilterBar.tsx';
import { MessageList, type MessageListHandle, type RowKey } from './MessageList.tsx';
import { ActionNotices, TailNotices } from './MessageNotices.tsx';
import { isRunning, MessagesToolbar } from './MessagesToolbar.tsx';
import { ProduceDialog } from './ProduceDialog.tsx';
import { RecordDetail } from './RecordDetail.tsx';
import { useLogSearch } from './use-log-search.ts';
import { useMessageExports } from './use-message-exports.ts';
import { useMessageFilter } from './use-message-filter.ts';
import { fromFields, useStartForm } from './use-start-form.ts';
import { useTail } from './use-tail.ts';
import { useViewAddress } from './use-view-address.ts';

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
  const tail = useTail(connectionId, topic);
  const search = useLogSearch(connectionId, topic);
  const { state } = tail;
  const zone = useTimeZone();
  const writable = useConnections(
    (s) => s.connections.find((c) => c.profile.id === connectionId)?.profile.writable ?? false,
  );

  const [initialFrom] = useState(() => fromFields(initial.from));
  const form = useStartForm(initialFrom, initial.partition);
  const filter = useMessageFilter(initial, search.active ? search.matches : state.window.rows, search.active);
  const exports = useMessageExports(connectionId, topic, filter.rows);
  /** The row the keys move (highlighted); shown in the detail pane while it is open. */
  const [selected, setSelected] = useState<RowKey | null>(null);
  const [detailOpen, setDetailOpen] = useState(false);
  const [producing, setProducing] = useState<{ from: RecordDto | null } | null>(null);
  const list = useRef<MessageListHandle>(null);

  const start = (): void => {
    const taken = form.take(zone);
    if (!taken) return;
    setSelected(null);
    setDetailOpen(false);
    list.current?.follow();
    tail.start(taken.position, taken.partitions);
  };

  // An address with a start position (a copied link) starts the tail there at once.
  const startRef = useRef(start);
  useEffect(() => {
    startRef.current = start;
  });
  useEffect(() => {
    if (initialFrom) startRef.current();
  }, [initialFrom]);

  useViewAddress({
    connectionId,
    topic,
    tabId,
    active,
    startedWith: form.startedWith,
    filterKind: filter.kind,
    filterText: filter.text,
    filterEquals: filter.equals,
  });

  const running = isRunning(state.phase);
  const shown = detailOpen ? selected : null;

  return (
    <section
      className="view messages-view"
      data-testid="messages-view"
      data-topic={topic}
      data-active={active}
      style={active ? undefined : { display: 'none' }}
      aria-hidden={!active}
    >
      <MessagesToolbar
        connectionId={connectionId}
        topic={topic}
        active={active}
        zone={zone}
        form={form}
        phase={state.phase}
        onStart={start}
        onPause={tail.pause}
        onResume={tail.resume}
      />
      <FilterBar
        filter={filter}
        search={search}
        received={state.received}
        exports={exports}
        writable={writable}
        onProduce={() => setProducing({ from: null })}
      />
      <ActionNotices formError={form.error} exportError={exports.error} captureSaved={exports.captureSaved} />
      {producing && (
        <ProduceDialog
          connectionId={connectionId}
          topic={topic}
          from={producing.from}
          onClose={() => setProducing(null)}
        />
      )}
      <TailNotices
        state={state}
        running={running}
        searching={search.active}
        filterError={filter.error}
        filterPending={filter.pending}
        searchError={search.error}
        onLoadOlder={() => void list.current?.loadOlder()}
        onJumpToLatest={() => void tail.jumpToLatest()}
      />
      <div className={`messages-body${shown ? ' with-detail' : ''}`}>
        <MessageList
          handle={list}
          rows={filter.rows}
          phase={state.phase}
          searching={search.active}
          olderAvailable={state.window.olderAvailable}
          loadingOlder={state.loadingOlder}
          active={active}
          zone={zone}
          selected={selected}
          onSelect={(r) => setSelected({ partition: r.partition, offset: r.offset })}
          onOpen={() => setDetailOpen(true)}
          onCloseDetail={() => setDetailOpen(false)}
          pageOlder={tail.loadOlder}
        />
        {shown && (
          <RecordDetail
            connectionId={connectionId}
            topic={topic}
            partition={shown.partition}
            offset={shown.offset}
            onClose={() => setDetailOpen(false)}
            {...(writable ? { onReproduce: (record: RecordDto) => setProducing({ from: record }) } : {})}
          />
        )}
      </div>
    </section>
  );
}
