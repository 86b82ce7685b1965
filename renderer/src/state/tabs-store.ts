// The open message views: one tab per topic opened, above the main area. A tab's view stays
// mounted (hidden while another view shows), so its tail keeps running with its rows, scroll
// position, filter and selection; closing the tab unmounts it, which stops its tail. At most
// MAX_TABS are open (each holds up to 50,000 rows): opening one more closes the oldest, said in
// a notice. Opening follows the address: whenever the navigation shows a messages view, its tab
// is opened (or brought back) here.
import { create } from 'zustand';
import { useNavigation } from './navigation-store.ts';
import type { MessagesQuery, View } from './view-routes.ts';

export const MAX_TABS = 8;

type MessagesView = Extract<View, { kind: 'messages' }>;

export interface MessageTab {
  /** connectionId + topic: one tab per topic of a connection. */
  id: string;
  /** Changes when a tab is closed and opened again: a fresh view, not the old one. */
  key: string;
  connectionId: string;
  topic: string;
  /** What the address asked for when the tab opened (a link with from= starts the tail at once). */
  initial: MessagesQuery;
  /** The tab's address now (its start position and filter as they are): where clicking the tab goes. */
  view: MessagesView;
}

interface TabsState {
  tabs: MessageTab[];
  /** Said when the oldest tab was closed to make room. */
  notice: string | null;
  open(view: MessagesView): void;
  /** Closes a tab (its tail stops); shown, the view moves to another tab or the topic. */
  close(id: string): void;
  /** The tab's view says where it is now (start position, filter): kept for the tab's link. */
  setView(id: string, view: MessagesView): void;
  dismissNotice(): void;
}

export function tabId(connectionId: string, topic: string): string {
  return `${connectionId}\u0000${topic}`;
}

let opened = 0;

export const useTabs = create<TabsState>((set, get) => ({
  tabs: [],
  notice: null,
  open: (view) => {
    const id = tabId(view.connectionId, view.topic);
    if (get().tabs.some((t) => t.id === id)) return;
    const { kind: _kind, connectionId, topic, ...initial } = view;
    const tab: MessageTab = { id, key: `${id}#${++opened}`, connectionId, topic, initial, view };
    let tabs = [...get().tabs, tab];
    let notice = get().notice;
    if (tabs.length > MAX_TABS) {
      const oldest = tabs[0]!;
      tabs = tabs.slice(1);
      notice = `Closed the tab of ${oldest.topic} (its tail stopped): at most ${MAX_TABS} message tabs stay open.`;
    }
    set({ tabs, notice });
  },
  close: (id) => {
    const tabs = get().tabs;
    const index = tabs.findIndex((t) => t.id === id);
    if (index < 0) return;
    const closing = tabs[index]!;
    const rest = tabs.filter((t) => t.id !== id);
    set({ tabs: rest });
    const shown = useNavigation.getState().view;
    if (shown.kind === 'messages' && tabId(shown.connectionId, shown.topic) === id) {
      const next = rest[Math.min(index, rest.length - 1)];
      useNavigation
        .getState()
        .go(next ? next.view : { kind: 'topic', connectionId: closing.connectionId, topic: closing.topic });
    }
  },
  setView: (id, view) => set((s) => ({ tabs: s.tabs.map((t) => (t.id === id ? { ...t, view } : t)) })),
  dismissNotice: () => set({ notice: null }),
}));

// Follow the navigation: a messages view shown (a click, Back/Forward, a link) has its tab.
function follow(view: View): void {
  if (view.kind === 'messages') useTabs.getState().open(view);
}
follow(useNavigation.getState().view);
useNavigation.subscribe((s, previous) => {
  if (s.view !== previous.view) follow(s.view);
});
