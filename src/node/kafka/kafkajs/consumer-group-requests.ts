// ConsumerGroupClient on kafkajs's connections: every consumer-group request is one we encode
// ourselves (src/node/kafka/protocol/group-protocol.ts) and send with sendRawRequest, in the newest
// version both sides speak, older ones where the broker has no newer. Groups are found at their
// coordinators (FindCoordinator, all groups in one request from v4) and asked there in
// batches: one ConsumerGroupDescribe + DescribeGroups and one OffsetFetch (v8+: many groups in
// one request) per coordinator, so lag for a thousand groups costs a handful of requests. A
// coordinator that moved or is loading is found again and asked again. Offsets of partitions
// come from ListOffsets per leader (list-offsets.ts), record timestamps from our group-free
// Fetch (record-timestamps.ts). Nothing here joins a group: commits are standalone (generation
// -1, no member id), as Kafka's admin client commits for an empty group.
import { EventscopeError } from '../../../common/contract/errors.ts';
import type { GroupMember, GroupType } from '../../../common/contract/group-dto.ts';
import {
  groupNotFound,
  type CommittedOffset,
  type ConsumerGroupClient,
  type DescribedGroup,
  type ListedGroup,
  type PartitionPosition,
} from '../consumer-groups.ts';
import {
  decodeConsumerGroupDescribeResponse,
  decodeConsumerProtocolAssignment,
  decodeDeleteGroupsResponse,
  decodeDescribeGroupsResponse,
  decodeFindCoordinatorResponse,
  decodeListGroupsResponse,
  decodeOffsetCommitResponse,
  decodeOffsetFetchResponse,
  encodeConsumerGroupDescribeRequest,
  encodeDeleteGroupsRequest,
  encodeDescribeGroupsRequest,
  encodeFindCoordinatorRequest,
  encodeListGroupsRequest,
  encodeOffsetCommitRequest,
  encodeOffsetFetchRequest,
  FIND_COORDINATOR_BATCH_VERSION,
  GROUP_APIS,
  negotiateVersion,
  OFFSET_FETCH_BATCH_VERSION,
  type ApiSpec,
  type DescribedClassicGroup,
  type DescribedConsumerGroup,
  type FoundCoordinator,
  type OffsetFetchGroup,
} from '../protocol/group-protocol.ts';
import { KAFKA_ERROR, KafkaProtocolError, kafkaErrorName } from '../protocol/kafka-error-codes.ts';
import {
  decodeMetadataTopicIdsResponse,
  encodeMetadataTopicIdsRequest,
  METADATA_TOPIC_IDS_API,
  type MetadataTopicIdsResponse,
} from '../protocol/metadata-topic-ids.ts';
import { sleep } from '../../../common/util/sleep.ts';
import { apiVersionsOf, OFFSET_SPEC, type InternalBroker, type InternalCluster } from './internals.ts';
import { findBrokerById, listOffsetsByLeader, partitionKey, type LeaderTopic } from './list-offsets.ts';
import { readTimestampsAt } from './record-timestamps.ts';
import { agreedVersion, sendApiRequest } from './api-request.ts';

/** Tries at a group's coordinator (found again each time) while it answers that it moved or is loading. */
const COORDINATOR_ATTEMPTS = 6;
const COORDINATOR_BACKOFF_MS = [100, 200, 400, 800, 1_000];
/** The coordinator moved, is loading its groups, or is not there yet: find it again and ask again. */
const COORDINATOR_ERRORS: ReadonlySet<number> = new Set([
  KAFKA_ERROR.COORDINATOR_LOAD_IN_PROGRESS,
  KAFKA_ERROR.COORDINATOR_NOT_AVAILABLE,
  KAFKA_ERROR.NOT_COORDINATOR,
]);
/** What a standalone commit (generation -1, no member) gets from a group that has members. */
const LIVE_MEMBER_ERRORS: ReadonlySet<number> = new Set([
  KAFKA_ERROR.UNKNOWN_MEMBER_ID,
  KAFKA_ERROR.ILLEGAL_GENERATION,
  KAFKA_ERROR.REBALANCE_IN_PROGRESS,
  KAFKA_ERROR.FENCED_MEMBER_EPOCH,
  KAFKA_ERROR.STALE_MEMBER_EPOCH,
]);
/** ConsumerGroupDescribe's answer for a group that is not a consumer (KIP-848) group: ask DescribeGroups. */
const NOT_A_CONSUMER_GROUP: ReadonlySet<number> = new Set([
  KAFKA_ERROR.GROUP_ID_NOT_FOUND,
  35 /* UNSUPPORTED_VERSION: the protocol is off */,
]);
/** Groups per describe or offset-fetch request (a thousand groups of a hundred partitions is a few MB). */
const GROUPS_PER_REQUEST = 500;

type Answer<T> = { ok: T } | { retry: number };

const GROUP_TYPES: Record<string, GroupType> = {
  classic: 'classic',
  consumer: 'consumer',
  share: 'share',
  streams: 'streams',
};

export class KafkajsConsumerGroups implements ConsumerGroupClient {
  private readonly cluster: InternalCluster;

  constructor(cluster: InternalCluster) {
    this.cluster = cluster;
  }

  async listGroups(): Promise<ListedGroup[]> {
    const nodeIds = await this.brokerIds();
    const answers = await Promise.all(nodeIds.map((nodeId) => this.listGroupsAt(nodeId)));
    const groups = new Map<string, ListedGroup>();
    const incomplete = new Set<string>();
    for (const answer of answers) {
      for (const { group, complete } of answer) {
        groups.set(group.groupId, group);
        if (complete) incomplete.delete(group.groupId);
        else incomplete.add(group.groupId);
      }
    }
    // Brokers before ListGroups v4 (Kafka 2.6) do not say the state, before v5 (Kafka 4.0) not the type.
    if (incomplete.size > 0) {
      for (const d of await this.describeGroups([...incomplete])) {
        const g = groups.get(d.groupId);
        if (!g || d.notFound) continue;
        if (g.state === '') g.state = d.state;
        if (g.type === 'unknown') g.type = d.type;
      }
    }
    return [...groups.values()].sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  }

  async describeGroups(groupIds: string[]): Promise<DescribedGroup[]> {
    if (groupIds.length === 0) return [];
    const described = await this.atCoordinators(groupIds, 'describing', (broker, nodeId, ids) =>
      this.describeAt(broker, nodeId, ids),
    );
    return groupIds.map((id) => described.get(id)!);
  }

  async committedOffsets(groupIds: string[]): Promise<Map<string, CommittedOffset[]>> {
    const result = new Map<string, CommittedOffset[]>();
    if (groupIds.length === 0) return result;
    const fetched = await this.atCoordinators(groupIds, 'reading the committed offsets of', (broker, _nodeId, ids) =>
      this.offsetFetchAt(broker, ids),
    );
    for (const id of groupIds) result.set(id, fetched.get(id) ?? []);
    return result;
  }

  async latestOffsets(topics: string[]): Promise<Map<string, Map<number, bigint>>> {
    return (await this.offsetsAt(topics, [OFFSET_SPEC.LATEST]))[0]!;
  }

  async earliestOffsets(topics: string[]): Promise<Map<string, Map<number, bigint>>> {
    return (await this.offsetsAt(topics, [OFFSET_SPEC.EARLIEST]))[0]!;
  }

  async offsetsForTime(topics: string[], timestamp: number): Promise<Map<string, Map<number, bigint>>> {
    if (!Number.isSafeInteger(timestamp) || timestamp < 0)
      throw new EventscopeError('INVALID_PARAMS', `${timestamp} is not a time (ms since the epoch).`, 'timestamp');
    const [atTime, latest] = await this.offsetsAt(topics, [timestamp, OFFSET_SPEC.LATEST]);
    for (const [topic, partitions] of atTime!) {
      for (const [partition, offset] of partitions) {
        // -1: no record that late; Kafka's tools (and the Java consumer's reset) take the end.
        if (offset >= 0n) continue;
        const end = latest!.get(topic)?.get(partition);
        if (end === undefined) partitions.delete(partition);
        else partitions.set(partition, end);
      }
    }
    return atTime!;
  }

  async timestampsAt(positions: PartitionPosition[]): Promise<(number | null)[]> {
    if (positions.length === 0) return [];
    return readTimestampsAt(this.cluster, (topics) => this.leadersOf(topics), positions);
  }

  async commitOffsets(groupId: string, offsets: PartitionPosition[]): Promise<void> {
    if (offsets.length === 0) return;
    const byTopic = new Map<string, Map<number, bigint>>();
    for (const o of offsets) {
      if (o.offset < 0n)
        throw new EventscopeError(
          'INVALID_PARAMS',
          `Offset ${o.offset} of ${o.topic}-${o.partition} is negative.`,
          'offsets',
        );
      const partitions = byTopic.get(o.topic) ?? new Map<number, bigint>();
      byTopic.set(o.topic, partitions);
      partitions.set(o.partition, o.offset);
    }
    const topics = [...byTopic].map(([name, partitions]) => ({
      name,
      partitions: [...partitions].map(([partition, offset]) => ({ partition, offset })),
    }));
    await this.atCoordinators([groupId], 'committing the offsets of', async (broker) => {
      const api = GROUP_APIS.OffsetCommit;
      const v = this.version(broker, api);
      const body = encodeOffsetCommitRequest(v, {
        groupId,
        generationIdOrMemberEpoch: -1,
        memberId: '',
        groupInstanceId: null,
        topics,
      });
      const response = await this.send(broker, api, v, body, (p) => decodeOffsetCommitResponse(p, v));
      const failed = new Map<number, string[]>();
      for (const t of response.topics) {
        for (const p of t.partitions) {
          if (p.errorCode === 0) continue;
          if (COORDINATOR_ERRORS.has(p.errorCode)) return new Map([[groupId, { retry: p.errorCode }]]);
          failed.set(p.errorCode, [...(failed.get(p.errorCode) ?? []), `${t.name}-${p.partition}`]);
        }
      }
      const [first] = failed;
      if (first) {
        const [code, partitions] = first;
        const where = listed(partitions);
        if (code === KAFKA_ERROR.UNKNOWN_TOPIC_OR_PARTITION) {
          throw new EventscopeError(
            'UNKNOWN_TOPIC',
            `Cannot commit offsets of group "${groupId}" for ${where}: Kafka answered ${kafkaErrorName(code)} (the topic or partition does not exist).`,
          );
        }
        if (LIVE_MEMBER_ERRORS.has(code)) {
          throw new EventscopeError(
            'GROUP_NOT_EMPTY',
            `Kafka refused to move the offsets of group "${groupId}" (${kafkaErrorName(code)} for ${where}): the group has active members. Stop its consumers first; offsets can only be set for an empty group.`,
          );
        }
        throw new KafkaProtocolError(code, `committing the offsets of group "${groupId}" for ${where}`);
      }
      return new Map([[groupId, { ok: true }]]);
    });
  }

  async deleteGroup(groupId: string): Promise<void> {
    await this.atCoordinators([groupId], 'deleting', async (broker) => {
      const api = GROUP_APIS.DeleteGroups;
      const v = this.version(broker, api);
      const response = await this.send(broker, api, v, encodeDeleteGroupsRequest(v, [groupId]), (p) =>
        decodeDeleteGroupsResponse(p, v),
      );
      const result = response.results.find((r) => r.groupId === groupId);
      if (!result) return new Map();
      if (result.errorCode === 0) return new Map([[groupId, { ok: true }]]);
      if (COORDINATOR_ERRORS.has(result.errorCode)) return new Map([[groupId, { retry: result.errorCode }]]);
      if (result.errorCode === KAFKA_ERROR.NON_EMPTY_GROUP)
        throw new EventscopeError('GROUP_NOT_EMPTY', `Group "${groupId}" still has members; stop them first.`);
      if (result.errorCode === KAFKA_ERROR.GROUP_ID_NOT_FOUND)
        throw new EventscopeError('NOT_FOUND', `Group "${groupId}" does not exist (it may have been deleted already).`);
      throw new KafkaProtocolError(result.errorCode, `deleting group "${groupId}"`);
    });
  }

  async topicIds(topics: string[]): Promise<Map<string, string | null>> {
    const result = new Map<string, string | null>(topics.map((t) => [t, null]));
    if (topics.length === 0) return result;
    const broker = await this.cluster.anyBroker();
    const v = negotiateVersion(METADATA_TOPIC_IDS_API, this.versionsOf(broker));
    if (v === null) return result; // before Kafka 2.8: no topic IDs on the wire
    const md = await this.metadata(broker, v, [...result.keys()]);
    for (const t of md.topics)
      if (t.name !== null && t.errorCode === 0 && result.has(t.name)) result.set(t.name, t.topicId);
    return result;
  }

  // ------------------------------------------------------------------------------------------

  private versionsOf(broker: InternalBroker) {
    return apiVersionsOf(broker) ?? this.cluster.apiVersions();
  }

  private version(broker: InternalBroker, api: ApiSpec): number {
    return agreedVersion(api, this.versionsOf(broker), 'The broker', 'for consumer groups (Kafka 0.11 or newer)');
  }

  private send<T>(broker: InternalBroker, api: ApiSpec, version: number, body: Buffer, decode: (payload: Buffer) => T) {
    return sendApiRequest(broker, api, version, body, decode);
  }

  private async metadata(broker: InternalBroker, version: number, topics: string[]): Promise<MetadataTopicIdsResponse> {
    const api = METADATA_TOPIC_IDS_API;
    const md = await this.send(broker, api, version, encodeMetadataTopicIdsRequest(version, topics), (p) =>
      decodeMetadataTopicIdsResponse(p, version),
    );
    if (md.errorCode !== 0) throw new KafkaProtocolError(md.errorCode, 'reading metadata');
    return md;
  }

  /** Every broker of the cluster (ListGroups is answered per coordinator). */
  private async brokerIds(): Promise<number[]> {
    const broker = await this.cluster.anyBroker();
    const v = negotiateVersion(METADATA_TOPIC_IDS_API, this.versionsOf(broker));
    const brokers = v !== null ? (await this.metadata(broker, v, [])).brokers : (await this.cluster.metadata()).brokers;
    return brokers.map((b) => b.nodeId);
  }

  /** The partitions' leaders of these topics; topics that do not exist are left out. */
  private async leadersOf(topics: string[]): Promise<LeaderTopic[]> {
    const unique = [...new Set(topics)];
    if (unique.length === 0) return [];
    const broker = await this.cluster.anyBroker();
    const v = negotiateVersion(METADATA_TOPIC_IDS_API, this.versionsOf(broker));
    if (v !== null) {
      const md = await this.metadata(broker, v, unique);
      return md.topics
        .filter((t) => t.errorCode === 0 && t.name !== null)
        .map((t) => ({
          topic: t.name!,
          partitionMetadata: t.partitions.map((p) => ({ partitionId: p.partition, leader: p.leader })),
        }));
    }
    // kafkajs's Metadata fails (after retries) for a topic that does not exist: ask for all.
    const wanted = new Set(unique);
    return (await this.cluster.metadata()).topicMetadata.filter((t) => wanted.has(t.topic));
  }

  private async offsetsAt(topics: string[], specs: number[]): Promise<Map<string, Map<number, bigint>>[]> {
    const leaders = await this.leadersOf(topics);
    const answers =
      leaders.length === 0
        ? specs.map(() => new Map<string, string>())
        : await listOffsetsByLeader(this.cluster, leaders, specs);
    return answers.map((answer) => {
      const out = new Map<string, Map<number, bigint>>();
      for (const t of leaders) {
        const partitions = new Map<number, bigint>();
        for (const p of [...t.partitionMetadata].sort((a, b) => a.partitionId - b.partitionId)) {
          const offset = answer.get(partitionKey(t.topic, p.partitionId));
          if (offset !== undefined) partitions.set(p.partitionId, BigInt(offset));
        }
        out.set(t.topic, partitions);
      }
      return out;
    });
  }

  private async listGroupsAt(nodeId: number): Promise<{ group: ListedGroup; complete: boolean }[]> {
    const api = GROUP_APIS.ListGroups;
    for (let attempt = 0; ; attempt++) {
      const broker = await findBrokerById(this.cluster, nodeId);
      const v = this.version(broker, api);
      const response = await this.send(broker, api, v, encodeListGroupsRequest(v), (p) =>
        decodeListGroupsResponse(p, v),
      );
      if (COORDINATOR_ERRORS.has(response.errorCode) && attempt + 1 < COORDINATOR_ATTEMPTS) {
        await sleep(backoff(attempt));
        continue;
      }
      if (response.errorCode !== 0)
        throw new KafkaProtocolError(response.errorCode, `listing the groups of broker ${nodeId}`);
      // Before v5 the type is not said; a broker without ConsumerGroupDescribe has classic groups only.
      const typeKnown = v >= 5 || negotiateVersion(GROUP_APIS.ConsumerGroupDescribe, this.versionsOf(broker)) === null;
      return response.groups.map((g) => {
        const type: GroupType =
          g.groupType !== null
            ? (GROUP_TYPES[g.groupType.toLowerCase()] ?? 'unknown')
            : typeKnown
              ? 'classic'
              : 'unknown';
        return {
          group: {
            groupId: g.groupId,
            type,
            protocolType: g.protocolType,
            state: g.groupState ?? '',
            coordinator: nodeId,
          },
          complete: g.groupState !== null && typeKnown,
        };
      });
    }
  }

  /** Each group's coordinator, all groups in one FindCoordinator (v4+) or one request per group. */
  private async findCoordinators(groupIds: string[]): Promise<Map<string, number>> {
    const found = new Map<string, number>();
    let pending = [...new Set(groupIds)];
    let lastError: number = KAFKA_ERROR.COORDINATOR_NOT_AVAILABLE;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) {
        if (attempt >= COORDINATOR_ATTEMPTS)
          throw new KafkaProtocolError(lastError, `finding the coordinator of group "${pending[0]}"`);
        await sleep(backoff(attempt - 1));
      }
      const broker = await this.cluster.anyBroker();
      const api = GROUP_APIS.FindCoordinator;
      const v = this.version(broker, api);
      const ask = async (keys: string[]): Promise<FoundCoordinator[]> =>
        (
          await this.send(broker, api, v, encodeFindCoordinatorRequest(v, keys), (p) =>
            decodeFindCoordinatorResponse(p, v, keys),
          )
        ).coordinators;
      const answers =
        v >= FIND_COORDINATOR_BATCH_VERSION
          ? await ask(pending)
          : (await Promise.all(pending.map((id) => ask([id])))).flat();
      for (const c of answers) {
        if (c.errorCode === 0) found.set(c.key, c.nodeId);
        else if (COORDINATOR_ERRORS.has(c.errorCode)) lastError = c.errorCode;
        else throw new KafkaProtocolError(c.errorCode, `finding the coordinator of group "${c.key}"`);
      }
      pending = pending.filter((id) => !found.has(id));
    }
    return found;
  }

  /**
   * Asks each coordinator about its groups (ask: one batch per coordinator). Groups it answers
   * with a coordinator error (moved, loading) have their coordinator found again and are asked
   * again, with backoff, a few times.
   */
  private async atCoordinators<T>(
    groupIds: string[],
    what: string,
    ask: (broker: InternalBroker, nodeId: number, ids: string[]) => Promise<Map<string, Answer<T>>>,
  ): Promise<Map<string, T>> {
    const results = new Map<string, T>();
    let pending = [...new Set(groupIds)];
    let lastError: number = KAFKA_ERROR.COORDINATOR_NOT_AVAILABLE;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 0) {
        if (attempt >= COORDINATOR_ATTEMPTS) throw new KafkaProtocolError(lastError, `${what} group "${pending[0]}"`);
        await sleep(backoff(attempt - 1));
      }
      const coordinators = await this.findCoordinators(pending);
      const byNode = new Map<number, string[]>();
      for (const id of pending) {
        const nodeId = coordinators.get(id)!;
        const ids = byNode.get(nodeId) ?? [];
        byNode.set(nodeId, ids);
        ids.push(id);
      }
      const again: string[] = [];
      await Promise.all(
        [...byNode].map(async ([nodeId, ids]) => {
          const broker = await findBrokerById(this.cluster, nodeId);
          const answers = await ask(broker, nodeId, ids);
          for (const id of ids) {
            const answer = answers.get(id);
            if (answer && 'ok' in answer) results.set(id, answer.ok);
            else {
              again.push(id);
              if (answer) lastError = answer.retry;
            }
          }
        }),
      );
      pending = again;
    }
    return results;
  }

  /** KIP-848 consumer groups with ConsumerGroupDescribe (where the broker has it), the rest (classic, unknown) with DescribeGroups. */
  private async describeAt(
    broker: InternalBroker,
    nodeId: number,
    ids: string[],
  ): Promise<Map<string, Answer<DescribedGroup>>> {
    const out = new Map<string, Answer<DescribedGroup>>();
    const cv = negotiateVersion(GROUP_APIS.ConsumerGroupDescribe, this.versionsOf(broker));
    if (cv !== null) {
      const api = GROUP_APIS.ConsumerGroupDescribe;
      const responses = await Promise.all(
        chunks(ids, GROUPS_PER_REQUEST).map((chunk) =>
          this.send(broker, api, cv, encodeConsumerGroupDescribeRequest(cv, chunk), (p) =>
            decodeConsumerGroupDescribeResponse(p, cv),
          ),
        ),
      );
      for (const g of responses.flatMap((r) => r.groups)) {
        if (g.errorCode === 0) out.set(g.groupId, { ok: fromConsumerGroup(g, nodeId) });
        else if (COORDINATOR_ERRORS.has(g.errorCode)) out.set(g.groupId, { retry: g.errorCode });
        else if (!NOT_A_CONSUMER_GROUP.has(g.errorCode))
          throw new KafkaProtocolError(g.errorCode, `describing group "${g.groupId}"`);
      }
    }
    const classic = ids.filter((id) => !out.has(id));
    if (classic.length === 0) return out;
    const api = GROUP_APIS.DescribeGroups;
    const dv = this.version(broker, api);
    const responses = await Promise.all(
      chunks(classic, GROUPS_PER_REQUEST).map((chunk) =>
        this.send(broker, api, dv, encodeDescribeGroupsRequest(dv, chunk), (p) => decodeDescribeGroupsResponse(p, dv)),
      ),
    );
    for (const g of responses.flatMap((r) => r.groups)) {
      if (COORDINATOR_ERRORS.has(g.errorCode)) out.set(g.groupId, { retry: g.errorCode });
      else if (g.errorCode === KAFKA_ERROR.GROUP_ID_NOT_FOUND || (g.errorCode === 0 && g.groupState === 'Dead'))
        out.set(g.groupId, { ok: groupNotFound(g.groupId, nodeId) });
      else if (g.errorCode !== 0) throw new KafkaProtocolError(g.errorCode, `describing group "${g.groupId}"`);
      else out.set(g.groupId, { ok: fromClassicGroup(g, nodeId) });
    }
    return out;
  }

  /** Every committed offset of these groups at their coordinator: one OffsetFetch for many groups (v8+), else one per group, all at once. */
  private async offsetFetchAt(broker: InternalBroker, ids: string[]): Promise<Map<string, Answer<CommittedOffset[]>>> {
    const api = GROUP_APIS.OffsetFetch;
    const v = this.version(broker, api);
    const ask = async (chunk: string[]): Promise<OffsetFetchGroup[]> => {
      const body = encodeOffsetFetchRequest(
        v,
        chunk.map((groupId) => ({ groupId, topics: null })),
      );
      return (await this.send(broker, api, v, body, (p) => decodeOffsetFetchResponse(p, v, chunk))).groups;
    };
    const groups = (
      await Promise.all(
        (v >= OFFSET_FETCH_BATCH_VERSION ? chunks(ids, GROUPS_PER_REQUEST) : ids.map((id) => [id])).map(ask),
      )
    ).flat();
    const out = new Map<string, Answer<CommittedOffset[]>>();
    for (const g of groups) {
      const retry = [g.errorCode, ...g.topics.flatMap((t) => t.partitions.map((p) => p.errorCode))].find((code) =>
        COORDINATOR_ERRORS.has(code),
      );
      if (retry !== undefined) {
        out.set(g.groupId, { retry });
        continue;
      }
      if (g.errorCode !== 0)
        throw new KafkaProtocolError(g.errorCode, `reading the committed offsets of group "${g.groupId}"`);
      const offsets: CommittedOffset[] = [];
      for (const t of g.topics) {
        for (const p of t.partitions) {
          if (p.errorCode !== 0)
            throw new KafkaProtocolError(
              p.errorCode,
              `reading the committed offset of group "${g.groupId}" on ${t.name}-${p.partition}`,
            );
          offsets.push({
            topic: t.name,
            partition: p.partition,
            offset: p.committedOffset < 0n ? null : p.committedOffset,
          });
        }
      }
      offsets.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
      out.set(g.groupId, { ok: offsets });
    }
    return out;
  }
}

function backoff(attempt: number): number {
  return COORDINATOR_BACKOFF_MS[Math.min(attempt, COORDINATOR_BACKOFF_MS.length - 1)]!;
}

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

function listed(partitions: string[]): string {
  return partitions.length <= 10
    ? partitions.join(', ')
    : `${partitions.slice(0, 10).join(', ')} and ${partitions.length - 10} more`;
}

/** The broker writes a client's address as Java's InetAddress.toString() does: "/10.0.0.7" (no host name). */
function clientHost(host: string): string {
  return host.startsWith('/') ? host.slice(1) : host;
}

function sortedAssignments(topics: { topic: string; partitions: number[] }[]): GroupMember['assignments'] {
  const merged = new Map<string, Set<number>>();
  for (const t of topics) {
    const set = merged.get(t.topic) ?? new Set<number>();
    merged.set(t.topic, set);
    for (const p of t.partitions) set.add(p);
  }
  return [...merged]
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([topic, partitions]) => ({ topic, partitions: [...partitions].sort((a, b) => a - b) }));
}

function fromConsumerGroup(g: DescribedConsumerGroup, coordinator: number): DescribedGroup {
  return {
    groupId: g.groupId,
    type: 'consumer',
    protocolType: 'consumer',
    state: g.groupState,
    notFound: false,
    coordinator,
    assignor: g.assignorName === '' ? null : g.assignorName,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      instanceId: m.instanceId,
      clientId: m.clientId,
      host: clientHost(m.clientHost),
      assignments: sortedAssignments(m.assignment.map((a) => ({ topic: a.topicName, partitions: a.partitions }))),
    })),
  };
}

function fromClassicGroup(g: DescribedClassicGroup, coordinator: number): DescribedGroup {
  return {
    groupId: g.groupId,
    type: 'classic',
    protocolType: g.protocolType,
    state: g.groupState,
    notFound: false,
    coordinator,
    assignor: g.protocolData === '' ? null : g.protocolData,
    members: g.members.map((m) => ({
      memberId: m.memberId,
      instanceId: m.groupInstanceId,
      clientId: m.clientId,
      host: clientHost(m.clientHost),
      // Only consumers' assignments are in the consumer protocol (Connect's are not); a member
      // between a rebalance and its assignment has none yet.
      assignments:
        g.protocolType === 'consumer' && m.memberAssignment.length > 0
          ? sortedAssignments(
              decodeConsumerProtocolAssignment(
                m.memberAssignment,
                `the assignment of member ${m.memberId} of group "${g.groupId}"`,
              ).topics,
            )
          : [],
    })),
  };
}
