// Saved connections and which one is open.
import { create } from 'zustand';
import type { ConnectionSummary } from '@common/contract/dto.ts';
import { rpc } from './host-store.ts';

interface ConnectionsState {
  loaded: boolean;
  connections: ConnectionSummary[];
  error: string | null;
  reload(): Promise<void>;
}

export const useConnections = create<ConnectionsState>((set) => ({
  loaded: false,
  connections: [],
  error: null,
  reload: async () => {
    try {
      set({ connections: await rpc().call('connections.list', {}), loaded: true, error: null });
    } catch (err) {
      set({ error: (err as Error).message, loaded: true });
    }
  },
}));
