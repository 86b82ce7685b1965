// The order a replay feeds events in. Within a partition: offset order, always (a partition is
// the order Kafka guarantees; timestamps within one may go backwards and are not re-sorted).
// Across partitions (and topics): the partition whose next event has the earliest timestamp goes
// first; on equal timestamps, by topic name, then partition number. Sources are read as needed
// (a merge waits for every partition's next record before it picks), so memory holds a few
// fetched batches per partition, not the range.
import type { SourceRecord } from './event-batch.ts';

/** One partition's records, in offset order, as they are read. */
export interface PartitionSource {
  topic: string;
  partition: number;
  /** The next records (in offset order), or null at the end. */
  next(): Promise<SourceRecord[] | null>;
}

interface Cursor {
  source: PartitionSource;
  /** Rank of (topic, partition): the tie-break on equal timestamps. */
  rank: number;
  records: SourceRecord[];
  at: number;
}

/** Compares topic names as the merge does (code units, so the same everywhere). */
function byTopicThenPartition(a: PartitionSource, b: PartitionSource): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  return a.partition - b.partition;
}

/** Gives a cursor its partition's next non-empty records, or marks it ended (at = -1). */
async function refill(c: Cursor): Promise<void> {
  for (;;) {
    const next = await c.source.next();
    if (next === null) {
      c.records = [];
      c.at = -1;
      return;
    }
    if (next.length > 0) {
      c.records = next;
      c.at = 0;
      return;
    }
  }
}

/**
 * Calls `take` with runs of consecutive records of one partition, in the merged order. A run
 * ends where another partition's next record comes first. `take` may return a promise
 * (backpressure): the merge waits for it.
 */
export async function mergePartitions(sources: PartitionSource[], take: (source: PartitionSource, records: SourceRecord[], from: number, to: number) => void | Promise<void>): Promise<void> {
  const ranked = [...sources].sort(byTopicThenPartition);
  const cursors: Cursor[] = ranked.map((source, rank) => ({ source, rank, records: [], at: 0 }));
  // Every partition needs its next record in hand before one can be picked.
  await Promise.all(cursors.map(refill));
  let live = cursors.filter((c) => c.at >= 0);
  while (live.length > 0) {
    // The earliest head (timestamp, then rank), and the one after it, which ends the run.
    let first = live[0]!;
    let firstTs = first.records[first.at]!.timestampMs;
    let nextTs = Infinity;
    let nextRank = Infinity;
    for (let k = 1; k < live.length; k++) {
      const c = live[k]!;
      const t = c.records[c.at]!.timestampMs;
      if (t < firstTs || (t === firstTs && c.rank < first.rank)) {
        nextTs = firstTs;
        nextRank = first.rank;
        first = c;
        firstTs = t;
      } else if (t < nextTs || (t === nextTs && c.rank < nextRank)) {
        nextTs = t;
        nextRank = c.rank;
      }
    }
    const records = first.records;
    const from = first.at;
    const rank = first.rank;
    let to = from + 1;
    while (to < records.length) {
      const t = records[to]!.timestampMs;
      if (t < nextTs || (t === nextTs && rank < nextRank)) to++;
      else break;
    }
    first.at = to;
    const pending = take(first.source, records, from, to);
    if (pending) await pending;
    // Only the partition a run came from can have run out.
    if (to >= records.length) {
      await refill(first);
      if (first.at < 0) live = live.filter((c) => c !== first);
    }
  }
}
