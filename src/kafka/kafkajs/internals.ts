// The one place that reaches into kafkajs internals. kafkajs has no assign() and its
// consumer always joins a group; Eventscope must never join a group, so it talks to
// brokers with kafkajs's broker-level requests through the client's internal Cluster.
// test/integration/kafkajs-internals.test.ts fails loudly if any of this changes shape.
import kafkajs from 'kafkajs';
import filterAbortedMessagesUntyped from 'kafkajs/src/consumer/filterAbortedMessages.js';
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

/** A record as kafkajs's Fetch decoder returns it (record batch format, magic 2). */
export interface FetchedMessage {
  offset: string;
  timestamp: string;
  key: Buffer | null;
  value: Buffer | null;
  /** Distinct keys in first-seen order; a repeated key collects its values in an array. */
  headers: Record<string, Buffer | null | (Buffer | null)[]>;
  isControlRecord: boolean;
  batchContext: { producerId: string; inTransaction: boolean; isControlBatch: boolean };
}
export interface FetchRequest {
  replicaId?: number;
  isolationLevel: number;
  maxWaitTime: number;
  minBytes: number;
  maxBytes: number;
  topics: { topic: string; partitions: { partition: number; fetchOffset: string; maxBytes: number }[] }[];
}
export interface FetchResponse {
  responses: {
    topicName: string;
    partitions: {
      partition: number;
      errorCode: number;
      highWatermark: string;
      lastStableOffset?: string;
      abortedTransactions?: { producerId: string; firstOffset: string }[];
      messages: FetchedMessage[];
    }[];
  }[];
}

export interface InternalBroker {
  metadata(topics: string[]): Promise<MetadataResponse>;
  listOffsets(request: ListOffsetsRequest): Promise<ListOffsetsResponse>;
  /** Fetch with no group: the caller chooses every offset. */
  fetch(request: FetchRequest): Promise<FetchResponse>;
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
      for (const method of ['metadata', 'listOffsets', 'fetch']) {
        if (typeof broker[method] !== 'function') throw new KafkajsInternalsChanged(`Broker.${method} is missing`);
      }
      return broker as unknown as InternalBroker;
    },
    apiVersions: () => pool.versions ?? null,
  };
}

/**
 * kafkajs's own filter for records of aborted transactions (read_committed): given a
 * partition's fetched messages and the response's aborted transaction list.
 */
export const filterAbortedMessages = filterAbortedMessagesUntyped as unknown as (input: {
  messages: FetchedMessage[];
  abortedTransactions: { producerId: string; firstOffset: string }[] | undefined;
}) => FetchedMessage[];
if (typeof filterAbortedMessages !== 'function') throw new KafkajsInternalsChanged('kafkajs/src/consumer/filterAbortedMessages.js is not a function');
