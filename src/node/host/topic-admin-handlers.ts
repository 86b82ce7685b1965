// The host side of topic administration: topics.create, topics.alterConfigs,
// topics.addPartitions, topics.deleteRecords and topics.delete. Every one of them, dry runs
// included, needs a live connection marked writable (WRITE_NOT_ALLOWED otherwise, saying how to
// allow writes); none touches an internal topic (Kafka's own: __consumer_offsets…). A dry run
// asks Kafka to validate where it can (validateOnly) and reads what it needs to say what would
// change (configs before, partition counts, offsets, the groups that read a topic); the run
// then does it and answers what it did, read back from the cluster.
import type { ConnectionProfile, TopicDetail } from '../../common/contract/dto.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import { assertWritable } from './host-context.ts';
import type { ConfigChangeOutcome, DeleteRecordsPartition } from '../../common/contract/topic-admin-dto.ts';
import type { ClusterClient } from '../kafka/index.ts';
import type { MethodHandlers } from '../../common/rpc/server.ts';
import { sleep } from '../../common/util/sleep.ts';

type TopicAdminMethods = Pick<
  MethodHandlers,
  'topics.create' | 'topics.alterConfigs' | 'topics.addPartitions' | 'topics.deleteRecords' | 'topics.delete'
>;

export interface TopicAdminOptions {
  clientFor(connectionId: string): Promise<ClusterClient>;
  /** The live connection's profile; null for a capture. */
  profileOf(connectionId: string): Promise<ConnectionProfile | null>;
}

/** How long a config change is looked for in what the brokers describe before the answer goes with what they said. */
const CONFIG_SETTLE_MS = 5_000;
const CONFIG_POLL_MS = 150;

export function createTopicAdminHandlers(options: TopicAdminOptions): TopicAdminMethods {
  /** what: what the user tried, to follow "to" ("create topics"). */
  const requireWritable = async (connectionId: string, what: string): Promise<void> =>
    assertWritable(await options.profileOf(connectionId), what);

  /** The topic as it is now; an internal topic is Kafka's own and is never changed from here. */
  const describeChangeable = async (client: ClusterClient, topic: string, what: string): Promise<TopicDetail> => {
    const detail = await client.describeTopic(topic);
    if (detail.internal)
      throw new EventscopeError(
        'INVALID_PARAMS',
        `"${topic}" is an internal topic that Kafka itself keeps: Eventscope does not ${what} it.`,
        'topic',
      );
    return detail;
  };

  return {
    'topics.create': async ({ connectionId, topic, partitions, replicationFactor, configs, dryRun }) => {
      await requireWritable(connectionId, 'create topics');
      const client = await options.clientFor(connectionId);
      const created = await client.createTopic(
        { topic, partitions: partitions ?? null, replicationFactor: replicationFactor ?? null, configs },
        { validateOnly: dryRun },
      );
      return { dryRun, ...created };
    },

    'topics.alterConfigs': async ({ connectionId, topic, changes, dryRun }) => {
      await requireWritable(connectionId, 'change topic configs');
      const client = await options.clientFor(connectionId);
      const detail = await describeChangeable(client, topic, 'change the configs of');
      const current = new Map(detail.configs.map((c) => [c.name, c]));
      // Kafka takes deleting a name it does not know as a change that does nothing: say it is not one.
      const unknown = changes.find((c) => c.op === 'delete' && current.size > 0 && !current.has(c.name));
      if (unknown)
        throw new EventscopeError(
          'INVALID_PARAMS',
          `"${unknown.name}" is not a config of topic "${topic}": check its name (topic configs such as retention.ms, cleanup.policy).`,
          'changes',
        );
      await client.alterTopicConfigs(topic, changes, { validateOnly: dryRun });
      const planned: ConfigChangeOutcome[] = changes.map((change) => {
        const was = current.get(change.name);
        const before = was?.value ?? null;
        const beforeSource = was?.source ?? null;
        if (change.op === 'set')
          return {
            name: change.name,
            op: 'set',
            before,
            beforeSource,
            after: change.value,
            afterSource: 'topic',
            unchanged: beforeSource === 'topic' && before === change.value,
          };
        return {
          name: change.name,
          op: 'delete',
          before,
          beforeSource,
          after: null,
          afterSource: null,
          unchanged: beforeSource !== 'topic',
        };
      });
      if (dryRun) return { dryRun, topic, changes: planned };
      // What the brokers describe now (a change reaches them from the controller within moments).
      const done = (configs: Map<string, TopicDetail['configs'][number]>): boolean =>
        changes.every((c) => {
          const now = configs.get(c.name);
          return c.op === 'set'
            ? now === undefined || now.sensitive || (now.source === 'topic' && now.value === c.value)
            : now?.source !== 'topic';
        });
      let after = new Map<string, TopicDetail['configs'][number]>();
      for (const until = Date.now() + CONFIG_SETTLE_MS; ;) {
        after = new Map((await client.describeTopic(topic)).configs.map((c) => [c.name, c]));
        if (done(after) || Date.now() >= until) break;
        await sleep(CONFIG_POLL_MS);
      }
      return {
        dryRun,
        topic,
        changes: planned.map((p) => {
          const now = after.get(p.name);
          return now ? { ...p, after: now.value, afterSource: now.source } : p;
        }),
      };
    },

    'topics.addPartitions': async ({ connectionId, topic, totalPartitions, dryRun }) => {
      await requireWritable(connectionId, 'add partitions');
      const client = await options.clientFor(connectionId);
      const detail = await describeChangeable(client, topic, 'add partitions to');
      const before = detail.partitions.length;
      if (totalPartitions <= before) {
        const why =
          totalPartitions < before ? `Kafka can add partitions but never remove them` : `that is the count it has now`;
        throw new EventscopeError(
          'INVALID_PARAMS',
          `"${topic}" has ${before} partition${before === 1 ? '' : 's'} and ${totalPartitions} ${totalPartitions === 1 ? 'was' : 'were'} asked for: ${why}. Ask for more than ${before}.`,
          'totalPartitions',
        );
      }
      await client.createPartitions(topic, totalPartitions, { validateOnly: dryRun });
      return {
        dryRun,
        topic,
        before,
        after: totalPartitions,
        added: Array.from({ length: totalPartitions - before }, (_, i) => before + i),
      };
    },

    'topics.deleteRecords': async ({ connectionId, topic, partitions, dryRun }) => {
      await requireWritable(connectionId, 'delete records');
      const client = await options.clientFor(connectionId);
      const detail = await describeChangeable(client, topic, 'delete records of');
      const byPartition = new Map(detail.partitions.map((p) => [p.partition, p]));
      const plan: DeleteRecordsPartition[] = [...partitions]
        .sort((a, b) => a.partition - b.partition)
        .map(({ partition, before }) => {
          const p = byPartition.get(partition);
          if (!p)
            throw new EventscopeError(
              'INVALID_PARAMS',
              `"${topic}" has no partition ${partition}: its partitions are 0 to ${detail.partitions.length - 1}.`,
              'partitions',
            );
          if (p.earliestOffset === null || p.latestOffset === null)
            throw new EventscopeError(
              'KAFKA_ERROR',
              `The offsets of partition ${partition} of "${topic}" cannot be read now (no leader answers for it): try again once it has a leader.`,
            );
          const earliest = BigInt(p.earliestOffset);
          const latest = BigInt(p.latestOffset);
          const upTo = BigInt(before);
          if (upTo > latest) {
            throw new EventscopeError(
              'INVALID_PARAMS',
              `Partition ${partition} of "${topic}" ends at offset ${latest}: records can be deleted below an offset up to ${latest} (that deletes all of them), not ${upTo}.`,
              'partitions',
            );
          }
          const earliestAfter = upTo > earliest ? upTo : earliest;
          return {
            partition,
            earliestBefore: earliest.toString(),
            latest: latest.toString(),
            before: upTo.toString(),
            records: (earliestAfter - earliest).toString(),
            earliestAfter: earliestAfter.toString(),
          };
        });
      const total = (rows: DeleteRecordsPartition[]): string =>
        rows.reduce((n, r) => n + BigInt(r.records), 0n).toString();
      if (dryRun) return { dryRun, topic, partitions: plan, records: total(plan) };
      const answered = new Map(
        (
          await client.deleteRecords(
            topic,
            plan.map((p) => ({ partition: p.partition, offset: BigInt(p.before) })),
          )
        ).map((r) => [r.partition, r.lowWatermark]),
      );
      const done = plan.map((p) => {
        const low = answered.get(p.partition);
        if (low === undefined) return p;
        const gone = low - BigInt(p.earliestBefore);
        return { ...p, earliestAfter: low.toString(), records: (gone > 0n ? gone : 0n).toString() };
      });
      return { dryRun, topic, partitions: done, records: total(done) };
    },

    'topics.delete': async ({ connectionId, topic, topicId, dryRun }) => {
      await requireWritable(connectionId, 'delete topics');
      const client = await options.clientFor(connectionId);
      const detail = await describeChangeable(client, topic, 'delete');
      const id = (await client.topicIds([topic])).get(topic) ?? null;
      if (topicId !== undefined && id !== null && id !== topicId) {
        throw new EventscopeError(
          'INVALID_PARAMS',
          `"${topic}" is not the topic that was previewed: it was deleted and created again since (its topic ID is now ${id}). Preview again before deleting it.`,
          'topicId',
        );
      }
      const known = detail.partitions.every((p) => p.earliestOffset !== null && p.latestOffset !== null);
      const records = known
        ? detail.partitions.reduce((n, p) => n + BigInt(p.latestOffset!) - BigInt(p.earliestOffset!), 0n).toString()
        : null;
      const summary = { topic, topicId: id, partitions: detail.partitions.length, records };
      if (!dryRun) {
        await client.deleteTopic(topic);
        return { dryRun, ...summary, groups: null };
      }
      return { dryRun, ...summary, groups: await readersOf(client, topic) };
    },
  };
}

/** The consumer groups with offsets committed on a topic; null where they cannot be read (the preview goes on without them). */
async function readersOf(client: ClusterClient, topic: string): Promise<string[] | null> {
  try {
    const groups = await client.listGroups();
    if (groups.length === 0) return [];
    const committed = await client.committedOffsets(groups.map((g) => g.groupId));
    return [...committed]
      .filter(([, offsets]) => offsets.some((o) => o.topic === topic && o.offset !== null))
      .map(([groupId]) => groupId)
      .sort();
  } catch {
    return null;
  }
}
