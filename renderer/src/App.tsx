// The window: left rail of clusters, the main area showing one view (above it, the tabs of
// the open message views, which stay mounted while other views show).
import { useEffect, useState } from 'react';
import { ConnectionRail } from './features/connections/ConnectionRail.tsx';
import { EditConnectionView } from './features/connections/EditConnectionView.tsx';
import { WelcomeScreen } from './features/connections/WelcomeScreen.tsx';
import { SettingsView } from './features/settings/SettingsView.tsx';
import { BrokersView } from './features/cluster/BrokersView.tsx';
import { TopicDetailView } from './features/topics/TopicDetailView.tsx';
import { TopicsView } from './features/topics/TopicsView.tsx';
import { MessageTabStrip, MessageTabViews } from './features/messages/MessageTabs.tsx';
import { ClusterTabs } from './features/consumers/ClusterTabs.tsx';
import { ConsumersView } from './features/consumers/ConsumersView.tsx';
import { GroupDetailView } from './features/consumers/GroupDetailView.tsx';
import { ProjectionsView } from './features/projections/ProjectionsView.tsx';
import { CommandPalette } from './features/palette/CommandPalette.tsx';
import { Copy, ExternalLink } from 'lucide-react';
import { useCaptures } from './state/captures-store.ts';
import { useConnections } from './state/connections-store.ts';
import { useHost } from './state/host-store.ts';
import { useNavigation } from './state/navigation-store.ts';
// Opens a tab whenever a messages view is shown (it follows the navigation).
import './state/tabs-store.ts';

export function App() {
  const { client, error, disconnected, connect } = useHost();
  const { loaded, connections, error: connectionsError, reload } = useConnections();
  const view = useNavigation((s) => s.view);

  useEffect(() => {
    void connect();
  }, [connect]);

  const reloadCaptures = useCaptures((s) => s.reload);
  const captures = useCaptures((s) => s.captures);
  useEffect(() => {
    if (client) {
      void reload();
      void reloadCaptures();
    }
  }, [client, reload, reloadCaptures]);

  // With saved connections, open the first one instead of the welcome screen (unless an
  // address asked for the welcome screen itself, or named no view: that is said there).
  const replace = useNavigation((s) => s.replace);
  const unknownAddress = useNavigation((s) => s.unknownAddress);
  useEffect(() => {
    const first = connections[0];
    if (view.kind === 'welcome' && first && unknownAddress === null && window.location.hash === '')
      replace({ kind: 'topics', connectionId: first.profile.id });
  }, [connections, view.kind, replace, unknownAddress]);

  if (error) {
    return (
      <div className="fatal" role="alert" data-testid="host-error">
        <h1>Eventscope cannot reach its host</h1>
        <p>{error}</p>
      </div>
    );
  }
  if (!client || !loaded) return <div className="loading">Starting…</div>;

  return (
    <div className="app">
      {disconnected && (
        <div className="banner" role="alert" data-testid="disconnected">
          The connection to the Eventscope host was lost. Restart it and reload this page.
        </div>
      )}
      {(connections.length > 0 || captures.length > 0) && <ConnectionRail />}
      <main className="main">
        {connectionsError && <div className="notice notice-error">{connectionsError}</div>}
        {unknownAddress !== null && (
          <div className="notice notice-warning" role="alert" data-testid="unknown-address">
            The address {unknownAddress} names no view of Eventscope (a link from another version, or mistyped).
          </div>
        )}
        <CopyLink />
        <MessageTabStrip />
        <MainView />
        <MessageTabViews />
      </main>
      <CommandPalette />
    </div>
  );
}

/** Copies the address of the view shown: it opens the same view (in this browser, or after a reload of the app). */
function CopyLink() {
  const view = useNavigation((s) => s.view);
  const [copied, setCopied] = useState<string | null>(null);
  useEffect(() => setCopied(null), [view]);
  if (view.kind === 'welcome') return null;
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(window.location.href);
      setCopied('Link copied');
    } catch {
      setCopied(`Copy this: ${window.location.href}`);
    }
  };
  return (
    <div className="copy-link">
      <button type="button" onClick={() => void copy()} title="Copy the address of this view" data-testid="copy-link">
        <Copy aria-hidden />
        Copy link
      </button>
      {/* A browser opens a tab; the desktop app opens a window of its own on the same view (main/index.ts). */}
      <button
        type="button"
        onClick={() => window.open(window.location.href, '_blank', 'noopener')}
        title="Open this view in a new window"
        data-testid="open-new-window"
      >
        <ExternalLink aria-hidden />
        Open in new window
      </button>
      {copied && (
        <span className="meta" role="status" data-testid="copy-link-done">
          {copied}
        </span>
      )}
    </div>
  );
}

function MainView() {
  const view = useNavigation((s) => s.view);
  switch (view.kind) {
    case 'welcome':
      return <WelcomeScreen />;
    case 'settings':
      return <SettingsView />;
    case 'projections':
      return <ProjectionsView />;
    case 'edit-connection':
      return <EditConnectionView connectionId={view.connectionId} />;
    case 'brokers':
      return <BrokersView connectionId={view.connectionId} />;
    case 'topics':
      return (
        <ClusterTabs connectionId={view.connectionId} current="topics">
          <TopicsView connectionId={view.connectionId} />
        </ClusterTabs>
      );
    case 'consumers':
      return (
        <ClusterTabs connectionId={view.connectionId} current="consumers">
          <ConsumersView key={view.connectionId} connectionId={view.connectionId} />
        </ClusterTabs>
      );
    case 'group':
      return (
        <GroupDetailView
          key={`${view.connectionId}/${view.groupId}`}
          connectionId={view.connectionId}
          groupId={view.groupId}
        />
      );
    case 'topic':
      return <TopicDetailView connectionId={view.connectionId} topic={view.topic} />;
    case 'messages':
      // Shown by MessageTabViews: every open tab's view stays mounted, only the shown one visible.
      return null;
  }
}
