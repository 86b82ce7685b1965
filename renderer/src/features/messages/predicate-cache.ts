// What a JavaScript filter answered for each record it tested, so a row is sent to the worker
// once, not on every update of a live tail. Bounded: a tail runs for hours and the list keeps
// only its window of MAX_WINDOW_ROWS (message-window.ts), so answers for rows long gone from
// it are dropped, oldest answered first. Twice the window leaves room for the rows shown (the
// tail's or a search's) plus those paged in from the log; a row evicted while still shown is
// only tested again, never shown wrongly. No React or DOM here: unit-tested alone.
import type { RecordDto } from '@common/contract/dto.ts';
import { MAX_WINDOW_ROWS } from './message-window.ts';

export const PREDICATE_CACHE_MAX = 2 * MAX_WINDOW_ROWS;

const keyOf = (r: Pick<RecordDto, 'partition' | 'offset'>): string => `${r.partition}:${r.offset}`;

export class PredicateCache {
  /** Insertion order is answer order: the first key is the oldest answer. */
  private readonly answers = new Map<string, boolean>();
  readonly max: number;

  constructor(max = PREDICATE_CACHE_MAX) {
    if (!(max >= 1)) throw new RangeError(`A predicate cache holds at least one answer (got ${max}).`);
    this.max = max;
  }

  /** true or false as the filter answered; undefined if not tested (or evicted). */
  get(record: Pick<RecordDto, 'partition' | 'offset'>): boolean | undefined {
    return this.answers.get(keyOf(record));
  }

  has(record: Pick<RecordDto, 'partition' | 'offset'>): boolean {
    return this.answers.has(keyOf(record));
  }

  /** Keeps the answers for a tested batch (matches[i] for records[i]), dropping the oldest beyond max. */
  record(records: readonly Pick<RecordDto, 'partition' | 'offset'>[], matches: readonly boolean[]): void {
    records.forEach((r, i) => {
      const key = keyOf(r);
      this.answers.delete(key); // a re-tested row counts as newly answered
      this.answers.set(key, matches[i] ?? false);
    });
    let excess = this.answers.size - this.max;
    if (excess <= 0) return;
    for (const key of this.answers.keys()) {
      if (excess-- <= 0) break;
      this.answers.delete(key);
    }
  }

  get size(): number {
    return this.answers.size;
  }
}
