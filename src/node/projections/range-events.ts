// The events of a range for a projection run in the app (the contract's projections.events):
// the range resolved per partition, then each partition read from the replay log where the log
// holds it and from the cluster where it does not (what is fetched is stored in the log, so a
// second run, a step-through or a compare reads it from disk), partitions merged in event order
// (event-order.ts), and sent as record frames with flow control: at most a few frames ahead of
// the page's last acknowledgement, so a page that stops reading stops the read.
//
// Records of the range that are gone from the cluster before they were read (retention,
// DeleteRecords) end the read: a projection fed a range with a hole in it would answer a state
// that looks right and is not. What was delivered before stays valid, and the end says so.
import type { ProjectionEventsEvent, RangeEnd, ResolvedPartitionRange } from '../../common/contract/projection-dto.ts';
import type { Position } from '../../common/contract/dto.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import { encodeRecordFrame } from '../../common/codecs/record-frame.ts';
import type { ClusterClient, KafkaRecord } from '../kafka/index.ts';
import { LogFullError, type ReplayLog, type SpanToStore, type StreamKey } from '../log/replay-log.ts';
import { toStartPosition } from '../tail/tail-session.ts';
import { mergePartitions, type PartitionSource } from '../../common/projections/event-order.ts';
import type { SourceRecord } from '../../common/projections/event-batch.ts';

/** Events per record frame. */
export const FRAME_EVENTS = 4_000;
/** Frames sent ahead of the page's last acknowledgement. */
export const FRAMES_AHEAD = 4;
/** Records the log is read in, per partition. */
const LOG_PAGE_RECORDS = 4_096;
/** Records fetched from the cluster per partition before the merge takes them. */
const SEGMENT_RECORDS = 20_000;
const PROGRESS_MS = 200;

export interface RangeEventsParams {
  topic: string;
  partitions?: number[] | undefined;
  from: Position;
  to: RangeEnd;
  startAt?: Record<string, string> | undefined;
  maxEvents?: number | undefined;
}

export interface RangeEventsDeps {
  client: ClusterClient;
  log: ReplayLog;
  /** The log's key for this connection (a capture's own). */
  cluster: string;
  /** A capture: everything there is, is in the log (nothing is fetched). */
  offline: boolean;
  readId: string;
  signal: AbortSignal;
  /** Said before the range (e.g. what the held-topic check set aside). */
  notices?: string[];
}

/** Records of the range that the cluster no longer has. */
class RangeDeletedError extends Error {}

/** The acknowledgements of one read: the frame the page has used last, and a wait for room. */
export class FrameAcks {
  private acked = 0;
  private waiter: (() => void) | null = null;

  ack(seq: number): void {
    if (seq > this.acked) this.acked = seq;
    this.waiter?.();
  }

  /** Resolves when frame `seq` may be sent (or the read is cancelled). */
  async room(seq: number, signal: AbortSignal): Promise<void> {
    while (seq - this.acked > FRAMES_AHEAD && !signal.aborted) {
      await new Promise<void>((resolve) => {
        const done = (): void => {
          this.waiter = null;
          signal.removeEventListener('abort', done);
          resolve();
        };
        this.waiter = done;
        signal.addEventListener('abort', done);
      });
    }
  }
}

/** Resolves the range per partition: from inclusive, to exclusive, both within what the partition holds now. */
async function resolveRange(
  client: ClusterClient,
  params: RangeEventsParams,
  say: (message: string) => void,
): Promise<ResolvedPartitionRange[]> {
  const { topic } = params;
  const detail = await client.describeTopic(topic);
  const all = detail.partitions.map((p) => p.partition).sort((a, b) => a - b);
  const chosen = params.partitions ?? all;
  const missing = chosen.filter((p) => !all.includes(p));
  if (missing.length > 0) {
    throw new EventscopeError(
      'NOT_FOUND',
      `"${topic}" has no partition ${missing.join(', ')} (it has ${all.length === 0 ? 'none' : `${all[0]}–${all[all.length - 1]}`}).`,
      'partitions',
    );
  }
  const { from, perPartition } = toStartPosition(params.from);
  const starts = await client.startOffsets(topic, chosen, from);
  for (const notice of starts.notices ?? []) say(notice);
  const end = starts.end;
  let stop: Map<number, bigint>;
  const to = params.to;
  if (to.kind === 'latest') stop = new Map(end);
  else if (to.kind === 'offset') stop = new Map(chosen.map((p) => [p, BigInt(to.offset) + 1n]));
  else if (to.kind === 'timestamp') {
    // The first record later than the time: ListOffsets by time gives the first at or after it.
    const later = (await client.offsetsForTime([topic], to.timestamp + 1)).get(topic) ?? new Map<number, bigint>();
    stop = new Map(chosen.map((p) => [p, later.get(p) ?? end.get(p) ?? 0n]));
  } else {
    const committed = ((await client.committedOffsets([to.groupId])).get(to.groupId) ?? []).filter(
      (c) => c.topic === topic,
    );
    if (committed.length === 0) {
      throw new EventscopeError(
        'NOT_FOUND',
        `Group "${to.groupId}" has no committed offset on "${topic}": choose another group, or end the range at an offset or a time.`,
        'to',
      );
    }
    stop = new Map();
    const without: number[] = [];
    for (const p of chosen) {
      const c = committed.find((x) => x.partition === p)?.offset ?? null;
      if (c === null) without.push(p);
      stop.set(p, c ?? end.get(p) ?? 0n);
    }
    if (without.length > 0)
      say(
        `Group "${to.groupId}" has no committed offset for partition ${without.join(', ')}: the range there ends at the end offset.`,
      );
  }
  return chosen.map((p) => {
    const last = end.get(p) ?? 0n;
    let toOffset = stop.get(p) ?? last;
    if (toOffset > last) toOffset = last;
    let fromOffset = perPartition?.get(p) ?? starts.start.get(p) ?? 0n;
    const resume = params.startAt?.[String(p)];
    if (resume !== undefined) fromOffset = BigInt(resume);
    if (fromOffset > toOffset) fromOffset = toOffset;
    return { partition: p, from: fromOffset.toString(), to: toOffset.toString() };
  });
}

/** Offsets of [from, to) the log does not hold. */
function unheld(log: ReplayLog, key: StreamKey, from: bigint, to: bigint): bigint {
  let missing = to - from;
  for (const r of log.ranges(key)) {
    const a = r.from > from ? r.from : from;
    const b = r.to < to ? r.to : to;
    if (b > a) missing -= b - a;
  }
  return missing > 0n ? missing : 0n;
}

/** One partition of the range: the log where it holds the offsets, the cluster (stored into the log) where not. */
function partitionSource(
  deps: RangeEventsDeps,
  topic: string,
  range: ResolvedPartitionRange,
  counters: { fetched: number; logFull: boolean; onFetched(): void },
): PartitionSource {
  const { log, client, offline, signal } = deps;
  const key: StreamKey = { cluster: deps.cluster, topic, partition: range.partition };
  const to = BigInt(range.to);
  let at = BigInt(range.from);

  const fetchSegment = async (stop: bigint): Promise<KafkaRecord[]> => {
    const collected: KafkaRecord[] = [];
    const spans: SpanToStore[] = [];
    let first: bigint | null = null;
    let reached = at;
    const controller = new AbortController();
    const cancel = (): void => controller.abort();
    signal.addEventListener('abort', cancel);
    try {
      await client.read({
        topic,
        partitions: [range.partition],
        from: { kind: 'offset', offset: at },
        startAt: new Map([[range.partition, at]]),
        follow: false,
        signal: controller.signal,
        onRecords(records, span) {
          if (controller.signal.aborted) return;
          if (first === null) first = span.from;
          const spanTo = span.to < stop ? span.to : stop;
          const kept =
            records.length > 0 && records[records.length - 1]!.offset >= stop
              ? records.filter((r) => r.offset < stop)
              : records;
          if (spanTo > span.from) spans.push({ key, span: { from: span.from, to: spanTo }, records: kept });
          for (const r of kept) collected.push(r);
          reached = spanTo;
          counters.fetched += kept.length;
          counters.onFetched();
          if (reached >= stop || collected.length >= SEGMENT_RECORDS) controller.abort();
        },
      });
    } catch (err) {
      if (!controller.signal.aborted || signal.aborted) throw err;
    } finally {
      signal.removeEventListener('abort', cancel);
    }
    if (signal.aborted) return [];
    if (first !== null && first > at) {
      throw new RangeDeletedError(
        `Partition ${range.partition}: offsets ${at}–${first - 1n} of the range are no longer on the cluster (deleted by retention or DeleteRecords) and the replay log does not hold them.`,
      );
    }
    if (reached === at) {
      throw new RangeDeletedError(
        `Partition ${range.partition}: offsets from ${at} of the range are no longer on the cluster (the partition ends below ${stop} now) and the replay log does not hold them.`,
      );
    }
    if (spans.length > 0 && !counters.logFull) {
      try {
        log.appendAll(spans);
      } catch (err) {
        // A full disk: the run goes on from memory; the next one fetches again.
        if (!(err instanceof LogFullError)) throw err;
        counters.logFull = true;
      }
    }
    at = reached;
    return collected;
  };

  return {
    topic,
    partition: range.partition,
    async next(): Promise<SourceRecord[] | null> {
      while (at < to && !signal.aborted) {
        const ranges = log.ranges(key);
        const holding = ranges.find((r) => r.from <= at && at < r.to);
        if (holding) {
          const until = holding.to < to ? holding.to : to;
          const page = log.read(key, at, LOG_PAGE_RECORDS).filter((r) => r.offset < until);
          if (page.length === 0) {
            at = until;
            continue;
          }
          at = page[page.length - 1]!.offset + 1n;
          return page;
        }
        const nextHeld = ranges.find((r) => r.from > at);
        const stop = nextHeld && nextHeld.from < to ? nextHeld.from : to;
        if (offline) {
          // A capture holds what it holds: offsets it lacks were never in it.
          at = stop;
          continue;
        }
        const fetched = await fetchSegment(stop);
        if (fetched.length > 0) return fetched;
      }
      return null;
    },
  };
}

/** Runs one read of a range, emitting the contract's events until it ends (or is cancelled). */
export async function streamRangeEvents(
  params: RangeEventsParams,
  deps: RangeEventsDeps,
  acks: FrameAcks,
  emit: (event: ProjectionEventsEvent) => void,
): Promise<void> {
  const { topic } = params;
  for (const notice of deps.notices ?? []) emit({ type: 'notice', message: notice });
  const ranges = await resolveRange(deps.client, params, (message) => emit({ type: 'notice', message }));
  let total = 0n;
  for (const r of ranges) total += BigInt(r.to) - BigInt(r.from);
  const events = params.maxEvents !== undefined && BigInt(params.maxEvents) < total ? params.maxEvents : Number(total);
  emit({ type: 'range', readId: deps.readId, partitions: ranges, events });

  let missing = 0n;
  if (!deps.offline)
    for (const r of ranges)
      missing += unheld(
        deps.log,
        { cluster: deps.cluster, topic, partition: r.partition },
        BigInt(r.from),
        BigInt(r.to),
      );
  let progressAt = 0;
  const counters = {
    fetched: 0,
    logFull: false,
    onFetched(): void {
      const now = Date.now();
      if (now - progressAt < PROGRESS_MS) return;
      progressAt = now;
      emit({ type: 'fetching', fetched: counters.fetched, missing: Number(missing) });
    },
  };
  const delivered = new Map<number, { first: bigint; last: bigint; events: number }>();
  const next: Record<string, string> = Object.fromEntries(ranges.map((r) => [String(r.partition), r.from]));
  let frame: KafkaRecord[] = [];
  let seq = 0;
  let count = 0;
  const limit = params.maxEvents ?? Infinity;

  const flush = async (): Promise<void> => {
    if (frame.length === 0) return;
    const records = frame;
    frame = [];
    seq++;
    await acks.room(seq, deps.signal);
    if (deps.signal.aborted) return;
    emit({ type: 'records', seq, frame: encodeRecordFrame(records), delivered: count });
  };
  const take = (record: SourceRecord): void => {
    frame.push(record as KafkaRecord);
    count++;
    const d = delivered.get(record.partition);
    if (d) {
      d.last = record.offset;
      d.events++;
    } else delivered.set(record.partition, { first: record.offset, last: record.offset, events: 1 });
    next[String(record.partition)] = (record.offset + 1n).toString();
  };

  const endWith = (
    reason: 'complete' | 'topic-deleted' | 'records-deleted' | 'failed',
    message: string | null,
  ): void => {
    emit({
      type: 'end',
      reason,
      message,
      delivered: [...delivered]
        .sort((a, b) => a[0] - b[0])
        .map(([partition, d]) => ({
          partition,
          firstOffset: d.first.toString(),
          lastOffset: d.last.toString(),
          events: d.events,
        })),
      next,
    });
  };

  const sources = ranges
    .filter((r) => BigInt(r.to) > BigInt(r.from))
    .map((r) => partitionSource(deps, topic, r, counters));
  /** Thrown out of the merge once maxEvents are taken. */
  const enough = new Error('enough');
  try {
    await mergePartitions(sources, async (_source, records, from, to) => {
      for (let i = from; i < to; i++) {
        if (count >= limit) throw enough;
        take(records[i]!);
        if (frame.length >= FRAME_EVENTS) await flush();
      }
      if (deps.signal.aborted) throw enough;
    });
  } catch (err) {
    if (err !== enough) {
      await flush();
      if (deps.signal.aborted) return;
      if (err instanceof RangeDeletedError)
        return endWith('records-deleted', `${err.message} The state shown is of the events before.`);
      const code = err instanceof EventscopeError ? err.code : (err as { code?: unknown }).code;
      if (code === 'UNKNOWN_TOPIC')
        return endWith(
          'topic-deleted',
          `"${topic}" was deleted while it was read. The state shown is of the ${count.toLocaleString('en-US')} events read before.`,
        );
      return endWith(
        'failed',
        `Reading "${topic}" stopped: ${err instanceof Error ? err.message : String(err)} The state shown is of the events read before.`,
      );
    }
  }
  await flush();
  if (deps.signal.aborted) return;
  if (counters.logFull)
    emit({
      type: 'notice',
      message:
        'The disk is full: what was fetched for this run was not kept in the replay log (the next run fetches it again).',
    });
  endWith('complete', null);
}
