// Reads consumer groups' lag from a cluster, as Kafka's ConsumerGroupCommand --describe
// computes it: for every partition a group has a committed offset on or a member is assigned,
// the committed offset, the log-end offset (high watermark) and their difference. Many groups
// are read together: one describe and one offset fetch per coordinator, one ListOffsets per
// leader for all their topics — lag for a thousand groups costs a handful of requests.
// Time lag: the age of the record at the committed offset (the oldest not yet consumed),
// read without joining any group; positions shared by several groups are read once.
import type { GroupMember, PartitionLag } from '../../common/contract/group-dto.ts';
import type { ConsumerGroupClient, DescribedGroup, PartitionPosition } from '../kafka/consumer-groups.ts';
import { byTopicPartition, partitionLag, totalLag } from './partition-lag.ts';

/** A described group with its lag: what groups.describe answers before a status is added. */
export interface GroupLagReading extends DescribedGroup {
  /** Sorted by topic, then partition; status left null (the history decides it). */
  partitions: PartitionLag[];
  totalLag: bigint | null;
  maxTimeLagMs: number | null;
  readAt: number;
}

export interface ReadGroupLagOptions {
  /** Read the age of the oldest unconsumed record of each lagging partition (one fetch per distinct position). */
  timeLag: boolean;
  /**
   * At most this many distinct positions are read for time lag (groups with the fewest first);
   * the groups past it have time lag unknown (null). Default: no limit.
   */
  timeLagPositions?: number;
  /** Only these topics' partitions (a topic's readers). */
  topics?: ReadonlySet<string>;
  now?: () => number;
}

export async function readGroupLags(
  client: ConsumerGroupClient,
  groupIds: string[],
  options: ReadGroupLagOptions,
): Promise<GroupLagReading[]> {
  if (groupIds.length === 0) return [];
  const [described, committed] = await Promise.all([
    client.describeGroups(groupIds),
    client.committedOffsets(groupIds),
  ]);
  const keep = (topic: string): boolean => !options.topics || options.topics.has(topic);
  const topics = new Set<string>();
  for (const offsets of committed.values()) for (const o of offsets) if (keep(o.topic)) topics.add(o.topic);
  for (const group of described)
    for (const m of group.members) for (const a of m.assignments) if (keep(a.topic)) topics.add(a.topic);
  const ends = topics.size > 0 ? await client.latestOffsets([...topics]) : new Map<string, Map<number, bigint>>();
  const readAt = (options.now ?? Date.now)();

  const readings = described.map((group) => toReading(group, committed.get(group.groupId) ?? [], ends, keep, readAt));
  if (options.timeLag) await addTimeLags(client, readings, readAt, options.timeLagPositions ?? Infinity);
  return readings;
}

function toReading(
  group: DescribedGroup,
  committed: { topic: string; partition: number; offset: bigint | null }[],
  ends: Map<string, Map<number, bigint>>,
  keep: (topic: string) => boolean,
  readAt: number,
): GroupLagReading {
  const owner = new Map<string, GroupMember>();
  for (const m of group.members)
    for (const a of m.assignments) for (const p of a.partitions) owner.set(`${a.topic}\u0000${p}`, m);
  const rows = new Map<string, { topic: string; partition: number; committed: bigint | null }>();
  for (const o of committed)
    if (keep(o.topic))
      rows.set(`${o.topic}\u0000${o.partition}`, { topic: o.topic, partition: o.partition, committed: o.offset });
  for (const [key, m] of owner) {
    if (rows.has(key)) continue;
    const a = m.assignments.find((x) => key.startsWith(`${x.topic}\u0000`))!;
    const partition = Number(key.slice(a.topic.length + 1));
    if (keep(a.topic)) rows.set(key, { topic: a.topic, partition, committed: null });
  }
  const partitions: PartitionLag[] = [];
  const lags: (bigint | null)[] = [];
  for (const [key, row] of [...rows].sort(([, a], [, b]) => byTopicPartition(a, b))) {
    const end = ends.get(row.topic)?.get(row.partition);
    // A committed offset on a partition the topic no longer has (deleted topic): no end to compare with.
    const lag = end === undefined ? null : partitionLag(row.committed, end);
    lags.push(lag);
    const m = owner.get(key);
    partitions.push({
      topic: row.topic,
      partition: row.partition,
      committedOffset: row.committed === null ? null : row.committed.toString(),
      logEndOffset: (end ?? 0n).toString(),
      lag: lag === null ? null : lag.toString(),
      timeLagMs: null,
      memberId: m?.memberId ?? null,
      clientId: m?.clientId ?? null,
      host: m?.host ?? null,
      status: null,
    });
  }
  return {
    groupId: group.groupId,
    type: group.type,
    protocolType: group.protocolType,
    state: group.state,
    notFound: group.notFound,
    coordinator: group.coordinator,
    assignor: group.assignor,
    members: group.members,
    partitions,
    totalLag: totalLag(lags),
    maxTimeLagMs: null,
    readAt,
  };
}

async function addTimeLags(
  client: ConsumerGroupClient,
  readings: GroupLagReading[],
  readAt: number,
  budget: number,
): Promise<void> {
  const key = (topic: string, partition: number, offset: string): string => `${topic}\u0000${partition}\u0000${offset}`;
  const lagging = (p: PartitionLag): p is PartitionLag & { committedOffset: string } =>
    p.committedOffset !== null && p.lag !== null && p.lag !== '0';
  // Within the budget, groups with the fewest positions first: on a busy cluster most groups get
  // their time lag, rather than none because a few groups lag on thousands of partitions.
  const positions = new Map<string, PartitionPosition>();
  const timed = new Set<GroupLagReading>();
  for (const r of [...readings].sort((a, b) => a.partitions.length - b.partitions.length)) {
    const own = r.partitions
      .filter(lagging)
      .map(
        (p) =>
          [
            key(p.topic, p.partition, p.committedOffset),
            { topic: p.topic, partition: p.partition, offset: BigInt(p.committedOffset) },
          ] as const,
      );
    const added = own.filter(([k]) => !positions.has(k)).length;
    if (positions.size + added > budget) continue;
    for (const [k, position] of own) positions.set(k, position);
    timed.add(r);
  }
  const age = new Map<string, number>();
  if (positions.size > 0) {
    const list = [...positions.values()];
    const timestamps = await client.timestampsAt(list);
    list.forEach((p, i) => {
      const ts = timestamps[i];
      if (ts !== null && ts !== undefined)
        age.set(key(p.topic, p.partition, p.offset.toString()), Math.max(0, readAt - ts));
    });
  }
  for (const r of readings) {
    for (const p of r.partitions) {
      if (p.committedOffset === null) continue;
      if (p.lag === '0') p.timeLagMs = 0;
      else if (timed.has(r)) p.timeLagMs = age.get(key(p.topic, p.partition, p.committedOffset)) ?? null;
      if (p.timeLagMs !== null && p.lag !== '0') r.maxTimeLagMs = Math.max(r.maxTimeLagMs ?? 0, p.timeLagMs);
    }
  }
}
