// Brokers of a cluster: id, address, rack, which one is the controller. ↑/↓/Home/End move
// through the rows (use-list-keyboard.ts); loading and error states (ViewState).
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { RefreshButton } from '../../components/RefreshButton.tsx';
import { useListKeyboard } from '../../components/use-list-keyboard.ts';
import { ViewState } from '../../components/ViewState.tsx';
import { useHostCall } from '../../components/use-host-call.ts';
import { useCaptures } from '../../state/captures-store.ts';
import { rpc } from '../../state/host-store.ts';

export function BrokersView({ connectionId }: { connectionId: string }) {
  const { data, error, loading, reload } = useHostCall(
    (signal) => rpc().call('cluster.describe', { connectionId }, { signal }),
    [connectionId],
  );
  const isCapture = useCaptures((s) => s.captures.some((c) => c.id === connectionId));
  const keys = useListKeyboard<HTMLTableSectionElement>({ count: data?.brokers.length ?? 0 });
  return (
    <section className="view" data-testid="brokers-view">
      <header className="view-header">
        <h2>Brokers</h2>
        <RefreshButton loading={loading} onClick={reload} />
      </header>
      {data ? (
        <ErrorNotice error={error} onRetry={reload} />
      ) : error ? (
        <ViewState state="error" title="The cluster could not be described" error={error} onRetry={reload} />
      ) : (
        <ViewState state="loading" title="Reading the cluster’s brokers…" />
      )}
      {data && (
        <>
          <p className="meta">
            Cluster id <code data-testid="cluster-id">{data.clusterId ?? (isCapture ? '—' : 'unknown')}</code>
            {data.kafkaVersion && <> · Kafka {data.kafkaVersion}</>} · controller {data.controllerId ?? '—'}
          </p>
          {isCapture && data.brokers.length === 0 && (
            <p className="meta" data-testid="capture-no-brokers">
              A capture file holds records, not the cluster they came from: its brokers, controller and replicas are not
              known here (—).
            </p>
          )}
          <table className="grid">
            <thead>
              <tr>
                <th className="num">Id</th>
                <th>Address</th>
                <th>Rack</th>
                <th>Role</th>
              </tr>
            </thead>
            <tbody {...keys.containerProps}>
              {data.brokers.length === 0 && (
                <tr>
                  <td className="num">—</td>
                  <td>—</td>
                  <td>—</td>
                  <td />
                </tr>
              )}
              {data.brokers.map((b, i) => (
                <tr key={b.nodeId} data-testid="broker-row" {...keys.itemProps(i)}>
                  <td className="num">{b.nodeId}</td>
                  <td>
                    {b.host}:{b.port}
                  </td>
                  <td>{b.rack ?? '—'}</td>
                  <td>{b.isController ? <span className="badge">controller</span> : ''}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
