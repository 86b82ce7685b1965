// One topic: per partition its leader, replicas, ISR and offsets; then its configs with
// the values that differ from the default marked. Loading and error states (ViewState).
import { useState } from 'react';
import { ArrowLeft, MessagesSquare } from 'lucide-react';
import { formatCount } from '@common/format/numbers.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { RefreshButton } from '../../components/RefreshButton.tsx';
import { useHostCall } from '../../components/use-host-call.ts';
import { ViewState } from '../../components/ViewState.tsx';
import { rpc } from '../../state/host-store.ts';
import { useCaptures } from '../../state/captures-store.ts';
import { useNavigation } from '../../state/navigation-store.ts';
import { TopicConsumers } from '../consumers/TopicConsumers.tsx';
import { TopicAdminActions } from './admin/TopicAdminActions.tsx';

function span(earliest: string | null, latest: string | null): string {
  return earliest === null || latest === null ? '?' : formatCount(BigInt(latest) - BigInt(earliest));
}

export function TopicDetailView({ connectionId, topic }: { connectionId: string; topic: string }) {
  const { data, error, loading, reload } = useHostCall(
    (signal) => rpc().call('topics.describe', { connectionId, topic }, { signal }),
    [connectionId, topic],
  );
  const [onlyChanged, setOnlyChanged] = useState(false);
  const go = useNavigation((s) => s.go);
  // A capture file knows offsets, not leaders or replicas: those are "—", not "none" in red.
  const isCapture = useCaptures((s) => s.captures.some((c) => c.id === connectionId));
  const configs = (data?.configs ?? []).filter((c) => !onlyChanged || !c.isDefault);
  return (
    <section className="view" data-testid="topic-detail">
      <header className="view-header">
        <button type="button" className="link" onClick={() => go({ kind: 'topics', connectionId })}>
          <ArrowLeft aria-hidden />
          Topics
        </button>
        <h2 data-testid="topic-title">{topic}</h2>
        <button
          type="button"
          className="primary"
          onClick={() => go({ kind: 'messages', connectionId, topic })}
          data-testid="open-messages"
        >
          <MessagesSquare aria-hidden />
          Messages
        </button>
        <RefreshButton loading={loading} onClick={reload} />
        <TopicAdminActions connectionId={connectionId} detail={data?.name === topic ? data : null} onChanged={reload} />
      </header>
      {data ? (
        <ErrorNotice error={error} onRetry={reload} />
      ) : error ? (
        <ViewState state="error" title={`Topic ${topic} could not be described`} error={error} onRetry={reload} />
      ) : (
        <ViewState state="loading" title="Reading the topic’s partitions and configuration…" />
      )}
      {data && (
        <>
          <h3>Partitions ({data.partitions.length})</h3>
          <table className="grid" data-testid="partition-table">
            <thead>
              <tr>
                <th className="num">Partition</th>
                <th className="num">Leader</th>
                <th>Replicas</th>
                <th>In sync</th>
                <th className="num">Earliest offset</th>
                <th className="num">Latest offset</th>
                <th className="num">Messages</th>
              </tr>
            </thead>
            <tbody>
              {data.partitions.map((p) => (
                <tr
                  key={p.partition}
                  className={!isCapture && (p.underReplicated || p.leader < 0) ? 'row-warn' : ''}
                  data-testid="partition-row"
                >
                  <td className="num">{p.partition}</td>
                  <td className="num" data-testid="partition-leader">
                    {isCapture ? '—' : p.leader < 0 ? <span className="badge badge-bad">none</span> : p.leader}
                  </td>
                  <td>{isCapture ? '—' : p.replicas.join(', ')}</td>
                  <td data-testid="partition-isr">
                    {isCapture ? '—' : p.isr.join(', ')}
                    {p.underReplicated && <span className="badge badge-warn">under-replicated</span>}
                  </td>
                  <td className="num" data-testid="partition-earliest">
                    {p.earliestOffset ?? '?'}
                  </td>
                  <td className="num" data-testid="partition-latest">
                    {p.latestOffset ?? '?'}
                  </td>
                  <td className="num">{span(p.earliestOffset, p.latestOffset)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <TopicConsumers connectionId={connectionId} topic={topic} />
          <h3>
            Configuration{' '}
            <label className="check">
              <input type="checkbox" checked={onlyChanged} onChange={(e) => setOnlyChanged(e.target.checked)} /> only
              values not at their default
            </label>
          </h3>
          {configs.length === 0 && (
            <ViewState
              state="empty"
              testId="configs-empty"
              title={
                isCapture
                  ? 'A capture file does not record topic configuration.'
                  : onlyChanged
                    ? 'Every value is at its default.'
                    : 'No configuration was returned for this topic.'
              }
            />
          )}
          <table className="grid" data-testid="config-table" hidden={configs.length === 0}>
            <thead>
              <tr>
                <th>Name</th>
                <th>Value</th>
                <th>Source</th>
              </tr>
            </thead>
            <tbody>
              {configs.map((c) => (
                <tr
                  key={c.name}
                  className={c.isDefault ? '' : 'changed'}
                  data-testid="config-row"
                  data-config={c.name}
                  data-default={c.isDefault}
                >
                  <td>
                    {!c.isDefault && <span className="dot" title="Not the default value" />}
                    {c.name}
                  </td>
                  <td className="mono">{c.sensitive ? '(hidden)' : (c.value ?? '—')}</td>
                  <td className="meta">{c.source}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
