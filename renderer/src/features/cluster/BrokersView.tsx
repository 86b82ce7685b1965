// Brokers of a cluster: id, address, rack, which one is the controller.
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { RefreshButton } from '../../components/RefreshButton.tsx';
import { useHostCall } from '../../components/use-host-call.ts';
import { rpc } from '../../state/host-store.ts';

export function BrokersView({ connectionId }: { connectionId: string }) {
  const { data, error, loading, reload } = useHostCall((signal) => rpc().call('cluster.describe', { connectionId }, { signal }), [connectionId]);
  return (
    <section className="view" data-testid="brokers-view">
      <header className="view-header">
        <h2>Brokers</h2>
        <RefreshButton loading={loading} onClick={reload} />
      </header>
      <ErrorNotice error={error} onRetry={reload} />
      {data && (
        <>
          <p className="meta">
            Cluster id <code data-testid="cluster-id">{data.clusterId ?? 'unknown'}</code>
            {data.kafkaVersion && <> · Kafka {data.kafkaVersion}</>} · controller {data.controllerId ?? 'unknown'}
          </p>
          <table className="grid">
            <thead>
              <tr>
                <th className="num">Id</th>
                <th>Address</th>
                <th>Rack</th>
                <th>Role</th>
              </tr>
            </thead>
            <tbody>
              {data.brokers.map((b) => (
                <tr key={b.nodeId} data-testid="broker-row">
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
