// Does what the replay log holds of a topic still belong to the topic the cluster has now?
// A topic deleted and re-created under the same name starts again at offset 0 with other
// records, and a partition can be truncated below what was fetched (unclean leader election,
// a re-created topic on a broker without topic IDs). Held records that no longer match would
// be shown as the cluster's, and a new read would skip storing the real ones as "held".
// Checked against Kafka's topic ID (which changes on re-creation) and each partition's end
// offset; what does not match is forgotten (it is a cache of the cluster) and said.
import { formatCount } from '../../common/format/numbers.ts';
import type { ReplayLog } from './replay-log.ts';

export interface TopicSeen {
  /** Kafka's topic ID now; null where the broker predates topic IDs. */
  topicId: string | null;
  /** Each partition's end offset (high watermark) now. */
  endOffsets: ReadonlyMap<number, bigint>;
}

/** Forgets what no longer matches; answers one sentence per thing forgotten (none if all matched). */
export function checkHeldTopic(log: ReplayLog, cluster: string, topic: string, seen: TopicSeen): string[] {
  const notices: string[] = [];
  const heldId = log.topicId(cluster, topic);
  if (heldId !== null && seen.topicId !== null && heldId !== seen.topicId) {
    const records = log.forgetTopic(cluster, topic);
    if (records > 0)
      notices.push(
        `The replay log held ${formatCount(records)} records of an earlier topic named ${topic} (deleted and re-created since, topic ID ${heldId}); they were set aside and are read again from the cluster.`,
      );
  }
  const held = log.topics(cluster).find((t) => t.topic === topic);
  for (const partition of held?.partitions ?? []) {
    const end = seen.endOffsets.get(partition);
    const key = { cluster, topic, partition };
    const ranges = log.ranges(key);
    const heldEnd = ranges[ranges.length - 1]?.to;
    if (heldEnd === undefined) continue;
    // A partition the cluster no longer has (fewer partitions: the topic was re-created) holds nothing now.
    const now = end ?? 0n;
    if (heldEnd > now) {
      const records = log.forgetFrom(key, now);
      if (records > 0)
        notices.push(
          `Partition ${partition} of ${topic} now ends at offset ${formatCount(now)}, below the ${formatCount(heldEnd)} the replay log held: ${formatCount(records)} held records past its end were set aside.`,
        );
    }
  }
  // Recorded before anything is stored, so what a read stores next is known to be of this topic.
  if (seen.topicId !== null && seen.topicId !== heldId) log.setTopicId(cluster, topic, seen.topicId);
  return notices;
}
