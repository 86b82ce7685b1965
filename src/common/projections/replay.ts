// A replay: partitions merged in event order (event-order.ts), packed into batches
// (event-batch.ts) and fed to a projection in its sandbox (projection-runner.ts), then the
// final state. Universal: the CLI's `replay` reads partitions from a cluster or a capture; the
// app can feed it what its replay log holds.
import { EventBatchBuilder, pageOffset } from './event-batch.ts';
import { mergePartitionPages, type PartitionSource, type SourceRun } from './event-order.ts';
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
export async function replayIntoProjection(
  runner: ProjectionRunner,
  sources: PartitionSource[],
  options: { onFed?(events: number): void } = {},
): Promise<ReplayResult> {
  const builder = new EventBatchBuilder();
  // Each source with what was fed of it (a property here: a map lookup per run showed in
  // profiles). The last offset is kept as where it is (a page and an index): a BigInt per run
  // cost a tenth of the host's time when partitions interleave record by record.
  const tracked = sources.map((source) => ({
    topic: source.topic,
    partition: source.partition,
    next: () => source.next(),
    nextPage: source.nextPage ? () => source.nextPage!() : undefined,
    first: -1n,
    lastRun: null as SourceRun | null,
    lastIndex: 0,
    events: 0,
  }));
  type Tracked = (typeof tracked)[number];
  let fed = 0;
  const flush = async (): Promise<void> => {
    const n = builder.count;
    if (n === 0) return;
    await runner.feed(builder.take());
    fed += n;
    options.onFed?.(fed);
  };
  const offsetIn = (run: SourceRun, i: number): bigint => (Array.isArray(run) ? run[i]!.offset : pageOffset(run, i));
  /** Adds records [from, to) of a run, feeding each batch as it fills. */
  const addRest = async (source: Tracked, run: SourceRun, from: number, to: number): Promise<void> => {
    await flush();
    if (Array.isArray(run)) {
      for (let i = from; i < to; i++) {
        builder.add(source.topic, run[i]!);
        if (builder.full) await flush();
      }
      return;
    }
    while (from < to) {
      from += builder.addPage(source.topic, run, from, to);
      if (builder.full) await flush();
    }
  };
  // Synchronous unless a batch fills: runs are often a record or two long.
  await mergePartitionPages(tracked, (s, run, from, to) => {
    const source = s as Tracked;
    if (source.events === 0) source.first = offsetIn(run, from);
    source.lastRun = run;
    source.lastIndex = to - 1;
    source.events += to - from;
    if (Array.isArray(run)) {
      for (let i = from; i < to; i++) {
        builder.add(source.topic, run[i]!);
        if (builder.full) return addRest(source, run, i + 1, to);
      }
      return undefined;
    }
    const taken = builder.addPage(source.topic, run, from, to);
    if (builder.full || taken < to - from) return addRest(source, run, from + taken, to);
    return undefined;
  });
  await flush();
  const outcome = await runner.finish();
  const out: ReplayedRange[] = tracked
    .filter((s) => s.events > 0)
    .map((s) => ({
      topic: s.topic,
      partition: s.partition,
      firstOffset: s.first.toString(),
      lastOffset: offsetIn(s.lastRun!, s.lastIndex).toString(),
      events: s.events,
    }));
  out.sort((a, b) => (a.topic !== b.topic ? (a.topic < b.topic ? -1 : 1) : a.partition - b.partition));
  return { outcome, ranges: out };
}
