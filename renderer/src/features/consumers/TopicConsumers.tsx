// On a topic's page: the consumer groups that read it (committed offsets on it), their lag on
// this topic, each linking to the group.
import { formatCount } from '@common/format/numbers.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useHostCall } from '../../components/use-host-call.ts';
import { rpc } from '../../state/host-store.ts';
import { useNavigation } from '../../state/navigation-store.ts';
import { lagText, NO_COMMITTED_OFFSET, timeLagText } from './consumer-format.ts';
import { StatusBadge } from './StatusBadge.tsx';

export function TopicConsumers({ connectionId, topic }: { connectionId: string; topic: string }) {
  const { data, error, loading, reload } = useHostCall(
    (signal) => rpc().call('groups.list', { connectionId, topic }, { signal }),
    [connectionId, topic],
  );
  const go = useNavigation((s) => s.go);
  return (
    <div className="topic-consumers" data-testid="topic-consumers">
      <h3>Consumer groups{data ? ` (${data.length})` : ''}</h3>
      <ErrorNotice error={error} onRetry={reload} />
      {loading && !data && <p className="meta">Reading the groups…</p>}
      {data && data.length === 0 && (
        <p className="meta" data-testid="topic-consumers-empty">
          No consumer group has committed offsets on this topic.
        </p>
      )}
      {data && data.length > 0 && (
        <table className="grid">
          <thead>
            <tr>
              <th>Group</th>
              <th>State</th>
              <th className="num">Members</th>
              <th className="num">Lag on {topic}</th>
              <th className="num">Time lag</th>
              <th>Status</th>
            </tr>
          </thead>
          <tbody>
            {data.map((g) => (
              <tr key={g.groupId} data-testid="topic-consumer-row" data-group={g.groupId}>
                <td>
                  <button
                    type="button"
                    className="link"
                    onClick={() => go({ kind: 'group', connectionId, groupId: g.groupId })}
                    data-testid="topic-consumer-link"
                  >
                    {g.groupId}
                  </button>
                </td>
                <td>{g.state}</td>
                <td className="num">{g.members === null ? '—' : formatCount(g.members)}</td>
                <td
                  className="num"
                  data-testid="topic-consumer-lag"
                  title={g.totalLag === null ? NO_COMMITTED_OFFSET : undefined}
                >
                  {lagText(g.totalLag)}
                </td>
                <td className="num">{timeLagText(g.maxTimeLagMs)}</td>
                <td className="status-cell">
                  <StatusBadge status={g.status} testId="topic-consumer-status" />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
