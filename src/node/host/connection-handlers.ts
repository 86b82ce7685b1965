// The host side of connections.*: saved connection profiles (connections.json) and their
// secrets (the vault), testing a saved connection or an unsaved draft, importing a
// client.properties or kcat config file. A saved or removed connection's open client is
// dropped, so the next call connects with what was saved.
import type { ConnectionProfile, ConnectionSecrets, ConnectionSummary } from '../../common/contract/dto.ts';
import { importConnectionFile } from '../connections/import-config-file.ts';
import type { MethodHandlers } from '../../common/rpc/server.ts';
import { notSaved, type HostContext } from './host-context.ts';

type ConnectionMethods = Pick<
  MethodHandlers,
  'connections.list' | 'connections.save' | 'connections.remove' | 'connections.test' | 'connections.importFile'
>;

export function createConnectionHandlers(ctx: HostContext): ConnectionMethods {
  const { store, vault, pool } = ctx;

  const summary = async (profile: ConnectionProfile): Promise<ConnectionSummary> => {
    const secrets = await vault.load(profile.id);
    return {
      profile,
      hasSaslPassword: Boolean(secrets.saslPassword),
      hasTlsKeyPassword: Boolean(secrets.tlsKeyPassword),
    };
  };

  return {
    'connections.list': async () => Promise.all((await store.list()).map(summary)),

    'connections.save': async ({ profile, secrets, allowPlaintextSecrets }) => {
      if (secrets) {
        // Omitted fields keep what is stored; an empty string clears.
        const merged: ConnectionSecrets = { ...(await vault.load(profile.id)) };
        for (const [k, v] of Object.entries(secrets) as [keyof ConnectionSecrets, string | undefined][]) {
          if (v !== undefined) merged[k] = v;
        }
        await vault
          .save(profile.id, merged, { allowPlaintext: allowPlaintextSecrets === true })
          .catch(notSaved('The connection was not saved.'));
      }
      await store.upsert(profile).catch(notSaved('The connection was not saved.'));
      await pool.drop(profile.id);
      return summary(profile);
    },

    'connections.remove': async ({ id }) => {
      const removed = await store.remove(id).catch(notSaved('The connection was not removed.'));
      await vault.remove(id).catch(notSaved('Its stored secrets were not removed.'));
      await pool.drop(id);
      return { removed };
    },

    'connections.test': async (params) => {
      if ('connectionId' in params) return (await ctx.clientFor(params.connectionId)).probe();
      // An unsaved draft: secrets typed in the form, else those stored under its id.
      const stored = await vault.load(params.profile.id).catch(() => ({}));
      const client = await ctx.openClusterClient(params.profile, { ...stored, ...params.secrets });
      try {
        return await client.probe();
      } finally {
        await client.close();
      }
    },

    'connections.importFile': async ({ fileName, text }) => importConnectionFile(fileName, text),
  };
}
