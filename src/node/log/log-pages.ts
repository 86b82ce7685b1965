// Paging back through the replay log across partitions: the renderer keeps a bounded window
// of rows and asks for the page before its oldest row when the user scrolls up.
import type { KafkaRecord } from '../kafka/index.ts';
import type { ReplayLog } from './replay-log.ts';

/** The newest `limit` records older than `before[partition]`, merged by time, oldest first. */
export function pageBefore(
  log: ReplayLog,
  cluster: string,
  topic: string,
  before: Record<string, string>,
  limit: number,
): { records: KafkaRecord[]; more: boolean } {
  const candidates: KafkaRecord[] = [];
  for (const [partition, offset] of Object.entries(before)) {
    candidates.push(
      ...log.read({ cluster, topic, partition: Number(partition) }, BigInt(offset), limit + 1, 'backward'),
    );
  }
  candidates.sort(
    (a, b) =>
      a.timestampMs - b.timestampMs ||
      a.partition - b.partition ||
      (a.offset < b.offset ? -1 : a.offset > b.offset ? 1 : 0),
  );
  const more = candidates.length > limit;
  return { records: candidates.slice(Math.max(0, candidates.length - limit)), more };
}
