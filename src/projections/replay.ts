// A replay: partitions merged in event order (event-order.ts), packed into batches
// (event-batch.ts) and fed to a projection in its sandbox (projection-runner.ts), then the
// final state. Universal: the CLI's `replay` reads partitions from a cluster or a capture; the
// app can feed it what its replay log holds.
import { EventBatchBuilder, type SourceRecord } from './event-batch.ts';
import { mergePartitions, type PartitionSource } from './event-order.ts';
import type { ProjectionOutcome } from './projection-api.ts';
import type { ProjectionRunner } from './projection-runner.ts';

/** What a replay read of one partition: the first and last offsets fed, and how many events. */
export interface ReplayedRange {
  topic: string;
  partition: number;
  firstOffset: string;
  lastOffset: string;
  events: number;
}

export interface ReplayResult {
  outcome: ProjectionOutcome;
  ranges: ReplayedRange[];
}

/** Feeds every source's records, merged, to the projection and returns its final state. The runner is left running (the caller terminates it). */
export async function replayIntoProjection(runner: ProjectionRunner, sources: PartitionSource[], options: { onFed?(events: number): void } = {}): Promise<ReplayResult> {
  const builder = new EventBatchBuilder();
  // Each source with what was fed of it (a property here: a map lookup per run showed in profiles).
  const tracked = sources.map((source) => ({ topic: source.topic, partition: source.partition, next: () => source.next(), first: -1n, last: -1n, events: 0 }));
  type Tracked = (typeof tracked)[number];
  let fed = 0;
  const flush = async (): Promise<void> => {
    const n = builder.count;
    if (n === 0) return;
    await runner.feed(builder.take());
    fed += n;
    options.onFed?.(fed);
  };
  /** Adds records [from, to) of a run, feeding each batch as it fills. */
  const addRest = async (source: Tracked, records: SourceRecord[], from: number, to: number): Promise<void> => {
    await flush();
    for (let i = from; i < to; i++) {
      builder.add(source.topic, records[i]!);
      if (builder.full) await flush();
    }
  };
  // Synchronous unless a batch fills: runs are often a record or two long.
  await mergePartitions(tracked, (s, records, from, to) => {
    const source = s as Tracked;
    if (source.events === 0) source.first = records[from]!.offset;
    source.last = records[to - 1]!.offset;
    source.events += to - from;
    for (let i = from; i < to; i++) {
      builder.add(source.topic, records[i]!);
      if (builder.full) return addRest(source, records, i + 1, to);
    }
    return undefined;
  });
  await flush();
  const outcome = await runner.finish();
  const out: ReplayedRange[] = tracked.filter((s) => s.events > 0).map((s) => ({ topic: s.topic, partition: s.partition, firstOffset: s.first.toString(), lastOffset: s.last.toString(), events: s.events }));
  out.sort((a, b) => (a.topic !== b.topic ? (a.topic < b.topic ? -1 : 1) : a.partition - b.partition));
  return { outcome, ranges: out };
}
