// The one API between the renderer (or CLI, or a test) and the host. Each method takes one
// object and resolves one value; each stream is a subscription that pushes events until
// it is cancelled or ends. The host validates params with these schemas; nothing from a
// wire is trusted.
import { z } from 'zod';
import {
  AppInfo,
  CaptureSummary,
  ClusterOverview,
  ConnectionProfile,
  ConnectionSecrets,
  ConnectionSummary,
  ConnectionTestResult,
  ImportedConnection,
  LAG_SAMPLE_MAX_SEC,
  LAG_SAMPLE_MIN_SEC,
  LOG_CAP_MAX_MB,
  LOG_CAP_MIN_MB,
  LogUsage,
  Payload,
  Position,
  RecordDto,
  Settings,
  TailEvent,
  TopicDetail,
  TopicListUpdate,
  TopicSummary,
} from './dto.ts';
import {
  ConnectionId,
  FilePath,
  GroupId,
  Int64String,
  OffsetsByPartition,
  PartitionList,
  PartitionNumber,
  TopicName,
} from './fields.ts';
import { FilterSpec } from './filter-spec.ts';
import { GroupDetail, GroupLagHistory, GroupSummary, OffsetResetPlan, OffsetResetTarget } from './group-dto.ts';
import {
  ChangelogState,
  ProjectionEventsEvent,
  ProjectionEventsParams,
  ProjectionFileName,
  ProjectionWorkspace,
} from './projection-dto.ts';
import {
  AddPartitionsParams,
  AddPartitionsResult,
  AlterTopicConfigsParams,
  AlterTopicConfigsResult,
  CreateTopicParams,
  CreateTopicResult,
  DeleteRecordsParams,
  DeleteRecordsResult,
  DeleteTopicParams,
  DeleteTopicResult,
} from './topic-admin-dto.ts';

/** What most methods start from: the connection (or capture) they are about. */
const OnConnection = z.strictObject({ connectionId: ConnectionId });

export const methods = {
  'app.info': { params: z.strictObject({}), result: AppInfo },
  'connections.list': { params: z.strictObject({}), result: z.array(ConnectionSummary) },
  'connections.save': {
    params: z.strictObject({
      profile: ConnectionProfile,
      /** Omitted fields keep the stored secret; an empty string removes it. */
      secrets: ConnectionSecrets.optional(),
      /** The user agreed to keep secrets where there is no OS keychain. */
      allowPlaintextSecrets: z.boolean().optional(),
    }),
    result: ConnectionSummary,
  },
  'connections.remove': {
    params: z.strictObject({ id: ConnectionId }),
    result: z.strictObject({ removed: z.boolean() }),
  },
  'connections.test': {
    params: z.union([
      OnConnection,
      z.strictObject({ profile: ConnectionProfile, secrets: ConnectionSecrets.optional() }),
    ]),
    result: ConnectionTestResult,
  },
  'connections.importFile': {
    params: z.strictObject({ fileName: z.string().max(4096), text: z.string().max(1_000_000) }),
    result: ImportedConnection,
  },
  'cluster.describe': { params: OnConnection, result: ClusterOverview },
  'topics.list': {
    params: OnConnection.extend({ includeInternal: z.boolean().default(false) }),
    result: z.array(TopicSummary),
  },
  'topics.describe': {
    params: OnConnection.extend({ topic: TopicName }),
    result: TopicDetail,
  },
  'captures.list': { params: z.strictObject({}), result: z.array(CaptureSummary) },
  /** Opens a capture file on the host's disk as an offline cluster. */
  'captures.open': { params: z.strictObject({ path: FilePath }), result: CaptureSummary },
  'captures.close': { params: z.strictObject({ id: ConnectionId }), result: z.strictObject({ closed: z.boolean() }) },
  /** Writes what the replay log holds of a topic to a new capture file (default: in the data folder). */
  'captures.export': {
    params: OnConnection.extend({
      topic: TopicName,
      partitions: z.array(PartitionNumber).optional(),
      path: FilePath.optional(),
    }),
    result: z.object({ path: z.string(), records: z.number().int() }),
  },
  /** Writes one record; refused unless the connection is marked writable. */
  'records.produce': {
    params: OnConnection.extend({
      topic: TopicName,
      partition: PartitionNumber.optional(),
      key: Payload.nullable(),
      value: Payload.nullable(),
      headers: z.array(z.object({ key: z.string().max(10_000), value: Payload.nullable() })).max(10_000),
    }),
    result: z.object({ partition: z.number().int(), offset: Int64String }),
  },
  /** Whole records (no preview cut) as an NDJSON or CSV file's text, for a download. */
  'records.export': {
    params: OnConnection.extend({
      topic: TopicName,
      records: z.array(z.object({ partition: PartitionNumber, offset: Int64String })).max(100_000),
      format: z.enum(['ndjson', 'csv']),
    }),
    result: z.object({ text: z.string(), count: z.number().int() }),
  },
  /** The subscriber of a tail has shown flush number `flush`. */
  'tail.ack': {
    params: z.strictObject({ sessionId: z.string().max(64), flush: z.number().int().nonnegative() }),
    result: z.strictObject({ known: z.boolean() }),
  },
  /** Records older than `before` (per partition) from the replay log, newest `limit`, oldest first. */
  'log.page': {
    params: OnConnection.extend({
      topic: TopicName,
      before: OffsetsByPartition,
      limit: z.number().int().min(1).max(5_000),
    }),
    result: z.object({ records: z.array(RecordDto), more: z.boolean() }),
  },
  /**
   * Everything the replay log holds of a topic, page by page (partition by partition, in
   * offset order), for filters that run in the renderer. Start with after = {}; pass back the
   * `after` of each answer until done.
   */
  'log.scanPage': {
    params: OnConnection.extend({
      topic: TopicName,
      after: OffsetsByPartition,
      limit: z.number().int().min(1).max(5_000),
      previewBytes: z
        .number()
        .int()
        .min(256)
        .max(1024 * 1024),
    }),
    result: z.object({
      records: z.array(RecordDto),
      after: z.record(z.string(), Int64String),
      done: z.boolean(),
      total: z.number().int(),
    }),
  },
  'settings.get': { params: z.strictObject({}), result: Settings },
  'settings.update': {
    /** Only the settings given change. */
    params: z.strictObject({
      logCapMb: z.number().int().min(LOG_CAP_MIN_MB).max(LOG_CAP_MAX_MB).optional(),
      lagSampleIntervalSec: z.number().int().min(LAG_SAMPLE_MIN_SEC).max(LAG_SAMPLE_MAX_SEC).optional(),
      timeZone: z.enum(['local', 'utc']).optional(),
    }),
    result: Settings,
  },
  /** What the replay log holds per connection, and its cap. */
  'log.usage': { params: z.strictObject({}), result: LogUsage },
  /** Forgets everything the replay log holds for a connection. */
  'log.clear': { params: OnConnection, result: z.strictObject({ freedBytes: z.number() }) },
  /** One whole record (no preview cut): from the replay log, or from the cluster if the log lacks it. */
  'records.get': {
    params: OnConnection.extend({ topic: TopicName, partition: PartitionNumber, offset: Int64String }),
    result: RecordDto,
  },
  /** Every consumer group (all types), with lag; `topic`: only the groups with offsets committed on it. */
  'groups.list': {
    params: OnConnection.extend({ topic: TopicName.optional() }),
    result: z.array(GroupSummary),
  },
  /** Members, assignments and per-partition committed offset, end offset, lag, time lag and status. */
  'groups.describe': { params: OnConnection.extend({ groupId: GroupId }), result: GroupDetail },
  /** The stored lag history of a group (sampled while watched), over the last `sinceMs` ms. */
  'groups.history': {
    params: OnConnection.extend({
      groupId: GroupId,
      sinceMs: z
        .number()
        .int()
        .min(1_000)
        .max(366 * 24 * 3600 * 1000)
        .default(24 * 3600 * 1000),
    }),
    result: GroupLagHistory,
  },
  /** Starts or stops sampling a group's lag every lag sample interval; the choice is kept across restarts. */
  'groups.watch': {
    params: OnConnection.extend({ groupId: GroupId, watch: z.boolean() }),
    result: z.strictObject({ watched: z.boolean() }),
  },
  /**
   * Moves a group's committed offsets. A dry run (execute: false) answers before and after for
   * every partition and changes nothing; execute needs a writable connection and an empty group.
   */
  'groups.resetOffsets': {
    params: OnConnection.extend({
      groupId: GroupId,
      /** Default: every topic the group has committed offsets for. */
      topics: z
        .array(z.object({ topic: TopicName, partitions: PartitionList.optional() }))
        .max(10_000)
        .optional(),
      to: OffsetResetTarget,
      execute: z.boolean(),
    }),
    result: OffsetResetPlan,
  },
  /** Deletes an empty group (writable connections only). */
  'groups.delete': {
    params: OnConnection.extend({ groupId: GroupId }),
    result: z.strictObject({ deleted: z.boolean() }),
  },
  /** Creates a topic; dryRun: the controller validates it and answers what it would be, nothing is created. Writable connections only. */
  'topics.create': { params: CreateTopicParams, result: CreateTopicResult },
  /** Sets or deletes topic configs, the others left as they are; dryRun: validated by the controller, before and after, nothing changed. Writable connections only. */
  'topics.alterConfigs': { params: AlterTopicConfigsParams, result: AlterTopicConfigsResult },
  /** Grows a topic to totalPartitions; dryRun: validated by the controller, nothing added. Writable connections only. */
  'topics.addPartitions': { params: AddPartitionsParams, result: AddPartitionsResult },
  /** Deletes the records below an offset per partition; dryRun: what would go, read from the offsets (Kafka has no dry run). Writable connections only. */
  'topics.deleteRecords': { params: DeleteRecordsParams, result: DeleteRecordsResult },
  /** Deletes a topic; dryRun: what it holds and which groups read it (Kafka has no dry run). Writable connections only. */
  'topics.delete': { params: DeleteTopicParams, result: DeleteTopicResult },
  /** The projections folder and its files. */
  'projections.workspace': { params: z.strictObject({}), result: ProjectionWorkspace },
  /** Keeps projections in another folder from now on (kept across restarts); create: make it when it does not exist. */
  'projections.setFolder': {
    params: z.strictObject({ folder: FilePath, create: z.boolean().default(false) }),
    result: ProjectionWorkspace,
  },
  'projections.read': {
    params: z.strictObject({ name: ProjectionFileName }),
    result: z.object({ name: z.string(), source: z.string(), modifiedMs: z.number() }),
  },
  /** Saves a projection file (atomically). expectedModifiedMs: refuse (CONFLICT) when the file changed on disk since it was read; null: it must not exist yet. */
  'projections.write': {
    params: z.strictObject({
      name: ProjectionFileName,
      source: z.string().max(1_000_000),
      expectedModifiedMs: z.number().nullable().optional(),
    }),
    result: z.object({ name: z.string(), modifiedMs: z.number() }),
  },
  'projections.delete': {
    params: z.strictObject({ name: ProjectionFileName }),
    result: z.strictObject({ deleted: z.boolean() }),
  },
  /** The page has used frame `seq` of a projections.events read: the host may send further. */
  'projections.ack': {
    params: z.strictObject({ readId: z.string().max(64), seq: z.number().int().nonnegative() }),
    result: z.strictObject({ known: z.boolean() }),
  },
  /** A consumer's state from the compacted topic it writes: the latest value per key, to compare with a projection's state. */
  'projections.readChangelog': {
    params: OnConnection.extend({ topic: TopicName, maxKeys: z.number().int().min(1).max(1_000_000).default(100_000) }),
    result: ChangelogState,
  },
} as const;

export const streams = {
  /** Pushes the topic list now and again every intervalMs while subscribed. */
  /** A live tail (or, follow: false, a read to the current end) of a topic, through the replay log. */
  'tail.records': {
    params: OnConnection.extend({
      topic: TopicName,
      partitions: PartitionList.optional(),
      from: Position,
      follow: z.boolean().default(true),
    }),
    event: TailEvent,
  },
  /** Scans everything the replay log holds for a topic; no cap on how much is scanned. */
  'log.search': {
    params: OnConnection.extend({ topic: TopicName, filter: FilterSpec }),
    event: z.discriminatedUnion('type', [
      z.object({
        type: z.literal('progress'),
        scanned: z.number().int(),
        total: z.number().int(),
        matched: z.number().int(),
      }),
      z.object({ type: z.literal('matches'), records: z.array(RecordDto) }),
    ]),
  },
  /** The events of a range for a projection run in the page (see projection-dto.ts). */
  'projections.events': { params: ProjectionEventsParams, event: ProjectionEventsEvent },
  'topics.watch': {
    params: OnConnection.extend({
      includeInternal: z.boolean().default(false),
      intervalMs: z.number().int().min(1_000).max(600_000).default(15_000),
    }),
    event: TopicListUpdate,
  },
} as const;

export type Methods = typeof methods;
export type Streams = typeof streams;
export type MethodName = keyof Methods;
export type StreamName = keyof Streams;
export type ParamsOf<M extends MethodName> = z.input<Methods[M]['params']>;
export type ParsedParamsOf<M extends MethodName> = z.output<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;
export type StreamParamsOf<S extends StreamName> = z.input<Streams[S]['params']>;
export type ParsedStreamParamsOf<S extends StreamName> = z.output<Streams[S]['params']>;
export type EventOf<S extends StreamName> = z.output<Streams[S]['event']>;

export function isMethodName(name: string): name is MethodName {
  return Object.hasOwn(methods, name);
}
export function isStreamName(name: string): name is StreamName {
  return Object.hasOwn(streams, name);
}
