// The left rail: saved clusters, and under the open one its views.
import { useConnections } from '../../state/connections-store.ts';
import { useNavigation, type View } from '../../state/navigation-store.ts';

function connectionOf(view: View): string | null {
  return 'connectionId' in view ? view.connectionId : null;
}

export function ConnectionRail() {
  const connections = useConnections((s) => s.connections);
  const view = useNavigation((s) => s.view);
  const go = useNavigation((s) => s.go);
  const open = connectionOf(view);
  return (
    <nav className="rail" aria-label="Clusters" data-testid="rail">
      <div className="rail-title">Clusters</div>
      <ul>
        {connections.map(({ profile }) => (
          <li key={profile.id} className={open === profile.id ? 'open' : ''}>
            <button type="button" className="rail-cluster" onClick={() => go({ kind: 'topics', connectionId: profile.id })} title={profile.bootstrap}>
              {profile.name}
              {profile.writable && <span className="badge" title="Writes allowed">rw</span>}
            </button>
            {open === profile.id && (
              <ul className="rail-sub">
                <li>
                  <button type="button" className={view.kind === 'brokers' ? 'active' : ''} onClick={() => go({ kind: 'brokers', connectionId: profile.id })}>
                    Brokers
                  </button>
                </li>
                <li>
                  <button type="button" className={view.kind === 'topics' || view.kind === 'topic' || view.kind === 'messages' ? 'active' : ''} onClick={() => go({ kind: 'topics', connectionId: profile.id })} data-testid="rail-topics">
                    Topics
                  </button>
                </li>
                <li>
                  <button type="button" className={view.kind === 'edit-connection' ? 'active' : ''} onClick={() => go({ kind: 'edit-connection', connectionId: profile.id })}>
                    Connection settings
                  </button>
                </li>
              </ul>
            )}
          </li>
        ))}
      </ul>
      <button type="button" className="rail-add" onClick={() => go({ kind: 'edit-connection', connectionId: null })} data-testid="add-connection">
        + Add connection
      </button>
    </nav>
  );
}
