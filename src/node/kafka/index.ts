// The public face of src/kafka: the rest of the app opens clusters through here.
export type { ClusterClient, OutgoingRecord } from './cluster-client.ts';
export type {
  FetchedSpan,
  Isolation,
  KafkaRecord,
  ReadRequest,
  ReadSummary,
  StartPosition,
} from './partition-reader.ts';
export { openKafkajsClusterClient as openClusterClient } from './kafkajs/kafkajs-cluster-client.ts';
export { unknownTopicError } from './errors.ts';
