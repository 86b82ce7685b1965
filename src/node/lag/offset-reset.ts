// Moving a consumer group's committed offsets, as kafka-consumer-groups --reset-offsets does:
// to the earliest or latest offset, the first offset at a time, a given offset, or shifted by
// N; every target is kept within [earliest, latest] of its partition, as Kafka's tool clamps
// it. planOffsetReset changes nothing (the dry run: before and after for every partition);
// executeOffsetReset commits the plan, only for a group with no members.
import { EventscopeError } from '../../common/contract/errors.ts';
import type { OffsetResetPlan, OffsetResetTarget } from '../../common/contract/group-dto.ts';
import type { ConsumerGroupClient } from '../kafka/consumer-groups.ts';
import { byTopicPartition } from './partition-lag.ts';

export interface ResetScope {
  topic: string;
  /** Default: every partition of the topic. */
  partitions?: number[] | undefined;
}

/** States in which a group has no member: its offsets may be moved. */
const EMPTY_STATES = new Set(['Empty', 'Dead']);

export async function planOffsetReset(
  client: ConsumerGroupClient,
  groupId: string,
  to: OffsetResetTarget,
  scope?: ResetScope[],
): Promise<OffsetResetPlan> {
  const committed = (await client.committedOffsets([groupId])).get(groupId) ?? [];
  const before = new Map(committed.map((c) => [`${c.topic}\u0000${c.partition}`, c.offset]));
  let chosen: { topic: string; partition: number }[];
  if (scope && scope.length > 0) {
    const latest = await client.latestOffsets(scope.map((s) => s.topic));
    chosen = scope.flatMap(({ topic, partitions }) => {
      const all = [...(latest.get(topic)?.keys() ?? [])].sort((a, b) => a - b);
      if (all.length === 0)
        throw new EventscopeError('UNKNOWN_TOPIC', `Topic "${topic}" does not exist on this cluster.`, 'topics');
      for (const p of partitions ?? [])
        if (!all.includes(p))
          throw new EventscopeError(
            'BAD_CONFIG',
            `Partition ${p} is not a partition of "${topic}" (it has ${all.length}).`,
            'topics',
          );
      return (partitions ?? all).map((partition) => ({ topic, partition }));
    });
  } else {
    chosen = committed.filter((c) => c.offset !== null).map(({ topic, partition }) => ({ topic, partition }));
    if (chosen.length === 0)
      throw new EventscopeError(
        'NOT_FOUND',
        `Group "${groupId}" has no committed offsets; name the topics whose offsets to set.`,
        'topics',
      );
  }
  const topics = [...new Set(chosen.map((c) => c.topic))];
  const [earliest, latest, atTime] = await Promise.all([
    client.earliestOffsets(topics),
    client.latestOffsets(topics),
    to.kind === 'timestamp' ? client.offsetsForTime(topics, to.timestamp) : Promise.resolve(null),
  ]);
  const partitions = chosen.sort(byTopicPartition).map(({ topic, partition }) => {
    const low = earliest.get(topic)?.get(partition) ?? 0n;
    const high = latest.get(topic)?.get(partition) ?? 0n;
    const current = before.get(`${topic}\u0000${partition}`) ?? null;
    let target: bigint;
    switch (to.kind) {
      case 'earliest':
        target = low;
        break;
      case 'latest':
        target = high;
        break;
      case 'timestamp':
        target = atTime?.get(topic)?.get(partition) ?? high;
        break;
      case 'offset':
        target = BigInt(to.offset);
        break;
      case 'shift':
        if (current === null)
          throw new EventscopeError(
            'BAD_CONFIG',
            `Partition ${partition} of "${topic}" has no committed offset to shift from; reset it to an offset, a time, earliest or latest instead.`,
            'to',
          );
        target = current + BigInt(to.by);
        break;
    }
    const after = target < low ? low : target > high ? high : target;
    return { topic, partition, before: current === null ? null : current.toString(), after: after.toString() };
  });
  return { groupId, executed: false, partitions };
}

/** Commits a plan; refused (GROUP_NOT_EMPTY) while the group has members. */
export async function executeOffsetReset(client: ConsumerGroupClient, plan: OffsetResetPlan): Promise<OffsetResetPlan> {
  const [group] = await client.describeGroups([plan.groupId]);
  if (group && (group.members.length > 0 || !EMPTY_STATES.has(group.state))) {
    throw new EventscopeError(
      'GROUP_NOT_EMPTY',
      `Group "${plan.groupId}" has ${group.members.length} member${group.members.length === 1 ? '' : 's'} (state ${group.state}): stop its consumers first; offsets can only be moved for an empty group.`,
    );
  }
  await client.commitOffsets(
    plan.groupId,
    plan.partitions.map((p) => ({ topic: p.topic, partition: p.partition, offset: BigInt(p.after) })),
  );
  return { ...plan, executed: true };
}
