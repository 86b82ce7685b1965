// Opened capture files (offline clusters), the sample capture among them.
import { create } from 'zustand';
import type { CaptureSummary } from '@common/contract/dto.ts';
import { rpc } from './host-store.ts';

interface CapturesState {
  captures: CaptureSummary[];
  reload(): Promise<void>;
}

export const useCaptures = create<CapturesState>((set) => ({
  captures: [],
  reload: async () => {
    set({ captures: await rpc().call('captures.list', {}) });
  },
}));
