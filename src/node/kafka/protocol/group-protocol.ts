// The consumer-group requests Eventscope encodes itself, each over the range of versions it
// speaks (the newest that kafkajs 2.2.4 lacks, the flexible ones of KIP-482, and the older
// ones for brokers that have no newer): ListGroups, FindCoordinator, DescribeGroups,
// ConsumerGroupDescribe (KIP-848), OffsetFetch, OffsetCommit, DeleteGroups, and the consumer
// protocol's member assignment that DescribeGroups carries as bytes. Field by field as in
// Kafka's message definitions (clients/src/main/resources/common/message/*.json). Encoders
// return the request body without kafkajs's header; decoders read the response after the
// correlation id and header tags (the sender skips those), every read bounds-checked.
import { ResponseReader } from './flexible-codec.ts';
import { apiRequestWriter, apiResponseReader, minStringBytes, type ApiSpec } from './api-spec.ts';

// An API's versions live in api-spec.ts; re-exported for the callers that import them with the group codecs.
export { isFlexible, negotiateVersion, type ApiSpec } from './api-spec.ts';

export const GROUP_APIS = {
  OffsetCommit: { name: 'OffsetCommit', apiKey: 8, minVersion: 2, maxVersion: 9, flexibleFrom: 8 },
  /** v2+: topics null asks for every committed offset. */
  OffsetFetch: { name: 'OffsetFetch', apiKey: 9, minVersion: 2, maxVersion: 9, flexibleFrom: 6 },
  FindCoordinator: { name: 'FindCoordinator', apiKey: 10, minVersion: 0, maxVersion: 6, flexibleFrom: 3 },
  DescribeGroups: { name: 'DescribeGroups', apiKey: 15, minVersion: 0, maxVersion: 6, flexibleFrom: 5 },
  ListGroups: { name: 'ListGroups', apiKey: 16, minVersion: 0, maxVersion: 5, flexibleFrom: 3 },
  DeleteGroups: { name: 'DeleteGroups', apiKey: 42, minVersion: 0, maxVersion: 2, flexibleFrom: 2 },
  ConsumerGroupDescribe: { name: 'ConsumerGroupDescribe', apiKey: 69, minVersion: 0, maxVersion: 1, flexibleFrom: 0 },
} as const satisfies Record<string, ApiSpec>;

/** OffsetFetch takes many groups in one request from this version on. */
export const OFFSET_FETCH_BATCH_VERSION = 8;
/** FindCoordinator takes many keys in one request from this version on. */
export const FIND_COORDINATOR_BATCH_VERSION = 4;
export const COORDINATOR_KEY_TYPE_GROUP = 0;

// ---------------------------------------------------------------------------------------------
// ListGroups (16)

export interface ListGroupsResponse {
  throttleTimeMs: number;
  errorCode: number;
  /** groupState from v4, groupType from v5; null before. */
  groups: { groupId: string; protocolType: string; groupState: string | null; groupType: string | null }[];
}

export function encodeListGroupsRequest(
  version: number,
  filters: { states?: string[]; types?: string[] } = {},
): Buffer {
  const w = apiRequestWriter(GROUP_APIS.ListGroups, version);
  if (version >= 4) w.array(filters.states ?? [], (s) => w.string(s));
  if (version >= 5) w.array(filters.types ?? [], (t) => w.string(t));
  return w.tags().toBuffer();
}

export function decodeListGroupsResponse(payload: Buffer, version: number): ListGroupsResponse {
  const r = apiResponseReader(GROUP_APIS.ListGroups, version, payload);
  const throttleTimeMs = version >= 1 ? r.int32('throttle_time_ms') : 0;
  const errorCode = r.int16('error_code');
  const groups = r.array('groups', 2 * minStringBytes(r), () => {
    const groupId = r.string('a group id');
    const protocolType = r.string('a protocol type');
    const groupState = version >= 4 ? r.string('a group state') : null;
    const groupType = version >= 5 ? r.string('a group type') : null;
    r.tags();
    return { groupId, protocolType, groupState, groupType };
  });
  r.tags();
  r.end();
  return { throttleTimeMs, errorCode, groups };
}

// ---------------------------------------------------------------------------------------------
// FindCoordinator (10)

export interface FoundCoordinator {
  key: string;
  nodeId: number;
  host: string;
  port: number;
  errorCode: number;
  errorMessage: string | null;
}

/** keys: one key before v4, any number from v4 (FIND_COORDINATOR_BATCH_VERSION). */
export function encodeFindCoordinatorRequest(
  version: number,
  keys: string[],
  keyType: number = COORDINATOR_KEY_TYPE_GROUP,
): Buffer {
  const w = apiRequestWriter(GROUP_APIS.FindCoordinator, version);
  if (version < FIND_COORDINATOR_BATCH_VERSION) {
    if (keys.length !== 1) throw new RangeError(`FindCoordinator v${version} takes one key, not ${keys.length}`);
    w.string(keys[0]!);
  }
  if (version >= 1) w.int8(keyType);
  if (version >= FIND_COORDINATOR_BATCH_VERSION) w.array(keys, (k) => w.string(k));
  return w.tags().toBuffer();
}

/** keys: what was asked (before v4 the answer does not repeat its one key). */
export function decodeFindCoordinatorResponse(
  payload: Buffer,
  version: number,
  keys: string[],
): { throttleTimeMs: number; coordinators: FoundCoordinator[] } {
  const r = apiResponseReader(GROUP_APIS.FindCoordinator, version, payload);
  const throttleTimeMs = version >= 1 ? r.int32('throttle_time_ms') : 0;
  let coordinators: FoundCoordinator[];
  if (version < FIND_COORDINATOR_BATCH_VERSION) {
    const errorCode = r.int16('error_code');
    const errorMessage = version >= 1 ? r.nullableString('error_message') : null;
    const nodeId = r.int32('node_id');
    const host = r.string('host');
    const port = r.int32('port');
    coordinators = [{ key: keys[0] ?? '', nodeId, host, port, errorCode, errorMessage }];
  } else {
    coordinators = r.array('coordinators', 1 + 4 + 1 + 4 + 2 + 1 + 1, () => {
      const key = r.string('a coordinator key');
      const nodeId = r.int32('node_id');
      const host = r.string('host');
      const port = r.int32('port');
      const errorCode = r.int16('error_code');
      const errorMessage = r.nullableString('error_message');
      r.tags();
      return { key, nodeId, host, port, errorCode, errorMessage };
    });
  }
  r.tags();
  r.end();
  return { throttleTimeMs, coordinators };
}

// ---------------------------------------------------------------------------------------------
// DescribeGroups (15): classic groups

export interface DescribedClassicMember {
  memberId: string;
  groupInstanceId: string | null;
  clientId: string;
  clientHost: string;
  memberMetadata: Buffer;
  memberAssignment: Buffer;
}

export interface DescribedClassicGroup {
  errorCode: number;
  errorMessage: string | null;
  groupId: string;
  groupState: string;
  protocolType: string;
  /** The protocol the group chose (the assignor, for consumers). */
  protocolData: string;
  members: DescribedClassicMember[];
  authorizedOperations: number | null;
}

export function encodeDescribeGroupsRequest(version: number, groupIds: string[]): Buffer {
  const w = apiRequestWriter(GROUP_APIS.DescribeGroups, version);
  w.array(groupIds, (g) => w.string(g));
  if (version >= 3) w.bool(false); // include_authorized_operations
  return w.tags().toBuffer();
}

export function decodeDescribeGroupsResponse(
  payload: Buffer,
  version: number,
): { throttleTimeMs: number; groups: DescribedClassicGroup[] } {
  const r = apiResponseReader(GROUP_APIS.DescribeGroups, version, payload);
  const throttleTimeMs = version >= 1 ? r.int32('throttle_time_ms') : 0;
  const s = minStringBytes(r);
  const groups = r.array('groups', 2 + 4 * s + (r.flexible ? 1 : 4), () => {
    const errorCode = r.int16('error_code');
    const errorMessage = version >= 6 ? r.nullableString('error_message') : null;
    const groupId = r.string('a group id');
    const groupState = r.string('a group state');
    const protocolType = r.string('a protocol type');
    const protocolData = r.string('protocol data');
    const members = r.array('members', 3 * s + (r.flexible ? 2 : 8), () => {
      const memberId = r.string('a member id');
      const groupInstanceId = version >= 4 ? r.nullableString('a group instance id') : null;
      const clientId = r.string('a client id');
      const clientHost = r.string('a client host');
      const memberMetadata = r.bytes('member metadata');
      const memberAssignment = r.bytes('a member assignment');
      r.tags();
      return { memberId, groupInstanceId, clientId, clientHost, memberMetadata, memberAssignment };
    });
    const authorizedOperations = version >= 3 ? r.int32('authorized_operations') : null;
    r.tags();
    return { errorCode, errorMessage, groupId, groupState, protocolType, protocolData, members, authorizedOperations };
  });
  r.tags();
  r.end();
  return { throttleTimeMs, groups };
}

// ---------------------------------------------------------------------------------------------
// ConsumerGroupDescribe (69): KIP-848 consumer groups (always flexible)

export interface ConsumerGroupTopicPartitions {
  topicId: Buffer;
  topicName: string;
  partitions: number[];
}

export interface DescribedConsumerMember {
  memberId: string;
  instanceId: string | null;
  rackId: string | null;
  memberEpoch: number;
  clientId: string;
  clientHost: string;
  subscribedTopicNames: string[];
  subscribedTopicRegex: string | null;
  assignment: ConsumerGroupTopicPartitions[];
  targetAssignment: ConsumerGroupTopicPartitions[];
  /** v1 (KIP-1099): 1 a consumer-protocol member, 0 a classic member (of a consumer group being upgraded), -1 not said (v0). */
  memberType: number;
}

export interface DescribedConsumerGroup {
  errorCode: number;
  errorMessage: string | null;
  groupId: string;
  groupState: string;
  groupEpoch: number;
  assignmentEpoch: number;
  assignorName: string;
  members: DescribedConsumerMember[];
  authorizedOperations: number;
}

export function encodeConsumerGroupDescribeRequest(version: number, groupIds: string[]): Buffer {
  const w = apiRequestWriter(GROUP_APIS.ConsumerGroupDescribe, version);
  w.array(groupIds, (g) => w.string(g));
  w.bool(false); // include_authorized_operations
  return w.tags().toBuffer();
}

function readAssignment(r: ResponseReader, what: string): ConsumerGroupTopicPartitions[] {
  const topics = r.array(`${what} topics`, 16 + 1 + 1 + 1, () => {
    const topicId = r.uuid('a topic id');
    const topicName = r.string('a topic name');
    const partitions = r.int32Array(`${what} partitions`);
    r.tags();
    return { topicId, topicName, partitions };
  });
  r.tags();
  return topics;
}

export function decodeConsumerGroupDescribeResponse(
  payload: Buffer,
  version: number,
): { throttleTimeMs: number; groups: DescribedConsumerGroup[] } {
  const r = apiResponseReader(GROUP_APIS.ConsumerGroupDescribe, version, payload);
  const throttleTimeMs = r.int32('throttle_time_ms');
  const groups = r.array('groups', 2 + 1 + 1 + 1 + 4 + 4 + 1 + 1 + 4 + 1, () => {
    const errorCode = r.int16('error_code');
    const errorMessage = r.nullableString('error_message');
    const groupId = r.string('a group id');
    const groupState = r.string('a group state');
    const groupEpoch = r.int32('group_epoch');
    const assignmentEpoch = r.int32('assignment_epoch');
    const assignorName = r.string('an assignor name');
    const members = r.array('members', 1 + 1 + 1 + 4 + 1 + 1 + 1 + 1 + 2 + 2 + 1, () => {
      const memberId = r.string('a member id');
      const instanceId = r.nullableString('an instance id');
      const rackId = r.nullableString('a rack id');
      const memberEpoch = r.int32('member_epoch');
      const clientId = r.string('a client id');
      const clientHost = r.string('a client host');
      const subscribedTopicNames = r.array('subscribed topic names', 1, () => r.string('a subscribed topic name'));
      const subscribedTopicRegex = r.nullableString('a subscribed topic regex');
      const assignment = readAssignment(r, 'assignment');
      const targetAssignment = readAssignment(r, 'target assignment');
      const memberType = version >= 1 ? r.int8('member_type') : -1;
      r.tags();
      return {
        memberId,
        instanceId,
        rackId,
        memberEpoch,
        clientId,
        clientHost,
        subscribedTopicNames,
        subscribedTopicRegex,
        assignment,
        targetAssignment,
        memberType,
      };
    });
    const authorizedOperations = r.int32('authorized_operations');
    r.tags();
    return {
      errorCode,
      errorMessage,
      groupId,
      groupState,
      groupEpoch,
      assignmentEpoch,
      assignorName,
      members,
      authorizedOperations,
    };
  });
  r.tags();
  r.end();
  return { throttleTimeMs, groups };
}

// ---------------------------------------------------------------------------------------------
// OffsetFetch (9)

export interface FetchedOffset {
  partition: number;
  /** -1: no committed offset. */
  committedOffset: bigint;
  committedLeaderEpoch: number;
  metadata: string | null;
  errorCode: number;
}

export interface OffsetFetchGroup {
  groupId: string;
  errorCode: number;
  topics: { name: string; partitions: FetchedOffset[] }[];
}

/**
 * groups: one group before v8 (OFFSET_FETCH_BATCH_VERSION), any number from v8. topics null:
 * every committed offset of the group.
 */
export function encodeOffsetFetchRequest(
  version: number,
  groups: { groupId: string; topics: { name: string; partitions: number[] }[] | null }[],
  requireStable = false,
): Buffer {
  const w = apiRequestWriter(GROUP_APIS.OffsetFetch, version);
  const writeTopic = (t: { name: string; partitions: number[] }): void => {
    w.string(t.name);
    w.array(t.partitions, (p) => w.int32(p));
    w.tags();
  };
  if (version < OFFSET_FETCH_BATCH_VERSION) {
    if (groups.length !== 1) throw new RangeError(`OffsetFetch v${version} takes one group, not ${groups.length}`);
    const group = groups[0]!;
    w.string(group.groupId);
    w.nullableArray(group.topics, writeTopic);
  } else {
    w.array(groups, (g) => {
      w.string(g.groupId);
      if (version >= 9) {
        w.nullableString(null); // member_id: not a member
        w.int32(-1); // member_epoch
      }
      w.nullableArray(g.topics, writeTopic);
      w.tags();
    });
  }
  if (version >= 7) w.bool(requireStable);
  return w.tags().toBuffer();
}

/** groupIds: what was asked (before v8 the answer does not name its one group). */
export function decodeOffsetFetchResponse(
  payload: Buffer,
  version: number,
  groupIds: string[],
): { throttleTimeMs: number; groups: OffsetFetchGroup[] } {
  const r = apiResponseReader(GROUP_APIS.OffsetFetch, version, payload);
  const throttleTimeMs = version >= 3 ? r.int32('throttle_time_ms') : 0;
  const s = minStringBytes(r);
  const readPartition = (leaderEpoch: boolean): FetchedOffset => {
    const partition = r.int32('a partition index');
    const committedOffset = r.int64('a committed offset');
    const committedLeaderEpoch = leaderEpoch ? r.int32('a committed leader epoch') : -1;
    const metadata = r.nullableString('offset metadata');
    const errorCode = r.int16('a partition error code');
    r.tags();
    return { partition, committedOffset, committedLeaderEpoch, metadata, errorCode };
  };
  const readTopics = (leaderEpoch: boolean): OffsetFetchGroup['topics'] =>
    r.array('topics', s + (r.flexible ? 2 : 4), () => {
      const name = r.string('a topic name');
      const partitions = r.array('partitions', 4 + 8 + (leaderEpoch ? 4 : 0) + s + 2, () => readPartition(leaderEpoch));
      r.tags();
      return { name, partitions };
    });
  let groups: OffsetFetchGroup[];
  if (version < OFFSET_FETCH_BATCH_VERSION) {
    const topics = readTopics(version >= 5);
    const errorCode = version >= 2 ? r.int16('error_code') : 0;
    groups = [{ groupId: groupIds[0] ?? '', errorCode, topics }];
  } else {
    groups = r.array('groups', 1 + 1 + 2 + 1, () => {
      const groupId = r.string('a group id');
      const topics = readTopics(true);
      const errorCode = r.int16('a group error code');
      r.tags();
      return { groupId, errorCode, topics };
    });
  }
  r.tags();
  r.end();
  return { throttleTimeMs, groups };
}

// ---------------------------------------------------------------------------------------------
// OffsetCommit (8)

export interface OffsetCommitRequest {
  groupId: string;
  /** -1 with memberId '': a standalone commit (Kafka's admin client, for an empty group). */
  generationIdOrMemberEpoch: number;
  memberId: string;
  groupInstanceId: string | null;
  topics: {
    name: string;
    partitions: { partition: number; offset: bigint; leaderEpoch?: number; metadata?: string | null }[];
  }[];
}

export function encodeOffsetCommitRequest(version: number, request: OffsetCommitRequest): Buffer {
  const w = apiRequestWriter(GROUP_APIS.OffsetCommit, version);
  w.string(request.groupId);
  w.int32(request.generationIdOrMemberEpoch);
  w.string(request.memberId);
  if (version >= 7) w.nullableString(request.groupInstanceId);
  if (version <= 4) w.int64(-1n); // retention_time_ms: the broker's default
  w.array(request.topics, (t) => {
    w.string(t.name);
    w.array(t.partitions, (p) => {
      w.int32(p.partition);
      w.int64(p.offset);
      if (version >= 6) w.int32(p.leaderEpoch ?? -1);
      w.nullableString(p.metadata === undefined ? '' : p.metadata);
      w.tags();
    });
    w.tags();
  });
  return w.tags().toBuffer();
}

export function decodeOffsetCommitResponse(
  payload: Buffer,
  version: number,
): { throttleTimeMs: number; topics: { name: string; partitions: { partition: number; errorCode: number }[] }[] } {
  const r = apiResponseReader(GROUP_APIS.OffsetCommit, version, payload);
  const throttleTimeMs = version >= 3 ? r.int32('throttle_time_ms') : 0;
  const topics = r.array('topics', minStringBytes(r) + (r.flexible ? 2 : 4), () => {
    const name = r.string('a topic name');
    const partitions = r.array('partitions', 6, () => {
      const partition = r.int32('a partition index');
      const errorCode = r.int16('an error code');
      r.tags();
      return { partition, errorCode };
    });
    r.tags();
    return { name, partitions };
  });
  r.tags();
  r.end();
  return { throttleTimeMs, topics };
}

// ---------------------------------------------------------------------------------------------
// DeleteGroups (42)

export function encodeDeleteGroupsRequest(version: number, groupIds: string[]): Buffer {
  const w = apiRequestWriter(GROUP_APIS.DeleteGroups, version);
  w.array(groupIds, (g) => w.string(g));
  return w.tags().toBuffer();
}

export function decodeDeleteGroupsResponse(
  payload: Buffer,
  version: number,
): { throttleTimeMs: number; results: { groupId: string; errorCode: number }[] } {
  const r = apiResponseReader(GROUP_APIS.DeleteGroups, version, payload);
  const throttleTimeMs = r.int32('throttle_time_ms');
  const results = r.array('results', minStringBytes(r) + 2, () => {
    const groupId = r.string('a group id');
    const errorCode = r.int16('an error code');
    r.tags();
    return { groupId, errorCode };
  });
  r.tags();
  r.end();
  return { throttleTimeMs, results };
}

// ---------------------------------------------------------------------------------------------
// The consumer protocol's assignment (ConsumerProtocolAssignment v0–v3, never flexible), the
// bytes a classic consumer group's leader hands each member. Later versions only add fields
// at the end, so the ones read here are there in every version and the rest is left unread.

/** source: whose assignment, for errors. */
export function decodeConsumerProtocolAssignment(
  bytes: Buffer,
  source = 'a consumer protocol assignment',
): { version: number; topics: { topic: string; partitions: number[] }[] } {
  const r = new ResponseReader(bytes, source, false);
  const version = r.int16('the assignment version');
  if (version < 0) r.fail(`the assignment has version ${version}`);
  const topics = r.array('assigned topics', 2 + 4, () => ({
    topic: r.string('a topic name'),
    partitions: r.int32Array('assigned partitions'),
  }));
  if (r.remaining > 0) r.nullableBytes('user data');
  return { version, topics };
}
