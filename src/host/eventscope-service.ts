// The host side of the contract: what each method does, on Node. Wires (in-process,
// Electron port, WebSocket) all serve this same object.

import { LAG_SAMPLE_DEFAULT_SEC, type AppInfo, type ConnectionProfile, type ConnectionSecrets, type ConnectionSummary, type Settings } from '../contract/dto.ts';
import type { MethodHandlers, StreamHandlers } from '../rpc/server.ts';
import { ConnectionStore } from '../connections/connection-store.ts';
import { importConnectionFile } from '../connections/import-config-file.ts';
import type { SecretVault } from '../connections/secret-vault.ts';
import { randomUUID } from 'node:crypto';
import { existsSync, mkdirSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { CaptureSummary } from '../contract/dto.ts';
import type { ClusterClient } from '../kafka/index.ts';
import { CAPTURE_CLUSTER, exportCapture, openCapture } from '../log/capture-file.ts';
import { OfflineCluster } from '../log/offline-cluster.ts';
import { decodePayload } from '../codecs/payload.ts';
import { toRecordDto } from '../codecs/record-dto.ts';
import { exportRecords } from '../export/record-export.ts';
import { RpcError } from '../contract/errors.ts';
import type { KafkaRecord } from '../kafka/index.ts';
import { pageBefore } from '../log/log-pages.ts';
import { checkHeldTopic, type TopicSeen } from '../log/held-topic-check.ts';
import { ReplayLog } from '../log/replay-log.ts';
import { PREVIEW_BYTES, TailSession } from '../tail/tail-session.ts';
import { compileFilter } from '../filters/record-filter.ts';
import { SettingsStore } from './settings-store.ts';
import type { RecordDto } from '../contract/dto.ts';

const SEARCH_FLUSH_RECORDS = 2_000;
const MIB = 1024 * 1024;
/** A download built in memory stays below this; larger exports go through the CLI. */
const EXPORT_MAX_BYTES = 200 * 1024 * 1024;
const SEARCH_PROGRESS_MS = 100;
/** Browsing a topic's replay log checks it against the cluster at most this often. */
const HELD_CHECK_MS = 10_000;
/** In a log.scanPage cursor: this partition has been read to its end. */
const END_OF_PARTITION = '9223372036854775807';
import { sleep } from '../util/sleep.ts';
import { ClusterPool, type OpenClusterClient } from './cluster-pool.ts';
import { capturedGroups, createGroupService } from './group-handlers.ts';
import { createTopicAdminHandlers } from './topic-admin-handlers.ts';
import { LagHistoryStore } from '../lag/lag-history-store.ts';

export interface ServiceOptions {
  version: string;
  mode: AppInfo['mode'];
  dataDir: string;
  vault: SecretVault;
  openClusterClient: OpenClusterClient;
  /** The replay log; default <dataDir>/replay-log.sqlite. */
  log?: ReplayLog;
  /**
   * The replay log's size cap per cluster from the environment (EVENTSCOPE_LOG_CAP_MB): it wins
   * over the saved setting for this run. Otherwise the setting, default 2 GB.
   */
  logCapBytesPerCluster?: number | undefined;
  /** Opened at start as the offline cluster "sample" (the embedded default); none if absent. */
  sampleCapturePath?: string | null;
}

interface OpenCapture {
  summary: CaptureSummary;
  log: ReplayLog;
  /** The consumer groups' lag history the capture carries (the same file). */
  lagHistory: LagHistoryStore;
  client: OfflineCluster;
}

export const SAMPLE_CAPTURE_ID = 'sample';

export interface EventscopeService {
  methods: MethodHandlers;
  streams: StreamHandlers;
  close(): Promise<void>;
}

export function createEventscopeService(options: ServiceOptions): EventscopeService {
  const store = new ConnectionStore(options.dataDir);
  const settingsStore = new SettingsStore(options.dataDir);
  let { settings: savedSettings, problem: settingsProblem } = settingsStore.load();
  const log = options.log ?? new ReplayLog(join(options.dataDir, 'replay-log.sqlite'), { capBytesPerCluster: options.logCapBytesPerCluster ?? (savedSettings.logCapMb === undefined ? undefined : savedSettings.logCapMb * MIB), checkpointInBackground: true });
  const lagSampleIntervalSec = (): number => savedSettings.lagSampleIntervalSec ?? LAG_SAMPLE_DEFAULT_SEC;
  const currentSettings = (): Settings => ({ logCapMb: Math.round(log.capBytes / MIB), logCapFromEnvironment: options.logCapBytesPerCluster !== undefined, lagSampleIntervalSec: lagSampleIntervalSec(), timeZone: savedSettings.timeZone ?? 'local', problem: settingsProblem });
  const tails = new Map<string, TailSession>();
  const captures = new Map<string, OpenCapture>();
  let captureCounter = 0;

  const openCaptureAs = (id: string, path: string): CaptureSummary => {
    const { log: captureLog, info } = openCapture(path);
    const topics = captureLog.topics(CAPTURE_CLUSTER);
    const summary: CaptureSummary = {
      id,
      name: info.name || basename(path),
      description: info.description ?? '',
      path,
      source: info.source ?? '',
      createdAt: info.createdAt ?? 0,
      topics: topics.length,
      records: topics.reduce((n, t) => n + captureLog.recordCount(CAPTURE_CLUSTER, t.topic), 0),
    };
    const lagHistory = new LagHistoryStore(path, { readOnly: true });
    captures.set(id, { summary, log: captureLog, lagHistory, client: new OfflineCluster(captureLog, CAPTURE_CLUSTER, summary.name, capturedGroups(lagHistory, CAPTURE_CLUSTER)) });
    return summary;
  };
  if (options.sampleCapturePath && existsSync(options.sampleCapturePath)) openCaptureAs(SAMPLE_CAPTURE_ID, options.sampleCapturePath);

  /** Where the records of a connection or capture are kept, and under which cluster key. */
  const logFor = (connectionId: string): { log: ReplayLog; cluster: string } => {
    const capture = captures.get(connectionId);
    return capture ? { log: capture.log, cluster: CAPTURE_CLUSTER } : { log, cluster: connectionId };
  };
  const pool = new ClusterPool(options.openClusterClient);
  const { vault } = options;

  const summary = async (profile: ConnectionProfile): Promise<ConnectionSummary> => {
    const secrets = await vault.load(profile.id);
    return { profile, hasSaslPassword: Boolean(secrets.saslPassword), hasTlsKeyPassword: Boolean(secrets.tlsKeyPassword) };
  };

  const clientFor = async (connectionId: string): Promise<ClusterClient> => {
    const capture = captures.get(connectionId);
    if (capture) return capture.client;
    const profile = await store.get(connectionId);
    return pool.get(profile, () => vault.load(profile.id));
  };

  /**
   * Before what the log holds of a topic is shown or added to, check it is still the cluster's
   * (the topic was not re-created, no partition truncated below it): src/log/held-topic-check.ts.
   * A tail start always checks; browsing checks at most every HELD_CHECK_MS per topic. A
   * cluster that cannot be asked (down) leaves the log as it is: browsing it offline is its use.
   */
  const heldCheckedAt = new Map<string, number>();
  const checkHeld = async (connectionId: string, topic: string, force: boolean): Promise<string[]> => {
    if (captures.has(connectionId)) return [];
    const key = `${connectionId}\u0000${topic}`;
    if (!force && Date.now() - (heldCheckedAt.get(key) ?? -Infinity) < HELD_CHECK_MS) return [];
    heldCheckedAt.set(key, Date.now());
    let seen: TopicSeen;
    try {
      const client = await clientFor(connectionId);
      const [ids, ends] = await Promise.all([client.topicIds([topic]), client.latestOffsets([topic])]);
      seen = { topicId: ids.get(topic) ?? null, endOffsets: ends.get(topic) ?? new Map() };
      if (!ends.has(topic)) return [];
    } catch {
      return [];
    }
    return checkHeldTopic(log, connectionId, topic, seen);
  };

  const groups = createGroupService({
    dataDir: options.dataDir,
    clientFor,
    profileOf: async (connectionId) => (captures.has(connectionId) ? null : store.get(connectionId)),
    captureHistory: (connectionId) => {
      const capture = captures.get(connectionId);
      return capture ? { store: capture.lagHistory, cluster: CAPTURE_CLUSTER } : null;
    },
    connectionIds: async () => (await store.list()).map((p) => p.id),
    sampleIntervalMs: () => lagSampleIntervalSec() * 1000,
  });
  // Watched groups are sampled again from the start; a cluster that is down says so per group.
  void groups.resume().catch(() => undefined);

  const methods: MethodHandlers = {
    ...groups.methods,
    ...createTopicAdminHandlers({ clientFor, profileOf: async (connectionId) => (captures.has(connectionId) ? null : store.get(connectionId)) }),
    'app.info': async () => ({ version: options.version, mode: options.mode, dataDir: options.dataDir, secretStorage: vault.info() }),

    'connections.list': async () => Promise.all((await store.list()).map(summary)),

    'connections.save': async ({ profile, secrets, allowPlaintextSecrets }) => {
      if (secrets) {
        // Omitted fields keep what is stored; an empty string clears.
        const merged: ConnectionSecrets = { ...(await vault.load(profile.id)) };
        for (const [k, v] of Object.entries(secrets) as [keyof ConnectionSecrets, string | undefined][]) {
          if (v !== undefined) merged[k] = v;
        }
        await vault.save(profile.id, merged, { allowPlaintext: allowPlaintextSecrets === true }).catch(notSaved('The connection was not saved.'));
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

    'captures.list': async () => [...captures.values()].map((c) => c.summary),

    'captures.open': async ({ path }) => {
      const already = [...captures.values()].find((c) => c.summary.path === path);
      return already ? already.summary : openCaptureAs(`capture-${++captureCounter}`, path);
    },

    'captures.close': async ({ id }) => {
      const capture = captures.get(id);
      if (!capture) return { closed: false };
      captures.delete(id);
      capture.log.close();
      capture.lagHistory.close();
      return { closed: true };
    },

    'captures.export': async ({ connectionId, topic, partitions, path }) => {
      await checkHeld(connectionId, topic, false);
      const source = logFor(connectionId);
      const target = path ?? join(options.dataDir, 'captures', `${topic.replace(/[^A-Za-z0-9._-]/g, '_')}-${new Date().toISOString().replace(/[:.]/g, '-')}.eventscope`);
      mkdirSync(dirname(target), { recursive: true });
      const profile = captures.has(connectionId) ? null : await store.get(connectionId).catch(() => null);
      const { records } = exportCapture(source.log, source.cluster, [{ topic, ...(partitions ? { partitions } : {}) }], target, {
        name: `${topic} (${profile?.name ?? connectionId})`,
        description: `Exported from ${profile?.bootstrap ?? connectionId} on ${new Date().toISOString()}`,
        createdAt: Date.now(),
        source: profile?.bootstrap ?? connectionId,
      });
      // The lag history of the watched groups that read the topic travels with it.
      if (!captures.has(connectionId)) groups.copyHistoryToCapture(connectionId, topic, target, CAPTURE_CLUSTER);
      return { path: target, records };
    },

    'records.produce': async ({ connectionId, topic, partition, key, value, headers }) => {
      if (!captures.has(connectionId)) {
        const profile = await store.get(connectionId);
        if (!profile.writable) throw new RpcError('WRITE_NOT_ALLOWED', `"${profile.name}" is read-only. Mark it "Allow writes" in its connection settings to produce records.`);
      }
      const written = await (await clientFor(connectionId)).produce(topic, {
        ...(partition !== undefined ? { partition } : {}),
        key: decodePayload(key),
        value: decodePayload(value),
        headers: headers.map((h) => ({ key: h.key, value: decodePayload(h.value) })),
      });
      return { partition: written.partition, offset: written.offset.toString() };
    },

    'records.export': async ({ connectionId, topic, records, format }) => {
      const whole: RecordDto[] = [];
      let bytes = 0;
      for (const { partition, offset } of records) {
        const record = await methods['records.get']({ connectionId, topic, partition, offset }, { signal: new AbortController().signal });
        bytes += (record.value?.size ?? 0) + (record.key?.size ?? 0);
        if (bytes > EXPORT_MAX_BYTES) throw new RpcError('BAD_CONFIG', `These records hold more than ${EXPORT_MAX_BYTES / 1024 / 1024} MB: export them with "eventscope export" instead, which streams to a file.`);
        whole.push(record);
      }
      return { text: exportRecords(whole, format), count: whole.length };
    },

    'tail.ack': async ({ sessionId, flush }) => {
      const session = tails.get(sessionId);
      session?.ack(flush);
      return { known: session !== undefined };
    },

    'log.page': async ({ connectionId, topic, before, limit }) => {
      await checkHeld(connectionId, topic, false);
      const source = logFor(connectionId);
      const page = pageBefore(source.log, source.cluster, topic, before, limit);
      return { records: page.records.map((r) => toRecordDto(r, PREVIEW_BYTES)), more: page.more };
    },

    'log.scanPage': async ({ connectionId, topic, after, limit, previewBytes }) => {
      if (Object.keys(after).length === 0) await checkHeld(connectionId, topic, false);
      const source = logFor(connectionId);
      const held = source.log.topics(source.cluster).find((t) => t.topic === topic)?.partitions ?? [];
      const next = { ...after };
      const records: RecordDto[] = [];
      for (const partition of held) {
        if (records.length >= limit) break;
        const from = BigInt(next[partition] ?? '0');
        const page = source.log.read({ cluster: source.cluster, topic, partition }, from, limit - records.length);
        for (const r of page) records.push(toRecordDto(r, previewBytes));
        // A partition that gave less than asked is finished: mark it past its end.
        next[partition] = page.length < limit - (records.length - page.length) ? END_OF_PARTITION : (page[page.length - 1]!.offset + 1n).toString();
      }
      const done = held.every((p) => next[p] === END_OF_PARTITION);
      return { records, after: next, done, total: source.log.recordCount(source.cluster, topic) };
    },

    'settings.get': async () => currentSettings(),

    'settings.update': async ({ logCapMb, lagSampleIntervalSec: interval, timeZone }) => {
      if (logCapMb !== undefined && options.logCapBytesPerCluster !== undefined) {
        throw new RpcError('BAD_CONFIG', `The replay log's cap is set by EVENTSCOPE_LOG_CAP_MB for this run; unset it to change the cap here.`, 'logCapMb');
      }
      const next = { ...savedSettings, ...(logCapMb !== undefined ? { logCapMb } : {}), ...(interval !== undefined ? { lagSampleIntervalSec: interval } : {}), ...(timeZone !== undefined ? { timeZone } : {}) };
      await settingsStore.save(next).catch(notSaved('The settings were not saved.'));
      savedSettings = next;
      settingsProblem = null;
      if (logCapMb !== undefined) log.setCap(logCapMb * MIB);
      if (interval !== undefined) groups.restartSampling();
      return currentSettings();
    },

    'log.usage': async () => ({ capBytes: log.capBytes, clusters: log.usage().map(({ cluster, ...held }) => ({ connectionId: cluster, ...held })) }),

    'log.clear': async ({ connectionId }) => {
      if (captures.has(connectionId)) throw new RpcError('BAD_CONFIG', 'A capture file is read-only: close it instead of clearing it.');
      return { freedBytes: log.clear(connectionId) };
    },

    'records.get': async ({ connectionId, topic, partition, offset }) => {
      const at = BigInt(offset);
      await checkHeld(connectionId, topic, false);
      const source = logFor(connectionId);
      const stored = source.log.read({ cluster: source.cluster, topic, partition }, at, 1)[0];
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
      await checkHeld(connectionId, topic, false);
      const source = logFor(connectionId);
      const total = source.log.recordCount(source.cluster, topic);
      let scanned = 0;
      let matched = 0;
      let pending: RecordDto[] = [];
      let lastProgress = 0;
      for (const batch of source.log.scan(source.cluster, topic)) {
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
        }
        // Let other calls (and the cancel) through after every stored batch (up to 4,096
        // records; a filter costs at most a few µs a record, regexes included: RE2).
        await new Promise((resolve) => setImmediate(resolve));
      }
      matched += pending.length;
      if (pending.length > 0) emit({ type: 'matches', records: pending });
      emit({ type: 'progress', scanned, total, matched });
    },

    'tail.records': async ({ connectionId, topic, partitions, from, follow }, emit, { signal }) => {
      const client = await clientFor(connectionId);
      // A capture is read from its own file: nothing to store, and nothing new will come.
      const offline = captures.has(connectionId);
      const notices = await checkHeld(connectionId, topic, true);
      const session = new TailSession(randomUUID(), client, offline ? null : log, { cluster: connectionId, topic, ...(partitions ? { partitions } : {}), from, follow: follow && !offline, notices }, emit);
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
      await groups.close();
      await pool.closeAll();
      for (const capture of captures.values()) {
        capture.log.close();
        capture.lagHistory.close();
      }
      if (!options.log) log.close();
    },
  };
}

/**
 * A save that failed on the disk (DISK_FULL, WRITE_FAILED from writeFileAtomic, which leaves the
 * old file as it was) is answered as what was not done, then why and what to do.
 */
function notSaved(outcome: string): (err: unknown) => never {
  return (err) => {
    if (err instanceof RpcError && (err.code === 'DISK_FULL' || err.code === 'WRITE_FAILED')) throw new RpcError(err.code, `${outcome} ${err.message}`, err.field);
    throw err;
  };
}
