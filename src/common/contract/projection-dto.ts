// What the app's projection screen asks the host for. The projection itself never runs in the
// host: its code runs in a Web Worker of the sandboxed page. The host keeps the workspace folder
// of projection files, and feeds the page the events of a range: read from the replay log,
// what the log lacks fetched from the cluster first, partitions merged in event order (per
// partition in offset order; across partitions by timestamp, then partition, then offset), as
// record frames the page packs into batches for its worker.
import { z } from 'zod';
import { Position, RecordFrame } from './dto.ts';
import { ConnectionId, GroupId, Int64String, OffsetsByPartition, PartitionList, TopicName } from './fields.ts';

/** A projection file's name in the workspace folder: no folders, ends in .js or .mjs. */
export const ProjectionFileName = z
  .string()
  .min(4)
  .max(200)
  .regex(
    /^[A-Za-z0-9][\w.-]*\.m?js$/,
    'a file name such as revenue-per-customer.js (letters, digits, "-", "_", "."; ending in .js or .mjs; no folders)',
  );

export const ProjectionFile = z.object({
  name: z.string(),
  bytes: z.number().int(),
  modifiedMs: z.number(),
});
export type ProjectionFile = z.infer<typeof ProjectionFile>;

/** The folder projections are kept in (the user's choice, so they can live in git beside the consumer's code) and its files. */
export const ProjectionWorkspace = z.object({
  folder: z.string(),
  files: z.array(ProjectionFile),
  /** The folder is the default one in the data folder (the sample projections were put there on first use). */
  isDefault: z.boolean(),
  /** Why the folder cannot be read (missing, not a folder, no permission), or null. */
  problem: z.string().nullable(),
});
export type ProjectionWorkspace = z.infer<typeof ProjectionWorkspace>;

/** Where a replayed range ends in each partition: the end offsets seen at the start, an offset (inclusive, like `eventscope replay --to`), a time, or a consumer group's committed offsets (exclusive: the next record the group would read). */
export const RangeEnd = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('latest') }),
  z.strictObject({ kind: z.literal('offset'), offset: Int64String }),
  z.strictObject({ kind: z.literal('timestamp'), timestamp: z.number() }),
  z.strictObject({ kind: z.literal('group'), groupId: GroupId }),
]);
export type RangeEnd = z.infer<typeof RangeEnd>;

/** Per partition: where the range starts (inclusive) and ends (exclusive), as resolved when the read started. */
export const ResolvedPartitionRange = z.object({ partition: z.number().int(), from: Int64String, to: Int64String });
export type ResolvedPartitionRange = z.infer<typeof ResolvedPartitionRange>;

/** What was read of one partition: first and last offset delivered and how many events. */
export const DeliveredRange = z.object({
  partition: z.number().int(),
  firstOffset: Int64String,
  lastOffset: Int64String,
  events: z.number().int(),
});
export type DeliveredRange = z.infer<typeof DeliveredRange>;

export const ProjectionEventsParams = z.strictObject({
  connectionId: ConnectionId,
  topic: TopicName,
  /** Default: every partition. */
  partitions: PartitionList.optional(),
  from: Position,
  to: RangeEnd,
  /**
   * Resume a read at a cut of the merged order (per partition: the next offset to deliver), as
   * a step-through does from a snapshot. The merge order is deterministic, so the events after
   * a cut are the same as in the first read. Partitions not named start at `from`.
   */
  startAt: OffsetsByPartition.optional(),
  /** Stop after this many events (a step-through reads a window). Default: the whole range. */
  maxEvents: z.number().int().min(1).optional(),
});

export const ProjectionEventsEvent = z.discriminatedUnion('type', [
  /** The range as resolved, before any event; readId is what projections.ack names. events: how many the range holds where known (offsets minus what the log knows is missing), else null. */
  z.object({
    type: z.literal('range'),
    readId: z.string(),
    partitions: z.array(ResolvedPartitionRange),
    events: z.number().int().nullable(),
  }),
  /** Fetching what the replay log lacks of the range from the cluster, before events flow. */
  z.object({ type: z.literal('fetching'), fetched: z.number().int(), missing: z.number().int() }),
  /** Events in merged order. seq counts frames from 1; the host keeps a few frames ahead of the last acknowledged one. delivered: events so far. */
  z.object({ type: z.literal('records'), seq: z.number().int(), frame: RecordFrame, delivered: z.number().int() }),
  /** Something to know that does not stop the read (a start moved past deleted records). */
  z.object({ type: z.literal('notice'), message: z.string() }),
  /**
   * The read ended. complete: the whole range (or maxEvents) was delivered. Otherwise what
   * ended it, said in `message` (the topic was deleted, records of the range were deleted by
   * retention or DeleteRecords before they were read, the cluster could not be reached); what
   * was delivered before stays valid.
   */
  z.object({
    type: z.literal('end'),
    reason: z.enum(['complete', 'topic-deleted', 'records-deleted', 'failed']),
    message: z.string().nullable(),
    delivered: z.array(DeliveredRange),
    /** Per partition: the next offset after the last delivered (a cut to resume from). */
    next: z.record(z.string(), Int64String),
  }),
]);
export type ProjectionEventsEvent = z.infer<typeof ProjectionEventsEvent>;

/** A consumer's own state, read from the compacted topic it writes: the latest value per key (tombstones remove the key). */
export const ChangelogState = z.object({
  entries: z.array(z.object({ key: z.string(), value: z.unknown() })),
  /** Records read (all partitions, to the end offsets at the start). */
  records: z.number().int(),
  /** Values that were not JSON (kept as their text). */
  notJson: z.number().int(),
  /** More than maxKeys keys: the rest were left out. */
  truncated: z.boolean(),
});
export type ChangelogState = z.infer<typeof ChangelogState>;
