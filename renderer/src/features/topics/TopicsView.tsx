// All topics of a cluster: an instant name filter, internal topics on demand, and a
// virtualized list so ten thousand topics scroll like ten; ↑/↓/Home/End move through it and
// Enter opens a topic (use-list-keyboard.ts). Loading, empty and error states (ViewState).
import { useDeferredValue, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { formatCount } from '@common/format/numbers.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { RefreshButton } from '../../components/RefreshButton.tsx';
import { useListKeyboard } from '../../components/use-list-keyboard.ts';
import { FilteredListState, ViewState } from '../../components/ViewState.tsx';
import { useCaptures } from '../../state/captures-store.ts';
import { useNavigation } from '../../state/navigation-store.ts';
import { useTopicList } from './use-topic-list.ts';
import { NewTopicButton } from './admin/NewTopicButton.tsx';
import { virtualRowStyle } from '../../components/virtual-row-style.ts';

const ROW_HEIGHT_PX = 30;

export function TopicsView({ connectionId }: { connectionId: string }) {
  const [filter, setFilter] = useState('');
  const [includeInternal, setIncludeInternal] = useState(false);
  const { topics, refreshedAt, error, loading, refresh } = useTopicList(connectionId, includeInternal);
  const deferredFilter = useDeferredValue(filter);
  const go = useNavigation((s) => s.go);
  // A capture file knows records, not replicas: what it cannot know is "—", not 0 and red.
  const isCapture = useCaptures((s) => s.captures.some((c) => c.id === connectionId));

  const visible = useMemo(() => {
    const needle = deferredFilter.trim().toLowerCase();
    return (topics ?? []).filter((t) => needle === '' || t.name.toLowerCase().includes(needle));
  }, [topics, deferredFilter]);

  const scrollRef = useRef<HTMLDivElement>(null);
  const virtualizer = useVirtualizer({
    count: visible.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT_PX,
    overscan: 20,
  });
  const open = (index: number): void => {
    const t = visible[index];
    if (t) go({ kind: 'topic', connectionId, topic: t.name });
  };
  const keys = useListKeyboard<HTMLDivElement>({
    count: visible.length,
    onOpen: open,
    scrollToIndex: (i) => virtualizer.scrollToIndex(i),
  });

  return (
    <section className="view topics-view" data-testid="topics-view">
      <header className="view-header">
        <h2>Topics</h2>
        <input
          type="search"
          placeholder="Filter topics by name"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          data-testid="topic-filter"
          aria-label="Filter topics by name"
        />
        <label className="check">
          <input
            type="checkbox"
            checked={includeInternal}
            onChange={(e) => setIncludeInternal(e.target.checked)}
            data-testid="show-internal"
          />{' '}
          Internal topics
        </label>
        <RefreshButton loading={loading} onClick={refresh} testId="refresh-topics" />
        <span className="meta" data-testid="topic-count">
          {topics ? `${formatCount(visible.length)} of ${formatCount(topics.length)} topics` : ''}
          {refreshedAt ? ` · updated ${new Date(refreshedAt).toLocaleTimeString()}` : ''}
        </span>
        <NewTopicButton connectionId={connectionId} onCreated={refresh} />
      </header>
      {topics ? (
        <ErrorNotice error={error} onRetry={refresh} />
      ) : error ? (
        <ViewState state="error" title="The topics could not be listed" error={error} onRetry={refresh} />
      ) : null}
      <div className="vgrid-head topics-grid" role="row">
        <span role="columnheader">Name</span>
        <span role="columnheader" className="num">
          Partitions
        </span>
        <span role="columnheader" className="num">
          RF
        </span>
        <span role="columnheader" className="num">
          Messages
        </span>
        <span role="columnheader">Health</span>
      </div>
      <div className="vgrid-body" ref={scrollRef} role="grid" aria-rowcount={visible.length} data-testid="topic-list">
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }} {...keys.containerProps}>
          {virtualizer.getVirtualItems().map((item) => {
            const t = visible[item.index]!;
            return (
              <div
                key={t.name}
                role="row"
                {...keys.itemProps(item.index)}
                className="vgrid-row topics-grid"
                style={virtualRowStyle(item.start, ROW_HEIGHT_PX)}
                onClick={() => open(item.index)}
                data-testid="topic-row"
                data-topic={t.name}
              >
                <span className="name" data-testid="topic-name">
                  {t.name}
                  {t.internal && <span className="badge">internal</span>}
                </span>
                <span className="num" data-testid="topic-partitions">
                  {t.partitionCount}
                </span>
                <span
                  className="num"
                  data-testid="topic-rf"
                  title={isCapture ? 'A capture file does not record replication' : undefined}
                >
                  {isCapture || t.replicationFactor <= 0 ? '—' : t.replicationFactor}
                </span>
                <span className="num" data-testid="topic-messages">
                  {t.messageCount === null ? '?' : formatCount(t.messageCount)}
                </span>
                <span data-testid="topic-health">
                  {isCapture ? (
                    <span className="meta" title="A capture file does not record the health of partitions">
                      —
                    </span>
                  ) : t.offlinePartitions > 0 ? (
                    <span className="badge badge-bad">{t.offlinePartitions} offline</span>
                  ) : t.underReplicatedPartitions > 0 ? (
                    <span className="badge badge-warn" data-testid="under-replicated">
                      {t.underReplicatedPartitions} under-replicated
                    </span>
                  ) : null}
                </span>
              </div>
            );
          })}
        </div>
        <FilteredListState
          all={topics}
          shown={visible.length}
          failed={!!error}
          loadingTitle="Listing topics…"
          testId="topics-empty"
          noneTitle={isCapture ? 'This capture holds no topics.' : 'This cluster has no topics yet.'}
          {...(isCapture ? {} : { noneHint: 'Create one with New topic, or show internal topics.' })}
          noMatchTitle={`No topic name contains "${deferredFilter}".`}
          noMatchHint="Clear the filter to see every topic."
        />
      </div>
    </section>
  );
}
