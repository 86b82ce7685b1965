// The app's side of a projection run, as its screen uses it: a range read (the host merges the
// partitions; the page reads runs of events in that order) and a session over it that runs the
// projection, keeps snapshots for step-through, and compares with a consumer's state.
// Types only (universal). The page implements RangeReader over the host's projections.events
// stream (renderer/src/features/projections/); projection-session.ts implements the session.
import type { SourceRecord } from './event-batch.ts';
import type { ProjectionFailure, ProjectionOutcome, EventPosition, ProjectionEvent } from './projection-api.ts';

/** An event of a range as read: its topic and the record. */
export interface RangeRecord extends SourceRecord {
  topic: string;
}

/** How a range read ended (the host's `end` event). */
export interface RangeReadEnd {
  reason: 'complete' | 'topic-deleted' | 'records-deleted' | 'failed' | 'cancelled';
  /** What ended it, for people (null when complete). */
  message: string | null;
  /** Per partition: the next offset after the last event delivered (a cut to resume from). */
  next: Record<string, string>;
}

export interface RangeReadProgress {
  phase: 'fetching' | 'reading';
  /** Fetching: records fetched into the replay log so far, and how many were missing. */
  fetched?: number;
  missing?: number;
  /** Events delivered so far, and how many the range holds (null: unknown). */
  delivered: number;
  total: number | null;
}

/** One read of the range (or of a window of it), in event order. */
export interface RangeRead {
  /** The next run of events, or null at the end (then `end` says how it ended). */
  next(): Promise<RangeRecord[] | null>;
  end(): RangeReadEnd | null;
  cancel(): void;
}

export interface RangeReader {
  /**
   * Reads the range from its start, or from a cut (per partition: the next offset, as
   * RangeReadEnd.next or a snapshot's cut gives it), at most maxEvents events.
   */
  open(options: {
    startAt?: Record<string, string>;
    maxEvents?: number;
    onProgress?(progress: RangeReadProgress): void;
  }): RangeRead;
}

/** What a whole run answers. A run cut short (topic deleted, records deleted, cancelled) keeps what it computed. */
export interface SessionRunResult {
  /** The state after the events fed (also after a cut-short read); null when the projection failed. */
  outcome: ProjectionOutcome | null;
  failure: ProjectionFailure | null;
  /** How the read ended (complete, or why not). */
  end: RangeReadEnd;
  /** Events fed to the projection. */
  events: number;
}

/** One change an event made to the state: a JSON path (e.g. `customers["c-1"].orders`) and the values before and after (undefined: absent). */
export interface StateChange {
  path: string;
  before: unknown;
  after: unknown;
}

/** The state right after event `index` (1-based: index 0 is the initial state), with the event and what it changed. */
export interface StepView {
  index: number;
  /** The event at `index` (null for index 0). */
  event: (ProjectionEvent & { handler: string | null }) | null;
  /** Keyed projections: the key the event went to (null: unkeyed, or not keyed). */
  key: string | null;
  /** The state (keyed: the state of `key`, or null when the event had no key). */
  state: unknown;
  /** Keyed: how many keys have a state at this point. */
  keys: number | null;
  changes: StateChange[];
  /** Changes left out of `changes` (a diff is bounded). */
  moreChanges?: number;
}

/** A consumer's state: the whole state, or (keyed projections) a state per key. */
export type ConsumerState = { keyed: false; state: unknown } | { keyed: true; states: [key: string, state: unknown][] };

export interface Divergence {
  /** The key (keyed), or null for the whole state. */
  key: string | null;
  /** before: the consumer's value, after: the projection's. */
  changes: StateChange[];
  /** Changes left out of `changes` (a diff is bounded). */
  moreChanges?: number;
  /**
   * The first event after which the projection's state (of this key) differs from the
   * consumer's and never agrees again: the event after the last point where they agreed (the
   * key's first event when they never did). Null when no event touched it.
   */
  firstDivergingEvent: (EventPosition & { index: number }) | null;
}

export interface ComparisonReport {
  /** Keys (or the whole state) that agree. */
  agreeing: number;
  divergences: Divergence[];
  /** Keys only the consumer has, and only the projection has. */
  onlyInConsumer: string[];
  onlyInProjection: string[];
  /** The earliest of the divergences' first diverging events. */
  firstDivergingEvent: (EventPosition & { index: number }) | null;
}

export interface ProjectionSession {
  /** Runs the projection over the whole range, keeping snapshots for step-through. */
  run(options?: { signal?: AbortSignal; onProgress?(progress: RangeReadProgress): void }): Promise<SessionRunResult>;
  /** Events of the last run (step-through covers 0..events). */
  readonly events: number;
  /** The state after event `index` (from the nearest snapshot, then event by event). */
  stateAt(index: number, signal?: AbortSignal): Promise<StepView>;
  /**
   * Runs on from event `from` until `predicate` (a JavaScript expression over `state` and
   * `event`, run in the sandbox) is true after an event: that event's index, or null when the
   * range ended first.
   */
  runUntil(
    predicate: string,
    from: number,
    signal?: AbortSignal,
  ): Promise<{ index: number | null; failure: ProjectionFailure | null }>;
  /** Compares the projection's state after the last run with a consumer's. */
  compare(consumer: ConsumerState, signal?: AbortSignal): Promise<ComparisonReport>;
  dispose(): void;
}
