// Host side of a sandbox worker, shared by the JavaScript filter (renderer/src/features/messages/
// predicate-runner.ts) and projections (projection-runner.ts): requests go out in order, may be
// pipelined, and are answered in order. Each request has a time limit, counted from when the
// worker can start on it (when the one before it was answered): a request that takes longer
// stops the worker (terminated: an endless loop cannot be interrupted any other way) and fails
// every request still waiting, saying which one ran out of time and, when the worker reports
// its progress in shared memory, where in it the worker was. A worker that dies on its own (out
// of memory, crashed) fails them the same way.

/** A place in a script (1-based), as a debugger reports a paused thread's stack. */
export interface StackFrame {
  url: string;
  line: number;
  column: number;
}

/** A worker, in the browser or a Node worker thread, as the channel sees it. */
export interface SandboxTransport<Request, Reply> {
  post(message: Request, transfer: ArrayBuffer[]): void;
  /** reply: each answer, in order; died: the worker stopped on its own. */
  connect(handlers: {
    reply(message: Reply): void;
    died(cause: { kind: 'memory' | 'crashed'; message: string }): void;
  }): void;
  terminate(): void;
  /**
   * Where the worker's code is now (its stack, innermost first), where the platform can tell
   * (Node: a debugger pauses it). Asked before a worker that ran out of time is stopped, so that
   * the message names the line that loops.
   */
  locate?(): Promise<StackFrame[] | null>;
}

/** How long finding where a worker is may take before it is stopped without knowing. */
const LOCATE_TIMEOUT_MS = 2_000;

export type StopReason =
  | { kind: 'timeout'; limitMs: number }
  | { kind: 'memory'; message: string }
  | { kind: 'crashed'; message: string }
  | { kind: 'terminated'; message: string };

/**
 * Why a request got no answer. `context` is the request's (the one running when the worker
 * stopped); `progress` is the worker's [0] and [1] then; `frames` where its code was (a time
 * limit, where the transport can locate it).
 */
export class SandboxStopped<Context = unknown> extends Error {
  readonly reason: StopReason;
  readonly context: Context | null;
  readonly progress: [number, number] | null;
  readonly frames: StackFrame[] | null;

  constructor(
    reason: StopReason,
    context: Context | null,
    progress: [number, number] | null,
    frames: StackFrame[] | null = null,
  ) {
    super(
      reason.kind === 'timeout'
        ? `The sandbox ran longer than ${reason.limitMs} ms on one request and was stopped.`
        : reason.message,
    );
    this.name = 'SandboxStopped';
    this.reason = reason;
    this.context = context;
    this.progress = progress;
    this.frames = frames;
  }
}

interface Pending<Reply, Context> {
  context: Context;
  timeLimitMs: number;
  resolve(reply: Reply): void;
  reject(err: Error): void;
}

export class SandboxChannel<Request, Reply, Context = string> {
  private readonly transport: SandboxTransport<Request, Reply>;
  private readonly timeLimitMs: number;
  private readonly progress: Int32Array | null;
  private readonly pending: Pending<Reply, Context>[] = [];
  private timer: ReturnType<typeof setTimeout> | null = null;
  private stoppedWith: SandboxStopped<Context> | null = null;
  private timingOut = false;

  /** progress: memory the worker writes its position into, read when it is stopped (null where there is no shared memory). */
  constructor(
    transport: SandboxTransport<Request, Reply>,
    options: { timeLimitMs: number; progress?: Int32Array | null },
  ) {
    this.transport = transport;
    this.timeLimitMs = options.timeLimitMs;
    this.progress = options.progress ?? null;
    transport.connect({
      reply: (message) => {
        const head = this.pending.shift();
        this.clock();
        head?.resolve(message);
      },
      died: (cause) => this.stop(cause),
    });
  }

  /** Requests sent and not yet answered. */
  get inFlight(): number {
    return this.pending.length;
  }

  /** Why the worker stopped, once it has. */
  get stopped(): SandboxStopped<Context> | null {
    return this.stoppedWith;
  }

  /** timeLimitMs: this request's own limit (default: the channel's). */
  request(
    message: Request,
    context: Context,
    transfer: ArrayBuffer[] = [],
    timeLimitMs = this.timeLimitMs,
  ): Promise<Reply> {
    if (this.stoppedWith) return Promise.reject(this.stoppedWith);
    return new Promise<Reply>((resolve, reject) => {
      this.pending.push({ context, timeLimitMs, resolve, reject });
      if (this.pending.length === 1) this.clock();
      try {
        this.transport.post(message, transfer);
      } catch (err) {
        this.stop({ kind: 'crashed', message: `Could not send to the sandbox: ${(err as Error).message}` });
      }
    });
  }

  /** Stops the worker; whatever waits is failed with `message`. */
  terminate(message = 'Stopped.'): void {
    this.stop({ kind: 'terminated', message });
  }

  /** The time limit runs for the request at the head of the line, from now. */
  private clock(): void {
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const head = this.pending[0];
    if (!head || this.stoppedWith) return;
    this.timer = setTimeout(() => void this.timeOut(head.timeLimitMs), head.timeLimitMs);
  }

  /** Out of time: where the worker is (when that can be known, within LOCATE_TIMEOUT_MS), then stopped. */
  private async timeOut(limitMs: number): Promise<void> {
    if (this.stoppedWith || this.timingOut) return;
    this.timingOut = true;
    let frames: StackFrame[] | null = null;
    if (this.transport.locate) {
      let timer: ReturnType<typeof setTimeout> | undefined;
      const giveUp = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), LOCATE_TIMEOUT_MS)));
      frames = await Promise.race([this.transport.locate().catch(() => null), giveUp]);
      clearTimeout(timer);
    }
    this.stop({ kind: 'timeout', limitMs }, frames);
  }

  private stop(reason: StopReason, frames: StackFrame[] | null = null): void {
    if (this.stoppedWith) return;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    const progress: [number, number] | null = this.progress
      ? [Atomics.load(this.progress, 0), Atomics.load(this.progress, 1)]
      : null;
    const error = new SandboxStopped<Context>(reason, this.pending[0]?.context ?? null, progress, frames);
    this.stoppedWith = error;
    this.transport.terminate();
    for (const p of this.pending.splice(0)) p.reject(error);
  }
}
