// Consumer groups and their lag, as the contract carries them. Offsets and lags are decimal
// strings (int64); null means "not known" (never zero): a partition with no committed offset
// has committed: null and lag: null, and a group whose lag cannot be computed has totalLag: null.
import { z } from 'zod';
import { Int64String } from './fields.ts';

/** classic: the pre-KIP-848 protocol; consumer: KIP-848 (Kafka 4); share and streams where the broker has them. */
export const GroupType = z.enum(['classic', 'consumer', 'share', 'streams', 'unknown']);
export type GroupType = z.infer<typeof GroupType>;

/** Burrow's partition statuses. */
export const PartitionStatusLevel = z.enum(['OK', 'WARN', 'STALL', 'STOP', 'REWIND']);
export type PartitionStatusLevel = z.infer<typeof PartitionStatusLevel>;
/** A group's status: the worst partition's; STALL, STOP and REWIND count as ERR. UNKNOWN: too few samples yet. */
export const GroupStatusLevel = z.enum(['OK', 'WARN', 'ERR', 'UNKNOWN']);
export type GroupStatusLevel = z.infer<typeof GroupStatusLevel>;

export const PartitionStatus = z.object({ level: PartitionStatusLevel, reason: z.string() });
export type PartitionStatus = z.infer<typeof PartitionStatus>;
export const GroupStatus = z.object({ level: GroupStatusLevel, reason: z.string() });
export type GroupStatus = z.infer<typeof GroupStatus>;

/** How the last attempt to sample a watched group went (null: not sampled since the host started). */
export const SamplingState = z.object({ ok: z.boolean(), message: z.string(), at: z.number() }).nullable();
export type SamplingState = z.infer<typeof SamplingState>;

export const GroupSummary = z.object({
  groupId: z.string(),
  type: GroupType,
  /** "consumer" for consumer groups, "connect", "" for groups that only commit offsets… */
  protocolType: z.string(),
  /** As the broker names it: Stable, Empty, PreparingRebalance, Reconciling, Dead… */
  state: z.string(),
  coordinator: z.number().int().nullable(),
  members: z.number().int().nullable(),
  totalLag: Int64String.nullable(),
  /** How old the oldest unconsumed record is, the worst partition (ms); null where nothing lags or it is not known. */
  maxTimeLagMs: z.number().nullable(),
  /** Known once the group is watched (sampled over time). */
  status: GroupStatus.nullable(),
  watched: z.boolean(),
  /** Watched groups: the sampler's last attempt (a deleted group, an unreachable coordinator are said here). */
  sampling: SamplingState.optional(),
});
export type GroupSummary = z.infer<typeof GroupSummary>;

export const GroupMember = z.object({
  memberId: z.string(),
  instanceId: z.string().nullable(),
  clientId: z.string(),
  host: z.string(),
  assignments: z.array(z.object({ topic: z.string(), partitions: z.array(z.number().int()) })),
});
export type GroupMember = z.infer<typeof GroupMember>;

export const PartitionLag = z.object({
  topic: z.string(),
  partition: z.number().int(),
  committedOffset: Int64String.nullable(),
  logEndOffset: Int64String,
  lag: Int64String.nullable(),
  /** Age of the record at the committed offset (ms) where lag > 0. */
  timeLagMs: z.number().nullable(),
  memberId: z.string().nullable(),
  clientId: z.string().nullable(),
  host: z.string().nullable(),
  status: PartitionStatus.nullable(),
});
export type PartitionLag = z.infer<typeof PartitionLag>;

export const GroupDetail = GroupSummary.extend({
  assignor: z.string().nullable(),
  groupMembers: z.array(GroupMember),
  partitions: z.array(PartitionLag),
  /** When these numbers were read (ms since epoch). */
  readAt: z.number(),
});
export type GroupDetail = z.infer<typeof GroupDetail>;

/** One point of a group's lag history. Rates are records/s since the point before (null for the first). */
export const LagHistoryPoint = z.object({
  at: z.number(),
  totalLag: z.number().nullable(),
  consumeRate: z.number().nullable(),
  produceRate: z.number().nullable(),
});
export type LagHistoryPoint = z.infer<typeof LagHistoryPoint>;

export const GroupLagHistory = z.object({
  groupId: z.string(),
  intervalMs: z.number().int(),
  points: z.array(LagHistoryPoint),
  /** Per partition lag at each point's time (null: not committed / not sampled). */
  partitions: z.array(
    z.object({ topic: z.string(), partition: z.number().int(), lags: z.array(z.number().nullable()) }),
  ),
  /** From the trend of the window: seconds to lag 0, or null and why not. */
  catchUp: z.object({ seconds: z.number().nullable(), reason: z.string() }),
  /** The sampler's last attempt for this group, where it is watched on a live connection. */
  sampling: SamplingState.optional(),
});
export type GroupLagHistory = z.infer<typeof GroupLagHistory>;

export const OffsetResetTarget = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('earliest') }),
  z.strictObject({ kind: z.literal('latest') }),
  z.strictObject({ kind: z.literal('timestamp'), timestamp: z.number().int().nonnegative() }),
  z.strictObject({ kind: z.literal('offset'), offset: Int64String }),
  z.strictObject({ kind: z.literal('shift'), by: Int64String }),
]);
export type OffsetResetTarget = z.infer<typeof OffsetResetTarget>;

export const OffsetResetPlan = z.object({
  groupId: z.string(),
  executed: z.boolean(),
  partitions: z.array(
    z.object({ topic: z.string(), partition: z.number().int(), before: Int64String.nullable(), after: Int64String }),
  ),
});
export type OffsetResetPlan = z.infer<typeof OffsetResetPlan>;
