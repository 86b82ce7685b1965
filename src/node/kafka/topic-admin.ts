// What Eventscope may change about a cluster's topics: create one, change its configs
// (incrementally: set or delete one at a time, the others left as they are), add partitions,
// delete the records below an offset, delete the topic. Every call that Kafka can validate
// without acting takes validateOnly (CreateTopics, CreatePartitions, IncrementalAlterConfigs);
// DeleteRecords and DeleteTopics have no such mode, so the caller previews those from offsets.
// Callers check that the connection allows writes (src/node/host/topic-admin-handlers.ts); a
// capture refuses all of it (src/node/log/offline-cluster.ts). Nothing here joins a group.
import { EventscopeError } from '../../common/contract/errors.ts';
import { unknownTopicError } from './errors.ts';
import { kafkaErrorName } from './protocol/kafka-error-codes.ts';

export interface NewTopic {
  topic: string;
  /** null: the broker's num.partitions. */
  partitions: number | null;
  /** null: the broker's default.replication.factor. */
  replicationFactor: number | null;
  configs: { name: string; value: string }[];
}

export interface TopicConfigValue {
  name: string;
  value: string | null;
  /** As Kafka names it: topic, dynamic broker, static broker, default… */
  source: string;
  readOnly: boolean;
  sensitive: boolean;
}

/** What the broker made (or, validateOnly, would make) of a NewTopic. */
export interface CreatedTopic {
  topic: string;
  /** null for a dry run, and on brokers older than CreateTopics v7. */
  topicId: string | null;
  /** -1 where the broker did not say (CreateTopics before v5). */
  partitions: number;
  replicationFactor: number;
  /** Every config the topic gets, with where its value comes from; null where the broker did not say (before v5). */
  configs: TopicConfigValue[] | null;
}

export type TopicConfigChange = { name: string; op: 'set'; value: string } | { name: string; op: 'delete' };

export interface TopicAdminClient {
  /** Creates a topic, or (validateOnly) asks the controller whether it would, and what it would be. */
  createTopic(topic: NewTopic, options: { validateOnly: boolean }): Promise<CreatedTopic>;
  /** IncrementalAlterConfigs: only the configs named change. */
  alterTopicConfigs(topic: string, changes: TopicConfigChange[], options: { validateOnly: boolean }): Promise<void>;
  /** Grows a topic to `totalCount` partitions (Kafka never removes partitions). */
  createPartitions(topic: string, totalCount: number, options: { validateOnly: boolean }): Promise<void>;
  /** Deletes every record below each offset (DeleteRecords at each leader); answers each partition's new earliest offset. No dry run: Kafka has none. */
  deleteRecords(
    topic: string,
    offsets: { partition: number; offset: bigint }[],
  ): Promise<{ partition: number; lowWatermark: bigint }[]>;
  /** Deletes a topic and all its records. No dry run: Kafka has none. */
  deleteTopic(topic: string): Promise<void>;
}

/** The field of a topic-administration request that a Kafka error is about, named in the error. */
export type TopicAdminField =
  'topic' | 'partitions' | 'replicationFactor' | 'configs' | 'changes' | 'totalPartitions' | 'offsets';

/**
 * A Kafka error code answered to a topic-administration request, as an EventscopeError whose message
 * says what to change. brokerMessage: the broker's own words where the response carries them
 * (they name the config, the broker count…). Input the broker refused is INVALID_PARAMS with
 * the field it is about; the rest is KAFKA_ERROR (or UNKNOWN_TOPIC).
 */
export function topicAdminError(
  code: number,
  context: {
    topic: string;
    target: string;
    /** What was asked, to follow "to": "create", "delete records of"… */ action: string;
    brokerMessage?: string | null;
    field?: TopicAdminField;
    /** What exactly was refused, e.g. "Partition 2 (offset 500)". */ subject?: string;
  },
): EventscopeError {
  const { topic, target, action } = context;
  const name = kafkaErrorName(code);
  const said = context.brokerMessage ? ` Kafka says: "${context.brokerMessage}"` : '';
  const bad = (field: TopicAdminField, message: string): EventscopeError =>
    new EventscopeError('INVALID_PARAMS', `${context.subject ? `${context.subject}: ` : ''}${message}${said}`, field);
  switch (name) {
    case 'UNKNOWN_TOPIC_OR_PARTITION':
    case 'UNKNOWN_TOPIC_ID':
      return unknownTopicError(topic, target);
    case 'TOPIC_ALREADY_EXISTS':
      return bad('topic', `Topic "${topic}" already exists on ${target}: choose another name.`);
    case 'INVALID_TOPIC_EXCEPTION':
      return bad(
        'topic',
        `"${topic}" is not a valid topic name: use at most 249 of the characters a–z, A–Z, 0–9, ".", "_" and "-" (not "." or ".." alone).`,
      );
    case 'INVALID_PARTITIONS':
      return bad(
        context.field ?? 'partitions',
        `Kafka refused the partition count for "${topic}": a topic needs at least one partition, and partitions can only be added, never removed.`,
      );
    case 'INVALID_REPLICATION_FACTOR':
      return bad(
        'replicationFactor',
        `Kafka refused the replication factor for "${topic}": it must be at least 1 and at most the number of brokers in the cluster.`,
      );
    case 'INVALID_REPLICA_ASSIGNMENT':
      return bad(context.field ?? 'partitions', `Kafka cannot place the replicas of "${topic}" on its brokers.`);
    case 'INVALID_CONFIG':
      return bad(
        context.field ?? 'configs',
        `Kafka refused a config of "${topic}": check each name (topic configs such as retention.ms, cleanup.policy) and that its value is of the right kind and range.`,
      );
    case 'POLICY_VIOLATION':
      return bad(
        context.field ?? 'configs',
        `The cluster's topic policy refused the request to ${action} "${topic}": ask its administrators what the policy allows.`,
      );
    case 'OFFSET_OUT_OF_RANGE':
      return bad(
        'offsets',
        `An offset to delete records up to is beyond the end of its partition of "${topic}": choose an offset no larger than the partition's latest offset.`,
      );
    case 'TOPIC_DELETION_DISABLED':
      return new EventscopeError(
        'KAFKA_ERROR',
        `${target} does not allow deleting topics (delete.topic.enable=false on its brokers): ask its administrators.${said}`,
      );
    case 'TOPIC_AUTHORIZATION_FAILED':
    case 'CLUSTER_AUTHORIZATION_FAILED':
      return new EventscopeError(
        'KAFKA_ERROR',
        `This connection's user may not ${action} "${topic}" (${name}): ask the cluster's administrators for the ACL.${said}`,
      );
    case 'REASSIGNMENT_IN_PROGRESS':
      return new EventscopeError(
        'KAFKA_ERROR',
        `A partition reassignment of "${topic}" is in progress: wait for it to finish, then try again.${said}`,
      );
    case 'UNSUPPORTED_VERSION':
      return new EventscopeError(
        'KAFKA_ERROR',
        `${target} does not support the request to ${action} "${topic}" (UNSUPPORTED_VERSION).${said}`,
      );
    default:
      return new EventscopeError(
        'KAFKA_ERROR',
        `Kafka answered ${name} (error code ${code}) trying to ${action} "${topic}" on ${target}.${said}`,
      );
  }
}
