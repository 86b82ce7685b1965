// The left rail: saved clusters, and under the open one its views.
import { useState } from 'react';
import { errorText } from '../../components/ErrorNotice.tsx';
import { useCaptures } from '../../state/captures-store.ts';
import { rpc } from '../../state/host-store.ts';
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
      <li>
        <button type="button" className={view.kind === 'consumers' || view.kind === 'group' ? 'active' : ''} onClick={() => go({ kind: 'consumers', connectionId: id })} data-testid="rail-consumers">
          Consumers
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
  const reloadCaptures = useCaptures((s) => s.reload);
  const [openError, setOpenError] = useState<string | null>(null);
  const [askingPath, setAskingPath] = useState(false);
  const [path, setPath] = useState('');
  // The file is on the host's disk (the desktop machine, or where "eventscope serve" runs).
  // An inline field, not window.prompt: Electron does not implement prompt().
  const openCaptureFile = async (): Promise<void> => {
    if (!path.trim()) return;
    setOpenError(null);
    try {
      const opened = await rpc().call('captures.open', { path: path.trim() });
      await reloadCaptures();
      setAskingPath(false);
      setPath('');
      go({ kind: 'topics', connectionId: opened.id });
    } catch (err) {
      setOpenError(errorText(err));
    }
  };
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
      <button type="button" className="rail-add" onClick={() => setAskingPath((v) => !v)} data-testid="open-capture">
        Open capture file…
      </button>
      {askingPath && (
        <form
          className="rail-open"
          onSubmit={(e) => {
            e.preventDefault();
            void openCaptureFile();
          }}
        >
          <input value={path} onChange={(e) => setPath(e.target.value)} placeholder="/path/to/file.eventscope" aria-label="Capture file path" data-testid="capture-path" autoFocus />
          <button type="submit" data-testid="capture-path-open">
            Open
          </button>
        </form>
      )}
      {openError && <div className="notice notice-error" role="alert">{openError}</div>}
      <button type="button" className={`rail-add${view.kind === 'projections' ? ' active' : ''}`} onClick={() => go({ kind: 'projections' })} data-testid="open-projections">
        Projections
      </button>
      <button type="button" className={`rail-add${view.kind === 'settings' ? ' active' : ''}`} onClick={() => go({ kind: 'settings' })} data-testid="open-settings">
        Settings
      </button>
    </nav>
  );
}
