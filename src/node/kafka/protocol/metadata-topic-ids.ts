// Metadata v10–v13 (flexible), for what kafkajs's Metadata (up to v6) does not carry: each
// topic's ID (KIP-516). The request asks for topics by name and never creates them (an unknown
// topic comes back with its error code, not as a failed request); the response is read in
// full (brokers, partitions, replicas…) so that every byte is accounted for, but only topic
// IDs and partition leaders are kept.
import { apiRequestWriter, apiResponseReader, type ApiSpec } from './api-spec.ts';
import { formatKafkaUuid, isZeroUuid, ZERO_UUID } from './flexible-codec.ts';

export const METADATA_TOPIC_IDS_API = {
  name: 'Metadata',
  apiKey: 3,
  minVersion: 10,
  maxVersion: 13,
  flexibleFrom: 9,
} as const satisfies ApiSpec;

export interface MetadataTopicId {
  /** null only where the broker answers a topic asked by ID (v12+), which these requests never do. */
  name: string | null;
  errorCode: number;
  /** Kafka's printed form (base64url), null for the all-zero ID (unknown topic, or none). */
  topicId: string | null;
  isInternal: boolean;
  partitions: { partition: number; leader: number; errorCode: number }[];
}

export interface MetadataTopicIdsResponse {
  throttleTimeMs: number;
  brokers: { nodeId: number; host: string; port: number; rack: string | null }[];
  clusterId: string | null;
  controllerId: number;
  topics: MetadataTopicId[];
  /** v13's top-level error code; 0 before. */
  errorCode: number;
}

/** topics: by name; an empty list asks for none (brokers only), as Kafka reads it from v1 on. */
export function encodeMetadataTopicIdsRequest(version: number, topics: string[]): Buffer {
  const w = apiRequestWriter(METADATA_TOPIC_IDS_API, version);
  w.array(topics, (name) => {
    w.uuid(ZERO_UUID);
    w.nullableString(name);
    w.tags();
  });
  w.bool(false); // allow_auto_topic_creation: never
  if (version <= 10) w.bool(false); // include_cluster_authorized_operations
  w.bool(false); // include_topic_authorized_operations
  return w.tags().toBuffer();
}

export function decodeMetadataTopicIdsResponse(payload: Buffer, version: number): MetadataTopicIdsResponse {
  const r = apiResponseReader(METADATA_TOPIC_IDS_API, version, payload);
  const throttleTimeMs = r.int32('throttle_time_ms');
  const brokers = r.array('brokers', 4 + 1 + 4 + 1 + 1, () => {
    const nodeId = r.int32('a node id');
    const host = r.string('a broker host');
    const port = r.int32('a broker port');
    const rack = r.nullableString('a rack');
    r.tags();
    return { nodeId, host, port, rack };
  });
  const clusterId = r.nullableString('the cluster id');
  const controllerId = r.int32('the controller id');
  const topics = r.array('topics', 2 + 1 + 16 + 1 + 1 + 4 + 1, () => {
    const errorCode = r.int16('a topic error code');
    const name = version >= 12 ? r.nullableString('a topic name') : r.string('a topic name');
    const id = r.uuid('a topic id');
    const isInternal = r.bool('is_internal');
    const partitions = r.array('partitions', 2 + 4 + 4 + 4 + 1 + 1 + 1 + 1, () => {
      const errorCode = r.int16('a partition error code');
      const partition = r.int32('a partition index');
      const leader = r.int32('a leader id');
      r.int32('a leader epoch');
      r.int32Array('replica nodes');
      r.int32Array('in-sync replica nodes');
      r.int32Array('offline replicas');
      r.tags();
      return { partition, leader, errorCode };
    });
    r.int32('topic_authorized_operations');
    r.tags();
    return { name, errorCode, topicId: isZeroUuid(id) ? null : formatKafkaUuid(id), isInternal, partitions };
  });
  if (version <= 10) r.int32('cluster_authorized_operations');
  const errorCode = version >= 13 ? r.int16('error_code') : 0;
  r.tags();
  r.end();
  return { throttleTimeMs, brokers, clusterId, controllerId, topics, errorCode };
}
