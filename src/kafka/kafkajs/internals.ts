// The one place that reaches into kafkajs internals. kafkajs has no assign() and its
// consumer always joins a group; Eventscope must never join a group, so it talks to
// brokers with kafkajs's broker-level requests through the client's internal Cluster, and
// sends Fetch through a broker's connection with its own response decoder (rawFetch).
// test/integration/kafkajs-internals.test.ts fails loudly if any of this changes shape.
import kafkajs from 'kafkajs';
import kafkajsRequests from 'kafkajs/src/protocol/requests/index.js';
import { decodeFetchResponse, type FetchResponseData } from '../protocol/fetch-response.ts';
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
  responses: { topic: string; partitions: { partition: number; errorCode: number; offset: string; timestamp?: string }[] }[];
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

const FETCH_API_KEY = 1;
const SEND_REQUEST_SYMBOL = 'private:Broker:sendRequest';
const MIN_RAW_FETCH_VERSION = 4; // record batches (magic 2) and aborted transactions from here on

interface ProtocolRequest {
  request: { apiKey: number; apiVersion: number; apiName: string; encode(): Promise<unknown> };
  response: { decode(payload: Buffer): Promise<unknown>; parse(data: unknown): Promise<unknown> };
  requestTimeout?: number;
}

/**
 * Sends a Fetch request through kafkajs's connection to this broker (so SASL, TLS and API
 * version negotiation are kafkajs's) but decodes the response with our own decoder, which
 * reports errors per partition and hands back the raw record sets.
 */
export async function rawFetch(broker: InternalBroker, request: FetchRequest): Promise<FetchResponseData> {
  const raw = broker as unknown as Record<string | symbol, unknown>;
  const lookup = raw['lookupRequest'];
  if (typeof lookup !== 'function') throw new KafkajsInternalsChanged('Broker.lookupRequest is missing');
  const symbol = Object.getOwnPropertySymbols(Object.getPrototypeOf(broker)).find((s) => s.description === SEND_REQUEST_SYMBOL);
  const send = symbol ? raw[symbol] : undefined;
  if (typeof send !== 'function') throw new KafkajsInternalsChanged(`Broker has no "${SEND_REQUEST_SYMBOL}" method`);
  const definition = (kafkajsRequests as { requests?: Record<string, unknown> }).requests?.['Fetch'];
  if (!definition) throw new KafkajsInternalsChanged('kafkajs/src/protocol/requests has no Fetch definition');
  const protocol = (lookup as (apiKey: number, def: unknown) => (args: unknown) => ProtocolRequest).call(broker, FETCH_API_KEY, definition)({ replicaId: -1, rackId: '', ...request });
  const version = protocol.request.apiVersion;
  if (version < MIN_RAW_FETCH_VERSION) throw new KafkajsInternalsChanged(`the broker only speaks Fetch v${version}; Eventscope needs v${MIN_RAW_FETCH_VERSION} or newer (Kafka 0.11+)`);
  return (send as (r: ProtocolRequest) => Promise<FetchResponseData>).call(broker, {
    ...protocol,
    response: { decode: async (payload: Buffer) => decodeFetchResponse(payload, version), parse: async (data: unknown) => data },
  });
}

export interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  metadata(options?: { topics?: string[] }): Promise<MetadataResponse>;
  refreshMetadata(): Promise<void>;
  findBroker(options: { nodeId: number }): Promise<InternalBroker>;
  /** The API versions the seed broker accepts, known once connected. */
  apiVersions(): ApiVersionTable | null;
}

export class KafkajsInternalsChanged extends Error {
  constructor(what: string) {
    super(`kafkajs internals are not what Eventscope was written against (expected kafkajs ${KAFKAJS_VERSION_EXPECTED}): ${what}`);
    this.name = 'KafkajsInternalsChanged';
  }
}

type CreateCluster = (options: { allowAutoTopicCreation: boolean; isolationLevel: number; metadataMaxAge?: number }) => unknown;

/** Creates kafkajs's internal Cluster for a Kafka instance, never allowing topic auto-creation. */
export function createInternalCluster(kafka: kafkajs.Kafka, isolationLevel: number = ISOLATION.READ_COMMITTED): InternalCluster {
  quietNegativeTimeoutWarnings();
  const symbol = Object.getOwnPropertySymbols(kafka).find((s) => s.description === CREATE_CLUSTER_SYMBOL);
  if (!symbol) throw new KafkajsInternalsChanged(`the Kafka instance has no "${CREATE_CLUSTER_SYMBOL}" symbol`);
  const create = (kafka as unknown as Record<symbol, unknown>)[symbol];
  if (typeof create !== 'function') throw new KafkajsInternalsChanged('createCluster is not a function');
  const raw = (create as CreateCluster)({ allowAutoTopicCreation: false, isolationLevel }) as Record<string, unknown>;
  for (const method of ['connect', 'disconnect', 'isConnected', 'metadata', 'refreshMetadata', 'findBroker']) {
    if (typeof raw[method] !== 'function') throw new KafkajsInternalsChanged(`Cluster.${method} is missing`);
  }
  const pool = raw['brokerPool'] as { versions?: ApiVersionTable | null } | undefined;
  if (!pool || !('versions' in pool)) throw new KafkajsInternalsChanged('Cluster.brokerPool.versions is missing');
  const cluster = raw as unknown as Omit<InternalCluster, 'apiVersions' | 'findBroker'> & { findBroker(o: { nodeId: number }): Promise<Record<string, unknown>> };
  return {
    connect: () => cluster.connect(),
    disconnect: () => cluster.disconnect(),
    isConnected: () => cluster.isConnected(),
    metadata: (options) => cluster.metadata(options),
    refreshMetadata: () => cluster.refreshMetadata(),
    findBroker: async (options) => {
      const broker: Record<string, unknown> = await cluster.findBroker(options);
      for (const method of ['metadata', 'listOffsets', 'lookupRequest']) {
        if (typeof broker[method] !== 'function') throw new KafkajsInternalsChanged(`Broker.${method} is missing`);
      }
      return broker as unknown as InternalBroker;
    },
    apiVersions: () => pool.versions ?? null,
  };
}
