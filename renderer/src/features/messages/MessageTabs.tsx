// The tab strip of open message views and the views themselves. Every open tab's MessagesView
// stays mounted, hidden unless its tab is the view shown: its tail keeps running and its rows,
// scroll position, filter and selection are there when the user comes back. Closing a tab
// unmounts its view, which stops its tail (tabs-store.ts keeps the list, at most MAX_TABS).
import { useConnections } from '../../state/connections-store.ts';
import { useCaptures } from '../../state/captures-store.ts';
import { useNavigation } from '../../state/navigation-store.ts';
import { tabId, useTabs, type MessageTab } from '../../state/tabs-store.ts';
import { MessagesView } from './MessagesView.tsx';

function useShownTab(): string | null {
  const view = useNavigation((s) => s.view);
  return view.kind === 'messages' ? tabId(view.connectionId, view.topic) : null;
}

/** The name of a tab's connection, when more than one connection or capture is open. */
function useSourceName(tab: MessageTab, many: boolean): string | null {
  const connection = useConnections((s) => s.connections.find((c) => c.profile.id === tab.connectionId)?.profile.name);
  const capture = useCaptures((s) => s.captures.find((c) => c.id === tab.connectionId)?.name);
  return many ? (connection ?? capture ?? tab.connectionId) : null;
}

function Tab({ tab, shown, many }: { tab: MessageTab; shown: boolean; many: boolean }) {
  const go = useNavigation((s) => s.go);
  const close = useTabs((s) => s.close);
  const source = useSourceName(tab, many);
  return (
    <div
      className={`message-tab${shown ? ' active' : ''}`}
      role="presentation"
      data-testid="message-tab"
      data-topic={tab.topic}
      data-active={shown}
    >
      <button
        type="button"
        role="tab"
        aria-selected={shown}
        className="message-tab-open"
        onClick={() => go(tab.view)}
        title={source ? `${tab.topic} (${source})` : tab.topic}
        data-testid="message-tab-open"
      >
        {tab.topic}
        {source && <span className="meta"> · {source}</span>}
      </button>
      <button
        type="button"
        className="message-tab-close"
        onClick={() => close(tab.id)}
        aria-label={`Close the tab of ${tab.topic} (stops its tail)`}
        title="Close (stops its tail)"
        data-testid="message-tab-close"
      >
        ×
      </button>
    </div>
  );
}

export function MessageTabStrip() {
  const tabs = useTabs((s) => s.tabs);
  const notice = useTabs((s) => s.notice);
  const dismiss = useTabs((s) => s.dismissNotice);
  const shown = useShownTab();
  if (tabs.length === 0) return null;
  const many = new Set(tabs.map((t) => t.connectionId)).size > 1;
  return (
    <>
      <div className="message-tabs" role="tablist" aria-label="Open message views" data-testid="message-tabs">
        {tabs.map((tab) => (
          <Tab key={tab.key} tab={tab} shown={tab.id === shown} many={many} />
        ))}
      </div>
      {notice && (
        <div className="notice notice-warning" role="status" data-testid="tabs-notice">
          {notice}
          <button type="button" onClick={dismiss}>
            Dismiss
          </button>
        </div>
      )}
    </>
  );
}

/** Every open tab's view; only the shown one is visible. */
export function MessageTabViews() {
  const tabs = useTabs((s) => s.tabs);
  const shown = useShownTab();
  return (
    <>
      {tabs.map((tab) => (
        <MessagesView
          key={tab.key}
          tabId={tab.id}
          connectionId={tab.connectionId}
          topic={tab.topic}
          initial={tab.initial}
          active={tab.id === shown}
        />
      ))}
    </>
  );
}
