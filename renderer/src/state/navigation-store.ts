// What the main area shows. One place, so the left rail, the palette and links agree.
import { create } from 'zustand';

export type View =
  | { kind: 'welcome' }
  | { kind: 'settings' }
  | { kind: 'edit-connection'; connectionId: string | null }
  | { kind: 'brokers'; connectionId: string }
  | { kind: 'topics'; connectionId: string }
  | { kind: 'topic'; connectionId: string; topic: string }
  | { kind: 'messages'; connectionId: string; topic: string }
  | { kind: 'consumers'; connectionId: string }
  | { kind: 'group'; connectionId: string; groupId: string };

interface NavigationState {
  view: View;
  go(view: View): void;
}

export const useNavigation = create<NavigationState>((set) => ({
  view: { kind: 'welcome' },
  go: (view) => set({ view }),
}));
