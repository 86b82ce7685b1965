// ClusterClient on kafkajs: metadata and offsets through the internal Cluster (batched
// per leader, one ListOffsets request per broker however many topics), configs through
// the admin client. Reading never joins a consumer group. Connecting is one attempt at a
// time, bounded by the profile's connect timeout, and a failed attempt never leaves kafkajs
// half-connected; a read that follows waits (outage reported) for a cluster it cannot reach yet.
import { connect as netConnect, isIP, type Socket } from 'node:net';
import { connect as tlsConnect } from 'node:tls';
import kafkajs from 'kafkajs';
import type {
  ConfigEntry,
  ClusterOverview,
  ConnectionProfile,
  ConnectionSecrets,
  PartitionInfo,
  TopicDetail,
  TopicSummary,
} from '../../../common/contract/dto.ts';
import { EventscopeError } from '../../../common/contract/errors.ts';
import type { ClusterClient, OutgoingRecord } from '../cluster-client.ts';
import type {
  CommittedOffset,
  ConsumerGroupClient,
  DescribedGroup,
  ListedGroup,
  PartitionPosition,
} from '../consumer-groups.ts';
import { inferKafkaVersion } from '../kafka-version.ts';
import { kafkajsConfig } from './client-config.ts';
import { registerCompressionCodecs } from './compression-codecs.ts';
import { unknownTopicError } from '../errors.ts';
import { KAFKA_ERROR } from '../protocol/kafka-error-codes.ts';
import {
  classifyKafkaError,
  connectTimeoutError,
  hasKafkaErrorCode,
  isRetriable,
  silentListenerError,
} from './errors.ts';
import { PartitionFetcher, RETRY_BACKOFF_MS } from './partition-fetcher.ts';
import { sleep } from '../../../common/util/sleep.ts';
import type { Isolation, ReadRequest, ReadSummary, StartOffsets, StartPosition } from '../partition-reader.ts';
import {
  createInternalCluster,
  ISOLATION,
  OFFSET_SPEC,
  type InternalCluster,
  type MetadataTopic,
} from './internals.ts';
import { KafkajsConsumerGroups } from './consumer-group-requests.ts';
import { listOffsetsByLeader, partitionKey } from './list-offsets.ts';
import { KafkajsTopicAdmin } from './kafkajs-topic-admin.ts';
import type { CreatedTopic, NewTopic, TopicConfigChange } from '../topic-admin.ts';
import { CONFIG_SOURCES } from '../protocol/config-sources.ts';

const CLOSE_WAIT_MS = 1_000;
/** kafkajs's own keep-alive delay for its sockets. */
const KEEP_ALIVE_DELAY_MS = 60_000;

interface PartitionOffsets {
  earliest: string | null;
  latest: string | null;
}

export async function openKafkajsClusterClient(
  profile: ConnectionProfile,
  secrets: ConnectionSecrets,
): Promise<ClusterClient> {
  registerCompressionCodecs();
  const kafka = new kafkajs.Kafka({ ...(await kafkajsConfig(profile, secrets)), socketFactory });
  return new KafkajsClusterClient(kafka, profile);
}

/**
 * kafkajs's default socket factory, except for unref(). kafkajs calls unref() on every
 * disconnect, also on a connection whose socket died (the broker went away) and is kept while
 * it retries; Node defers unref() on a socket with no handle to its 'connect' event, one
 * listener per call, and a dead socket never connects. Against a broker that is down, every
 * reconnect attempt added a listener (MaxListenersExceededWarning after ten, then without end).
 */
const socketFactory: kafkajs.ISocketFactory = ({ host, port, ssl, onConnect }) => {
  const socket: Socket = ssl
    ? tlsConnect({ host, port, ...(isIP(host) ? {} : { servername: host }), ...ssl }, onConnect)
    : netConnect({ host, port }, onConnect);
  socket.setKeepAlive(true, KEEP_ALIVE_DELAY_MS);
  const unref = socket.unref.bind(socket);
  let deferred = false;
  socket.unref = () => {
    if (socket.destroyed) return socket; // will never connect: nothing to keep the process alive for
    if (socket.connecting) {
      if (!deferred) socket.once('connect', () => unref());
      deferred = true;
      return socket;
    }
    return unref();
  };
  return socket;
};

class KafkajsClusterClient implements ClusterClient, ConsumerGroupClient {
  private readonly cluster: InternalCluster;
  private readonly fetcher: PartitionFetcher;
  private readonly groups: KafkajsConsumerGroups;
  private readonly topicAdmin: KafkajsTopicAdmin;
  private admin: kafkajs.Admin | null = null;
  private producer: kafkajs.Producer | null = null;
  /** After close(): every call is refused, so nothing connects again. */
  private closed = false;
  /** The connect attempt under way, shared by every caller until it settles (not just until a caller stops waiting). */
  private connecting: Promise<void> | null = null;

  private readonly kafka: kafkajs.Kafka;
  private readonly profile: ConnectionProfile;

  constructor(kafka: kafkajs.Kafka, profile: ConnectionProfile) {
    this.kafka = kafka;
    this.profile = profile;
    // Offsets shown to people match kafka-get-offsets.sh and kafka-consumer-groups.sh,
    // which read the high watermark (read_uncommitted).
    this.cluster = createInternalCluster(kafka, ISOLATION.READ_UNCOMMITTED);
    this.fetcher = new PartitionFetcher(this.cluster, profile.bootstrap);
    this.groups = new KafkajsConsumerGroups(this.cluster);
    this.topicAdmin = new KafkajsTopicAdmin(this.cluster, profile.bootstrap);
  }

  private get target(): string {
    return this.profile.bootstrap;
  }

  /**
   * Connects if need be, waiting at most the profile's connect timeout (+2 s for kafkajs's one
   * retry). A caller that stops waiting leaves the attempt running, and the next caller waits
   * on that same attempt: starting a second one beside it found kafkajs half-connected and
   * answered "Broker not connected" (KAFKA_ERROR) instead of the timeout.
   */
  private async connected(): Promise<void> {
    if (this.connecting === null && this.cluster.isConnected() && this.cluster.apiVersions() !== null) return;
    this.connecting ??= this.attemptConnect().finally(() => (this.connecting = null));
    const ms = this.profile.connectTimeoutMs + 2_000;
    // Said by what is known when the wait ends: no TCP connection at all (a black hole), or one
    // that never answered Kafka's first request (a listener that is not Kafka, or is stuck).
    await withTimeout(this.connecting, ms, () =>
      this.cluster.isConnected() ? silentListenerError(this.target, ms) : connectTimeoutError(this.target, ms),
    );
  }

  private async attemptConnect(): Promise<void> {
    try {
      await this.cluster.connect();
      // kafkajs retries a connection whose first request timed out by finding its socket
      // still open and calling that connected, with no API versions: every request after it
      // would fail with "Broker not connected".
      if (this.cluster.apiVersions() === null) throw silentListenerError(this.target);
    } catch (err) {
      // Left half-connected (a socket open, no versions), kafkajs would take itself for
      // connected from now on: close it so that the next attempt starts afresh. Bounded: kafkajs
      // waits for requests in flight first, and every later connect waits on this one.
      if (this.cluster.isConnected())
        await Promise.race([this.cluster.disconnect().catch(() => undefined), sleep(CLOSE_WAIT_MS)]);
      throw err;
    }
  }

  private async run<T>(fn: () => Promise<T>, topic?: string): Promise<T> {
    if (this.closed) throw new EventscopeError('DISCONNECTED', `The connection to ${this.target} was closed.`);
    try {
      await this.connected();
      return await fn();
    } catch (err) {
      throw classifyKafkaError(err, this.target, topic);
    } finally {
      // A call still running when the client was closed may have connected to brokers again
      // (kafkajs reconnects on use): those connections would keep the process alive.
      if (this.closed) void this.disconnectAll();
    }
  }

  async probe() {
    const started = Date.now();
    const overview = await this.overview();
    return {
      clusterId: overview.clusterId,
      brokerCount: overview.brokers.length,
      controllerId: overview.controllerId,
      kafkaVersion: overview.kafkaVersion,
      elapsedMs: Date.now() - started,
    };
  }

  async overview(): Promise<ClusterOverview> {
    return this.run(async () => {
      const md = await this.cluster.metadata();
      return {
        clusterId: md.clusterId ?? null,
        controllerId: md.controllerId ?? null,
        brokers: md.brokers
          .map((b) => ({
            nodeId: b.nodeId,
            host: b.host,
            port: b.port,
            rack: b.rack ?? null,
            isController: b.nodeId === md.controllerId,
          }))
          .sort((a, b) => a.nodeId - b.nodeId),
        kafkaVersion: inferKafkaVersion(this.cluster.apiVersions()),
      };
    });
  }

  async listTopics({ includeInternal }: { includeInternal: boolean }): Promise<TopicSummary[]> {
    return this.run(async () => {
      const md = await this.cluster.metadata();
      const topics = md.topicMetadata.filter((t) => includeInternal || !t.isInternal);
      const offsets = await this.partitionOffsets(topics);
      return topics
        .map((t) => {
          let count = 0n;
          let known = true;
          for (const p of t.partitionMetadata) {
            const o = offsets.get(key(t.topic, p.partitionId));
            if (!o || o.earliest === null || o.latest === null) known = false;
            else count += BigInt(o.latest) - BigInt(o.earliest);
          }
          const first = t.partitionMetadata[0];
          return {
            name: t.topic,
            internal: t.isInternal,
            partitionCount: t.partitionMetadata.length,
            replicationFactor: first ? first.replicas.length : 0,
            messageCount: known ? count.toString() : null,
            underReplicatedPartitions: t.partitionMetadata.filter(isUnderReplicated).length,
            offlinePartitions: t.partitionMetadata.filter((p) => p.leader < 0).length,
          };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
    });
  }

  async describeTopic(topic: string): Promise<TopicDetail> {
    return this.run(async () => {
      const md = await this.cluster.metadata({ topics: [topic] }).catch((err: unknown) => {
        throw hasKafkaErrorCode(err, KAFKA_ERROR.UNKNOWN_TOPIC_OR_PARTITION)
          ? unknownTopicError(topic, this.target)
          : err;
      });
      const t = md.topicMetadata.find((x) => x.topic === topic);
      if (!t || t.topicErrorCode === KAFKA_ERROR.UNKNOWN_TOPIC_OR_PARTITION)
        throw unknownTopicError(topic, this.target);
      const offsets = await this.partitionOffsets([t]);
      const partitions: PartitionInfo[] = t.partitionMetadata
        .map((p) => {
          const o = offsets.get(key(t.topic, p.partitionId));
          return {
            partition: p.partitionId,
            leader: p.leader,
            replicas: p.replicas,
            isr: p.isr,
            offlineReplicas: p.offlineReplicas ?? [],
            earliestOffset: o?.earliest ?? null,
            latestOffset: o?.latest ?? null,
            underReplicated: isUnderReplicated(p),
          };
        })
        .sort((a, b) => a.partition - b.partition);
      return { name: topic, internal: t.isInternal, partitions, configs: await this.topicConfigs(topic) };
    }, topic);
  }

  startOffsets(
    topic: string,
    partitions: number[] | undefined,
    from: StartPosition,
    isolation?: Isolation,
  ): Promise<StartOffsets> {
    return this.run(() => this.fetcher.startOffsets(topic, partitions, from, isolation), topic);
  }

  read(request: ReadRequest): Promise<ReadSummary> {
    if (!request.follow) return this.run(() => this.fetcher.read(request), request.topic);
    return this.follow(request);
  }

  /**
   * A read that follows rides out a cluster it cannot reach at the start as it rides out an
   * outage once reading (the fetcher's retries): a tail started while the broker is down or
   * restarting says so (onStatus 'outage', naming the cause), retries with backoff until the
   * broker answers or the reader stops it, then starts ('recovered'). What waiting cannot cure
   * (authentication, TLS, a name that does not resolve, an unknown topic) ends it at once.
   */
  private async follow(request: ReadRequest): Promise<ReadSummary> {
    let started = false;
    let waiting = false;
    for (let failures = 0; ; failures++) {
      try {
        await this.connected();
        return await this.fetcher.read({
          ...request,
          onStart: (offsets) => {
            started = true;
            request.onStart?.(offsets);
            if (waiting)
              request.onStatus?.({
                phase: 'recovered',
                message: `${this.target} answers again: reading ${request.topic}.`,
              });
          },
        });
      } catch (err) {
        if (started || request.signal?.aborted || !retriableAtStart(err))
          throw classifyKafkaError(err, this.target, request.topic);
        if (!waiting)
          request.onStatus?.({
            phase: 'outage',
            message: `Cannot start reading ${request.topic} yet: ${classifyKafkaError(err, this.target).message} Retrying until it answers.`,
          });
        waiting = true;
        await sleep(RETRY_BACKOFF_MS[Math.min(failures, RETRY_BACKOFF_MS.length - 1)]!, request.signal);
        if (request.signal?.aborted) return { records: 0, nextOffsets: new Map() };
      }
    }
  }

  async produce(topic: string, record: OutgoingRecord): Promise<{ partition: number; offset: bigint }> {
    return this.run(async () => {
      if (!this.producer) {
        this.producer = this.kafka.producer({
          allowAutoTopicCreation: false,
          idempotent: true,
          maxInFlightRequests: 1,
          createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
        });
        await this.producer.connect();
      }
      // kafkajs takes repeated header keys as arrays.
      const headers: Record<string, (Buffer | string)[]> = {};
      for (const h of record.headers) (headers[h.key] ??= []).push(h.value === null ? '' : Buffer.from(h.value));
      const [result] = await this.producer.send({
        topic,
        acks: -1,
        messages: [
          {
            ...(record.partition !== undefined ? { partition: record.partition } : {}),
            key: record.key && Buffer.from(record.key),
            value: record.value && Buffer.from(record.value),
            headers,
          },
        ],
      });
      if (!result || result.baseOffset === undefined)
        throw new EventscopeError('KAFKA_ERROR', `The broker did not say where the record to "${topic}" was written.`);
      return { partition: result.partition, offset: BigInt(result.baseOffset) };
    }, topic);
  }

  // Consumer groups (consumer-group-requests.ts): read with OffsetFetch and the describe
  // requests at each group's coordinator, never by joining a group.

  listGroups(): Promise<ListedGroup[]> {
    return this.run(() => this.groups.listGroups());
  }

  describeGroups(groupIds: string[]): Promise<DescribedGroup[]> {
    return this.run(() => this.groups.describeGroups(groupIds));
  }

  committedOffsets(groupIds: string[]): Promise<Map<string, CommittedOffset[]>> {
    return this.run(() => this.groups.committedOffsets(groupIds));
  }

  latestOffsets(topics: string[]): Promise<Map<string, Map<number, bigint>>> {
    return this.run(() => this.groups.latestOffsets(topics));
  }

  earliestOffsets(topics: string[]): Promise<Map<string, Map<number, bigint>>> {
    return this.run(() => this.groups.earliestOffsets(topics));
  }

  offsetsForTime(topics: string[], timestamp: number): Promise<Map<string, Map<number, bigint>>> {
    return this.run(() => this.groups.offsetsForTime(topics, timestamp));
  }

  timestampsAt(positions: PartitionPosition[]): Promise<(number | null)[]> {
    return this.run(() => this.groups.timestampsAt(positions));
  }

  commitOffsets(groupId: string, offsets: PartitionPosition[]): Promise<void> {
    return this.run(() => this.groups.commitOffsets(groupId, offsets));
  }

  deleteGroup(groupId: string): Promise<void> {
    return this.run(() => this.groups.deleteGroup(groupId));
  }

  topicIds(topics: string[]): Promise<Map<string, string | null>> {
    return this.run(() => this.groups.topicIds(topics));
  }

  // Topic administration (kafkajs-topic-admin.ts): the caller checks that the connection allows writes.

  createTopic(topic: NewTopic, options: { validateOnly: boolean }): Promise<CreatedTopic> {
    return this.run(() => this.topicAdmin.createTopic(topic, options), topic.topic);
  }

  alterTopicConfigs(topic: string, changes: TopicConfigChange[], options: { validateOnly: boolean }): Promise<void> {
    return this.run(() => this.topicAdmin.alterTopicConfigs(topic, changes, options), topic);
  }

  createPartitions(topic: string, totalCount: number, options: { validateOnly: boolean }): Promise<void> {
    return this.run(() => this.topicAdmin.createPartitions(topic, totalCount, options), topic);
  }

  deleteRecords(
    topic: string,
    offsets: { partition: number; offset: bigint }[],
  ): Promise<{ partition: number; lowWatermark: bigint }[]> {
    return this.run(() => this.topicAdmin.deleteRecords(topic, offsets), topic);
  }

  deleteTopic(topic: string): Promise<void> {
    return this.run(() => this.topicAdmin.deleteTopic(topic), topic);
  }

  async close(): Promise<void> {
    this.closed = true;
    // kafkajs waits for requests in flight before it disconnects; a broker that never
    // answers would hold the caller for the whole request timeout. Bound the wait.
    await Promise.race([this.disconnectAll(), new Promise((resolve) => setTimeout(resolve, CLOSE_WAIT_MS).unref())]);
  }

  private disconnectAll(): Promise<unknown> {
    return Promise.allSettled([this.cluster.disconnect(), this.admin?.disconnect(), this.producer?.disconnect()]);
  }

  /** Earliest and latest offsets of every partition, one ListOffsets request per leader and spec. */
  private async partitionOffsets(topics: MetadataTopic[]): Promise<Map<string, PartitionOffsets>> {
    const [earliest, latest] = await listOffsetsByLeader(
      this.cluster,
      topics,
      [OFFSET_SPEC.EARLIEST, OFFSET_SPEC.LATEST],
      ISOLATION.READ_UNCOMMITTED,
    );
    const result = new Map<string, PartitionOffsets>();
    for (const t of topics) {
      for (const p of t.partitionMetadata) {
        if (p.leader < 0) continue;
        const k = key(t.topic, p.partitionId);
        result.set(k, { earliest: earliest!.get(k) ?? null, latest: latest!.get(k) ?? null });
      }
    }
    return result;
  }

  private async topicConfigs(topic: string): Promise<ConfigEntry[]> {
    if (!this.admin) {
      this.admin = this.kafka.admin({ retry: { retries: 1 } });
      await this.admin.connect();
    }
    const described = await this.admin.describeConfigs({
      includeSynonyms: false,
      resources: [{ type: kafkajs.ConfigResourceTypes.TOPIC, name: topic }],
    });
    const entries = described.resources[0]?.configEntries ?? [];
    return entries
      .map((e) => {
        const source = (e as { configSource?: number }).configSource;
        return {
          name: e.configName,
          value: e.isSensitive ? null : e.configValue,
          isDefault: e.isDefault,
          source:
            source === undefined ? (e.isDefault ? 'default' : 'topic') : (CONFIG_SOURCES[source] ?? `source ${source}`),
          readOnly: e.readOnly,
          sensitive: e.isSensitive,
        };
      })
      .sort((a, b) => a.name.localeCompare(b.name));
  }
}

const key = partitionKey;

function isUnderReplicated(p: { isr: number[]; replicas: number[] }): boolean {
  return p.isr.length < p.replicas.length;
}

function withTimeout<T>(promise: Promise<T>, ms: number, timedOut: () => Error): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setTimeout(() => reject(timedOut()), ms);
    promise.then(resolve, reject).finally(() => clearTimeout(timer));
  });
}

/**
 * Worth waiting for at the start of a read that follows: what isRetriable says of the failure
 * (a refused or lost connection, a retriable Kafka code), and no answer within the connect
 * timeout (a broker still starting, a network partition).
 */
function retriableAtStart(err: unknown): boolean {
  return err instanceof EventscopeError ? err.code === 'TIMEOUT' : isRetriable(err);
}
