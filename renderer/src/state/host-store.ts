// The connection to the host and what it told us about itself.
import { create } from 'zustand';
import type { AppInfo } from '@common/contract/dto.ts';
import type { RpcClient } from '@common/rpc/client.ts';
import { connectHost } from '../transport/connect-host.ts';

interface HostState {
  client: RpcClient | null;
  info: AppInfo | null;
  error: string | null;
  disconnected: boolean;
  connect(): Promise<void>;
}

export const useHost = create<HostState>((set) => ({
  client: null,
  info: null,
  error: null,
  disconnected: false,
  connect: async () => {
    try {
      const client = await connectHost();
      const info = await client.call('app.info', {});
      client.onClose(() => set({ disconnected: true }));
      set({ client, info, error: null });
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
}));

export function rpc(): RpcClient {
  const client = useHost.getState().client;
  if (!client) throw new Error('Not connected to the Eventscope host yet.');
  return client;
}
