// Partitions to replay, read straight from a replay log (a capture file): where reading starts
// and ends comes from the log's offline cluster (the same positions as browsing it), the records
// from the log in pages of several stored rows. A cluster's reader hands a partition over in
// pages of 5,000 records, which cuts most of the log's rows (4,096 records, compressed) in two
// and decompresses them twice; pages of whole rows decompress each once (measured on 1 M
// events: the host read half as much). Reading the log is synchronous, so nothing is read ahead.
import type { ClusterClient } from '../../kafka/index.ts';
import type { ReplayLog } from '../../log/replay-log.ts';
import type { PartitionSource } from '../event-order.ts';
import { cutAtStop, type ClusterSourceOptions } from './cluster-sources.ts';
import { RpcError } from '../../contract/errors.ts';

/** Records per page: four rows of the log as it stores them. */
const PAGE_RECORDS = 4_096;

export async function logPartitionSources(
  offline: ClusterClient,
  log: ReplayLog,
  logCluster: string,
  topics: string[],
  partitions: number[] | null,
  options: Pick<ClusterSourceOptions, 'from' | 'to'>,
): Promise<{ sources: PartitionSource[]; close(): void }> {
  const sources: PartitionSource[] = [];
  const stop = options.to ?? null;
  for (const topic of topics) {
    const held = (await offline.describeTopic(topic)).partitions.map((p) => p.partition).sort((a, b) => a - b);
    const chosen = partitions ?? held;
    const missing = chosen.filter((p) => !held.includes(p));
    if (missing.length > 0) throw new RpcError('NOT_FOUND', `"${topic}" has no partition ${missing.join(', ')} (it has ${held.length === 0 ? 'none' : `${held[0]}–${held[held.length - 1]}`}).`, 'partition');
    const { start, end } = await offline.startOffsets(topic, chosen, options.from);
    for (const partition of chosen) {
      let at = start.get(partition)!;
      const until = end.get(partition)!;
      let done = false;
      sources.push({
        topic,
        partition,
        next: async () => {
          if (done || at >= until) return null;
          let page = log.read({ cluster: logCluster, topic, partition }, at, PAGE_RECORDS);
          if (page.length === 0) {
            done = true;
            return null;
          }
          at = page[page.length - 1]!.offset + 1n;
          if (page[page.length - 1]!.offset >= until) page = page.filter((r) => r.offset < until);
          const { keep, reachedStop } = cutAtStop(page, stop);
          if (reachedStop) done = true;
          return keep === page.length ? page : page.slice(0, keep);
        },
      });
    }
  }
  return { sources, close: () => undefined };
}
