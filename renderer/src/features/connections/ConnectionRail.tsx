// The left rail: saved clusters, and under the open one its views. Every entry has its icon
// (Lucide) before its name; ↑/↓/Home/End move between entries and Enter opens one
// (use-list-keyboard.ts); the search entry at the top opens the command palette.
import { useState } from 'react';
import {
  Archive,
  Cable,
  FolderOpen,
  Layers,
  Plus,
  Search,
  Server,
  Settings,
  SquarePen,
  Telescope,
  Users,
  Workflow,
} from 'lucide-react';
import { useListKeyboard } from '../../components/use-list-keyboard.ts';
import { usePalette } from '../palette/palette-store.ts';
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
          <button
            type="button"
            data-list-item=""
            className={view.kind === 'brokers' ? 'active' : ''}
            onClick={() => go({ kind: 'brokers', connectionId: id })}
          >
            <Server aria-hidden />
            Brokers
          </button>
        </li>
      )}
      <li>
        <button
          type="button"
          className={view.kind === 'topics' || view.kind === 'topic' || view.kind === 'messages' ? 'active' : ''}
          onClick={() => go({ kind: 'topics', connectionId: id })}
          data-testid="rail-topics"
          data-list-item=""
        >
          <Layers aria-hidden />
          Topics
        </button>
      </li>
      <li>
        <button
          type="button"
          className={view.kind === 'consumers' || view.kind === 'group' ? 'active' : ''}
          onClick={() => go({ kind: 'consumers', connectionId: id })}
          data-testid="rail-consumers"
          data-list-item=""
        >
          <Users aria-hidden />
          Consumers
        </button>
      </li>
      {!offline && (
        <li>
          <button
            type="button"
            data-list-item=""
            className={view.kind === 'edit-connection' ? 'active' : ''}
            onClick={() => go({ kind: 'edit-connection', connectionId: id })}
          >
            <SquarePen aria-hidden />
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
  const keys = useListKeyboard<HTMLElement>();
  const openPalette = usePalette((s) => s.open);
  const shortcut = /Mac|iPhone|iPad/.test(navigator.platform) ? '⌘K' : 'Ctrl K';
  return (
    <nav className="rail" aria-label="Clusters" data-testid="rail" {...keys.containerProps}>
      <div className="rail-brand">
        <Telescope aria-hidden /> Eventscope
      </div>
      <button
        type="button"
        className="rail-search"
        onClick={() => openPalette()}
        data-testid="open-palette"
        data-list-item=""
        aria-keyshortcuts="Control+K Meta+K"
        title="Jump to a connection, topic, group or view"
      >
        <Search aria-hidden />
        <span className="rail-label">Go to…</span>
        <kbd aria-hidden>{shortcut}</kbd>
      </button>
      {connections.length > 0 && <div className="rail-title">Clusters</div>}
      <ul>
        {connections.map(({ profile }) => (
          <li key={profile.id} className={open === profile.id ? 'open' : ''}>
            <button
              type="button"
              className="rail-cluster"
              onClick={() => go({ kind: 'topics', connectionId: profile.id })}
              title={profile.bootstrap}
              data-list-item=""
            >
              <Cable aria-hidden />
              <span className="rail-label">{profile.name}</span>
              {profile.writable && (
                <span className="badge" title="Writes allowed">
                  rw
                </span>
              )}
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
                <button
                  type="button"
                  className="rail-cluster"
                  onClick={() => go({ kind: 'topics', connectionId: c.id })}
                  title={`${c.description}\n${c.path}`}
                  data-testid="rail-capture"
                  data-list-item=""
                >
                  <Archive aria-hidden />
                  <span className="rail-label">{c.name}</span>
                </button>
                {open === c.id && <ClusterViews id={c.id} offline />}
              </li>
            ))}
          </ul>
        </>
      )}
      <div className="rail-actions">
        <button
          type="button"
          className="rail-add"
          onClick={() => go({ kind: 'edit-connection', connectionId: null })}
          data-testid="add-connection"
          data-list-item=""
        >
          <Plus aria-hidden />
          Add connection
        </button>
        <button
          type="button"
          className="rail-add"
          onClick={() => setAskingPath((v) => !v)}
          data-testid="open-capture"
          data-list-item=""
          aria-expanded={askingPath}
        >
          <FolderOpen aria-hidden />
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
            <input
              value={path}
              onChange={(e) => setPath(e.target.value)}
              placeholder="/path/to/file.eventscope"
              aria-label="Capture file path"
              data-testid="capture-path"
              autoFocus
            />
            <button type="submit" data-testid="capture-path-open">
              Open
            </button>
          </form>
        )}
        {openError && (
          <div className="notice notice-error" role="alert">
            {openError}
          </div>
        )}
      </div>
      <div className="rail-spacer" />
      <button
        type="button"
        className={`rail-add${view.kind === 'projections' ? ' active' : ''}`}
        onClick={() => go({ kind: 'projections' })}
        data-testid="open-projections"
        data-list-item=""
      >
        <Workflow aria-hidden />
        Projections
      </button>
      <button
        type="button"
        className={`rail-add${view.kind === 'settings' ? ' active' : ''}`}
        onClick={() => go({ kind: 'settings' })}
        data-testid="open-settings"
        data-list-item=""
      >
        <Settings aria-hidden />
        Settings
      </button>
    </nav>
  );
}
