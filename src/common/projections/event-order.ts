// The order a replay feeds events in. Within a partition: offset order, always (a partition is
// the order Kafka guarantees; timestamps within one may go backwards and are not re-sorted).
// Across partitions (and topics): the partition whose next event has the earliest timestamp goes
// first; on equal timestamps, by topic name, then partition number. Sources are read as needed
// (a merge waits for every partition's next record before it picks), so memory holds a few
// fetched batches per partition, not the range.
import type { RecordPage, SourceRecord } from './event-batch.ts';

/** One partition's records, in offset order, as they are read. */
export interface PartitionSource {
  topic: string;
  partition: number;
  /** The next records (in offset order), or null at the end. */
  next(): Promise<SourceRecord[] | null>;
  /**
   * The same as columns (a replay log's source): the next page, or null at the end. A merge
   * that takes pages (mergePartitionPages) reads a source through this when it has it; one
   * source is read through one of the two only.
   */
  nextPage?(): Promise<RecordPage | null>;
}

/** What a source hands over: records, or a page of columns (its records [start, end)). */
export type SourceRun = SourceRecord[] | RecordPage;

interface Cursor {
  source: PartitionSource;
  /** Rank of (topic, partition): the tie-break on equal timestamps. */
  rank: number;
  run: SourceRun;
  /** The run's timestamps (a page's own column; copied out of records). */
  times: Float64Array;
  at: number;
  end: number;
}

/** Compares topic names as the merge does (code units, so the same everywhere). */
function byTopicThenPartition(a: PartitionSource, b: PartitionSource): number {
  if (a.topic !== b.topic) return a.topic < b.topic ? -1 : 1;
  return a.partition - b.partition;
}

/** Gives a cursor its partition's next non-empty records, or marks it ended (at = -1). */
async function refill(c: Cursor, pages: boolean): Promise<void> {
  for (;;) {
    const source = c.source;
    const next: SourceRun | null = pages && source.nextPage ? await source.nextPage() : await source.next();
    if (next === null) {
      c.run = [];
      c.at = -1;
      return;
    }
    if (Array.isArray(next)) {
      if (next.length === 0) continue;
      const times = new Float64Array(next.length);
      for (let i = 0; i < next.length; i++) times[i] = next[i]!.timestampMs;
      c.run = next;
      c.times = times;
      c.at = 0;
      c.end = next.length;
      return;
    }
    if (next.end <= next.start) continue;
    c.run = next;
    c.times = next.timestamp;
    c.at = next.start;
    c.end = next.end;
    return;
  }
}

/**
 * Calls `take` with runs of consecutive records of one partition, in the merged order. A run
 * ends where another partition's next record comes first. `take` may return a promise
 * (backpressure): the merge waits for it.
 */
export function mergePartitions(
  sources: PartitionSource[],
  take: (source: PartitionSource, records: SourceRecord[], from: number, to: number) => void | Promise<void>,
): Promise<void> {
  return merge(
    sources,
    false,
    take as (source: PartitionSource, run: SourceRun, from: number, to: number) => void | Promise<void>,
  );
}

/** mergePartitions, reading sources that have pages (nextPage) as pages: `take` gets a page's records [from, to) then. */
export function mergePartitionPages(
  sources: PartitionSource[],
  take: (source: PartitionSource, run: SourceRun, from: number, to: number) => void | Promise<void>,
): Promise<void> {
  return merge(sources, true, take);
}

async function merge(
  sources: PartitionSource[],
  pages: boolean,
  take: (source: PartitionSource, run: SourceRun, from: number, to: number) => void | Promise<void>,
): Promise<void> {
  const ranked = [...sources].sort(byTopicThenPartition);
  const cursors: Cursor[] = ranked.map((source, rank) => ({
    source,
    rank,
    run: [],
    times: new Float64Array(0),
    at: 0,
    end: 0,
  }));
  // Every partition needs its next record in hand before one can be picked.
  await Promise.all(cursors.map((c) => refill(c, pages)));
  let live = cursors.filter((c) => c.at >= 0);
  while (live.length > 0) {
    // The earliest head (timestamp, then rank), and the one after it, which ends the run.
    let first = live[0]!;
    let firstTs = first.times[first.at]!;
    let nextTs = Infinity;
    let nextRank = Infinity;
    for (let k = 1; k < live.length; k++) {
      const c = live[k]!;
      const t = c.times[c.at]!;
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
    const times = first.times;
    const end = first.end;
    const from = first.at;
    const rank = first.rank;
    let to = from + 1;
    while (to < end) {
      const t = times[to]!;
      if (t < nextTs || (t === nextTs && rank < nextRank)) to++;
      else break;
    }
    first.at = to;
    const pending = take(first.source, first.run, from, to);
    if (pending) await pending;
    // Only the partition a run came from can have run out.
    if (to >= end) {
      await refill(first, pages);
      if (first.at < 0) live = live.filter((c) => c !== first);
    }
  }
}
