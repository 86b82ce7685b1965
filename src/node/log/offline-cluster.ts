// A ClusterClient over a replay log alone: an opened capture file (or the sample capture)
// browses, tails and searches like a cluster, with no cluster behind it. Offsets are what
// the log holds; "following" ends at the last stored record, since nothing new can come.
import type {
  ClusterOverview,
  ConnectionTestResult,
  PartitionInfo,
  TopicDetail,
  TopicSummary,
} from '../../common/contract/dto.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import type { ClusterClient } from '../kafka/index.ts';
import { unknownTopicError } from '../kafka/errors.ts';
import type { KafkaRecord, ReadRequest, ReadSummary, StartOffsets, StartPosition } from '../kafka/partition-reader.ts';
import type { ReplayLog } from './replay-log.ts';
import {
  groupNotFound,
  type CommittedOffset,
  type DescribedGroup,
  type ListedGroup,
  type PartitionPosition,
} from '../kafka/consumer-groups.ts';

/** The consumer groups a capture carries: as last sampled while it was watched. */
export interface OfflineGroups {
  listGroups(): ListedGroup[];
  describeGroup(groupId: string): DescribedGroup | null;
  committedOffsets(groupId: string): CommittedOffset[];
}

const READ_PAGE_RECORDS = 5_000;

export class OfflineCluster implements ClusterClient {
  private readonly log: ReplayLog;
  private readonly cluster: string;
  private readonly name: string;
  private readonly groups: OfflineGroups | null;

  constructor(log: ReplayLog, cluster: string, name: string, groups: OfflineGroups | null = null) {
    this.log = log;
    this.cluster = cluster;
    this.name = name;
    this.groups = groups;
  }

  /** Every write to a capture is refused the same way: what cannot be done, after the file's name. */
  private notWritable(what: string): EventscopeError {
    return new EventscopeError('WRITE_NOT_ALLOWED', `${this.name} is a capture file: ${what}`);
  }

  private bounds(topic: string, partition: number): { earliest: bigint; latest: bigint } {
    const ranges = this.log.ranges({ cluster: this.cluster, topic, partition });
    return ranges.length === 0
      ? { earliest: 0n, latest: 0n }
      : { earliest: ranges[0]!.from, latest: ranges[ranges.length - 1]!.to };
  }

  private partitionsOf(topic: string): number[] {
    const t = this.log.topics(this.cluster).find((x) => x.topic === topic);
    if (!t) throw unknownTopicError(topic, this.name);
    return t.partitions;
  }

  async probe(): Promise<ConnectionTestResult> {
    return { clusterId: null, brokerCount: 0, controllerId: null, kafkaVersion: null, elapsedMs: 0 };
  }

  async overview(): Promise<ClusterOverview> {
    return { clusterId: this.log.getMeta('clusterId'), controllerId: null, brokers: [], kafkaVersion: null };
  }

  async listTopics(): Promise<TopicSummary[]> {
    return this.log.topics(this.cluster).map(({ topic, partitions }) => ({
      name: topic,
      internal: topic.startsWith('__'),
      partitionCount: partitions.length,
      replicationFactor: 0,
      messageCount: String(this.log.recordCount(this.cluster, topic)),
      underReplicatedPartitions: 0,
      offlinePartitions: 0,
    }));
  }

  async describeTopic(topic: string): Promise<TopicDetail> {
    const partitions: PartitionInfo[] = this.partitionsOf(topic).map((partition) => {
      const { earliest, latest } = this.bounds(topic, partition);
      return {
        partition,
        leader: -1,
        replicas: [],
        isr: [],
        offlineReplicas: [],
        earliestOffset: earliest.toString(),
        latestOffset: latest.toString(),
        underReplicated: false,
      };
    });
    return { name: topic, internal: topic.startsWith('__'), partitions, configs: [] };
  }

  async startOffsets(topic: string, partitions: number[] | undefined, from: StartPosition): Promise<StartOffsets> {
    const all = this.partitionsOf(topic);
    const chosen = partitions ?? all;
    const start = new Map<number, bigint>();
    const end = new Map<number, bigint>();
    for (const p of chosen) {
      if (!all.includes(p))
        throw new EventscopeError(
          'BAD_CONFIG',
          `Partition ${p} is not in ${this.name}'s copy of "${topic}".`,
          'partition',
        );
      const { earliest, latest } = this.bounds(topic, p);
      const clamp = (o: bigint): bigint => (o < earliest ? earliest : o > latest ? latest : o);
      end.set(p, latest);
      if (from.kind === 'earliest') start.set(p, earliest);
      else if (from.kind === 'latest') start.set(p, latest);
      else if (from.kind === 'offset') start.set(p, clamp(from.offset));
      else if (from.kind === 'last') start.set(p, clamp(latest - from.count));
      else
        start.set(
          p,
          this.log.offsetForTime({ cluster: this.cluster, topic, partition: p }, from.timestampMs) ?? latest,
        );
    }
    return { start, end };
  }

  /** Replays what the log holds, partitions interleaved by timestamp as they were produced. */
  async read(request: ReadRequest): Promise<ReadSummary> {
    const { start, end } = await this.startOffsets(request.topic, request.partitions, request.from);
    for (const [p, o] of request.startAt ?? []) if (start.has(p)) start.set(p, o);
    request.onStart?.({ start, end });
    const limit = request.maxRecords ?? Infinity;
    const cursors = [...start].map(([partition, at]) => ({
      partition,
      at,
      stop: end.get(partition)!,
      page: [] as KafkaRecord[],
    }));
    let delivered = 0;
    const refill = (c: (typeof cursors)[number]): void => {
      if (c.page.length > 0 || c.at >= c.stop) return;
      c.page = this.log
        .read({ cluster: this.cluster, topic: request.topic, partition: c.partition }, c.at, READ_PAGE_RECORDS)
        .filter((r) => r.offset < c.stop);
      if (c.page.length === 0) c.at = c.stop; // nothing more is held before the end
    };
    while (delivered < limit && !request.signal?.aborted) {
      cursors.forEach(refill);
      const live = cursors.filter((c) => c.page.length > 0);
      if (live.length === 0) break;
      // The partition whose next record is oldest goes first, up to the next partition's head.
      live.sort((a, b) => a.page[0]!.timestampMs - b.page[0]!.timestampMs);
      const first = live[0]!;
      const until = live[1]?.page[0]!.timestampMs ?? Infinity;
      let take = 0;
      while (take < first.page.length && first.page[take]!.timestampMs <= until && delivered + take < limit) take++;
      take = Math.max(take, 1);
      const run = first.page.splice(0, take);
      const from = first.at;
      first.at = run[run.length - 1]!.offset + 1n;
      delivered += run.length;
      await request.onRecords(run, { partition: first.partition, from, to: first.at });
      // Let a cancel or an acknowledgement through now and then.
      if (delivered % READ_PAGE_RECORDS < run.length) await new Promise((resolve) => setImmediate(resolve));
    }
    return { records: delivered, nextOffsets: new Map(cursors.map((c) => [c.partition, c.at])) };
  }

  private offsetsOf(
    topics: string[],
    pick: (topic: string, partition: number) => bigint,
  ): Map<string, Map<number, bigint>> {
    const out = new Map<string, Map<number, bigint>>();
    for (const topic of topics) out.set(topic, new Map(this.partitionsOf(topic).map((p) => [p, pick(topic, p)])));
    return out;
  }

  async latestOffsets(topics: string[]): Promise<Map<string, Map<number, bigint>>> {
    return this.offsetsOf(topics, (t, p) => this.bounds(t, p).latest);
  }

  async earliestOffsets(topics: string[]): Promise<Map<string, Map<number, bigint>>> {
    return this.offsetsOf(topics, (t, p) => this.bounds(t, p).earliest);
  }

  async offsetsForTime(topics: string[], timestamp: number): Promise<Map<string, Map<number, bigint>>> {
    return this.offsetsOf(
      topics,
      (t, p) =>
        this.log.offsetForTime({ cluster: this.cluster, topic: t, partition: p }, timestamp) ??
        this.bounds(t, p).latest,
    );
  }

  async timestampsAt(positions: PartitionPosition[]): Promise<(number | null)[]> {
    return positions.map(
      ({ topic, partition, offset }) =>
        this.log.read({ cluster: this.cluster, topic, partition }, offset, 1)[0]?.timestampMs ?? null,
    );
  }

  /** A capture keeps no topic IDs: what it holds is what it is. */
  async topicIds(topics: string[]): Promise<Map<string, string | null>> {
    return new Map(topics.map((t) => [t, null]));
  }

  async listGroups(): Promise<ListedGroup[]> {
    return this.groups?.listGroups() ?? [];
  }

  async describeGroups(groupIds: string[]): Promise<DescribedGroup[]> {
    return groupIds.map((groupId) => this.groups?.describeGroup(groupId) ?? groupNotFound(groupId, null));
  }

  async committedOffsets(groupIds: string[]): Promise<Map<string, CommittedOffset[]>> {
    return new Map(groupIds.map((g) => [g, this.groups?.committedOffsets(g) ?? []]));
  }

  async commitOffsets(): Promise<never> {
    throw this.notWritable("its groups' offsets cannot be moved.");
  }

  async deleteGroup(): Promise<never> {
    throw this.notWritable('its groups cannot be deleted.');
  }

  async produce(): Promise<never> {
    throw this.notWritable('it can be read, not written to.');
  }

  // A capture's topics are what was saved: none can be created, changed or deleted.
  async createTopic(): Promise<never> {
    throw this.notWritable('topics cannot be created in it.');
  }

  async alterTopicConfigs(): Promise<never> {
    throw this.notWritable("its topics' configs cannot be changed.");
  }

  async createPartitions(): Promise<never> {
    throw this.notWritable('partitions cannot be added to its topics.');
  }

  async deleteRecords(): Promise<never> {
    throw this.notWritable('its records cannot be deleted.');
  }

  async deleteTopic(): Promise<never> {
    throw this.notWritable('its topics cannot be deleted.');
  }

  async close(): Promise<void> {}
}
