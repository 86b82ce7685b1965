// Whether the command palette is open, and the names it offers beyond the stores the app
// already has: the topics and consumer groups of a connection, as the topic and group lists
// last read them (TopicsView and ConsumersView hand them over), so the palette does not read
// a cluster again for what is on screen already.
import { create } from 'zustand';

interface PaletteState {
  isOpen: boolean;
  open(): void;
  close(): void;
  /** Topic names per connection id, as last listed. */
  topics: ReadonlyMap<string, readonly string[]>;
  /** Consumer group ids per connection id, as last listed. */
  groups: ReadonlyMap<string, readonly string[]>;
  rememberTopics(connectionId: string, names: readonly string[]): void;
  rememberGroups(connectionId: string, ids: readonly string[]): void;
}

export const usePalette = create<PaletteState>((set) => ({
  isOpen: false,
  open: () => set({ isOpen: true }),
  close: () => set({ isOpen: false }),
  topics: new Map(),
  groups: new Map(),
  rememberTopics: (connectionId, names) => set((s) => ({ topics: new Map(s.topics).set(connectionId, names) })),
  rememberGroups: (connectionId, ids) => set((s) => ({ groups: new Map(s.groups).set(connectionId, ids) })),
}));
