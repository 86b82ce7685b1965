// What the main area shows. One place, so the left rail, the palette and links agree. Every
// view is also an address (view-routes.ts, in the URL's hash): go() adds a history entry, so
// Back/Forward and reloads land on the same view, and a copied link opens it.
import { create } from 'zustand';
import { hashToView, viewToPath, type View } from './view-routes.ts';

export type { View };

interface NavigationState {
  view: View;
  /** The address asked for names no view (a stale or mistyped link); said on the welcome screen. */
  unknownAddress: string | null;
  /** Shows a view and gives it a history entry. */
  go(view: View): void;
  /** Shows a view in place of the current entry (a redirect: Back does not return to it). */
  replace(view: View): void;
}

const hasWindow = typeof window !== 'undefined';

function initial(): { view: View; unknownAddress: string | null } {
  if (!hasWindow) return { view: { kind: 'welcome' }, unknownAddress: null };
  const view = hashToView(window.location.hash);
  return view ? { view, unknownAddress: null } : { view: { kind: 'welcome' }, unknownAddress: window.location.hash };
}

function hashOf(view: View): string {
  return `#${viewToPath(view)}`;
}

export const useNavigation = create<NavigationState>((set) => ({
  ...initial(),
  go: (view) => {
    if (hasWindow && window.location.hash !== hashOf(view)) window.history.pushState(null, '', hashOf(view));
    set({ view, unknownAddress: null });
  },
  replace: (view) => {
    if (hasWindow) window.history.replaceState(null, '', hashOf(view));
    set({ view, unknownAddress: null });
  },
}));

if (hasWindow) {
  // Back, Forward, and an address typed or pasted into the bar.
  const follow = (): void => useNavigation.setState(initial());
  window.addEventListener('popstate', follow);
  window.addEventListener('hashchange', follow);
}
