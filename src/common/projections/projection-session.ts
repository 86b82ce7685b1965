// A projection session: one run over a range with snapshots kept along the way, then random
// access to the state after any event (step-through), "run until" an expression holds, and a
// comparison with the state a consumer produced that names the first event they part on.
//
// Why snapshots: the state after event N is the nearest snapshot at or before N restored into a
// second sandbox, then at most K events fed from the snapshot's cut (per partition, the next
// offset), so a jump anywhere in a million events costs K events, not N. K adapts: about 200
// snapshots over the range, fewer when their JSON would pass the memory budget (K doubles, for
// the snapshots still to come and, past the budget, for those kept: the ones between go).
// Stepping forward keeps the stepping sandbox where it is: N → N+1 feeds one event.
//
// Universal: the page runs it over its Web Worker and the host's range stream; the tests over
// the CLI's worker-thread sandbox and an in-memory range.
import { BATCH_EVENTS, EventBatchBuilder } from './event-batch.ts';
import type { EventPosition, ProjectionFailure, ProjectionOutcome } from './projection-api.ts';
import type { LoadedInfo } from './projection-engine.ts';
import { ProjectionFailedError, type ProjectionRunner } from './projection-runner.ts';
import type {
  ComparisonReport,
  ConsumerState,
  Divergence,
  ProjectionSession,
  RangeRead,
  RangeReader,
  RangeReadEnd,
  RangeReadProgress,
  RangeRecord,
  SessionRunResult,
  StepView,
} from './session-api.ts';
import { canonicalJson, diffStates } from './state-diff.ts';

/** About this many snapshots over a range. */
export const TARGET_SNAPSHOTS = 200;
/** Snapshot JSON kept per session at most. */
export const SNAPSHOT_BUDGET_BYTES = 64 * 1024 * 1024;
/** Events between snapshots before the range's size is known. */
const FIRST_SNAPSHOT_EVERY = 64;
/** Events per message while stepping towards an index or running until an expression holds. */
const UNTIL_BATCH = 1_024;
/** Changes listed per diverging key. */
const COMPARE_CHANGE_LIMIT = 50;

export interface ProjectionSessionOptions {
  reader: RangeReader;
  /** A fresh sandbox (not loaded): one for the run, one for stepping, one per comparison. */
  createRunner(): ProjectionRunner;
  source: string;
  /** The projection's file name (the runners createRunner makes name it in their messages). */
  fileName: string;
  /** Events between snapshots to start with (default: the range's size / 200, or 64 until it is known); doubled when there are too many. */
  snapshotEvery?: number;
  snapshotBudgetBytes?: number;
}

/** A snapshot: the state after event `index`, and where each partition's next event is. */
interface Snapshot {
  index: number;
  cut: Record<string, string>;
  text: string;
}

export interface SnapshotStats {
  /** Indexes of the snapshots kept (0, the start, is always there and costs nothing). */
  indexes: number[];
  bytes: number;
  every: number;
  /** Why none are kept (the state is not JSON), or null. */
  off: string | null;
}

/** A session, plus what its snapshots cost (shown in the UI's footnote; tests check the budget). */
export interface ProjectionSessionHandle extends ProjectionSession {
  snapshotStats(): SnapshotStats;
  /** What the projection handles (after a run), or null. */
  readonly info: LoadedInfo | null;
}

/** Where a stepping sandbox is: after event `position`, with its read of the range from there. */
interface Stepper {
  runner: ProjectionRunner;
  position: number;
  cursor: Cursor;
}

/** Records of a read taken one run at a time, with ones read but not fed put back. */
class Cursor {
  private buffer: RangeRecord[] = [];
  private at = 0;
  readonly read: RangeRead;
  constructor(read: RangeRead) {
    this.read = read;
  }

  /** Up to max records (fewer only at the end of the read; none: the end). */
  async take(max: number): Promise<RangeRecord[]> {
    const out: RangeRecord[] = [];
    while (out.length < max) {
      if (this.at >= this.buffer.length) {
        const next = await this.read.next();
        if (next === null) break;
        this.buffer = next;
        this.at = 0;
        continue;
      }
      const n = Math.min(max - out.length, this.buffer.length - this.at);
      for (let i = 0; i < n; i++) out.push(this.buffer[this.at + i]!);
      this.at += n;
    }
    return out;
  }

  /** Records taken but not fed go back to the front. */
  putBack(records: RangeRecord[]): void {
    if (records.length === 0) return;
    this.buffer = [...records, ...this.buffer.slice(this.at)];
    this.at = 0;
  }
}

function abortError(): Error {
  const err = new Error('Cancelled.');
  err.name = 'AbortError';
  return err;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** An object from entries, "__proto__" included as a key. */
function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const o: Record<string, unknown> = {};
  for (const [k, v] of entries)
    Object.defineProperty(o, k, { value: v, enumerable: true, writable: true, configurable: true });
  return o;
}

/** A failure of the run-until expression (not of the projection), in the projection's failure shape. */
function untilFailure(kind: 'syntax' | 'threw', message: string, event: EventPosition | null): ProjectionFailure {
  return {
    kind,
    message: `Run until: ${message}`,
    file: 'run-until expression',
    line: null,
    column: null,
    event,
    handler: 'run until',
  };
}

export function createProjectionSession(options: ProjectionSessionOptions): ProjectionSessionHandle {
  const { reader, createRunner, source } = options;
  const budget = options.snapshotBudgetBytes ?? SNAPSHOT_BUDGET_BYTES;
  let info: LoadedInfo | null = null;
  let events = 0;
  let outcome: ProjectionOutcome | null = null;
  let snapshots: Snapshot[] = [];
  let snapshotBytes = 0;
  let every = options.snapshotEvery ?? 0;
  let snapshotsOff: string | null = null;
  let stepper: Stepper | null = null;
  let disposed = false;
  /** One operation at a time: a run, a step, a comparison share the session's sandboxes. */
  let queue: Promise<unknown> = Promise.resolve();
  const exclusive = <T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> => {
    const result = queue.then(() => {
      if (disposed) throw new Error('The projection session was closed.');
      if (signal?.aborted) throw abortError();
      return work();
    });
    queue = result.catch(() => undefined);
    return result;
  };

  const dropStepper = (): void => {
    if (!stepper) return;
    stepper.cursor.read.cancel();
    stepper.runner.terminate();
    stepper = null;
  };

  /** Keeps the snapshots within count and budget: K doubles and those not at a multiple of it go, until they fit. */
  const thin = (): void => {
    while (snapshots.length > 2 * TARGET_SNAPSHOTS || (snapshotBytes > budget && snapshots.length > 0)) {
      every *= 2;
      snapshots = snapshots.filter((s) => s.index % every === 0);
      snapshotBytes = snapshots.reduce((n, s) => n + s.text.length, 0);
    }
  };

  /** Loads the projection into a fresh sandbox (a failure to load is thrown as ProjectionFailedError). */
  const loaded = async (): Promise<ProjectionRunner> => {
    const runner = createRunner();
    try {
      const loadedInfo = await runner.load(source);
      info ??= loadedInfo;
      return runner;
    } catch (err) {
      runner.terminate();
      throw err;
    }
  };

  const cutAfter = (cut: Record<string, string>, record: RangeRecord): void => {
    cut[String(record.partition)] = (record.offset + 1n).toString();
  };

  const run = (
    runOptions: { signal?: AbortSignal; onProgress?(progress: RangeReadProgress): void } = {},
  ): Promise<SessionRunResult> =>
    exclusive(undefined, async () => {
      const { signal } = runOptions;
      dropStepper();
      snapshots = [];
      snapshotBytes = 0;
      snapshotsOff = null;
      every = options.snapshotEvery ?? 0;
      outcome = null;
      events = 0;
      info = null;
      let runner: ProjectionRunner;
      try {
        runner = await loaded();
      } catch (err) {
        if (!(err instanceof ProjectionFailedError)) throw err;
        return {
          outcome: null,
          failure: err.failure,
          end: { reason: 'failed', message: err.failure.message, next: {} },
          events: 0,
        };
      }
      let total: number | null = null;
      const read = reader.open({
        onProgress: (p) => {
          total = p.total ?? total;
          runOptions.onProgress?.(p);
        },
      });
      const cancel = (): void => read.cancel();
      signal?.addEventListener('abort', cancel);
      const builder = new EventBatchBuilder();
      const cut: Record<string, string> = {};
      const taking: Promise<void>[] = [];
      let count = 0;
      let failure: ProjectionFailure | null = null;
      const takeSnapshot = (index: number, at: Record<string, string>): void => {
        const taken = runner.snapshot().then((answer) => {
          if ('problem' in answer) {
            snapshotsOff ??= `No snapshots: ${answer.problem} (stepping replays from the start).`;
            snapshots = [];
            snapshotBytes = 0;
            return;
          }
          if (snapshotsOff !== null || index % every !== 0) return;
          snapshots.push({ index, cut: at, text: answer.snapshot });
          snapshotBytes += answer.snapshot.length;
          thin();
          // States grow: when the ones still to come, each at least this large, would pass the
          // budget, take fewer from now on rather than take them and drop them (each costs the
          // sandbox a walk and a copy of the whole state).
          if (total !== null) {
            const remaining = total - index;
            while (every < remaining && snapshotBytes + Math.floor(remaining / every) * answer.snapshot.length > budget)
              every *= 2;
          }
        });
        // A failure is the feed's to report.
        taking.push(taken.catch(() => undefined));
      };
      try {
        if (signal?.aborted) read.cancel();
        for (let records = await read.next(); records !== null; records = await read.next()) {
          for (const record of records) {
            if (every === 0) {
              // Powers of two times the first K, so that thinning keeps multiples of K.
              every = FIRST_SNAPSHOT_EVERY;
              if (total !== null) {
                every = 1;
                while (total / every > TARGET_SNAPSHOTS) every *= 2;
              }
            }
            builder.add(record.topic, record);
            cutAfter(cut, record);
            count++;
            if (count % every === 0) {
              await runner.feed(builder.take());
              if (snapshotsOff === null) takeSnapshot(count, { ...cut });
            } else if (builder.full) {
              await runner.feed(builder.take());
            }
          }
        }
        if (builder.count > 0) await runner.feed(builder.take());
        outcome = await runner.finish();
      } catch (err) {
        read.cancel();
        if (!(err instanceof ProjectionFailedError)) {
          runner.terminate();
          throw err;
        }
        failure = err.failure;
      } finally {
        signal?.removeEventListener('abort', cancel);
      }
      await Promise.all(taking);
      runner.terminate();
      events = count;
      const said = read.end();
      const end: RangeReadEnd = said ?? {
        reason: signal?.aborted ? 'cancelled' : failure ? 'failed' : 'complete',
        message: failure ? failure.message : null,
        next: cut,
      };
      if (failure) snapshots = snapshots.filter((s) => s.index < count);
      return { outcome, failure, end, events: count };
    });

  /** A stepping sandbox after event `target` (the nearest snapshot restored, or the one already there when it is closer). */
  const positionAt = async (target: number, signal: AbortSignal | undefined): Promise<Stepper> => {
    let from: Snapshot | null = null;
    for (const s of snapshots) if (s.index <= target && (from === null || s.index > from.index)) from = s;
    const fromIndex = from?.index ?? 0;
    if (!stepper || stepper.position > target || stepper.position < fromIndex) {
      dropStepper();
      const runner = await loaded();
      try {
        if (from) await runner.restore(from.text);
      } catch (err) {
        runner.terminate();
        throw err;
      }
      const read = reader.open({ ...(from ? { startAt: from.cut } : {}), maxEvents: Math.max(1, events - fromIndex) });
      stepper = { runner, position: fromIndex, cursor: new Cursor(read) };
    }
    const s = stepper;
    const builder = new EventBatchBuilder();
    while (s.position < target) {
      if (signal?.aborted) throw abortError();
      const records = await s.cursor.take(Math.min(BATCH_EVENTS, target - s.position));
      if (records.length === 0) throw rangeShorter(s, target);
      for (const r of records) builder.add(r.topic, r);
      await s.runner.feed(builder.take());
      s.position += records.length;
    }
    return s;
  };

  const rangeShorter = (s: Stepper, wanted: number): Error => {
    const end = s.cursor.read.end();
    const why = end && end.reason !== 'complete' ? ` (${end.message ?? end.reason})` : '';
    return new Error(
      `The range now ends after event ${s.position}, before event ${wanted + 1}: it changed since the run${why}. Run the projection again.`,
    );
  };

  /** Runs a stepping operation; a projection failure leaves no stepper behind (its sandbox is stopped). */
  const stepping = <T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> =>
    exclusive(signal, async () => {
      if (info === null) throw new Error('Run the projection first: stepping goes over the events of its last run.');
      try {
        return await work();
      } catch (err) {
        if (err instanceof ProjectionFailedError) dropStepper();
        throw err;
      }
    });

  /** Rejects (never throws) an index outside the last run. */
  const checkIndex = (index: number, what: string): Promise<void> => {
    if (info === null)
      return Promise.reject(new Error('Run the projection first: stepping goes over the events of its last run.'));
    if (!Number.isInteger(index) || index < 0 || index > events)
      return Promise.reject(
        new RangeError(
          `${what} must be a whole number from 0 to ${events} (the events of the last run); it is ${String(index)}.`,
        ),
      );
    return Promise.resolve();
  };

  const stateAt = async (index: number, signal?: AbortSignal): Promise<StepView> => {
    await checkIndex(index, 'The event index');
    return stepping(signal, async () => {
      const keyed = info!.keyed;
      if (index === 0) {
        // Keyed, nothing has a state yet; unkeyed, the state is what init answers.
        if (keyed) return { index: 0, event: null, key: null, state: null, keys: 0, changes: [] };
        const s = await positionAt(0, signal);
        return { index: 0, event: null, key: null, state: (await s.runner.peek(null)).state, keys: null, changes: [] };
      }
      const s = await positionAt(index - 1, signal);
      const records = await s.cursor.take(1);
      if (records.length === 0) throw rangeShorter(s, index - 1);
      const builder = new EventBatchBuilder();
      builder.add(records[0]!.topic, records[0]!);
      const stepped = await s.runner.step(builder.take(), { detail: true, until: false });
      s.position += 1;
      const detail = stepped.detail!;
      const key = detail.fed.key;
      const noState = keyed && key === null;
      const diff = noState ? { changes: [], more: 0 } : diffStates(detail.before, detail.after);
      return {
        index,
        event: { ...detail.fed.event, handler: detail.fed.handler },
        key,
        state: noState ? null : detail.after,
        keys: detail.keys,
        changes: diff.changes,
        ...(diff.more > 0 ? { moreChanges: diff.more } : {}),
      };
    });
  };

  const runUntil = async (
    predicate: string,
    from: number,
    signal?: AbortSignal,
  ): Promise<{ index: number | null; failure: ProjectionFailure | null }> => {
    await checkIndex(from, 'Where to run from');
    return stepping(signal, async () => {
      const s = await positionAt(from, signal);
      const error = await s.runner.compilePredicate(predicate);
      if (error !== null) return { index: null, failure: untilFailure('syntax', error, null) };
      const builder = new EventBatchBuilder();
      try {
        while (s.position < events) {
          if (signal?.aborted) throw abortError();
          const records = await s.cursor.take(Math.min(UNTIL_BATCH, events - s.position));
          if (records.length === 0) break;
          for (const r of records) builder.add(r.topic, r);
          const stepped = await s.runner.step(builder.take(), { detail: false, until: true });
          s.position += stepped.fed;
          s.cursor.putBack(records.slice(stepped.fed));
          if (stepped.predicateError !== null) {
            const at = records[stepped.fed - 1]!;
            return {
              index: null,
              failure: untilFailure('threw', stepped.predicateError, {
                topic: at.topic,
                partition: at.partition,
                offset: at.offset.toString(),
              }),
            };
          }
          if (stepped.matched) return { index: s.position, failure: null };
        }
        return { index: null, failure: null };
      } catch (err) {
        if (err instanceof ProjectionFailedError) {
          dropStepper();
          return { index: null, failure: err.failure };
        }
        throw err;
      }
    });
  };

  /** The consumer's state in the projection's shape: per key for a keyed projection, one state otherwise. */
  const consumerShaped = (consumer: ConsumerState, keyed: boolean): Map<string, unknown> | { state: unknown } => {
    if (!keyed) return consumer.keyed ? { state: objectOf(consumer.states) } : { state: consumer.state };
    if (consumer.keyed) return new Map(consumer.states);
    const state = consumer.state;
    if (Array.isArray(state) && state.every((e) => Array.isArray(e) && e.length === 2 && typeof e[0] === 'string'))
      return new Map(state as [string, unknown][]);
    if (isPlainObject(state)) return new Map(Object.entries(state));
    throw new Error(
      `The projection keeps a state per key, so the consumer's state must be an object of key → state (or [key, state] pairs); it is ${state === null ? 'null' : Array.isArray(state) ? 'an array' : typeof state}.`,
    );
  };

  const compare = (consumer: ConsumerState, signal?: AbortSignal): Promise<ComparisonReport> =>
    exclusive(signal, async () => {
      const final = outcome;
      if (final === null || info === null)
        throw new Error('Run the projection to the end first: the comparison is with the state after its last run.');
      const theirs = consumerShaped(consumer, final.keyed);
      const onlyInConsumer: string[] = [];
      const onlyInProjection: string[] = [];
      let agreeing = 0;
      const differing: { key: string | null; ours: unknown; theirs: unknown }[] = [];
      if (final.keyed) {
        const consumerStates = theirs as Map<string, unknown>;
        const ours = new Map(final.states);
        for (const [key, state] of ours) {
          if (!consumerStates.has(key)) onlyInProjection.push(key);
          else if (canonicalJson(state) === canonicalJson(consumerStates.get(key))) agreeing++;
          else differing.push({ key, ours: state, theirs: consumerStates.get(key) });
        }
        for (const key of consumerStates.keys()) if (!ours.has(key)) onlyInConsumer.push(key);
      } else {
        const state = (theirs as { state: unknown }).state;
        if (canonicalJson(final.state) === canonicalJson(state)) agreeing++;
        else differing.push({ key: null, ours: final.state, theirs: state });
      }
      const found = new Map<string | null, Divergence['firstDivergingEvent']>();
      if (differing.length > 0) {
        // Again from the start, the sandbox following the differing keys: where each last agreed.
        const runner = await loaded();
        try {
          await runner.watch(differing.map((d) => ({ key: d.key, canonical: canonicalJson(d.theirs) })));
          const cursor = new Cursor(reader.open({ maxEvents: Math.max(1, events) }));
          const builder = new EventBatchBuilder();
          try {
            for (let fed = 0; fed < events;) {
              if (signal?.aborted) throw abortError();
              const records = await cursor.take(Math.min(BATCH_EVENTS, events - fed));
              if (records.length === 0) break;
              for (const r of records) builder.add(r.topic, r);
              await runner.step(builder.take(), { detail: false, until: false });
              fed += records.length;
            }
          } finally {
            cursor.read.cancel();
          }
          for (const w of await runner.watched()) found.set(w.key, w.diverging);
        } finally {
          runner.terminate();
        }
      }
      const divergences: Divergence[] = differing.map((d) => {
        // before: the consumer's, after: the projection's.
        const diff = diffStates(d.theirs, d.ours, { limit: COMPARE_CHANGE_LIMIT });
        return {
          key: d.key,
          changes: diff.changes,
          ...(diff.more > 0 ? { moreChanges: diff.more } : {}),
          firstDivergingEvent: found.get(d.key) ?? null,
        };
      });
      divergences.sort(
        (a, b) => (a.firstDivergingEvent?.index ?? Infinity) - (b.firstDivergingEvent?.index ?? Infinity),
      );
      return {
        agreeing,
        divergences,
        onlyInConsumer,
        onlyInProjection,
        firstDivergingEvent: divergences[0]?.firstDivergingEvent ?? null,
      };
    });

  return {
    run,
    get events() {
      return events;
    },
    get info() {
      return info;
    },
    stateAt,
    runUntil,
    compare,
    snapshotStats: () => ({
      indexes: [0, ...snapshots.map((s) => s.index)],
      bytes: snapshotBytes,
      every,
      off: snapshotsOff,
    }),
    dispose() {
      disposed = true;
      dropStepper();
    },
  };
}
