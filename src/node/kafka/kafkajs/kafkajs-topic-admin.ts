// TopicAdminClient on kafkajs's connections: each request is one we encode ourselves
// (protocol/topic-admin-protocol.ts) and send with sendRawRequest on the internal Cluster's
// broker connections (so SASL, TLS and reconnects stay kafkajs's), in the newest version both
// sides speak. Not kafkajs's admin client: its answers drop the broker's error message, its
// createTopics answers "false" for a topic that exists and its alterConfigs replaces every
// config of the topic; and it opens a second set of connections. Nothing here joins a group
// or opens a consumer. CreateTopics, CreatePartitions, DeleteTopics and IncrementalAlterConfigs
// go to the controller Metadata names (with KRaft, any broker, which forwards), again to a new
// one on NOT_CONTROLLER; DeleteRecords goes to each partition's leader, again after a leader
// moved. A change that was made is waited for in metadata (new partitions with leaders, a
// deleted topic gone) so that the caller's next read sees it.
import { EventscopeError } from '../../../common/contract/errors.ts';
import { sleep } from '../../../common/util/sleep.ts';
import { unknownTopicError } from '../errors.ts';
import { negotiateVersion, type ApiSpec } from '../protocol/group-protocol.ts';
import { kafkaErrorCodeByName, kafkaErrorName } from '../protocol/kafka-error-codes.ts';
import {
  decodeMetadataTopicIdsResponse,
  encodeMetadataTopicIdsRequest,
  METADATA_TOPIC_IDS_API,
  type MetadataTopicId,
} from '../protocol/metadata-topic-ids.ts';
import {
  CONFIG_OPERATION,
  CONFIG_RESOURCE_TOPIC,
  CREATE_TOPICS_DEFAULTS_VERSION,
  decodeCreatePartitionsResponse,
  decodeCreateTopicsResponse,
  decodeDeleteRecordsResponse,
  decodeDeleteTopicsResponse,
  decodeIncrementalAlterConfigsResponse,
  encodeCreatePartitionsRequest,
  encodeCreateTopicsRequest,
  encodeDeleteRecordsRequest,
  encodeDeleteTopicsRequest,
  encodeIncrementalAlterConfigsRequest,
  TOPIC_ADMIN_APIS,
} from '../protocol/topic-admin-protocol.ts';
import {
  topicAdminError,
  type CreatedTopic,
  type NewTopic,
  type TopicAdminClient,
  type TopicAdminField,
  type TopicConfigChange,
} from '../topic-admin.ts';
import { apiVersionsOf, type InternalBroker, type InternalCluster } from './internals.ts';
import { findBrokerById } from './list-offsets.ts';
import { CONFIG_SOURCES } from '../protocol/config-sources.ts';
import { agreedVersion, sendApiRequest } from './api-request.ts';

/** How long the broker may take over a request (its timeout_ms), and how long we wait for its answer. */
const BROKER_TIMEOUT_MS = 25_000;
const REQUEST_TIMEOUT_MS = 35_000;
/** Tries at the controller or a leader while it answers that it is not (any more). */
const ATTEMPTS = 6;
const BACKOFF_MS = [100, 200, 400, 800, 1_000];
/** How long a change that was made is waited for in metadata before the call returns anyway. */
const SETTLE_MS = 10_000;
const SETTLE_POLL_MS = 150;

/** Answers that mean "ask again, elsewhere or a little later". */
const RETRY_CODES: ReadonlySet<string> = new Set([
  'NOT_CONTROLLER',
  'NOT_LEADER_OR_FOLLOWER',
  'LEADER_NOT_AVAILABLE',
  'REQUEST_TIMED_OUT',
  'THROTTLING_QUOTA_EXCEEDED',
  'BROKER_NOT_AVAILABLE',
]);

const LEADER_NOT_AVAILABLE = kafkaErrorCodeByName('LEADER_NOT_AVAILABLE')!;

interface ClusterState {
  controllerId: number;
  topics: MetadataTopicId[];
}

type Attempt<T> = { ok: T } | { retry: number };

export class KafkajsTopicAdmin implements TopicAdminClient {
  private readonly cluster: InternalCluster;
  private readonly target: string;

  constructor(cluster: InternalCluster, target: string) {
    this.cluster = cluster;
    this.target = target;
  }

  async createTopic(topic: NewTopic, { validateOnly }: { validateOnly: boolean }): Promise<CreatedTopic> {
    const api = TOPIC_ADMIN_APIS.CreateTopics;
    const context = { topic: topic.topic, target: this.target, action: 'create' };
    const result = await this.atController(api, async (broker, v) => {
      if (v < CREATE_TOPICS_DEFAULTS_VERSION && (topic.partitions === null || topic.replicationFactor === null)) {
        throw new EventscopeError(
          'INVALID_PARAMS',
          `${this.target} is older than Kafka 2.4 and has no default partition count or replication factor for new topics: give both.`,
          topic.partitions === null ? 'partitions' : 'replicationFactor',
        );
      }
      const body = encodeCreateTopicsRequest(v, {
        topics: [
          {
            name: topic.topic,
            numPartitions: topic.partitions ?? -1,
            replicationFactor: topic.replicationFactor ?? -1,
            configs: topic.configs,
          },
        ],
        timeoutMs: BROKER_TIMEOUT_MS,
        validateOnly,
      });
      const response = await this.send(broker, api, v, body, (p) => decodeCreateTopicsResponse(p, v));
      const answer = this.resultFor(api, topic.topic, response.topics, 'name');
      return this.judge(answer.errorCode, answer, {
        ...context,
        brokerMessage: answer.errorMessage,
        ...fieldOfCreateError(answer.errorMessage),
      });
    });
    const created: CreatedTopic = {
      topic: topic.topic,
      topicId: validateOnly ? null : result.topicId,
      partitions: result.numPartitions,
      replicationFactor: result.replicationFactor,
      configs:
        result.configs
          ?.map((c) => ({
            name: c.name,
            value: c.isSensitive ? null : c.value,
            source: CONFIG_SOURCES[c.configSource] ?? `source ${c.configSource}`,
            readOnly: c.readOnly,
            sensitive: c.isSensitive,
          }))
          .sort((a, b) => a.name.localeCompare(b.name)) ?? null,
    };
    if (validateOnly) return created;
    // Until its partitions have leaders, reading the new topic fails.
    const settled = await this.settle([topic.topic], (state) => {
      const t = state.topics.find((x) => x.name === topic.topic);
      return (
        t !== undefined &&
        t.errorCode === 0 &&
        t.partitions.length > 0 &&
        t.partitions.every((p) => p.leader >= 0) &&
        (created.partitions < 0 || t.partitions.length === created.partitions)
      );
    });
    const t = settled?.topics.find((x) => x.name === topic.topic);
    return {
      ...created,
      topicId: created.topicId ?? t?.topicId ?? null,
      partitions: created.partitions >= 0 ? created.partitions : (t?.partitions.length ?? -1),
    };
  }

  async alterTopicConfigs(
    topic: string,
    changes: TopicConfigChange[],
    { validateOnly }: { validateOnly: boolean },
  ): Promise<void> {
    const api = TOPIC_ADMIN_APIS.IncrementalAlterConfigs;
    const context = { topic, target: this.target, action: 'change the configs of', field: 'changes' as const };
    await this.atController(api, async (broker, v) => {
      const body = encodeIncrementalAlterConfigsRequest(
        v,
        [
          {
            resourceType: CONFIG_RESOURCE_TOPIC,
            resourceName: topic,
            configs: changes.map((c) => ({
              name: c.name,
              operation: c.op === 'set' ? CONFIG_OPERATION.SET : CONFIG_OPERATION.DELETE,
              value: c.op === 'set' ? c.value : null,
            })),
          },
        ],
        validateOnly,
      );
      const response = await this.send(broker, api, v, body, (p) => decodeIncrementalAlterConfigsResponse(p, v));
      const answer = this.resultFor(api, topic, response.responses, 'resourceName');
      return this.judge(answer.errorCode, undefined, { ...context, brokerMessage: answer.errorMessage });
    });
  }

  async createPartitions(
    topic: string,
    totalCount: number,
    { validateOnly }: { validateOnly: boolean },
  ): Promise<void> {
    const api = TOPIC_ADMIN_APIS.CreatePartitions;
    const context = { topic, target: this.target, action: 'add partitions to', field: 'totalPartitions' as const };
    await this.atController(api, async (broker, v) => {
      const response = await this.send(
        broker,
        api,
        v,
        encodeCreatePartitionsRequest(v, [{ name: topic, count: totalCount }], BROKER_TIMEOUT_MS, validateOnly),
        (p) => decodeCreatePartitionsResponse(p, v),
      );
      const answer = this.resultFor(api, topic, response.results, 'name');
      return this.judge(answer.errorCode, undefined, { ...context, brokerMessage: answer.errorMessage });
    });
    if (validateOnly) return;
    await this.settle([topic], (state) => {
      const t = state.topics.find((x) => x.name === topic);
      return t !== undefined && t.partitions.length >= totalCount && t.partitions.every((p) => p.leader >= 0);
    });
  }

  async deleteRecords(
    topic: string,
    offsets: { partition: number; offset: bigint }[],
  ): Promise<{ partition: number; lowWatermark: bigint }[]> {
    const api = TOPIC_ADMIN_APIS.DeleteRecords;
    const wanted = new Map(offsets.map((o) => [o.partition, o.offset]));
    const done = new Map<number, bigint>();
    let lastRetry = 0;
    for (let attempt = 0; done.size < wanted.size; attempt++) {
      if (attempt > 0) {
        if (attempt >= ATTEMPTS)
          throw topicAdminError(lastRetry, { topic, target: this.target, action: 'delete records of' });
        await sleep(backoff(attempt - 1));
      }
      const state = await this.state([topic]);
      const t = state.topics.find((x) => x.name === topic);
      if (!t) throw unknownTopicError(topic, this.target);
      if (t.errorCode !== 0)
        throw topicAdminError(t.errorCode, { topic, target: this.target, action: 'delete records of' });
      const byLeader = new Map<number, { partition: number; offset: bigint }[]>();
      for (const [partition, offset] of wanted) {
        if (done.has(partition)) continue;
        const p = t.partitions.find((x) => x.partition === partition);
        if (!p)
          throw new EventscopeError(
            'INVALID_PARAMS',
            `Topic "${topic}" has no partition ${partition} (it has ${t.partitions.length}).`,
            'offsets',
          );
        if (p.leader < 0) {
          lastRetry = LEADER_NOT_AVAILABLE;
          continue;
        }
        const list = byLeader.get(p.leader) ?? [];
        list.push({ partition, offset });
        byLeader.set(p.leader, list);
      }
      await Promise.all(
        [...byLeader].map(async ([leader, partitions]) => {
          const broker = await findBrokerById(this.cluster, leader);
          const v = this.version(broker, api);
          const response = await this.send(
            broker,
            api,
            v,
            encodeDeleteRecordsRequest(v, topic, partitions, BROKER_TIMEOUT_MS),
            (p) => decodeDeleteRecordsResponse(p, v),
          );
          for (const answer of response.topics.flatMap((x) => x.partitions)) {
            if (!wanted.has(answer.partition)) continue;
            if (answer.errorCode === 0) {
              done.set(answer.partition, answer.lowWatermark);
              continue;
            }
            if (RETRY_CODES.has(kafkaErrorName(answer.errorCode))) {
              lastRetry = answer.errorCode;
              continue;
            }
            throw topicAdminError(answer.errorCode, {
              topic,
              target: this.target,
              action: 'delete records of',
              subject: `Partition ${answer.partition} (offset ${wanted.get(answer.partition)})`,
            });
          }
        }),
      );
    }
    return [...done]
      .map(([partition, lowWatermark]) => ({ partition, lowWatermark }))
      .sort((a, b) => a.partition - b.partition);
  }

  async deleteTopic(topic: string): Promise<void> {
    const api = TOPIC_ADMIN_APIS.DeleteTopics;
    const context = { topic, target: this.target, action: 'delete' };
    await this.atController(api, async (broker, v) => {
      const response = await this.send(broker, api, v, encodeDeleteTopicsRequest(v, [topic], BROKER_TIMEOUT_MS), (p) =>
        decodeDeleteTopicsResponse(p, v),
      );
      const answer = this.resultFor(api, topic, response.topics, 'name');
      return this.judge(answer.errorCode, undefined, { ...context, brokerMessage: answer.errorMessage });
    });
    await this.settle([topic], (state) => !state.topics.some((t) => t.name === topic && t.errorCode === 0));
  }

  /**
   * The result for the one topic a request named: the one whose nameField is that topic, else
   * the first; an answer with none is the broker's error, named with the API.
   */
  private resultFor<K extends string, R extends Record<K, string | null>>(
    api: ApiSpec,
    topic: string,
    results: R[],
    nameField: K,
  ): R {
    const result = results.find((r) => r[nameField] === topic) ?? results[0];
    if (result === undefined)
      throw new EventscopeError('KAFKA_ERROR', `${this.target} answered ${api.name} without a result for "${topic}".`);
    return result;
  }

  /** ok, retry (the broker is not the controller or leader any more, or is busy), or the error as an EventscopeError. */
  private judge<T>(errorCode: number, value: T, context: Parameters<typeof topicAdminError>[1]): Attempt<T> {
    if (errorCode === 0) return { ok: value };
    if (RETRY_CODES.has(kafkaErrorName(errorCode))) return { retry: errorCode };
    throw topicAdminError(errorCode, context);
  }

  /** Sends to the controller until it answers as the controller (a few tries, a new controller each time). */
  private async atController<T>(
    api: ApiSpec,
    attempt: (broker: InternalBroker, version: number) => Promise<Attempt<T>>,
  ): Promise<T> {
    let lastRetry = 0;
    for (let i = 0; i < ATTEMPTS; i++) {
      if (i > 0) await sleep(backoff(i - 1));
      const broker = await this.controller();
      const answer = await attempt(broker, this.version(broker, api));
      if ('ok' in answer) return answer.ok;
      lastRetry = answer.retry;
    }
    throw new EventscopeError(
      'KAFKA_ERROR',
      `${this.target} kept answering ${kafkaErrorName(lastRetry)} to ${api.name}: the cluster may be electing a controller or overloaded. Try again in a moment.`,
    );
  }

  private async controller(): Promise<InternalBroker> {
    const { controllerId } = await this.state([]);
    return controllerId >= 0 ? findBrokerById(this.cluster, controllerId) : this.cluster.anyBroker();
  }

  private version(broker: InternalBroker, api: ApiSpec): number {
    const versions = apiVersionsOf(broker) ?? this.cluster.apiVersions();
    return agreedVersion(api, versions, this.target, 'for this (Kafka 2.4 or newer works)');
  }

  private send<T>(broker: InternalBroker, api: ApiSpec, version: number, body: Buffer, decode: (payload: Buffer) => T) {
    return sendApiRequest(broker, api, version, body, decode, REQUEST_TIMEOUT_MS);
  }

  /** The controller and these topics (partitions, leaders, IDs), from Metadata v10+ (which never creates a topic), else kafkajs's. */
  private async state(topics: string[]): Promise<ClusterState> {
    const broker = await this.cluster.anyBroker();
    const v = negotiateVersion(METADATA_TOPIC_IDS_API, apiVersionsOf(broker) ?? this.cluster.apiVersions());
    if (v !== null) {
      const md = await this.send(broker, METADATA_TOPIC_IDS_API, v, encodeMetadataTopicIdsRequest(v, topics), (p) =>
        decodeMetadataTopicIdsResponse(p, v),
      );
      return { controllerId: md.controllerId, topics: md.topics };
    }
    // kafkajs's Metadata (auto-creation off) fails for a topic that does not exist: ask for all.
    const md = await this.cluster.metadata();
    const wanted = new Set(topics);
    return {
      controllerId: md.controllerId ?? -1,
      topics: md.topicMetadata
        .filter((t) => wanted.has(t.topic))
        .map((t) => ({
          name: t.topic,
          errorCode: t.topicErrorCode,
          topicId: null,
          isInternal: t.isInternal,
          partitions: t.partitionMetadata.map((p) => ({
            partition: p.partitionId,
            leader: p.leader,
            errorCode: p.partitionErrorCode,
          })),
        })),
    };
  }

  /** Reads metadata until `ready` says so (or SETTLE_MS passed: the change was made, metadata is just slow). */
  private async settle(topics: string[], ready: (state: ClusterState) => boolean): Promise<ClusterState | null> {
    const until = Date.now() + SETTLE_MS;
    let state: ClusterState | null = null;
    while (Date.now() < until) {
      state = await this.state(topics).catch(() => null);
      if (state && ready(state)) return state;
      await sleep(SETTLE_POLL_MS);
    }
    return state;
  }
}

/** Which field of a new topic CreateTopics' error message is about, where the code alone does not say. */
function fieldOfCreateError(message: string | null): { field?: TopicAdminField } {
  if (message === null) return {};
  if (/config/i.test(message)) return { field: 'configs' };
  if (/replication factor|replicat/i.test(message)) return { field: 'replicationFactor' };
  if (/partition/i.test(message)) return { field: 'partitions' };
  return {};
}

function backoff(attempt: number): number {
  return BACKOFF_MS[Math.min(attempt, BACKOFF_MS.length - 1)]!;
}
