// The topic-administration requests Eventscope encodes itself: CreateTopics, DeleteTopics,
// DeleteRecords, CreatePartitions and IncrementalAlterConfigs. kafkajs has the first four only
// in versions whose answers drop the broker's error message (which names the config, the broker
// count…) and whose CreateTopics does not say what the topic would get (KIP-525, v5+), and it has
// no IncrementalAlterConfigs at all (its AlterConfigs replaces every config of the topic). Field
// by field as in Kafka's message definitions (clients/src/main/resources/common/message/*.json),
// each over the versions Kafka 4.1 still accepts. Encoders return the request body without
// kafkajs's header; decoders read the response after the correlation id and header tags.
import { formatKafkaUuid, isZeroUuid } from './flexible-codec.ts';
import { apiRequestWriter, apiResponseReader, minStringBytes, type ApiSpec } from './api-spec.ts';

export const TOPIC_ADMIN_APIS = {
  CreateTopics: { name: 'CreateTopics', apiKey: 19, minVersion: 2, maxVersion: 7, flexibleFrom: 5 },
  DeleteTopics: { name: 'DeleteTopics', apiKey: 20, minVersion: 1, maxVersion: 6, flexibleFrom: 4 },
  DeleteRecords: { name: 'DeleteRecords', apiKey: 21, minVersion: 0, maxVersion: 2, flexibleFrom: 2 },
  CreatePartitions: { name: 'CreatePartitions', apiKey: 37, minVersion: 0, maxVersion: 3, flexibleFrom: 2 },
  IncrementalAlterConfigs: {
    name: 'IncrementalAlterConfigs',
    apiKey: 44,
    minVersion: 0,
    maxVersion: 1,
    flexibleFrom: 1,
  },
} as const satisfies Record<string, ApiSpec>;

/** CreateTopics takes -1 for "the broker's default" partitions and replication factor from this version on (KIP-464). */
export const CREATE_TOPICS_DEFAULTS_VERSION = 4;
/** ConfigResource type of a topic. */
export const CONFIG_RESOURCE_TOPIC = 2;
/** IncrementalAlterConfigs operations. */
export const CONFIG_OPERATION = { SET: 0, DELETE: 1, APPEND: 2, SUBTRACT: 3 } as const;

// ---------------------------------------------------------------------------------------------
// CreateTopics (19)

export interface CreateTopicsRequest {
  topics: {
    name: string;
    numPartitions: number;
    replicationFactor: number;
    configs: { name: string; value: string | null }[];
  }[];
  timeoutMs: number;
  validateOnly: boolean;
}

export interface CreateTopicsResult {
  name: string;
  /** null before v7 and for a dry run (the all-zero ID). */
  topicId: string | null;
  errorCode: number;
  errorMessage: string | null;
  /** -1 before v5. */
  numPartitions: number;
  replicationFactor: number;
  /** null before v5, or where the broker could not say (topicConfigErrorCode). */
  configs:
    { name: string; value: string | null; readOnly: boolean; configSource: number; isSensitive: boolean }[] | null;
}

export function encodeCreateTopicsRequest(version: number, request: CreateTopicsRequest): Buffer {
  const w = apiRequestWriter(TOPIC_ADMIN_APIS.CreateTopics, version);
  w.array(request.topics, (t) => {
    w.string(t.name).int32(t.numPartitions).int16(t.replicationFactor);
    w.array([], () => undefined); // assignments: none, the controller places replicas
    w.array(t.configs, (c) => {
      w.string(c.name).nullableString(c.value);
      w.tags();
    });
    w.tags();
  });
  w.int32(request.timeoutMs).bool(request.validateOnly);
  return w.tags().toBuffer();
}

export function decodeCreateTopicsResponse(
  payload: Buffer,
  version: number,
): { throttleTimeMs: number; topics: CreateTopicsResult[] } {
  const r = apiResponseReader(TOPIC_ADMIN_APIS.CreateTopics, version, payload);
  const throttleTimeMs = r.int32('throttle_time_ms');
  const topics = r.array('topics', minStringBytes(r) + 2, () => {
    const name = r.string('a topic name');
    const id = version >= 7 ? r.uuid('a topic id') : null;
    const errorCode = r.int16('an error code');
    const errorMessage = r.nullableString('an error message');
    let numPartitions = -1;
    let replicationFactor = -1;
    let configs: CreateTopicsResult['configs'] = null;
    if (version >= 5) {
      numPartitions = r.int32('num_partitions');
      replicationFactor = r.int16('replication_factor');
      configs = r.nullableArray('configs', 1 + 1 + 1 + 1 + 1, () => {
        const config = {
          name: r.string('a config name'),
          value: r.nullableString('a config value'),
          readOnly: r.bool('read_only'),
          configSource: r.int8('config_source'),
          isSensitive: r.bool('is_sensitive'),
        };
        r.tags();
        return config;
      });
    }
    r.tags(); // topic_config_error_code (tag 0) is skipped: configs null says the same
    return {
      name,
      topicId: id === null || isZeroUuid(id) ? null : formatKafkaUuid(id),
      errorCode,
      errorMessage,
      numPartitions,
      replicationFactor,
      configs,
    };
  });
  r.tags();
  r.end();
  return { throttleTimeMs, topics };
}

// ---------------------------------------------------------------------------------------------
// DeleteTopics (20)

export function encodeDeleteTopicsRequest(version: number, topics: string[], timeoutMs: number): Buffer {
  const w = apiRequestWriter(TOPIC_ADMIN_APIS.DeleteTopics, version);
  if (version >= 6) {
    w.array(topics, (name) => {
      w.nullableString(name).uuid(Buffer.alloc(16));
      w.tags();
    });
  } else {
    w.array(topics, (name) => w.string(name));
  }
  w.int32(timeoutMs);
  return w.tags().toBuffer();
}

export function decodeDeleteTopicsResponse(
  payload: Buffer,
  version: number,
): { throttleTimeMs: number; topics: { name: string | null; errorCode: number; errorMessage: string | null }[] } {
  const r = apiResponseReader(TOPIC_ADMIN_APIS.DeleteTopics, version, payload);
  const throttleTimeMs = r.int32('throttle_time_ms');
  const topics = r.array('responses', 1 + 2, () => {
    const name = version >= 6 ? r.nullableString('a topic name') : r.string('a topic name');
    if (version >= 6) r.uuid('a topic id');
    const errorCode = r.int16('an error code');
    const errorMessage = version >= 5 ? r.nullableString('an error message') : null;
    r.tags();
    return { name, errorCode, errorMessage };
  });
  r.tags();
  r.end();
  return { throttleTimeMs, topics };
}

// ---------------------------------------------------------------------------------------------
// DeleteRecords (21): sent to each partition's leader.

export function encodeDeleteRecordsRequest(
  version: number,
  topic: string,
  offsets: { partition: number; offset: bigint }[],
  timeoutMs: number,
): Buffer {
  const w = apiRequestWriter(TOPIC_ADMIN_APIS.DeleteRecords, version);
  w.array([topic], (name) => {
    w.string(name);
    w.array(offsets, (p) => {
      w.int32(p.partition).int64(p.offset);
      w.tags();
    });
    w.tags();
  });
  w.int32(timeoutMs);
  return w.tags().toBuffer();
}

export function decodeDeleteRecordsResponse(
  payload: Buffer,
  version: number,
): {
  throttleTimeMs: number;
  topics: { name: string; partitions: { partition: number; lowWatermark: bigint; errorCode: number }[] }[];
} {
  const r = apiResponseReader(TOPIC_ADMIN_APIS.DeleteRecords, version, payload);
  const throttleTimeMs = r.int32('throttle_time_ms');
  const topics = r.array('topics', minStringBytes(r) + 1, () => {
    const name = r.string('a topic name');
    const partitions = r.array('partitions', 4 + 8 + 2, () => {
      const p = {
        partition: r.int32('a partition index'),
        lowWatermark: r.int64('a low watermark'),
        errorCode: r.int16('an error code'),
      };
      r.tags();
      return p;
    });
    r.tags();
    return { name, partitions };
  });
  r.tags();
  r.end();
  return { throttleTimeMs, topics };
}

// ---------------------------------------------------------------------------------------------
// CreatePartitions (37)

export function encodeCreatePartitionsRequest(
  version: number,
  topics: { name: string; count: number }[],
  timeoutMs: number,
  validateOnly: boolean,
): Buffer {
  const w = apiRequestWriter(TOPIC_ADMIN_APIS.CreatePartitions, version);
  w.array(topics, (t) => {
    w.string(t.name).int32(t.count);
    w.nullableArray(null, () => undefined); // assignments: the controller places the new replicas
    w.tags();
  });
  w.int32(timeoutMs).bool(validateOnly);
  return w.tags().toBuffer();
}

export function decodeCreatePartitionsResponse(
  payload: Buffer,
  version: number,
): { throttleTimeMs: number; results: { name: string; errorCode: number; errorMessage: string | null }[] } {
  const r = apiResponseReader(TOPIC_ADMIN_APIS.CreatePartitions, version, payload);
  const throttleTimeMs = r.int32('throttle_time_ms');
  const results = r.array('results', minStringBytes(r) + 2 + 1, () => {
    const result = {
      name: r.string('a topic name'),
      errorCode: r.int16('an error code'),
      errorMessage: r.nullableString('an error message'),
    };
    r.tags();
    return result;
  });
  r.tags();
  r.end();
  return { throttleTimeMs, results };
}

// ---------------------------------------------------------------------------------------------
// IncrementalAlterConfigs (44)

export interface AlterConfigsResource {
  resourceType: number;
  resourceName: string;
  configs: { name: string; operation: number; value: string | null }[];
}

export function encodeIncrementalAlterConfigsRequest(
  version: number,
  resources: AlterConfigsResource[],
  validateOnly: boolean,
): Buffer {
  const w = apiRequestWriter(TOPIC_ADMIN_APIS.IncrementalAlterConfigs, version);
  w.array(resources, (res) => {
    w.int8(res.resourceType).string(res.resourceName);
    w.array(res.configs, (c) => {
      w.string(c.name).int8(c.operation).nullableString(c.value);
      w.tags();
    });
    w.tags();
  });
  w.bool(validateOnly);
  return w.tags().toBuffer();
}

export function decodeIncrementalAlterConfigsResponse(
  payload: Buffer,
  version: number,
): {
  throttleTimeMs: number;
  responses: { errorCode: number; errorMessage: string | null; resourceType: number; resourceName: string }[];
} {
  const r = apiResponseReader(TOPIC_ADMIN_APIS.IncrementalAlterConfigs, version, payload);
  const throttleTimeMs = r.int32('throttle_time_ms');
  const responses = r.array('responses', 2 + 1 + 1 + minStringBytes(r), () => {
    const response = {
      errorCode: r.int16('an error code'),
      errorMessage: r.nullableString('an error message'),
      resourceType: r.int8('a resource type'),
      resourceName: r.string('a resource name'),
    };
    r.tags();
    return response;
  });
  r.tags();
  r.end();
  return { throttleTimeMs, responses };
}
