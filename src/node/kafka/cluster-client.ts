// What the rest of Eventscope may ask of a Kafka cluster. Everything outside src/node/kafka/
// talks to this interface only, so the client library underneath can be swapped.
import type { ClusterOverview, ConnectionTestResult, TopicDetail, TopicSummary } from '../../common/contract/dto.ts';
import type { ConsumerGroupClient } from './consumer-groups.ts';
import type { Isolation, ReadRequest, ReadSummary, StartOffsets, StartPosition } from './partition-reader.ts';
import type { TopicAdminClient } from './topic-admin.ts';

export interface OutgoingRecord {
  /** Default: the producer's partitioner (by key). */
  partition?: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: { key: string; value: Uint8Array | null }[];
}

export interface ClusterClient extends ConsumerGroupClient, TopicAdminClient {
  /** Connects (if needed) and answers cluster id, brokers and controller: the "test connection" answer. */
  probe(): Promise<ConnectionTestResult>;
  overview(): Promise<ClusterOverview>;
  listTopics(options: { includeInternal: boolean }): Promise<TopicSummary[]>;
  describeTopic(topic: string): Promise<TopicDetail>;
  /** Where reading from a position starts, and where the partitions end now. */
  startOffsets(
    topic: string,
    partitions: number[] | undefined,
    from: StartPosition,
    isolation?: Isolation,
  ): Promise<StartOffsets>;
  /** Reads records without joining a group; see ReadRequest. */
  read(request: ReadRequest): Promise<ReadSummary>;
  /** Writes one record (callers check that the connection allows writes). */
  produce(topic: string, record: OutgoingRecord): Promise<{ partition: number; offset: bigint }>;
  close(): Promise<void>;
}
