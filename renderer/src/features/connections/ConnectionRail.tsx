// The left rail: saved clusters, and under the open one its views.
import { useCaptures } from '../../state/captures-store.ts';
import { useConnections } from '../../state/connections-store.ts';
import { useNavigation, type View } from '../../state/navigation-store.ts';

function connectionOf(view: View): string | null {
  return 'connectionId' in view ? view.connectionId : null;
}

function ClusterViews({ id, offline }: { id: string; offline: boolean }) {
  const view = useNavigation((s) => s.view);
  const go = useNavigation((s) => s.go);
  return (
    <ul className="rail-sub">
      {!offline && (
        <li>
          <button type="button" className={view.kind === 'brokers' ? 'active' : ''} onClick={() => go({ kind: 'brokers', connectionId: id })}>
            Brokers
          </button>
        </li>
      )}
      <li>
        <button type="button" className={view.kind === 'topics' || view.kind === 'topic' || view.kind === 'messages' ? 'active' : ''} onClick={() => go({ kind: 'topics', connectionId: id })} data-testid="rail-topics">
          Topics
        </button>
      </li>
      {!offline && (
        <li>
          <button type="button" className={view.kind === 'edit-connection' ? 'active' : ''} onClick={() => go({ kind: 'edit-connection', connectionId: id })}>
            Connection settings
          </button>
        </li>
      )}
    </ul>
  );
}

export function ConnectionRail() {
  const connections = useConnections((s) => s.connections);
  const captures = useCaptures((s) => s.captures);
  const view = useNavigation((s) => s.view);
  const go = useNavigation((s) => s.go);
  const open = connectionOf(view);
  return (
    <nav className="rail" aria-label="Clusters" data-testid="rail">
      {connections.length > 0 && <div className="rail-title">Clusters</div>}
      <ul>
        {connections.map(({ profile }) => (
          <li key={profile.id} className={open === profile.id ? 'open' : ''}>
            <button type="button" className="rail-cluster" onClick={() => go({ kind: 'topics', connectionId: profile.id })} title={profile.bootstrap}>
              {profile.name}
              {profile.writable && <span className="badge" title="Writes allowed">rw</span>}
            </button>
            {open === profile.id && <ClusterViews id={profile.id} offline={false} />}
          </li>
        ))}
      </ul>
      {captures.length > 0 && (
        <>
          <div className="rail-title">Captures (offline)</div>
          <ul>
            {captures.map((c) => (
              <li key={c.id} className={open === c.id ? 'open' : ''}>
                <button type="button" className="rail-cluster" onClick={() => go({ kind: 'topics', connectionId: c.id })} title={`${c.description}\n${c.path}`} data-testid="rail-capture">
                  {c.name}
                </button>
                {open === c.id && <ClusterViews id={c.id} offline />}
              </li>
            ))}
          </ul>
        </>
      )}
      <button type="button" className="rail-add" onClick={() => go({ kind: 'edit-connection', connectionId: null })} data-testid="add-connection">
        + Add connection
      </button>
    </nav>
  );
}
