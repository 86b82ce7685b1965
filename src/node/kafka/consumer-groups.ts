// What Eventscope asks of a cluster about consumer groups: listing and describing them (every
// group type), their committed offsets, and — on writable connections only, checked by the
// caller — moving or deleting them. Nothing here joins a group: offsets are read with
// OffsetFetch and written with a standalone OffsetCommit (generation -1), as Kafka's admin
// client does for an empty group.
import type { GroupMember, GroupType } from '../../common/contract/group-dto.ts';

export interface ListedGroup {
  groupId: string;
  type: GroupType;
  protocolType: string;
  state: string;
  coordinator: number | null;
}

export interface DescribedGroup {
  groupId: string;
  type: GroupType;
  protocolType: string;
  /** "Dead" with notFound: true for a group the coordinator does not know (deleted, or never existed). */
  state: string;
  notFound: boolean;
  coordinator: number | null;
  assignor: string | null;
  members: GroupMember[];
}

/**
 * How a group nobody knows is described (the coordinator's answer for a deleted or never-made
 * group, and a capture's for a group it holds nothing of): one shape, so the app shows both alike.
 */
export function groupNotFound(groupId: string, coordinator: number | null): DescribedGroup {
  return {
    groupId,
    type: 'unknown',
    protocolType: '',
    state: 'Dead',
    notFound: true,
    coordinator,
    assignor: null,
    members: [],
  };
}

export interface CommittedOffset {
  topic: string;
  partition: number;
  /** null: the group has no committed offset for this partition. */
  offset: bigint | null;
}

export interface PartitionPosition {
  topic: string;
  partition: number;
  offset: bigint;
}

export interface ConsumerGroupClient {
  listGroups(): Promise<ListedGroup[]>;
  /** In the order asked; unknown groups come back with notFound: true. */
  describeGroups(groupIds: string[]): Promise<DescribedGroup[]>;
  /** Every committed offset of each group (all topics), keyed by group id. */
  committedOffsets(groupIds: string[]): Promise<Map<string, CommittedOffset[]>>;
  /** The log-end offset (high watermark, read_uncommitted, as Kafka's tools show it) of every partition of these topics. */
  latestOffsets(topics: string[]): Promise<Map<string, Map<number, bigint>>>;
  /** The earliest offsets of every partition of these topics. */
  earliestOffsets(topics: string[]): Promise<Map<string, Map<number, bigint>>>;
  /** Per partition, the first offset whose timestamp is at or after `timestamp` (the latest offset where none is). */
  offsetsForTime(topics: string[], timestamp: number): Promise<Map<string, Map<number, bigint>>>;
  /** The timestamp of the record at (or first after) each position, read without joining a group; null where there is none. */
  timestampsAt(positions: PartitionPosition[]): Promise<(number | null)[]>;
  /** Commits offsets for an empty group (standalone commit, generation -1); the broker refuses a group with members. */
  commitOffsets(groupId: string, offsets: PartitionPosition[]): Promise<void>;
  deleteGroup(groupId: string): Promise<void>;
  /** Kafka's topic ID (UUID, base64url as Kafka prints it) of each topic; null where the broker predates topic IDs. */
  topicIds(topics: string[]): Promise<Map<string, string | null>>;
}
