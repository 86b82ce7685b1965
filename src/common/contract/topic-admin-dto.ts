// Topic administration as the contract carries it: create a topic, change its configs, add
// partitions, delete records below an offset, delete the topic. Each method takes dryRun: a dry
// run answers what would happen and changes nothing (Kafka's validateOnly where it has one —
// CreateTopics, CreatePartitions, IncrementalAlterConfigs — and a preview read from offsets
// where it has none: DeleteRecords, DeleteTopics). All of it needs a connection marked writable.
// The params schemas carry messages for people: the renderer checks its form with them before
// anything is sent, the host checks every message with them.
import { z } from 'zod';
import { ConnectionId, Int64String, PartitionNumber, TOPIC_NAME_MAX, TopicName } from './fields.ts';

export { TOPIC_NAME_MAX } from './fields.ts';
/** Kafka's own limits (Topic.validate): these characters, at most 249 of them, not "." or "..". */
export const NewTopicName = z
  .string()
  .min(1, 'a topic needs a name')
  .max(TOPIC_NAME_MAX, `a topic name has at most ${TOPIC_NAME_MAX} characters`)
  .regex(/^[a-zA-Z0-9._-]+$/, 'a topic name may only hold the letters a–z and A–Z, digits, ".", "_" and "-"')
  .refine((n) => n !== '.' && n !== '..', 'a topic cannot be called "." or ".."');

/** Kafka's brokers cap partitions far lower; this only keeps nonsense out of a request. */
export const MAX_PARTITIONS = 1_000_000;

export const ConfigName = z
  .string()
  .min(1, 'a config needs a name')
  .max(255)
  .regex(/^[a-zA-Z0-9._-]+$/, 'a config name holds only letters, digits, ".", "_" and "-" (e.g. retention.ms)');

export const PartitionCount = z
  .number()
  .int('a partition count is a whole number')
  .min(1, 'a topic needs at least one partition')
  .max(MAX_PARTITIONS, `at most ${MAX_PARTITIONS} partitions`);
export const ReplicationFactor = z
  .number()
  .int('a replication factor is a whole number')
  .min(1, 'a replication factor is at least 1 (one copy of each partition)')
  .max(32_767, 'a replication factor is at most 32767');

const uniqueNames = <T extends { name: string }>(items: T[]): boolean =>
  new Set(items.map((c) => c.name)).size === items.length;

// ---------------------------------------------------------------------------------------------
// topics.create

export const CreateTopicParams = z.strictObject({
  connectionId: ConnectionId,
  topic: NewTopicName,
  /** Omitted: the broker's num.partitions. */
  partitions: PartitionCount.optional(),
  /** Omitted: the broker's default.replication.factor. */
  replicationFactor: ReplicationFactor.optional(),
  /** Topic-level configs to set; the rest take the broker's defaults. */
  configs: z
    .array(z.strictObject({ name: ConfigName, value: z.string().max(100_000) }))
    .max(1_000)
    .refine(uniqueNames, 'each config may be given once')
    .default([]),
  dryRun: z.boolean(),
});

/** A topic's config as Kafka reports it (value null for a sensitive one). */
export const TopicConfigValue = z.object({
  name: z.string(),
  value: z.string().nullable(),
  /** topic (set on the topic), static broker, dynamic broker, default… */
  source: z.string(),
  readOnly: z.boolean(),
  sensitive: z.boolean(),
});
export type TopicConfigValue = z.infer<typeof TopicConfigValue>;

export const CreateTopicResult = z.object({
  dryRun: z.boolean(),
  topic: z.string(),
  /** Kafka's topic ID once created; null for a dry run (and on brokers older than Kafka 2.8). */
  topicId: z.string().nullable(),
  /** As the controller resolved them (the broker's defaults where none was given); -1 where an old broker did not say. */
  partitions: z.number().int(),
  replicationFactor: z.number().int(),
  /** Every config the topic gets and where its value comes from; null where an old broker did not say. */
  configs: z.array(TopicConfigValue).nullable(),
});
export type CreateTopicResult = z.infer<typeof CreateTopicResult>;

// ---------------------------------------------------------------------------------------------
// topics.alterConfigs (incremental: only the configs named change)

export const ConfigChange = z.discriminatedUnion('op', [
  z.strictObject({ name: ConfigName, op: z.literal('set'), value: z.string().max(100_000) }),
  /** Removes the topic's own value: the broker's (or Kafka's) default applies again. */
  z.strictObject({ name: ConfigName, op: z.literal('delete') }),
]);
export type ConfigChange = z.infer<typeof ConfigChange>;

export const AlterTopicConfigsParams = z.strictObject({
  connectionId: ConnectionId,
  topic: TopicName,
  changes: z
    .array(ConfigChange)
    .min(1, 'name at least one config to set or delete')
    .max(1_000)
    .refine(uniqueNames, 'each config may be changed once per request'),
  dryRun: z.boolean(),
});

export const ConfigChangeOutcome = z.object({
  name: z.string(),
  op: z.enum(['set', 'delete']),
  /** The value before (null: sensitive, or not known to this broker). */
  before: z.string().nullable(),
  /** Whether the value before was the topic's own (source "topic") or inherited. */
  beforeSource: z.string().nullable(),
  /** The value after: for a dry run of a delete, null (the default applies; which one, the run shows). */
  after: z.string().nullable(),
  afterSource: z.string().nullable(),
  /** The change does nothing (set to the value it has, or delete a config the topic does not set). */
  unchanged: z.boolean(),
});
export type ConfigChangeOutcome = z.infer<typeof ConfigChangeOutcome>;

export const AlterTopicConfigsResult = z.object({
  dryRun: z.boolean(),
  topic: z.string(),
  changes: z.array(ConfigChangeOutcome),
});
export type AlterTopicConfigsResult = z.infer<typeof AlterTopicConfigsResult>;

// ---------------------------------------------------------------------------------------------
// topics.addPartitions

export const AddPartitionsParams = z.strictObject({
  connectionId: ConnectionId,
  topic: TopicName,
  /** The topic's new partition count (Kafka's CreatePartitions takes the total, not how many to add). */
  totalPartitions: PartitionCount,
  dryRun: z.boolean(),
});

export const AddPartitionsResult = z.object({
  dryRun: z.boolean(),
  topic: z.string(),
  before: z.number().int(),
  after: z.number().int(),
  /** The partitions that are (or would be) new. */
  added: z.array(z.number().int()),
});
export type AddPartitionsResult = z.infer<typeof AddPartitionsResult>;

// ---------------------------------------------------------------------------------------------
// topics.deleteRecords (Kafka has no dry run: the preview is read from each partition's offsets)

export const DeleteRecordsParams = z.strictObject({
  connectionId: ConnectionId,
  topic: TopicName,
  /** Per partition: every record below `before` goes (before = the latest offset: all of them). */
  partitions: z
    .array(
      z.strictObject({
        partition: PartitionNumber,
        before: Int64String.refine((s) => !s.startsWith('-'), 'an offset is 0 or more'),
      }),
    )
    .min(1, 'choose at least one partition')
    .max(100_000)
    .refine((ps) => new Set(ps.map((p) => p.partition)).size === ps.length, 'each partition may be given once'),
  dryRun: z.boolean(),
});

export const DeleteRecordsPartition = z.object({
  partition: z.number().int(),
  /** The partition's earliest offset before. */
  earliestBefore: Int64String,
  latest: Int64String,
  before: Int64String,
  /** Offsets that go (earliestBefore up to before); compacted or transactional partitions hold fewer records than offsets. */
  records: Int64String,
  /** The earliest offset after: what Kafka answered (a run), or what it will be (a dry run). */
  earliestAfter: Int64String,
});
export type DeleteRecordsPartition = z.infer<typeof DeleteRecordsPartition>;

export const DeleteRecordsResult = z.object({
  dryRun: z.boolean(),
  topic: z.string(),
  partitions: z.array(DeleteRecordsPartition),
  records: Int64String,
});
export type DeleteRecordsResult = z.infer<typeof DeleteRecordsResult>;

// ---------------------------------------------------------------------------------------------
// topics.delete (Kafka has no dry run: the preview says what the topic holds)

export const DeleteTopicParams = z.strictObject({
  connectionId: ConnectionId,
  topic: TopicName,
  /** The topic ID a preview answered: the topic is deleted only if it is still that topic (not deleted and re-created since). */
  topicId: z.string().max(64).optional(),
  dryRun: z.boolean(),
});

export const DeleteTopicResult = z.object({
  dryRun: z.boolean(),
  topic: z.string(),
  topicId: z.string().nullable(),
  partitions: z.number().int(),
  /** Offsets held across partitions (latest − earliest); null where a partition's offsets could not be read. */
  records: Int64String.nullable(),
  /** Consumer groups with offsets committed on the topic (they lose them); null where they could not be read. */
  groups: z.array(z.string()).nullable(),
});
export type DeleteTopicResult = z.infer<typeof DeleteTopicResult>;
