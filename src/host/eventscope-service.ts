// The host side of the contract: what each method does, on Node. Wires (in-process,
// Electron port, WebSocket) all serve this same object.

import type { AppInfo, ConnectionProfile, ConnectionSecrets, ConnectionSummary } from '../contract/dto.ts';
import type { MethodHandlers, StreamHandlers } from '../rpc/server.ts';
import { ConnectionStore } from '../connections/connection-store.ts';
import { importConnectionFile } from '../connections/import-config-file.ts';
import type { SecretVault } from '../connections/secret-vault.ts';
import { sleep } from '../util/sleep.ts';
import { ClusterPool, type OpenClusterClient } from './cluster-pool.ts';

export interface ServiceOptions {
  version: string;
  mode: AppInfo['mode'];
  dataDir: string;
  vault: SecretVault;
  openClusterClient: OpenClusterClient;
}

export interface EventscopeService {
  methods: MethodHandlers;
  streams: StreamHandlers;
  close(): Promise<void>;
}

export function createEventscopeService(options: ServiceOptions): EventscopeService {
  const store = new ConnectionStore(options.dataDir);
  const pool = new ClusterPool(options.openClusterClient);
  const { vault } = options;

  const summary = async (profile: ConnectionProfile): Promise<ConnectionSummary> => {
    const secrets = await vault.load(profile.id);
    return { profile, hasSaslPassword: Boolean(secrets.saslPassword), hasTlsKeyPassword: Boolean(secrets.tlsKeyPassword) };
  };

  const clientFor = async (connectionId: string) => {
    const profile = await store.get(connectionId);
    return pool.get(profile, () => vault.load(profile.id));
  };

  const methods: MethodHandlers = {
    'app.info': async () => ({ version: options.version, mode: options.mode, dataDir: options.dataDir, secretStorage: vault.info() }),

    'connections.list': async () => Promise.all((await store.list()).map(summary)),

    'connections.save': async ({ profile, secrets, allowPlaintextSecrets }) => {
      if (secrets) {
        // Omitted fields keep what is stored; an empty string clears.
        const merged: ConnectionSecrets = { ...(await vault.load(profile.id)) };
        for (const [k, v] of Object.entries(secrets) as [keyof ConnectionSecrets, string | undefined][]) {
          if (v !== undefined) merged[k] = v;
        }
        await vault.save(profile.id, merged, { allowPlaintext: allowPlaintextSecrets === true });
      }
      await store.upsert(profile);
      await pool.drop(profile.id);
      return summary(profile);
    },

    'connections.remove': async ({ id }) => {
      const removed = await store.remove(id);
      await vault.remove(id);
      await pool.drop(id);
      return { removed };
    },

    'connections.test': async (params) => {
      if ('connectionId' in params) return (await clientFor(params.connectionId)).probe();
      // An unsaved draft: secrets typed in the form, else those stored under its id.
      const stored = await vault.load(params.profile.id).catch(() => ({}));
      const client = await options.openClusterClient(params.profile, { ...stored, ...params.secrets });
      try {
        return await client.probe();
      } finally {
        await client.close();
      }
    },

    'connections.importFile': async ({ fileName, text }) => importConnectionFile(fileName, text),

    'cluster.describe': async ({ connectionId }) => (await clientFor(connectionId)).overview(),

    'topics.list': async ({ connectionId, includeInternal }) => (await clientFor(connectionId)).listTopics({ includeInternal }),

    'topics.describe': async ({ connectionId, topic }) => (await clientFor(connectionId)).describeTopic(topic),
  };

  const streams: StreamHandlers = {
    'topics.watch': async ({ connectionId, includeInternal, intervalMs }, emit, { signal }) => {
      const client = await clientFor(connectionId);
      while (!signal.aborted) {
        emit({ topics: await client.listTopics({ includeInternal }), refreshedAt: Date.now() });
        await sleep(intervalMs, signal);
      }
    },
  };

  return { methods, streams, close: () => pool.closeAll() };
}
