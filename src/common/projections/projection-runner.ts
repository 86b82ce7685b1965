// Host side of one projection run: loads the projection into its sandbox worker, feeds it
// batches (several in flight, so the worker never waits for the host), and finishes with the
// final state. Universal: the CLI gives it a worker thread (node/node-sandbox.ts), the app a
// Web Worker. Every failure — the projection's own (syntax, shape, a throw, a state that is not
// JSON) or the sandbox's (time limit, memory) — is a ProjectionFailedError carrying a
// ProjectionFailure that names the file, the line and the event where they are known.
import type { EventPosition, ProjectionFailure, ProjectionOutcome } from './projection-api.ts';
import type { BuiltBatch } from './event-batch.ts';
import type { LoadedInfo } from './projection-engine.ts';
import { projectionFailure } from './projection-engine.ts';
import type { ProjectionReply, ProjectionRequest, StepDetail, WatchResult } from './projection-worker.ts';
import { SandboxChannel, SandboxStopped, type SandboxTransport } from './sandbox-channel.ts';
import { sourceUrlOf } from './sandbox-core.ts';

export const DEFAULT_BATCH_TIME_LIMIT_MS = 5_000;
/** The time limit for reading the final state out (at least). */
const FINISH_TIME_LIMIT_MS = 60_000;
/** Batches sent ahead of the one the worker is on: enough that it never waits for the host. */
const MAX_IN_FLIGHT = 3;

export class ProjectionFailedError extends Error {
  readonly failure: ProjectionFailure;

  constructor(failure: ProjectionFailure) {
    super(failure.message);
    this.name = 'ProjectionFailedError';
    this.failure = failure;
  }
}

/** What the host knows of each request, to say where the worker was when it had to be stopped. */
type RequestContext =
  | { kind: 'load' }
  | { kind: 'finish' }
  | { kind: 'feed'; seq: number; count: number; positionOf(index: number): EventPosition }
  | { kind: 'session'; doing: string };

export interface ProjectionRunnerOptions {
  /** The projection's file name, as messages name it. */
  fileName: string;
  timeLimitMs?: number;
  /** The sandbox's memory limit, for the message when it is reached (null: unknown). */
  memoryLimitMb?: number | null;
  /** Memory the worker writes its position into (a SharedArrayBuffer of 8 bytes), where there is shared memory. */
  progress?: SharedArrayBuffer | null;
}

export class ProjectionRunner {
  private readonly channel: SandboxChannel<ProjectionRequest, ProjectionReply, RequestContext>;
  private readonly fileName: string;
  private readonly timeLimitMs: number;
  private readonly memoryLimitMb: number | null;
  private readonly progress: SharedArrayBuffer | null;
  private readonly inFlight: Promise<void>[] = [];
  private failure: ProjectionFailure | null = null;
  private seq = 0;

  constructor(transport: SandboxTransport<ProjectionRequest, ProjectionReply>, options: ProjectionRunnerOptions) {
    this.fileName = options.fileName;
    this.timeLimitMs = options.timeLimitMs ?? DEFAULT_BATCH_TIME_LIMIT_MS;
    this.memoryLimitMb = options.memoryLimitMb ?? null;
    this.progress = options.progress ?? null;
    this.channel = new SandboxChannel(transport, {
      timeLimitMs: this.timeLimitMs,
      progress: this.progress ? new Int32Array(this.progress) : null,
    });
  }

  /** Compiles the projection and checks its shape; what it handles. */
  async load(source: string): Promise<LoadedInfo> {
    const reply = await this.ask(
      { type: 'load', source, fileName: this.fileName, progress: this.progress },
      { kind: 'load' },
    );
    if (reply.type !== 'loaded') throw this.unexpected(reply);
    return reply.info;
  }

  /**
   * Sends a batch; resolves once there is room for the next (a few batches ride ahead of the
   * worker). A failure of any batch sent before rejects this or a later call. The batch's buffers come
   * back with the worker's answer, for the next batch.
   */
  async feed(built: BuiltBatch): Promise<void> {
    this.check();
    while (this.inFlight.length >= MAX_IN_FLIGHT) await this.inFlight[0];
    this.check();
    const seq = ++this.seq;
    const answered = this.ask(
      { type: 'feed', seq, batch: built.batch },
      { kind: 'feed', seq, count: built.batch.count, positionOf: built.positionOf },
      built.transfer,
    ).then((reply) => {
      if (reply.type !== 'fed' || reply.seq !== seq) throw this.unexpected(reply);
      built.recycle(reply.buffers);
    });
    const tracked = answered.then(
      () => void this.inFlight.splice(this.inFlight.indexOf(tracked), 1),
      () => void this.inFlight.splice(this.inFlight.indexOf(tracked), 1),
    );
    this.inFlight.push(tracked);
    // A failure is kept (check() throws it) and must not go unhandled meanwhile.
    answered.catch(() => undefined);
  }

  /** Waits for every batch, then the final state(s) and counts. */
  async finish(): Promise<ProjectionOutcome> {
    while (this.inFlight.length > 0) await this.inFlight[0];
    this.check();
    // Checking and copying out a large state (a key per customer…) may take longer than a batch.
    const reply = await this.ask(
      { type: 'finish' },
      { kind: 'finish' },
      [],
      Math.max(this.timeLimitMs, FINISH_TIME_LIMIT_MS),
    );
    if (reply.type !== 'finished') throw this.unexpected(reply);
    return reply.outcome;
  }

  // Step-through and comparison (projection-session.ts): one request at a time, each answered
  // in order after every batch fed before it.

  /** The state and counters after every batch fed so far (a snapshot to restore later), or why there can be none (the state is not JSON). */
  async snapshot(): Promise<{ snapshot: string } | { problem: string }> {
    const reply = await this.ask(
      { type: 'snapshot' },
      { kind: 'session', doing: 'while a snapshot of its state was taken' },
      [],
      this.slowLimitMs(),
    );
    if (reply.type !== 'snapshot') throw this.unexpected(reply);
    return reply.snapshot !== null
      ? { snapshot: reply.snapshot }
      : { problem: reply.problem ?? 'the state is not JSON' };
  }

  /** Puts a snapshot back (into a freshly loaded projection). */
  async restore(snapshot: string): Promise<void> {
    const reply = await this.ask(
      { type: 'restore', snapshot },
      { kind: 'session', doing: 'while a snapshot of its state was restored' },
      [],
      this.slowLimitMs(),
    );
    if (reply.type !== 'restored') throw this.unexpected(reply);
  }

  /** The state of a key (keyed) or the whole state (null), as JSON, and how many keys. */
  async peek(key: string | null): Promise<{ state: unknown; keys: number | null }> {
    const reply = await this.ask(
      { type: 'peek', key },
      { kind: 'session', doing: 'while its state was read' },
      [],
      this.slowLimitMs(),
    );
    if (reply.type !== 'peeked') throw this.unexpected(reply);
    return { state: reply.state, keys: reply.keys };
  }

  /** Compiles a run-until expression in the sandbox: null, or why it is not one. */
  async compilePredicate(expression: string): Promise<string | null> {
    const reply = await this.ask(
      { type: 'predicate', expression },
      { kind: 'session', doing: 'while the run-until expression was compiled' },
    );
    if (reply.type !== 'predicate') throw this.unexpected(reply);
    return reply.error;
  }

  /**
   * Feeds a batch an event at a time (after the batches before it): what the last event did
   * (detail), or where the run-until expression first held (until: the events after it are not fed).
   */
  async step(
    built: BuiltBatch,
    options: { detail: boolean; until: boolean },
  ): Promise<{ fed: number; matched: boolean; predicateError: string | null; detail: StepDetail | null }> {
    const seq = ++this.seq;
    const reply = await this.ask(
      { type: 'step', seq, batch: built.batch, detail: options.detail, until: options.until },
      { kind: 'feed', seq, count: built.batch.count, positionOf: built.positionOf },
      built.transfer,
    );
    if (reply.type !== 'stepped' || reply.seq !== seq) throw this.unexpected(reply);
    built.recycle(reply.buffers);
    return { fed: reply.fed, matched: reply.matched, predicateError: reply.predicateError, detail: reply.detail };
  }

  /** From now on (step), follows these keys (null: the whole state) against a consumer's states (canonical JSON). */
  async watch(targets: { key: string | null; canonical: string }[]): Promise<void> {
    const reply = await this.ask(
      { type: 'watch', targets },
      { kind: 'session', doing: 'while it was set to compare' },
      [],
      this.slowLimitMs(),
    );
    if (reply.type !== 'watched') throw this.unexpected(reply);
  }

  /** Per watched key: the last event after which it agreed, and the event it went apart on. */
  async watched(): Promise<WatchResult[]> {
    const reply = await this.ask({ type: 'watched' }, { kind: 'session', doing: 'while the comparison was read' });
    if (reply.type !== 'watched') throw this.unexpected(reply);
    return reply.results;
  }

  /** Copying a whole state in or out may take longer than a batch. */
  private slowLimitMs(): number {
    return Math.max(this.timeLimitMs, FINISH_TIME_LIMIT_MS);
  }

  /** Stops the worker (at the end of a run, or to abandon it). */
  terminate(): void {
    this.channel.terminate();
  }

  private check(): void {
    if (this.failure) throw new ProjectionFailedError(this.failure);
  }

  private async ask(
    request: ProjectionRequest,
    context: RequestContext,
    transfer: ArrayBuffer[] = [],
    timeLimitMs = this.timeLimitMs,
  ): Promise<ProjectionReply> {
    this.check();
    let reply: ProjectionReply;
    try {
      reply = await this.channel.request(request, context, transfer, timeLimitMs);
    } catch (err) {
      if (err instanceof SandboxStopped) {
        this.failure ??= this.stopped(err as SandboxStopped<RequestContext>);
        throw new ProjectionFailedError(this.failure);
      }
      throw err;
    }
    if (reply.type === 'failed') {
      this.failure ??= reply.failure;
      this.channel.terminate('The projection failed.');
      throw new ProjectionFailedError(this.failure);
    }
    return reply;
  }

  private unexpected(reply: ProjectionReply): ProjectionFailedError {
    this.failure ??= projectionFailure(
      'crashed',
      this.fileName,
      null,
      null,
      `the sandbox answered out of turn (${reply.type}).`,
      null,
      null,
    );
    this.channel.terminate();
    return new ProjectionFailedError(this.failure);
  }

  /** The sandbox stopped (time limit, memory, crash): where it was, in words. */
  private stopped(err: SandboxStopped<RequestContext>): ProjectionFailure {
    const context = err.context;
    let event: EventPosition | null = null;
    let doing = 'while it was loaded';
    if (context?.kind === 'finish') doing = 'while its final state was read';
    if (context?.kind === 'session') doing = context.doing;
    if (context?.kind === 'feed') {
      const first = context.positionOf(0);
      const last = context.positionOf(context.count - 1);
      const span = `a batch of ${context.count} events from ${first.topic} partition ${first.partition} offset ${first.offset} to ${last.topic} partition ${last.partition} offset ${last.offset}`;
      if (err.progress && err.progress[0] === context.seq) {
        event = context.positionOf(err.progress[1]);
        doing = `on ${event.topic} partition ${event.partition} offset ${event.offset} (in ${span})`;
      } else {
        doing = `on ${span}`;
      }
    }
    const reason = err.reason;
    if (reason.kind === 'timeout') {
      // The innermost frame in the projection's own file: the line it was running (`new Function` puts two lines before the body).
      const url = sourceUrlOf(this.fileName);
      const frame = err.frames?.find((f) => f.url === url) ?? null;
      const line = frame ? frame.line - 2 : null;
      return projectionFailure(
        'timeout',
        this.fileName,
        line,
        frame ? frame.column : null,
        `the projection ran longer than ${formatSeconds(reason.limitMs)} ${doing} and was stopped. Does it loop forever?`,
        event,
        null,
      );
    }
    if (reason.kind === 'memory') {
      const limit = this.memoryLimitMb === null ? '' : ` (its limit is ${this.memoryLimitMb} MB)`;
      return projectionFailure(
        'memory',
        this.fileName,
        null,
        null,
        `the projection ran out of memory${limit} ${doing}. Does its state grow without bound?`,
        event,
        null,
      );
    }
    return projectionFailure(
      'crashed',
      this.fileName,
      null,
      null,
      `the projection's sandbox stopped ${doing}: ${reason.message}`,
      event,
      null,
    );
  }
}

function formatSeconds(ms: number): string {
  return ms % 1000 === 0 ? `${ms / 1000} s` : `${(ms / 1000).toFixed(1)} s`;
}
