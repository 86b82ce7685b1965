// Many records picked by partition and offset, read from the replay log in a few reads instead
// of one per record: each stored row holds up to 4,096 records in one (often compressed) blob,
// so reading them one by one unpacked the same blob thousands of times (records.export of a
// list's rows). The offsets wanted of a partition are sorted and cut into runs with no gap
// wider than a stored row and no run longer than four; each run is one read (which holds the
// whole run in memory at once, hence the bound).
import type { KafkaRecord } from '../kafka/index.ts';
import type { ReplayLog } from './replay-log.ts';

/** A gap wider than this between two wanted offsets starts a new read (what lies between is not unpacked for nothing). */
const MAX_RUN_GAP = 4_096n;
/** A run spans at most this many offsets (four full stored rows). */
const MAX_RUN_SPAN = 16_384n;

export interface RecordPosition {
  partition: number;
  offset: bigint;
}

/**
 * Calls `found` once for every wanted record the log holds (partition by partition, in offset
 * order; a position wanted twice is given once). Positions the log does not hold are not
 * called: the caller asks the cluster for those. `found` may throw to stop.
 */
export function forEachHeldRecord(
  log: ReplayLog,
  cluster: string,
  topic: string,
  wanted: readonly RecordPosition[],
  found: (record: KafkaRecord) => void,
): void {
  const byPartition = new Map<number, Set<bigint>>();
  for (const { partition, offset } of wanted) {
    let offsets = byPartition.get(partition);
    if (!offsets) byPartition.set(partition, (offsets = new Set()));
    offsets.add(offset);
  }
  for (const [partition, offsetSet] of byPartition) {
    const offsets = [...offsetSet].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    let start = 0;
    for (let i = 1; i <= offsets.length; i++) {
      if (
        i < offsets.length &&
        offsets[i]! - offsets[i - 1]! <= MAX_RUN_GAP &&
        offsets[i]! - offsets[start]! < MAX_RUN_SPAN
      )
        continue;
      const from = offsets[start]!;
      const to = offsets[i - 1]!;
      const inRun = new Set(offsets.slice(start, i));
      // Offsets only grow within a partition: from..to holds at most to - from + 1 records.
      for (const record of log.read({ cluster, topic, partition }, from, Number(to - from) + 1)) {
        if (inRun.has(record.offset)) found(record);
      }
      start = i;
    }
  }
}
