// How far each partition of a read has got, in what order to ask a broker for them, and what
// each answer proves. Client-agnostic and free of I/O, so the rules are unit-tested alone.
//
// The rules (an empty answer is never taken as "the partition ended"):
// - A partition advances only past batches the broker returned (a compacted or aborted batch
//   still carries its offset span; control batches take offsets too).
// - The broker fills a response in request order until its byte budget is spent and answers
//   the rest empty. So partitions that advanced go to the back of the order and the others to
//   the front, as the Java consumer's fetch sessions do: every partition gets its turn first.
// - The first partition of a request is always given at least one whole batch if it has one
//   (KIP-74), and the broker reads its high watermark / last stable offset *before* reading the
//   log. So an empty answer for the first partition of an unthrottled request, with the broker
//   saying there are offsets past ours, proves that no batch is left in between (compaction
//   removed them): the partition moves to that offset, and the span is reported as covered.
// - A batch cut short by the partition's budget grows the budget for the next request.
// - A partition that does not advance for STARVED_ROUNDS_LIMIT answers in a row although the
//   broker says it has more is an error that names it, never a silent stop.
import { EventscopeError } from '../../common/contract/errors.ts';
import type { FetchLimits } from './fetch-limits.ts';

/**
 * Answers in a row in which a partition was first in its request (so owed a whole batch) and
 * still got none although the broker has more: then it cannot advance. Answers further back in
 * a request do not count: the response budget may simply have been spent on the partitions
 * before it (with hundreds of partitions a partition waits many rounds for its turn).
 */
export const STARVED_ROUNDS_LIMIT = 50;
/**
 * Empty answers in a row, first in an unthrottled request, before the offsets below `available`
 * are taken as gone (a compacted tail). More than one: a tiered-storage broker answers a remote
 * read that outlasts its wait time with an empty record set too.
 */
export const GAP_PROOF_ANSWERS = 3;
/**
 * Answers in a row saying the partition ends below the end seen at the start before reading it
 * stops there: a new leader's high watermark can lag for a moment after a leader change.
 */
export const TRUNCATION_PROOF_ANSWERS = 20;

export interface PartitionCursor {
  readonly partition: number;
  /** The next offset to ask for. */
  next: bigint;
  /** Reading to the end stops here (the end offset seen at the start). */
  end: bigint;
  done: boolean;
  /** This partition's byte budget in the next request. */
  maxBytes: number;
  starvedRounds: number;
  /** Empty answers in a row while first in an unthrottled request (GAP_PROOF_ANSWERS). */
  emptyFirstAnswers: number;
  /** Answers in a row saying the partition ends below `end` (TRUNCATION_PROOF_ANSWERS). */
  endsLowerAnswers: number;
}

/** What the broker said about one partition, with what our decoder found in its records. */
export interface PartitionAnswer {
  /** Index of the partition in its request (0: first, given at least one whole batch). */
  position: number;
  highWatermark: bigint;
  /** -1 where the broker does not say (older Fetch versions). */
  lastStableOffset: bigint;
  /** The request was throttled by a quota: an empty answer then proves nothing. */
  throttled: boolean;
  /** The offset after the last whole batch in the answer, or null if there was none. */
  nextOffset: bigint | null;
  /** The answer ended in a batch cut short by the budget: its full size. */
  truncatedBatchBytes: number | null;
}

/** The offsets an answer covered, [from, to): the records in it and any gaps between them. */
export interface CoveredSpan {
  from: bigint;
  to: bigint;
}

export class ReadProgress {
  private readonly topic: string;
  private readonly follow: boolean;
  private readonly readCommitted: boolean;
  private readonly limits: FetchLimits;
  /** Every partition, in the order the next requests ask for them. */
  private order: PartitionCursor[];
  /** Said once per partition, for the caller to pass on (e.g. the log was truncated under us). */
  readonly notices: string[] = [];

  constructor(options: {
    topic: string;
    start: Map<number, bigint>;
    end: Map<number, bigint>;
    follow: boolean;
    readCommitted: boolean;
    limits: FetchLimits;
  }) {
    this.topic = options.topic;
    this.follow = options.follow;
    this.readCommitted = options.readCommitted;
    this.limits = options.limits;
    this.order = [...options.start].map(([partition, next]) =>
      this.cursor(partition, next, options.end.get(partition) ?? next),
    );
  }

  private cursor(partition: number, next: bigint, end: bigint): PartitionCursor {
    return {
      partition,
      next,
      end,
      done: !this.follow && next >= end,
      maxBytes: this.limits.partitionMaxBytes,
      starvedRounds: 0,
      emptyFirstAnswers: 0,
      endsLowerAnswers: 0,
    };
  }

  /** A partition added to the topic while following: read from `next` (its start). */
  add(partition: number, next: bigint): void {
    if (!this.has(partition)) this.order.unshift(this.cursor(partition, next, next));
  }

  has(partition: number): boolean {
    return this.order.some((c) => c.partition === partition);
  }

  /** The partitions still to read, in request order. */
  active(): PartitionCursor[] {
    return this.order.filter((c) => !c.done);
  }

  get(partition: number): PartitionCursor | undefined {
    return this.order.find((c) => c.partition === partition);
  }

  /**
   * Applies one partition's answer. Returns the span it covered (records may be fewer: gaps),
   * or null if the partition did not move. Throws an EventscopeError naming the partition if it
   * cannot advance.
   */
  settle(cursor: PartitionCursor, answer: PartitionAnswer): CoveredSpan | null {
    const from = cursor.next;
    const available =
      this.readCommitted && answer.lastStableOffset >= 0n ? answer.lastStableOffset : answer.highWatermark;
    if (answer.nextOffset !== null && answer.nextOffset > from) {
      this.advance(cursor, answer.nextOffset);
      return { from, to: cursor.next };
    }
    if (from >= available) {
      // Nothing readable past us now. Reading to the end: if the partition keeps ending below
      // the end seen at the start, its log was truncated (an unclean leader election); stop there.
      cursor.starvedRounds = 0;
      cursor.emptyFirstAnswers = 0;
      if (!this.follow && available < cursor.end && ++cursor.endsLowerAnswers >= TRUNCATION_PROOF_ANSWERS) {
        this.notices.push(
          `Partition ${cursor.partition} of "${this.topic}" now ends at offset ${available}, below ${cursor.end} where it ended when reading started: its log was truncated. Reading it stops there.`,
        );
        cursor.end = available;
        cursor.done = true;
      }
      return null;
    }
    if (answer.truncatedBatchBytes !== null) {
      if (answer.truncatedBatchBytes > this.limits.largestBatchBytes) {
        throw new EventscopeError(
          'KAFKA_ERROR',
          `Partition ${cursor.partition} of "${this.topic}" has a record batch of ${answer.truncatedBatchBytes} bytes at offset ${from}, larger than Eventscope reads (${this.limits.largestBatchBytes} bytes).`,
        );
      }
      cursor.maxBytes = Math.min(
        this.limits.largestBatchBytes,
        Math.max(answer.truncatedBatchBytes, cursor.maxBytes * 2),
      );
      return answer.position === 0 ? this.starve(cursor, from, available) : null;
    }
    cursor.endsLowerAnswers = 0;
    if (answer.position !== 0 || answer.throttled) return null; // waiting its turn, or told to wait
    // First in its request and unthrottled, yet empty, several times in a row: no batch is left
    // below `available` (the broker reads its high watermark before its log).
    if (++cursor.emptyFirstAnswers < GAP_PROOF_ANSWERS) return null;
    this.advance(cursor, available);
    return { from, to: cursor.next };
  }

  private advance(cursor: PartitionCursor, to: bigint): void {
    cursor.next = to;
    cursor.starvedRounds = 0;
    cursor.emptyFirstAnswers = 0;
    cursor.endsLowerAnswers = 0;
    cursor.maxBytes = this.limits.partitionMaxBytes;
    if (!this.follow && cursor.next >= cursor.end) cursor.done = true;
  }

  private starve(cursor: PartitionCursor, from: bigint, available: bigint): null {
    if (++cursor.starvedRounds >= STARVED_ROUNDS_LIMIT) {
      throw new EventscopeError(
        'KAFKA_ERROR',
        `Partition ${cursor.partition} of "${this.topic}" does not advance at offset ${from}: the broker says it holds records up to ${available} but returned none in ${cursor.starvedRounds} fetches in a row.`,
      );
    }
    return null;
  }

  /** After a round: partitions that moved go to the back, the others keep their turn at the front. */
  rotate(moved: ReadonlySet<number>): void {
    const waiting = this.order.filter((c) => !moved.has(c.partition));
    const advanced = this.order.filter((c) => moved.has(c.partition));
    this.order = [...waiting, ...advanced];
  }

  /** Moves every partition back to where `next` says (what was handed over), forgetting what was read beyond. */
  rewind(next: ReadonlyMap<number, bigint>): void {
    for (const cursor of this.order) {
      const to = next.get(cursor.partition);
      if (to !== undefined) this.reposition(cursor, to);
    }
  }

  /** Moves a partition back to `next` on the broker's word (an offset out of range). */
  reposition(cursor: PartitionCursor, next: bigint): void {
    cursor.next = next;
    cursor.starvedRounds = 0;
    cursor.emptyFirstAnswers = 0;
    // Both ways: a rewind can take a partition back below its end.
    cursor.done = !this.follow && cursor.next >= cursor.end;
  }
}
