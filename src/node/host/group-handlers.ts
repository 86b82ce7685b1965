// The host side of the groups.* methods: consumer groups and their lag, read from a cluster
// (src/node/lag/group-lag-reader.ts) or from a capture's stored history; the lag history of the
// groups the user watches, sampled while the host runs (src/node/lag/lag-sampler.ts) into
// <dataDir>/lag-history.sqlite; Burrow-style status from the last samples; offset reset and
// group deletion on writable connections only.
import type { ConnectionProfile } from '../../common/contract/dto.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import { assertWritable } from './host-context.ts';
import type {
  GroupDetail,
  GroupLagHistory,
  GroupStatus,
  GroupSummary,
  PartitionLag,
} from '../../common/contract/group-dto.ts';
import type { ClusterClient } from '../kafka/index.ts';
import type { CommittedOffset, DescribedGroup, ListedGroup } from '../kafka/consumer-groups.ts';
import { readGroupLags, type GroupLagReading } from '../lag/group-lag-reader.ts';
import { defaultLagHistoryPath, LagHistoryStore } from '../lag/lag-history-store.ts';
import { LagSampler } from '../lag/lag-sampler.ts';
import { evaluateGroupWindows } from '../lag/lag-status.ts';
import { executeOffsetReset, planOffsetReset } from '../lag/offset-reset.ts';
import { partitionLag, totalLag } from '../lag/partition-lag.ts';
import type { OfflineGroups } from '../log/offline-cluster.ts';
import type { MethodHandlers } from '../../common/rpc/server.ts';

/**
 * groups.list reads time lag for at most this many distinct positions (read forward per
 * partition from the lowest: 1,000 groups x 100 partitions took under a second); the groups past
 * it show time lag only when watched (from their samples) or opened.
 */
const LIST_TIME_LAG_POSITIONS = 20_000;
/** Samples read for a status: the window (10) is judged, the ones before it say how long an offset has been stuck. */
const STATUS_HISTORY_SAMPLES = 60;
/** A capture's groups: their state as captured is not known, only their offsets. */
const CAPTURED_STATE = 'Captured';

type GroupMethods = Pick<
  MethodHandlers,
  'groups.list' | 'groups.describe' | 'groups.history' | 'groups.watch' | 'groups.resetOffsets' | 'groups.delete'
>;

export interface GroupServiceOptions {
  dataDir: string;
  clientFor(connectionId: string): Promise<ClusterClient>;
  /** The live connection's profile; null for a capture. */
  profileOf(connectionId: string): Promise<ConnectionProfile | null>;
  /** A capture's own lag history (and the cluster key inside it); null for a live connection. */
  captureHistory(connectionId: string): { store: LagHistoryStore; cluster: string } | null;
  /** Live connections (to resume sampling the groups watched on them). */
  connectionIds(): Promise<string[]>;
  sampleIntervalMs(): number;
}

export interface GroupService {
  methods: GroupMethods;
  /** Starts sampling the groups watched on every connection (after a restart). */
  resume(): Promise<void>;
  /** The lag sample interval setting changed: samplers start again with it (options.sampleIntervalMs). */
  restartSampling(): void;
  /** Copies the history of the watched groups that read `topic` into a capture file being written. */
  copyHistoryToCapture(connectionId: string, topic: string, capturePath: string, captureCluster: string): void;
  close(): Promise<void>;
}

export function createGroupService(options: GroupServiceOptions): GroupService {
  const samplers = new Map<string, LagSampler>();
  // Opened on first use, not at start: a data folder on a full disk must not keep the host
  // from starting (groups can be listed without it), and it is tried again on each use.
  let opened: LagHistoryStore | null = null;
  const history = (): LagHistoryStore => {
    if (opened) return opened;
    try {
      opened = new LagHistoryStore(defaultLagHistoryPath(options.dataDir));
    } catch (err) {
      const message = (err as Error).message;
      throw new EventscopeError(/disk is full/.test(message) ? 'DISK_FULL' : 'WRITE_FAILED', message);
    }
    return opened;
  };
  /** The history where it can be opened, else none: what only adds to an answer (watched, statuses) goes without it. */
  const historyIfAny = (): LagHistoryStore | null => {
    try {
      return history();
    } catch {
      return null;
    }
  };
  // The samplers' sink: the store, opened when they first write.
  const store = {
    watched: (cluster: string) => historyIfAny()?.watched(cluster) ?? [],
    addSample: (...args: Parameters<LagHistoryStore['addSample']>) => history().addSample(...args),
    window: (...args: Parameters<LagHistoryStore['window']>) => historyIfAny()?.window(...args) ?? [],
    latest: (...args: Parameters<LagHistoryStore['latest']>) => historyIfAny()?.latest(...args) ?? null,
    history: (...args: Parameters<LagHistoryStore['history']>) => history().history(...args),
    watch: (...args: Parameters<LagHistoryStore['watch']>) => history().watch(...args),
    unwatch: (...args: Parameters<LagHistoryStore['unwatch']>) => history().unwatch(...args),
    copyGroupsTo: (...args: Parameters<LagHistoryStore['copyGroupsTo']>) => history().copyGroupsTo(...args),
  };

  const samplerFor = (connectionId: string): LagSampler => {
    let sampler = samplers.get(connectionId);
    if (!sampler) {
      sampler = new LagSampler({
        cluster: connectionId,
        store,
        intervalMs: options.sampleIntervalMs(),
        source: {
          sampleGroup: async (groupId) => {
            const [r] = await readGroupLags(await options.clientFor(connectionId), [groupId], { timeLag: true });
            return {
              state: r!.state,
              notFound: r!.notFound,
              partitions: r!.partitions.map((p) => ({
                topic: p.topic,
                partition: p.partition,
                committed: p.committedOffset === null ? null : BigInt(p.committedOffset),
                end: BigInt(p.logEndOffset),
                timeLagMs: p.timeLagMs,
              })),
            };
          },
        },
      });
      samplers.set(connectionId, sampler);
      sampler.start();
    }
    return sampler;
  };

  /** The status from the last samples, judged at the last sampling attempt (a failed one too: no new samples for long is STOP). */
  const statusOf = (
    cluster: string,
    groupId: string,
  ): { status: GroupStatus; byPartition: Map<string, PartitionLag['status']> } => {
    const evaluated = evaluateGroupWindows(
      store.window(cluster, groupId, STATUS_HISTORY_SAMPLES),
      samplers.get(cluster)?.lastState(groupId)?.at,
    );
    return {
      status: evaluated.status,
      byPartition: new Map(evaluated.partitions.map((p) => [`${p.topic}\u0000${p.partition}`, p.status])),
    };
  };

  const historyStatus = (
    history: LagHistoryStore,
    cluster: string,
    groupId: string,
  ): { status: GroupStatus; byPartition: Map<string, PartitionLag['status']> } => {
    const evaluated = evaluateGroupWindows(history.window(cluster, groupId, STATUS_HISTORY_SAMPLES));
    return {
      status: evaluated.status,
      byPartition: new Map(evaluated.partitions.map((p) => [`${p.topic}\u0000${p.partition}`, p.status])),
    };
  };

  const summaryOf = (r: GroupLagReading, watched: boolean, status: GroupStatus | null): GroupSummary => ({
    groupId: r.groupId,
    type: r.type,
    protocolType: r.protocolType,
    state: r.state,
    coordinator: r.coordinator,
    members: r.type === 'unknown' && r.state === CAPTURED_STATE ? null : r.members.length,
    totalLag: r.totalLag === null ? null : r.totalLag.toString(),
    maxTimeLagMs: r.maxTimeLagMs,
    status,
    watched,
  });

  /** What a watched group's last sample says of time lag, where the reading had none to spare. */
  const withSampledTimeLag = (r: GroupLagReading, cluster: string): GroupLagReading => {
    if (r.maxTimeLagMs !== null) return r;
    const last = store.latest(cluster, r.groupId);
    const ages =
      last?.partitions.flatMap((p) =>
        p.timeLagMs !== null && p.committed !== null && p.end > p.committed ? [p.timeLagMs] : [],
      ) ?? [];
    return ages.length > 0 ? { ...r, maxTimeLagMs: Math.max(...ages) } : r;
  };

  const samplingOf = (connectionId: string, groupId: string): GroupSummary['sampling'] => {
    const state = samplers.get(connectionId)?.lastState(groupId);
    return state ? { ok: state.ok, message: state.message, at: state.at } : null;
  };

  /** what: what the user tried, to follow "to" ("delete a group"). */
  const requireWritable = async (connectionId: string, what: string): Promise<void> =>
    assertWritable(await options.profileOf(connectionId), what);

  const methods: GroupMethods = {
    'groups.list': async ({ connectionId, topic }) => {
      const capture = options.captureHistory(connectionId);
      if (capture) {
        const readings = capturedReadings(
          capture.store,
          capture.cluster,
          capture.store.groupsWithHistory(capture.cluster),
          topic,
        );
        return readings
          .filter((r) => r.partitions.length > 0)
          .map((r) => summaryOf(r, true, historyStatus(capture.store, capture.cluster, r.groupId).status));
      }
      const client = await options.clientFor(connectionId);
      const listed = await client.listGroups();
      const readings = await readGroupLags(
        client,
        listed.map((g) => g.groupId),
        { timeLag: true, timeLagPositions: LIST_TIME_LAG_POSITIONS, ...(topic ? { topics: new Set([topic]) } : {}) },
      );
      const watched = new Set(store.watched(connectionId));
      const states = new Map(listed.map((g) => [g.groupId, g]));
      // A watched group the cluster no longer lists (deleted) stays in the list, said as such.
      const gone = [...watched].filter((g) => !states.has(g));
      if (gone.length > 0)
        readings.push(
          ...(await readGroupLags(client, gone, { timeLag: false, ...(topic ? { topics: new Set([topic]) } : {}) })),
        );
      return readings
        .filter((r) => !topic || r.partitions.length > 0)
        .map((r) => {
          // A group that was deleted between list and describe shows as the list saw it.
          const reading = r.notFound ? { ...r, state: states.get(r.groupId)?.state ?? r.state } : r;
          const isWatched = watched.has(r.groupId);
          if (!isWatched) return summaryOf(reading, false, null);
          return {
            ...summaryOf(withSampledTimeLag(reading, connectionId), true, statusOf(connectionId, r.groupId).status),
            sampling: samplingOf(connectionId, r.groupId),
          };
        })
        .sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
    },

    'groups.describe': async ({ connectionId, groupId }) => {
      const capture = options.captureHistory(connectionId);
      let reading: GroupLagReading;
      let watched: boolean;
      let evaluated: ReturnType<typeof statusOf> | null;
      if (capture) {
        const found = capturedReadings(capture.store, capture.cluster, [groupId])[0];
        if (!found)
          throw new EventscopeError('NOT_FOUND', `This capture holds no consumer group "${groupId}".`, 'groupId');
        reading = found;
        watched = true;
        evaluated = historyStatus(capture.store, capture.cluster, groupId);
      } else {
        [reading] = (await readGroupLags(await options.clientFor(connectionId), [groupId], { timeLag: true })) as [
          GroupLagReading,
        ];
        if (reading.notFound && reading.partitions.length === 0)
          throw new EventscopeError(
            'NOT_FOUND',
            `Consumer group "${groupId}" does not exist on this cluster.`,
            'groupId',
          );
        watched = store.watched(connectionId).includes(groupId);
        evaluated = watched ? statusOf(connectionId, groupId) : null;
      }
      const partitions = reading.partitions.map((p) => ({
        ...p,
        status: evaluated?.byPartition.get(`${p.topic}\u0000${p.partition}`) ?? null,
      }));
      const detail: GroupDetail = {
        ...summaryOf(reading, watched, evaluated?.status ?? null),
        ...(watched && !capture ? { sampling: samplingOf(connectionId, groupId) } : {}),
        assignor: reading.assignor,
        groupMembers: reading.members,
        partitions,
        readAt: reading.readAt,
      };
      return detail;
    },

    'groups.history': async ({ connectionId, groupId, sinceMs }): Promise<GroupLagHistory> => {
      const capture = options.captureHistory(connectionId);
      if (capture) {
        // A capture's history ends when it was captured: the range counts back from its last sample.
        const last = capture.store.latest(capture.cluster, groupId);
        return capture.store.history(capture.cluster, groupId, (last?.at ?? Date.now()) - sinceMs);
      }
      return {
        ...store.history(connectionId, groupId, Date.now() - sinceMs),
        sampling: samplingOf(connectionId, groupId),
      };
    },

    'groups.watch': async ({ connectionId, groupId, watch }) => {
      if (options.captureHistory(connectionId))
        throw new EventscopeError(
          'BAD_CONFIG',
          'A capture holds the history it was saved with; there is nothing new to sample.',
        );
      if (watch) {
        store.watch(connectionId, groupId);
        // A first point now, not in an interval's time.
        await samplerFor(connectionId).sampleNow();
      } else {
        store.unwatch(connectionId, groupId);
      }
      return { watched: watch };
    },

    'groups.resetOffsets': async ({ connectionId, groupId, topics, to, execute }) => {
      if (execute) await requireWritable(connectionId, 'move a group\u2019s offsets');
      const client = await options.clientFor(connectionId);
      const plan = await planOffsetReset(client, groupId, to, topics);
      return execute ? executeOffsetReset(client, plan) : plan;
    },

    'groups.delete': async ({ connectionId, groupId }) => {
      await requireWritable(connectionId, 'delete a group');
      const client = await options.clientFor(connectionId);
      const [group] = await client.describeGroups([groupId]);
      if (!group || group.notFound)
        throw new EventscopeError(
          'NOT_FOUND',
          `Consumer group "${groupId}" does not exist on this cluster.`,
          'groupId',
        );
      if (group.members.length > 0)
        throw new EventscopeError(
          'GROUP_NOT_EMPTY',
          `Group "${groupId}" has ${group.members.length} member${group.members.length === 1 ? '' : 's'} (state ${group.state}): stop its consumers before deleting it.`,
        );
      await client.deleteGroup(groupId);
      store.unwatch(connectionId, groupId);
      return { deleted: true };
    },
  };

  return {
    methods,
    resume: async () => {
      for (const id of await options.connectionIds()) if (store.watched(id).length > 0) samplerFor(id);
    },
    restartSampling: () => {
      for (const [id, sampler] of [...samplers]) {
        samplers.delete(id);
        void sampler.stop().then(() => samplerFor(id));
      }
    },
    copyHistoryToCapture: (connectionId, topic, capturePath, captureCluster) => {
      const groups = store
        .watched(connectionId)
        .filter((g) => store.latest(connectionId, g)?.partitions.some((p) => p.topic === topic));
      if (groups.length > 0) store.copyGroupsTo(capturePath, connectionId, groups, captureCluster);
    },
    close: async () => {
      await Promise.all([...samplers.values()].map((s) => s.stop()));
      samplers.clear();
      opened?.close();
    },
  };
}

/** A capture's groups as readings: each group's last stored sample (members and state are not kept); `topic`: only its partitions. */
function capturedReadings(
  history: LagHistoryStore,
  cluster: string,
  groupIds: string[],
  topic?: string,
): GroupLagReading[] {
  const out: GroupLagReading[] = [];
  for (const groupId of groupIds) {
    const last = history.latest(cluster, groupId);
    if (!last) continue;
    const sampled = topic ? last.partitions.filter((p) => p.topic === topic) : last.partitions;
    const lags = sampled.map((p) => partitionLag(p.committed, p.end));
    const partitions: PartitionLag[] = sampled.map((p, i) => ({
      topic: p.topic,
      partition: p.partition,
      committedOffset: p.committed === null ? null : p.committed.toString(),
      logEndOffset: p.end.toString(),
      lag: lags[i] === null ? null : lags[i]!.toString(),
      timeLagMs: p.timeLagMs,
      memberId: null,
      clientId: null,
      host: null,
      status: null,
    }));
    const ages = sampled.flatMap((p, i) => (p.timeLagMs !== null && (lags[i] ?? 0n) > 0n ? [p.timeLagMs] : []));
    const total = totalLag(lags);
    out.push({
      groupId,
      type: 'unknown',
      protocolType: 'consumer',
      state: CAPTURED_STATE,
      notFound: false,
      coordinator: null,
      assignor: null,
      members: [],
      partitions,
      totalLag: total,
      maxTimeLagMs: ages.length > 0 ? Math.max(...ages) : null,
      readAt: last.at,
    });
  }
  return out;
}

/** A capture's groups for its offline cluster (offset reset dry runs, the CLI over a capture). */
export function capturedGroups(history: LagHistoryStore, cluster: string): OfflineGroups {
  const described = (r: GroupLagReading): DescribedGroup => ({
    groupId: r.groupId,
    type: r.type,
    protocolType: r.protocolType,
    state: r.state,
    notFound: false,
    coordinator: null,
    assignor: null,
    members: [],
  });
  return {
    listGroups: (): ListedGroup[] =>
      capturedReadings(history, cluster, history.groupsWithHistory(cluster)).map((r) => ({
        groupId: r.groupId,
        type: r.type,
        protocolType: r.protocolType,
        state: r.state,
        coordinator: null,
      })),
    describeGroup: (groupId) => {
      const r = capturedReadings(history, cluster, [groupId])[0];
      return r ? described(r) : null;
    },
    committedOffsets: (groupId): CommittedOffset[] =>
      (history.latest(cluster, groupId)?.partitions ?? []).map((p) => ({
        topic: p.topic,
        partition: p.partition,
        offset: p.committed,
      })),
  };
}
