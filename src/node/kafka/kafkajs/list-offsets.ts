// Offsets of many partitions at once: one ListOffsets request per leader broker and per
// timestamp asked (earliest, latest, a time), however many topics, the way topic listing and
// consumer lag both need them. One bad partition fails a whole request in kafkajs, so a
// failed request is asked again per topic and the rest still get their numbers.
import { ISOLATION, type InternalBroker, type InternalCluster } from './internals.ts';

/** The part of a topic's metadata a ListOffsets round needs: its partitions' leaders. */
export interface LeaderTopic {
  topic: string;
  partitionMetadata: { partitionId: number; leader: number }[];
}

export function partitionKey(topic: string, partition: number): string {
  return `${partition}\u0000${topic}`;
}

/**
 * For each timestamp asked (OFFSET_SPEC.EARLIEST, OFFSET_SPEC.LATEST or a time in ms), the
 * offset of every partition with a leader (partitionKey → offset as kafkajs gives it, a decimal
 * string; "-1" for a time no record is that late). Partitions without a leader, and those the
 * broker refused, are absent.
 */
export async function listOffsetsByLeader(
  cluster: InternalCluster,
  topics: readonly LeaderTopic[],
  timestamps: readonly number[],
  isolationLevel: number = ISOLATION.READ_UNCOMMITTED,
): Promise<Map<string, string>[]> {
  const byLeader = new Map<number, Map<string, number[]>>();
  for (const t of topics) {
    for (const p of t.partitionMetadata) {
      if (p.leader < 0) continue;
      const perTopic = byLeader.get(p.leader) ?? new Map<string, number[]>();
      byLeader.set(p.leader, perTopic);
      const list = perTopic.get(t.topic) ?? [];
      perTopic.set(t.topic, list);
      list.push(p.partitionId);
    }
  }
  const results = timestamps.map(() => new Map<string, string>());
  await Promise.all(
    [...byLeader].map(async ([nodeId, perTopic]) => {
      const broker = await findBrokerById(cluster, nodeId);
      const ask = async (timestamp: number, answer: Map<string, string>): Promise<void> => {
        try {
          const response = await broker.listOffsets({
            isolationLevel,
            topics: [...perTopic].map(([topic, partitions]) => ({
              topic,
              partitions: partitions.map((partition) => ({ partition, timestamp })),
            })),
          });
          for (const r of response.responses)
            for (const p of r.partitions) answer.set(partitionKey(r.topic, p.partition), p.offset);
        } catch {
          // One bad partition fails the whole batch in kafkajs; fall back to asking per topic
          // so the rest of the list still gets its numbers.
          await Promise.all(
            [...perTopic].map(async ([topic, partitions]) => {
              const response = await broker
                .listOffsets({
                  isolationLevel,
                  topics: [{ topic, partitions: partitions.map((partition) => ({ partition, timestamp })) }],
                })
                .catch(() => null);
              for (const r of response?.responses ?? [])
                for (const p of r.partitions) answer.set(partitionKey(r.topic, p.partition), p.offset);
            }),
          );
        }
      };
      await Promise.all(timestamps.map((timestamp, i) => ask(timestamp, results[i]!)));
    }),
  );
  return results;
}

/**
 * A broker by node id. kafkajs knows brokers from the metadata it last read, none right after
 * connecting: a broker it does not know yet makes it read metadata again (in findBroker), and
 * it is asked once more.
 */
export async function findBrokerById(cluster: InternalCluster, nodeId: number): Promise<InternalBroker> {
  try {
    return await cluster.findBroker({ nodeId });
  } catch (err) {
    if ((err as { name?: string }).name !== 'KafkaJSBrokerNotFound') throw err;
    return await cluster.findBroker({ nodeId });
  }
}
