// The one place that reaches into kafkajs internals. kafkajs has no assign() and its
// consumer always joins a group; Eventscope must never join a group, so it talks to
// brokers with kafkajs's broker-level requests through the client's internal Cluster.
// test/integration/kafkajs-internals.test.ts fails loudly if any of this changes shape.
import kafkajs from 'kafkajs';
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

export interface InternalBroker {
  metadata(topics: string[]): Promise<MetadataResponse>;
  listOffsets(request: ListOffsetsRequest): Promise<ListOffsetsResponse>;
}

export interface InternalCluster {
  connect(): Promise<void>;
  disconnect(): Promise<void>;
  isConnected(): boolean;
  metadata(options?: { topics?: string[] }): Promise<MetadataResponse>;
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
  for (const method of ['connect', 'disconnect', 'isConnected', 'metadata', 'findBroker']) {
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
    findBroker: async (options) => {
      const broker: Record<string, unknown> = await cluster.findBroker(options);
      for (const method of ['metadata', 'listOffsets']) {
        if (typeof broker[method] !== 'function') throw new KafkajsInternalsChanged(`Broker.${method} is missing`);
      }
      return broker as unknown as InternalBroker;
    },
    apiVersions: () => pool.versions ?? null,
  };
}
