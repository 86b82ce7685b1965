// Every consumer group of a cluster (or of an opened capture) with its lag: an instant filter
// on the group id, sorting by the column headers, a virtualized list so thousands of groups
// scroll like ten, refreshed every 10 s while the page is visible and on demand. ↑/↓/Home/End
// move through the list, Enter opens a group (use-list-keyboard.ts).
import { useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { ArrowDown, ArrowUp } from 'lucide-react';
import type { GroupSummary } from '@common/contract/group-dto.ts';
import { formatCount } from '@common/format/numbers.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { RefreshButton } from '../../components/RefreshButton.tsx';
import { useListKeyboard } from '../../components/use-list-keyboard.ts';
import { FilteredListState, ViewState } from '../../components/ViewState.tsx';
import { rpc } from '../../state/host-store.ts';
import { useNavigation } from '../../state/navigation-store.ts';
import { usePalette } from '../palette/palette-store.ts';
import { lagText, NO_COMMITTED_OFFSET, timeLagText } from './consumer-format.ts';
import {
  DEFAULT_GROUP_SORT,
  filterGroups,
  nextSort,
  sortGroups,
  type GroupSort,
  type GroupSortKey,
} from './group-list-model.ts';
import { StatusBadge } from './StatusBadge.tsx';
import { useConnectionKind } from './use-connection-kind.ts';
import { usePolledCall } from './use-polled-call.ts';
import { virtualRowStyle } from '../../components/virtual-row-style.ts';

const ROW_HEIGHT_PX = 32;
export const GROUP_REFRESH_INTERVAL_MS = 10_000;

function SortHeader({
  label,
  sortKey,
  sort,
  onSort,
  className,
}: {
  label: string;
  sortKey: GroupSortKey;
  sort: GroupSort;
  onSort(key: GroupSortKey): void;
  className?: string;
}) {
  const active = sort.key === sortKey;
  return (
    <span
      role="columnheader"
      className={className}
      aria-sort={active ? (sort.descending ? 'descending' : 'ascending') : 'none'}
    >
      <button
        type="button"
        className={`sort-header${active ? ' active' : ''}`}
        onClick={() => onSort(sortKey)}
        data-testid={`sort-${sortKey}`}
      >
        {label}
        <span className="sort-arrow" aria-hidden>
          {active ? sort.descending ? <ArrowDown className="icon" /> : <ArrowUp className="icon" /> : ''}
        </span>
      </button>
    </span>
  );
}

export function ConsumersView({ connectionId }: { connectionId: string }) {
  const kind = useConnectionKind(connectionId);
  const { data, error, loading, refreshedAt, reload } = usePolledCall(
    (signal) => rpc().call('groups.list', { connectionId }, { signal }),
    [connectionId],
    kind.isCapture ? null : GROUP_REFRESH_INTERVAL_MS,
  );
  const [filter, setFilter] = useState('');
  const deferredFilter = useDeferredValue(filter);
  const [sort, setSort] = useState<GroupSort>(DEFAULT_GROUP_SORT);
  const [watchError, setWatchError] = useState<unknown>(null);
  // A toggle shows at once; the next list answer has the host's word on it.
  const [watchOverrides, setWatchOverrides] = useState<ReadonlyMap<string, boolean>>(new Map());
  useEffect(() => setWatchOverrides(new Map()), [data]);
  // The palette offers the groups as last listed here.
  useEffect(() => {
    if (data)
      usePalette.getState().rememberGroups(
        connectionId,
        data.map((g) => g.groupId),
      );
  }, [data, connectionId]);
  const go = useNavigation((s) => s.go);

  const visible = useMemo(
    () => sortGroups(filterGroups(data ?? [], deferredFilter), sort),
    [data, deferredFilter, sort],
  );

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: 20,
  });

  const toggleWatch = async (group: GroupSummary, watch: boolean): Promise<void> => {
    setWatchError(null);
    setWatchOverrides((m) => new Map(m).set(group.groupId, watch));
    try {
      await rpc().call('groups.watch', { connectionId, groupId: group.groupId, watch });
      reload();
    } catch (err) {
      setWatchOverrides((m) => {
        const next = new Map(m);
        next.delete(group.groupId);
        return next;
      });
      setWatchError(err);
    }
  };
  const open = (groupId: string): void => go({ kind: 'group', connectionId, groupId });
  const keys = useListKeyboard<HTMLDivElement>({
    count: visible.length,
    onOpen: (i) => {
      const g = visible[i];
      if (g) open(g.groupId);
    },
    scrollToIndex: (i) => virtualizer.scrollToIndex(i),
  });

  return (
    <section className="view consumers-view" data-testid="consumers-view">
      <header className="view-header">
        <h2>Consumer groups</h2>
        <input
          type="search"
          placeholder="Filter groups by id"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          data-testid="group-filter"
          aria-label="Filter groups by id"
        />
        <RefreshButton loading={loading} onClick={reload} testId="refresh-groups" />
        <span className="meta" data-testid="group-count">
          {data ? `${formatCount(visible.length)} of ${formatCount(data.length)} groups` : ''}
          {refreshedAt ? ` · updated ${new Date(refreshedAt).toLocaleTimeString()}` : ''}
          {kind.isCapture ? ' · as captured' : ''}
        </span>
      </header>
      {data ? (
        <ErrorNotice error={error} onRetry={reload} />
      ) : error ? (
        <ViewState state="error" title="The consumer groups could not be listed" error={error} onRetry={reload} />
      ) : null}
      <ErrorNotice error={watchError} />
      <div className="vgrid-head groups-grid" role="row">
        <SortHeader label="Group" sortKey="group" sort={sort} onSort={(k) => setSort((s) => nextSort(s, k))} />
        <span role="columnheader">Type</span>
        <span role="columnheader">State</span>
        <span role="columnheader" className="num">
          Members
        </span>
        <SortHeader
          label="Total lag"
          sortKey="lag"
          sort={sort}
          onSort={(k) => setSort((s) => nextSort(s, k))}
          className="num"
        />
        <SortHeader
          label="Time lag"
          sortKey="timeLag"
          sort={sort}
          onSort={(k) => setSort((s) => nextSort(s, k))}
          className="num"
        />
        <SortHeader label="Status" sortKey="status" sort={sort} onSort={(k) => setSort((s) => nextSort(s, k))} />
        <span role="columnheader">Watched</span>
      </div>
      <div className="vgrid-body" ref={scrollRef} role="grid" aria-rowcount={visible.length} data-testid="group-list">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }} {...keys.containerProps}>
          {virtualizer.getVirtualItems().map((item) => {
            const g = visible[item.index]!;
            const watched = watchOverrides.get(g.groupId) ?? g.watched;
            return (
              <div
                key={g.groupId}
                role="row"
                {...keys.itemProps(item.index)}
                className="vgrid-row groups-grid"
                style={virtualRowStyle(item.start, ROW_HEIGHT_PX)}
                onClick={() => open(g.groupId)}
                data-testid="group-row"
                data-group={g.groupId}
              >
                <span className="name" data-testid="group-id" title={g.groupId}>
                  {g.groupId}
                </span>
                <span className="meta">{g.type === 'unknown' ? '—' : g.type}</span>
                <span className="cell" data-testid="group-state">
                  {g.state}
                </span>
                <span className="num" data-testid="group-members">
                  {g.members === null ? '—' : formatCount(g.members)}
                </span>
                <span
                  className="num"
                  data-testid="group-lag"
                  title={g.totalLag === null ? NO_COMMITTED_OFFSET : undefined}
                >
                  {lagText(g.totalLag)}
                </span>
                <span className="num" data-testid="group-time-lag">
                  {timeLagText(g.maxTimeLagMs)}
                </span>
                <span className="cell">
                  <StatusBadge status={g.status} testId="group-status" />
                </span>
                <span onClick={(e) => e.stopPropagation()} onKeyDown={(e) => e.stopPropagation()}>
                  <input
                    type="checkbox"
                    checked={watched}
                    disabled={kind.isCapture}
                    onChange={(e) => void toggleWatch(g, e.target.checked)}
                    aria-label={`Watch ${g.groupId}`}
                    title={
                      kind.isCapture
                        ? 'A capture carries the lag history it was saved with.'
                        : watched
                          ? 'Sampled over time: stop watching'
                          : 'Sample this group’s lag over time (history, status)'
                    }
                    data-testid="group-watch"
                  />
                </span>
              </div>
            );
          })}
        </div>
        <FilteredListState
          all={data}
          shown={visible.length}
          failed={!!error}
          loadingTitle="Listing consumer groups…"
          testId="groups-empty"
          noneTitle={kind.isCapture ? 'This capture holds no consumer groups.' : 'This cluster has no consumer groups.'}
          {...(kind.isCapture
            ? {}
            : { noneHint: 'A group shows here once a consumer commits offsets with its group id.' })}
          noMatchTitle={`No group id contains "${deferredFilter}".`}
          noMatchHint="Clear the filter to see every group."
        />
      </div>
    </section>
  );
}
