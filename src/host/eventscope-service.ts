// The host side of the contract: what each method does, on Node. Wires (in-process,
// Electron port, WebSocket) all serve this same object.

import type { AppInfo, ConnectionProfile, ConnectionSecrets, ConnectionSummary } from '../contract/dto.ts';
import type { MethodHandlers, StreamHandlers } from '../rpc/server.ts';
import { ConnectionStore } from '../connections/connection-store.ts';
import { importConnectionFile } from '../connections/import-config-file.ts';
import type { SecretVault } from '../connections/secret-vault.ts';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { toRecordDto } from '../codecs/record-dto.ts';
import { RpcError } from '../contract/errors.ts';
import type { KafkaRecord } from '../kafka/index.ts';
import { pageBefore } from '../log/log-pages.ts';
import { ReplayLog } from '../log/replay-log.ts';
import { PREVIEW_BYTES, TailSession } from '../tail/tail-session.ts';
import { compileFilter } from '../filters/record-filter.ts';
import type { RecordDto } from '../contract/dto.ts';

const SEARCH_FLUSH_RECORDS = 2_000;
const SEARCH_PROGRESS_MS = 100;
import { sleep } from '../util/sleep.ts';
import { ClusterPool, type OpenClusterClient } from './cluster-pool.ts';

export interface ServiceOptions {
  version: string;
  mode: AppInfo['mode'];
  dataDir: string;
  vault: SecretVault;
  openClusterClient: OpenClusterClient;
  /** The replay log; default <dataDir>/replay-log.sqlite. */
  log?: ReplayLog;
}

export interface EventscopeService {
  methods: MethodHandlers;
  streams: StreamHandlers;
  close(): Promise<void>;
}

export function createEventscopeService(options: ServiceOptions): EventscopeService {
  const store = new ConnectionStore(options.dataDir);
  const log = options.log ?? new ReplayLog(join(options.dataDir, 'replay-log.sqlite'));
  const tails = new Map<string, TailSession>();
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

    'tail.ack': async ({ sessionId, flush }) => {
      const session = tails.get(sessionId);
      session?.ack(flush);
      return { known: session !== undefined };
    },

    'log.page': async ({ connectionId, topic, before, limit }) => {
      const page = pageBefore(log, connectionId, topic, before, limit);
      return { records: page.records.map((r) => toRecordDto(r, PREVIEW_BYTES)), more: page.more };
    },

    'records.get': async ({ connectionId, topic, partition, offset }) => {
      const at = BigInt(offset);
      const stored = log.read({ cluster: connectionId, topic, partition }, at, 1)[0];
      if (stored && stored.offset === at) return toRecordDto(stored);
      let found: KafkaRecord | undefined;
      await (await clientFor(connectionId)).read({ topic, partitions: [partition], from: { kind: 'offset', offset: at }, follow: false, maxRecords: 1, onRecords: (records) => void (found ??= records[0]) });
      if (!found || found.offset !== at) throw new RpcError('NOT_FOUND', `No record at offset ${offset} of ${topic}-${partition}: it was compacted, deleted by retention, or never written.`);
      return toRecordDto(found);
    },
  };

  const streams: StreamHandlers = {
    'log.search': async ({ connectionId, topic, filter }, emit, { signal }) => {
      let matches: (record: RecordDto) => boolean;
      try {
        matches = compileFilter(filter);
      } catch (err) {
        throw new RpcError('INVALID_PARAMS', (err as Error).message, 'filter');
      }
      const total = log.recordCount(connectionId, topic);
      let scanned = 0;
      let matched = 0;
      let pending: RecordDto[] = [];
      let lastProgress = 0;
      for (const batch of log.scan(connectionId, topic)) {
        if (signal.aborted) return;
        for (const r of batch) {
          const dto = toRecordDto(r, PREVIEW_BYTES);
          if (matches(dto)) pending.push(dto);
        }
        scanned += batch.length;
        if (pending.length >= SEARCH_FLUSH_RECORDS) {
          matched += pending.length;
          emit({ type: 'matches', records: pending });
          pending = [];
        }
        if (Date.now() - lastProgress > SEARCH_PROGRESS_MS) {
          lastProgress = Date.now();
          emit({ type: 'progress', scanned, total, matched: matched + pending.length });
          // Let other calls (and the cancel) through between slices of the scan.
          await new Promise((resolve) => setImmediate(resolve));
        }
      }
      matched += pending.length;
      if (pending.length > 0) emit({ type: 'matches', records: pending });
      emit({ type: 'progress', scanned, total, matched });
    },

    'tail.records': async ({ connectionId, topic, partitions, from, follow }, emit, { signal }) => {
      const client = await clientFor(connectionId);
      const session = new TailSession(randomUUID(), client, log, { cluster: connectionId, topic, ...(partitions ? { partitions } : {}), from, follow }, emit);
      tails.set(session.id, session);
      try {
        await session.run(signal);
      } finally {
        tails.delete(session.id);
      }
    },

    'topics.watch': async ({ connectionId, includeInternal, intervalMs }, emit, { signal }) => {
      const client = await clientFor(connectionId);
      while (!signal.aborted) {
        emit({ topics: await client.listTopics({ includeInternal }), refreshedAt: Date.now() });
        await sleep(intervalMs, signal);
      }
    },
  };

  return {
    methods,
    streams,
    close: async () => {
      await pool.closeAll();
      if (!options.log) log.close();
    },
  };
}
