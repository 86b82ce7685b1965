// The host side of the contract: composes one handler module per namespace (connections,
// cluster and topics, captures, records, log, settings, tail, groups, topic administration)
// into the methods and streams every wire (in-process, Electron port, WebSocket) serves, and
// owns what they share (host-context.ts) and its shutdown. What each method does is in its
// namespace's *-handlers.ts; domain logic lives below, in src/node/log, src/node/lag, src/node/tail, src/kafka.
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { ConnectionStore } from '../connections/connection-store.ts';
import type { SecretVault } from '../connections/secret-vault.ts';
import type { AppInfo } from '../../common/contract/dto.ts';
import { CAPTURE_CLUSTER } from '../log/capture-file.ts';
import { ReplayLog } from '../log/replay-log.ts';
import type { MethodHandlers, StreamHandlers } from '../../common/rpc/server.ts';
import { createCaptureHandlers } from './capture-handlers.ts';
import { CaptureRegistry, SAMPLE_CAPTURE_ID } from './capture-registry.ts';
import { createClusterHandlers } from './cluster-handlers.ts';
import { ClusterPool, type OpenClusterClient } from './cluster-pool.ts';
import { createConnectionHandlers } from './connection-handlers.ts';
import { createGroupService } from './group-handlers.ts';
import { createHostContext } from './host-context.ts';
import { createLogHandlers } from './log-handlers.ts';
import { createRecordHandlers } from './record-handlers.ts';
import { createSettingsHandlers, HostSettings } from './settings-handlers.ts';
import { createTailHandlers } from './tail-handlers.ts';
import { createProjectionHandlers, sampleProjectionsDir } from './projection-handlers.ts';
import { createTopicAdminHandlers } from './topic-admin-handlers.ts';

export { SAMPLE_CAPTURE_ID } from './capture-registry.ts';

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

export interface EventscopeService {
  methods: MethodHandlers;
  streams: StreamHandlers;
  close(): Promise<void>;
}

export function createEventscopeService(options: ServiceOptions): EventscopeService {
  const settings = new HostSettings(options.dataDir, options.logCapBytesPerCluster);
  const log =
    options.log ??
    new ReplayLog(join(options.dataDir, 'replay-log.sqlite'), {
      capBytesPerCluster: settings.logCapBytes(),
      checkpointInBackground: true,
    });
  const captures = new CaptureRegistry();
  if (options.sampleCapturePath && existsSync(options.sampleCapturePath))
    captures.openAs(SAMPLE_CAPTURE_ID, options.sampleCapturePath);
  const store = new ConnectionStore(options.dataDir);
  const pool = new ClusterPool(options.openClusterClient);
  const ctx = createHostContext({
    dataDir: options.dataDir,
    store,
    vault: options.vault,
    pool,
    openClusterClient: options.openClusterClient,
    captures,
    log,
  });

  const groups = createGroupService({
    dataDir: options.dataDir,
    clientFor: ctx.clientFor,
    profileOf: ctx.profileOf,
    captureHistory: (connectionId) => {
      const capture = captures.get(connectionId);
      return capture ? { store: capture.lagHistory, cluster: CAPTURE_CLUSTER } : null;
    },
    connectionIds: async () => (await store.list()).map((p) => p.id),
    sampleIntervalMs: () => settings.lagSampleIntervalSec() * 1000,
  });
  // Watched groups are sampled again from the start; a cluster that is down says so per group.
  void groups.resume().catch(() => undefined);

  const cluster = createClusterHandlers(ctx);
  const logHandlers = createLogHandlers(ctx);
  const tail = createTailHandlers(ctx);
  const projections = createProjectionHandlers(ctx, settings, sampleProjectionsDir(options.sampleCapturePath));

  const methods: MethodHandlers = {
    'app.info': async () => ({
      version: options.version,
      mode: options.mode,
      dataDir: options.dataDir,
      secretStorage: options.vault.info(),
    }),
    ...createConnectionHandlers(ctx),
    ...cluster.methods,
    ...createCaptureHandlers(ctx, groups),
    ...createRecordHandlers(ctx),
    ...logHandlers.methods,
    ...createSettingsHandlers(settings, log, () => groups.restartSampling()),
    ...tail.methods,
    ...groups.methods,
    ...createTopicAdminHandlers({ clientFor: ctx.clientFor, profileOf: ctx.profileOf }),
    ...projections.methods,
  };

  const streams: StreamHandlers = {
    ...logHandlers.streams,
    ...tail.streams,
    ...cluster.streams,
    ...projections.streams,
  };

  return {
    methods,
    streams,
    close: async () => {
      await groups.close();
      await pool.closeAll();
      captures.closeAll();
      if (!options.log) log.close();
    },
  };
}
