// What the rest of Eventscope may ask of a Kafka cluster. Everything outside src/kafka/
// talks to this interface only, so the client library underneath can be swapped.
import type { ClusterOverview, ConnectionTestResult, TopicDetail, TopicSummary } from '../contract/dto.ts';

export interface ClusterClient {
  /** Connects (if needed) and answers cluster id, brokers and controller: the "test connection" answer. */
  probe(): Promise<ConnectionTestResult>;
  overview(): Promise<ClusterOverview>;
  listTopics(options: { includeInternal: boolean }): Promise<TopicSummary[]>;
  describeTopic(topic: string): Promise<TopicDetail>;
  close(): Promise<void>;
}
