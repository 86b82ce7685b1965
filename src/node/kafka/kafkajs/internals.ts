// The one place that reaches into kafkajs internals. kafkajs has no assign() and its
// consumer always joins a group; Eventscope must never join a group, so it talks to
// brokers with kafkajs's broker-level requests through the client's internal Cluster, and
// sends Fetch through a broker's connection with its own response decoder (rawFetch), and
// requests it encodes itself (sendRawRequest: the consumer-group APIs, Metadata v10+).
// test/integration/kafkajs-internals.test.ts fails loudly if any of this changes shape.
import kafkajs from 'kafkajs';
import KafkajsEncoder from 'kafkajs/src/protocol/encoder.js';
import kafkajsRequests from 'kafkajs/src/protocol/requests/index.js';
import { decodeFetchResponse, type FetchResponseData } from '../protocol/fetch-response.ts';
import { REQUEST_HEADER_TAGS, ResponseReader } from '../protocol/flexible-codec.ts';
import type { ApiVersionTable } from '../kafka-version.ts';
import { quietNegativeTimeoutWarnings } from './quiet-negative-timeout.ts';

export const KAFKAJS_VERSION_EXPECTED = '2.2.4';
const CREATE_CLUSTER_SYMBOL = 'private:Kafka:createCluster';

export const ISOLATION = { READ_UNCOMMITTED: 0, READ_COMMITTED: 1 } as const;
/** ListOffsets timestamps with a special meaning. */
export const OFFSET_SPEC = { LATEST: -1, EARLIEST: -2 } as const;

export interface MetadataBroker {
  nodeId: number;
  host: string;
  port: number;
  rack: string | null;
}
export interface MetadataPartition {
  partitionErrorCode: number;
  partitionId: number;
  leader: number;
  replicas: number[];
  isr: number[];
  offlineReplicas?: number[];
}
export interface MetadataTopic {
  topicErrorCode: number;
  topic: string;
  isInternal: boolean;
  partitionMetadata: MetadataPartition[];
}
export interface MetadataResponse {
  brokers: MetadataBroker[];
  clusterId: string | null;
  controllerId: number | null;
  topicMetadata: MetadataTopic[];
}

export interface ListOffsetsRequest {
  replicaId?: number;
  isolationLevel: number;
  topics: { topic: string; partitions: { partition: number; timestamp: number }[] }[];
}
export interface ListOffsetsResponse {
  responses: {
    topic: string;
    partitions: { partition: number; errorCode: number; offset: string; timestamp?: string }[];
  }[];
}

export interface FetchRequest {
  replicaId?: number;
  isolationLevel: number;
  maxWaitTime: number;
  minBytes: number;
  maxBytes: number;
  topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
}
export interface InternalBroker {
  metadata(topics: string[]): Promise<MetadataResponse>;
  listOffsets(request: ListOffsetsRequest): Promise<ListOffsetsResponse>;
}

/** Response header v1's tagged fields, before a flexible response's body. */
function skipResponseHeaderTags(payload: Buffer, source: string): Buffer {
  const reader = new ResponseReader(payload, source, true);
  reader.headerTags();
  return payload.subarray(reader.offset);
}

const FETCH_API_KEY = 1;
const SEND_REQUEST_SYMBOL = 'private:Broker:sendRequest';
const MIN_RAW_FETCH_VERSION = 4; // record batches (magic 2) and aborted transactions from here on

interface ProtocolRequest {
  request: { apiKey: number; apiVersion: number; apiName: string; encode(): Promise<unknown> };
  response: { decode(payload: Buffer): Promise<unknown>; parse(data: unknown): Promise<unknown> };
  requestTimeout?: number;
}

/**
 * The broker's own send (kafkajs's private `sendRequest`): the request goes out on the broker's
 * connection (connecting and authenticating it if need be), with kafkajs's request header v1
 * and correlation id, and the response after the correlation id goes to protocol.response.
 */
function brokerSend(broker: InternalBroker): (protocol: ProtocolRequest) => Promise<unknown> {
  const raw = broker as unknown as Record<string | symbol, unknown>;
  const symbol = Object.getOwnPropertySymbols(Object.getPrototypeOf(broker)).find(
    (s) => s.description === SEND_REQUEST_SYMBOL,
  );
  const send = symbol ? raw[symbol] : undefined;
  if (typeof send !== 'function') throw new KafkajsInternalsChanged(`Broker has no "${SEND_REQUEST_SYMBOL}" method`);
  return (protocol) => (send as (r: ProtocolRequest) => Promise<unknown>).call(broker, protocol);
}

/**
 * Sends a Fetch request through kafkajs's connection to this broker (so SASL, TLS and API
 * version negotiation are kafkajs's) but decodes the response with our own decoder, which
 * reports errors per partition and hands back the raw record sets.
 */
export async function rawFetch(broker: InternalBroker, request: FetchRequest): Promise<FetchResponseData> {
  const lookup = (broker as unknown as Record<string, unknown>)['lookupRequest'];
  if (typeof lookup !== 'function') throw new KafkajsInternalsChanged('Broker.lookupRequest is missing');
  const send = brokerSend(broker);
  const definition = (kafkajsRequests as { requests?: Record<string, unknown> }).requests?.['Fetch'];
  if (!definition) throw new KafkajsInternalsChanged('kafkajs/src/protocol/requests has no Fetch definition');
  const protocol = (lookup as (apiKey: number, def: unknown) => (args: unknown) => ProtocolRequest).call(
    broker,
    FETCH_API_KEY,
    definition,
  )({ replicaId: -1, rackId: '', ...request });
  const version = protocol.request.apiVersion;
  if (version < MIN_RAW_FETCH_VERSION)
    throw new KafkajsInternalsChanged(
      `the broker only speaks Fetch v${version}; Eventscope needs v${MIN_RAW_FETCH_VERSION} or newer (Kafka 0.11+)`,
    );
  return (await send({
    ...protocol,
    response: {
      decode: async (payload: Buffer) => decodeFetchResponse(payload, version),
      parse: async (data: unknown) => data,
    },
  })) as FetchResponseData;
}

/** A request we encode and decode ourselves (src/node/kafka/protocol/), sent by sendRawRequest. */
export interface RawRequest<T> {
  apiKey: number;
  /** For kafkajs's logs and errors, e.g. "ListGroups". */
  apiName: string;
  apiVersion: number;
  /**
   * A flexible version (KIP-482): the request goes with header v2 (kafkajs's v1 and an empty
   * tagged-field section, written here before the body) and the answer comes with header v1
   * (a tagged-field section after the correlation id, skipped here before decode sees it).
   */
  flexible: boolean;
  /** The request body, without header. */
  body: Buffer;
  /** Reads the response body; throws ProtocolDecodeError for bytes it cannot read. */
  decode(payload: Buffer): T;
  /** A longer timeout than the client's request timeout, for requests the broker may hold. */
  requestTimeout?: number;
}

/**
 * Sends a request we encode ourselves on kafkajs's connection to this broker (so SASL, TLS
 * and reconnects stay kafkajs's) and decodes the answer with our decoder. For the requests
 * kafkajs does not have (ConsumerGroupDescribe), or not in the versions we need (the flexible
 * ones: ListGroups v3+, OffsetFetch v8+ batched, Metadata v10+ with topic IDs…). The caller
 * picks the version from the broker's API versions (apiVersionsOf).
 */
export async function sendRawRequest<T>(broker: InternalBroker, request: RawRequest<T>): Promise<T> {
  const send = brokerSend(broker);
  const body = request.flexible ? Buffer.concat([REQUEST_HEADER_TAGS, request.body]) : request.body;
  const result = await send({
    request: {
      apiKey: request.apiKey,
      apiVersion: request.apiVersion,
      apiName: request.apiName,
      encode: async () => new KafkajsEncoder(body.length).writeBuffer(body),
    },
    response: {
      decode: async (payload: Buffer) =>
        request.decode(
          request.flexible
            ? skipResponseHeaderTags(payload, `the ${request.apiName} v${request.apiVersion} response`)
            : payload,
        ),
      parse: async (data: unknown) => data,
    },
    ...(request.requestTimeout !== undefined ? { requestTimeout: request.requestTimeout } : {}),
  });
  return result as T;
}

/** The API versions this broker accepts (kafkajs asked it on connect), or null before it connected. */
export function apiVersionsOf(broker: InternalBroker): ApiVersionTable | null {
  const versions = (broker as unknown as { versions?: unknown }).versions;
  if (versions === undefined) throw new KafkajsInternalsChanged('Broker.versions is missing');
  return (versions as ApiVersionTable | null) ?? null;
}

export interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  metadata(options?: { topics?: string[] }): Promise<MetadataResponse>;
  refreshMetadata(): Promise<void>;
  findBroker(options: { nodeId: number }): Promise<InternalBroker>;
  /** A connected broker, any one (the seed broker before metadata was read). */
  anyBroker(): Promise<InternalBroker>;
  /** The API versions the seed broker accepts, known once connected. */
  apiVersions(): ApiVersionTable | null;
}

export class KafkajsInternalsChanged extends Error {
  constructor(what: string) {
    super(
      `kafkajs internals are not what Eventscope was written against (expected kafkajs ${KAFKAJS_VERSION_EXPECTED}): ${what}`,
    );
    this.name = 'KafkajsInternalsChanged';
  }
}

type CreateCluster = (options: {
  allowAutoTopicCreation: boolean;
  isolationLevel: number;
  metadataMaxAge?: number;
}) => unknown;

/** Creates kafkajs's internal Cluster for a Kafka instance, never allowing topic auto-creation. */
export function createInternalCluster(
  kafka: kafkajs.Kafka,
  isolationLevel: number = ISOLATION.READ_COMMITTED,
): InternalCluster {
  quietNegativeTimeoutWarnings();
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === CREATE_CLUSTER_SYMBOL);
  if (!symbol) throw new KafkajsInternalsChanged(`the Kafka instance has no "${CREATE_CLUSTER_SYMBOL}" symbol`);
  const create = (kafka as unknown as Record<symbol, unknown>)[symbol];
  if (typeof create !== 'function') throw new KafkajsInternalsChanged('createCluster is not a function');
  const raw = (create as CreateCluster)({ allowAutoTopicCreation: false, isolationLevel }) as Record<string, unknown>;
  for (const method of ['connect', 'disconnect', 'isConnected', 'metadata', 'refreshMetadata', 'findBroker']) {
    if (typeof raw[method] !== 'function') throw new KafkajsInternalsChanged(`Cluster.${method} is missing`);
  }
  const pool = raw['brokerPool'] as { versions?: ApiVersionTable | null; findConnectedBroker?: unknown } | undefined;
  if (!pool || !('versions' in pool)) throw new KafkajsInternalsChanged('Cluster.brokerPool.versions is missing');
  if (typeof pool.findConnectedBroker !== 'function')
    throw new KafkajsInternalsChanged('Cluster.brokerPool.findConnectedBroker is missing');
  const findConnectedBroker = (pool.findConnectedBroker as () => Promise<Record<string, unknown>>).bind(pool);
  const cluster = raw as unknown as Omit<InternalCluster, 'apiVersions' | 'findBroker' | 'anyBroker'> & {
    findBroker(o: { nodeId: number }): Promise<Record<string, unknown>>;
  };
  const checked = (broker: Record<string, unknown>): InternalBroker => {
    for (const method of ['metadata', 'listOffsets', 'lookupRequest']) {
      if (typeof broker[method] !== 'function') throw new KafkajsInternalsChanged(`Broker.${method} is missing`);
    }
    return broker as unknown as InternalBroker;
  };
  return {
    connect: () => cluster.connect(),
    disconnect: () => cluster.disconnect(),
    isConnected: () => cluster.isConnected(),
    metadata: (options) => cluster.metadata(options),
    refreshMetadata: () => cluster.refreshMetadata(),
    findBroker: async (options) => checked(await cluster.findBroker(options)),
    anyBroker: async () => checked(await findConnectedBroker()),
    apiVersions: () => pool.versions ?? null,
  };
}
