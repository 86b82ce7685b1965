// The inside of a projection's sandbox: one engine per worker, driven by messages. The host
// (projection-runner.ts) sends `load`, then `feed` batches without waiting for each answer
// (the worker never idles between batches), then `finish`; the worker answers each in order.
// After a failure it answers nothing more: the host has what it needs and stops it.
//
// The worker writes where it is into a shared Int32Array when the host gives one: [0] the batch
// being fed, [1] the event's index in it. When the host stops a worker that ran out of time or
// memory, that says which event it was on.
//
// SELF-CONTAINED, like the engine: runs inside the sandbox; the CLI's worker gets it as source
// text. Everything it calls comes in `lib` or from the port.
import type {
  BatchDecoder,
  createProjectionEngine,
  EngineLib,
  EventBatch,
  FedEvent,
  LoadedInfo,
  ProjectionEngine,
} from './projection-engine.ts';
import type { ProjectionFailure, ProjectionOutcome } from './projection-api.ts';
import type { BatchBuffers } from './event-batch.ts';
import type { canonicalJson } from './state-diff.ts';

export type ProjectionRequest =
  | { type: 'load'; source: string; fileName: string; progress: SharedArrayBuffer | null }
  | { type: 'feed'; seq: number; batch: EventBatch }
  | { type: 'finish' }
  | SessionRequest;

export type ProjectionReply =
  | { type: 'loaded'; info: LoadedInfo }
  /** A batch applied; its buffers go back to the host for the next one. */
  | { type: 'fed'; seq: number; buffers: BatchBuffers }
  | { type: 'finished'; outcome: ProjectionOutcome }
  | { type: 'failed'; failure: ProjectionFailure }
  | SessionReply;

// Step-through and comparison (projection-session.ts), besides the run's load/feed/finish.
export type SessionRequest =
  /** The state and counters now, to restore later. */
  | { type: 'snapshot' }
  | { type: 'restore'; snapshot: string }
  /** The state of a key (keyed) or the whole state (key null), and how many keys. */
  | { type: 'peek'; key: string | null }
  /** Compiles a run-until expression over `state` and `event`. */
  | { type: 'predicate'; expression: string }
  /**
   * Feeds a batch an event at a time. detail: say what the last event did (its state before
   * and after); until: stop after the first event the compiled predicate is true after.
   * Watched keys (watch) are followed on every event.
   */
  | { type: 'step'; seq: number; batch: EventBatch; detail: boolean; until: boolean }
  /** From now on, follow these keys (null: the whole state): when their state last equalled the consumer's (canonical JSON, keys sorted). */
  | { type: 'watch'; targets: { key: string | null; canonical: string }[] }
  | { type: 'watched' };

/** What the last event of a step did. */
export interface StepDetail {
  fed: FedEvent;
  /** The state of its key (unkeyed: the whole state) before and after it; undefined: none. */
  before: unknown;
  after: unknown;
  keys: number | null;
}

/** Per watched key: the last event after which it agreed (0: before any, -1: never), and the event after that, where it went apart for good. */
export interface WatchResult {
  key: string | null;
  lastAgreed: number;
  diverging: { index: number; topic: string; partition: number; offset: string; type: string | null } | null;
}

export type SessionReply =
  | { type: 'snapshot'; snapshot: string | null; problem: string | null }
  | { type: 'restored' }
  | { type: 'peeked'; state: unknown; keys: number | null }
  | { type: 'predicate'; error: string | null }
  | {
      type: 'stepped';
      seq: number;
      buffers: BatchBuffers;
      fed: number;
      matched: boolean;
      predicateError: string | null;
      detail: StepDetail | null;
    }
  | { type: 'watched'; results: WatchResult[] };

/** The worker's side of the wire, and its way of turning a batch's bytes into text (platform-specific: Node's Buffer, else TextDecoder). */
export interface ProjectionPort {
  post(reply: ProjectionReply, transfer?: ArrayBuffer[]): void;
  listen(handler: (request: ProjectionRequest) => void): void;
  decoderFor(bytes: Uint8Array): BatchDecoder;
}

export interface ProjectionWorkerLib extends EngineLib {
  createProjectionEngine: typeof createProjectionEngine;
  canonicalJson: typeof canonicalJson;
}

export function runProjectionWorker(port: ProjectionPort, lib: ProjectionWorkerLib): void {
  let engine: ReturnType<typeof createProjectionEngine> | null = null;
  let failed = false;
  let progress: Int32Array | null = null;
  let fileName = '';
  const failWith = (failure: ProjectionFailure): void => {
    failed = true;
    port.post({ type: 'failed', failure });
  };
  /** A state checked to be JSON that still could not be posted (a getter that answers differently each time?). */
  const failNotCopied = (what: string, err: unknown): void =>
    failWith({
      kind: 'state',
      message: `${fileName}: ${what} cannot be copied out of the sandbox: ${err instanceof Error ? err.message : String(err)}`,
      file: fileName,
      line: null,
      column: null,
      event: null,
      handler: null,
    });
  /**
   * A batch's buffers to hand back to the host with the reply to it (fed and stepped alike),
   * transferred for its next batch: the views' buffers as event-batch.ts laid them out.
   */
  const handBack = (batch: EventBatch): { buffers: BatchBuffers; transfer: ArrayBuffer[] } => {
    const buffers: BatchBuffers = {
      bytes: batch.bytes.buffer as ArrayBuffer,
      ints: batch.partition.buffer as ArrayBuffer,
      floats: batch.timestamp.buffer as ArrayBuffer,
      shorts: batch.topic.buffer as ArrayBuffer,
    };
    return { buffers, transfer: [buffers.bytes, buffers.ints, buffers.floats, buffers.shorts] };
  };
  // Step-through and comparison: see SessionRequest.
  /** A copy of a state as it is now (JSON: what a snapshot and the final state keep); undefined stays undefined. */
  const copyOf = (value: unknown): unknown => {
    if (value === undefined) return undefined;
    try {
      return JSON.parse(JSON.stringify(value)) as unknown;
    } catch (err) {
      return `(not JSON: ${err instanceof Error ? err.message : String(err)})`;
    }
  };
  /** The same text for the same JSON, whatever order its objects' keys were written in (state-diff.ts). */
  const canonical = lib.canonicalJson;
  type Watch = { target: string; lastAgreed: number; diverging: WatchResult['diverging'] };
  let watched: Map<string | null, Watch> | null = null;
  const sessionRequest = (engine: ProjectionEngine, request: SessionRequest): void => {
    if (request.type === 'snapshot') {
      const taken = engine.snapshot();
      return port.post(
        taken.ok
          ? { type: 'snapshot', snapshot: taken.snapshot, problem: null }
          : { type: 'snapshot', snapshot: null, problem: taken.problem },
      );
    }
    if (request.type === 'restore') {
      engine.restore(request.snapshot);
      return port.post({ type: 'restored' });
    }
    if (request.type === 'peek') {
      try {
        return port.post({ type: 'peeked', state: copyOf(engine.stateOf(request.key)), keys: engine.keyCount() });
      } catch (err) {
        const at = lib.userLocation(err, fileName);
        return failWith({
          kind: 'threw',
          message: `${fileName}${at ? ` line ${at.line}` : ''}: init failed: ${lib.describeThrown(err)}`,
          file: fileName,
          line: at ? at.line : null,
          column: at ? at.column : null,
          event: null,
          handler: 'init',
        });
      }
    }
    if (request.type === 'predicate')
      return port.post({ type: 'predicate', error: engine.compilePredicate(request.expression) });
    if (request.type === 'watch') {
      watched = new Map();
      for (const t of request.targets) {
        // The whole state can agree before any event (the consumer saw nothing it handles); a key has no state before its first.
        const agreesNow = t.key === null && canonical(copyOf(engine.stateOf(null))) === t.canonical;
        watched.set(t.key, { target: t.canonical, lastAgreed: agreesNow ? engine.eventCount() : -1, diverging: null });
      }
      return port.post({ type: 'watched', results: [] });
    }
    if (request.type === 'watched') {
      const results: WatchResult[] = [];
      for (const [key, w] of watched ?? []) results.push({ key, lastAgreed: w.lastAgreed, diverging: w.diverging });
      return port.post({ type: 'watched', results });
    }
    // step
    if (progress !== null) progress[0] = request.seq;
    const batch = request.batch;
    const decoder = port.decoderFor(batch.bytes);
    let fed = 0;
    let matched = false;
    let predicateError: string | null = null;
    let detail: StepDetail | null = null;
    for (let i = 0; i < batch.count; i++) {
      const last = request.detail && i === batch.count - 1;
      let before: unknown = undefined;
      const done = engine.feedOne(
        batch,
        i,
        decoder,
        progress,
        last ? (key) => void (before = copyOf(engine.stateOf(key))) : null,
      );
      if ('failure' in done) return failWith(done.failure);
      fed++;
      if (watched !== null && done.applied) {
        const w = watched.get(done.key);
        if (w !== undefined) {
          if (canonical(copyOf(engine.stateOf(done.key))) === w.target) {
            w.lastAgreed = done.index;
            w.diverging = null;
          } else if (w.diverging === null) {
            w.diverging = {
              index: done.index,
              topic: done.event.topic,
              partition: done.event.partition,
              offset: done.event.offset,
              type: done.event.type,
            };
          }
        }
      }
      if (last) {
        // Unkeyed, an event no handler took leaves the state as it was; keyed, it has no key to show.
        const after = done.applied || !engine.info.keyed ? copyOf(engine.stateOf(done.key)) : undefined;
        detail = { fed: done, before: done.applied ? before : after, after, keys: engine.keyCount() };
      }
      if (request.until) {
        const holds = engine.testPredicate(
          engine.info.keyed ? (done.key === null ? null : engine.stateOf(done.key)) : engine.stateOf(null),
          done.event,
        );
        if (typeof holds !== 'boolean') {
          predicateError = `the run-until expression threw after ${done.event.topic} partition ${done.event.partition} offset ${done.event.offset}: ${holds.threw}`;
          break;
        }
        if (holds) {
          matched = true;
          break;
        }
      }
    }
    const { buffers, transfer } = handBack(batch);
    try {
      port.post({ type: 'stepped', seq: request.seq, buffers, fed, matched, predicateError, detail }, transfer);
    } catch (err) {
      failNotCopied('the state', err);
    }
  };
  port.listen((request) => {
    if (failed) return;
    if (request.type === 'load') {
      progress = request.progress ? new Int32Array(request.progress) : null;
      fileName = request.fileName;
      engine = lib.createProjectionEngine(request.source, request.fileName, lib);
      if (!engine.ok) failWith(engine.failure);
      else port.post({ type: 'loaded', info: engine.engine.info });
      return;
    }
    if (engine === null || !engine.ok) return;
    if (request.type === 'feed') {
      if (progress !== null) progress[0] = request.seq;
      const batch = request.batch;
      const failure = engine.engine.feed(batch, port.decoderFor(batch.bytes), progress);
      if (failure) return failWith(failure);
      const { buffers, transfer } = handBack(batch);
      port.post({ type: 'fed', seq: request.seq, buffers }, transfer);
      return;
    }
    if (request.type !== 'finish') return sessionRequest(engine.engine, request);
    const result = engine.engine.finish();
    if (!result.ok) return failWith(result.failure);
    try {
      port.post({ type: 'finished', outcome: result.outcome });
    } catch (err) {
      failNotCopied('the final state', err);
    }
  });
}

/** A decoder for environments without Node's Buffer: TextDecoder (fatal for values, lenient for keys and headers). */
export function textDecoderFor(bytes: Uint8Array): BatchDecoder {
  const strict = new TextDecoder('utf-8', { fatal: true });
  const lenient = new TextDecoder('utf-8');
  return {
    utf8(start, end) {
      try {
        return strict.decode(bytes.subarray(start, end));
      } catch {
        return null;
      }
    },
    text: (start, end) => lenient.decode(bytes.subarray(start, end)),
  };
}
