// The field schemas the contract's methods share, named once: a topic name means the same
// (and fails with the same message) in topics.describe, groups.resetOffsets and topics.delete.
// Params use these; results keep plain types (the host produced them, nothing to limit).
import { z } from 'zod';

/** A non-negative int64 (or -1 where Kafka uses it for "none") as a decimal string. */
export const Int64String = z.string().regex(/^-?\d{1,19}$/, 'must be a decimal integer string');

/** Kafka's longest topic name. */
export const TOPIC_NAME_MAX = 249;
/** An existing topic's name (a new one is checked harder: topic-admin-dto.ts NewTopicName). */
export const TopicName = z.string().min(1, 'name the topic').max(TOPIC_NAME_MAX);

/** A saved connection's id, or an opened capture's (the same place in every call). */
export const ConnectionId = z.string().min(1).max(64);

/** Kafka allows group ids up to a short string's length. */
export const GroupId = z.string().min(1).max(32_767);

export const PartitionNumber = z.number().int().nonnegative();
/** Some partitions of a topic (at most 10,000 named in one call). */
export const PartitionList = z.array(PartitionNumber).max(10_000);

/** Per partition (its number as the key) an offset: where reads resume, page or stop. */
export const OffsetsByPartition = z.record(z.string().regex(/^\d+$/), Int64String);

/** A path on the host's disk. */
export const FilePath = z.string().min(1).max(4096);
