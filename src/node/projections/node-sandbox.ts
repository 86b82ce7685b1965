// The CLI's projection sandbox: a worker_threads Worker with resource limits, never node:vm in
// the main thread (not a security boundary). Inside it:
// - module loading is refused for the whole thread (module.registerHooks: every resolve throws),
//   so neither require nor import() nor a static import can load anything, node:fs included;
// - require, process, module, Buffer, fetch, timers… are taken out of the global scope
//   (sandbox-core.ts lockDownScope) once the worker has what it needs, and shadowed again as
//   parameters of the compiled projection;
// - the heap is capped (resourceLimits): running out is ERR_WORKER_OUT_OF_MEMORY, which ends the
//   worker alone and becomes a ProjectionFailure naming the event it was on;
// - a batch that takes longer than the time limit gets the worker terminated
//   (projection-runner.ts / sandbox-channel.ts), naming the event it was on (shared memory) and
//   the line it was running (a debugger session pauses the worker and reads its stack first);
// - it gets an empty environment, no argv, no execArgv, and its console goes to a stream of
//   ours (stderr: the replay's own output stays clean).
//
// The worker's code is eval'd source text made from the sandbox functions themselves
// (Function.prototype.toString): they are written to be self-contained (see their files), so
// the same functions run in the app's Web Worker and here, and the bundled CLI needs no separate
// worker file. The text is wrapped in a function so that none of its names is a global the
// projection could see.
import { Worker } from 'node:worker_threads';
import {
  createProjectionEngine,
  jsonProblem,
  kindOfValue,
  lineOfProperty,
  projectionFailure,
  shadowedNames,
} from '../../common/projections/projection-engine.ts';
import { projectionModuleBody } from '../../common/projections/module-source.ts';
import { ProjectionRunner, DEFAULT_BATCH_TIME_LIMIT_MS } from '../../common/projections/projection-runner.ts';
import type { ProjectionReply, ProjectionRequest } from '../../common/projections/projection-worker.ts';
import { runProjectionWorker } from '../../common/projections/projection-worker.ts';
import { canonicalJson } from '../../common/projections/state-diff.ts';
import type { SandboxTransport, StackFrame } from '../../common/projections/sandbox-channel.ts';
import {
  compileUserCode,
  describeThrown,
  locateSyntaxError,
  lockDownScope,
  sandboxedGlobals,
  sourceUrlOf,
  userLocation,
} from '../../common/projections/sandbox-core.ts';

export const DEFAULT_MEMORY_LIMIT_MB = 1024;

export interface NodeSandboxOptions {
  /** The projection's file name, as messages name it. */
  fileName: string;
  /** Per batch (default 5 s). */
  timeLimitMs?: number;
  /** The worker's old-generation heap (default 1024 MB). */
  memoryLimitMb?: number;
  /** Where the projection's console output goes (default: this process's stderr). */
  console?: NodeJS.WritableStream;
  /** Called with the worker thread (a benchmark reads its heap statistics). */
  onWorker?(worker: Worker): void;
}

/** Every function the worker runs, by the name `lib` gives it there. */
const SANDBOX_FUNCTIONS = {
  sandboxedGlobals,
  lockDownScope,
  sourceUrlOf,
  compileUserCode,
  locateSyntaxError,
  userLocation,
  describeThrown,
  projectionModuleBody,
  shadowedNames,
  projectionFailure,
  kindOfValue,
  lineOfProperty,
  jsonProblem,
  createProjectionEngine,
  canonicalJson,
  runProjectionWorker,
};

let workerSource: string | null = null;

/** The worker's program (built once). Exported for the tests that check what it can reach. */
export function projectionWorkerSource(): string {
  if (workerSource !== null) return workerSource;
  const declarations = Object.values(SANDBOX_FUNCTIONS)
    .map((fn) => fn.toString())
    .join('\n\n');
  const lib = Object.entries(SANDBOX_FUNCTIONS)
    .map(([name, fn]) => `${name}: ${fn.name}`)
    .join(', ');
  workerSource = `(function eventscopeProjectionSandbox() {
'use strict';
const { parentPort: sandboxPort } = require('node:worker_threads');
const { isUtf8: sandboxIsUtf8, isAscii: sandboxIsAscii } = require('node:buffer');
const { registerHooks: sandboxRegisterHooks } = require('node:module');
const SandboxBuffer = Buffer;
// No module can be loaded from here on, by require, import() or anything else in this thread.
sandboxRegisterHooks({
  resolve(specifier) {
    throw new Error('Cannot load "' + specifier + '": a projection runs with no modules (no Node, no packages, no files).');
  },
});

${declarations}

const sandboxLib = { ${lib} };
const sandboxWorkerPort = {
  post: (reply, transfer) => sandboxPort.postMessage(reply, transfer),
  listen: (handler) => sandboxPort.on('message', handler),
  decoderFor(bytes) {
    const buf = SandboxBuffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    // ASCII (the usual JSON batch): its text is its Latin-1 text, taken once; a value to parse
    // is a view of it (no call into C++ per value: 5% of a replay). Kept text is a string of
    // its own (a view would hold the batch's text); below 13 characters V8 copies anyway.
    if (sandboxIsAscii(bytes)) {
      const latin1 = typeof buf.latin1Slice === 'function' ? (s, e) => buf.latin1Slice(s, e) : (s, e) => buf.toString('latin1', s, e);
      const all = latin1(0, buf.length);
      return {
        utf8: (s, e) => all.substring(s, e),
        text: (s, e) => (e - s < 13 ? all.substring(s, e) : latin1(s, e)),
        views: true,
      };
    }
    const slice = typeof buf.utf8Slice === 'function' ? (s, e) => buf.utf8Slice(s, e) : (s, e) => buf.toString('utf8', s, e);
    // One check of the whole buffer: when it is UTF-8, a piece is UTF-8 unless it starts or
    // ends inside a character (a continuation byte at its start or just after its end).
    const whole = sandboxIsUtf8(bytes);
    return {
      utf8(s, e) {
        if (s === e) return '';
        if (whole) {
          if ((bytes[s] & 0xc0) === 0x80 || (e < bytes.length && (bytes[e] & 0xc0) === 0x80)) return null;
        } else if (!sandboxIsUtf8(bytes.subarray(s, e))) {
          return null;
        }
        return slice(s, e);
      },
      text: slice,
    };
  },
};
sandboxLib.lockDownScope(globalThis);
sandboxLib.runProjectionWorker(sandboxWorkerPort, sandboxLib);
})();
`;
  return workerSource;
}

/** A worker thread as a sandbox transport: out-of-memory and crashes reported as such. */
function workerTransport(worker: Worker): SandboxTransport<ProjectionRequest, ProjectionReply> {
  let terminated = false;
  return {
    post: (message, transfer) => worker.postMessage(message, transfer),
    connect({ reply, died }) {
      worker.on('message', reply);
      worker.on('error', (err: Error & { code?: string }) => {
        if (terminated) return;
        died(
          err.code === 'ERR_WORKER_OUT_OF_MEMORY'
            ? { kind: 'memory', message: err.message }
            : { kind: 'crashed', message: err.message },
        );
      });
      worker.on('exit', (code) => {
        if (!terminated) died({ kind: 'crashed', message: `the worker exited (code ${code})` });
      });
    },
    terminate() {
      if (terminated) return;
      terminated = true;
      void worker.terminate();
    },
    locate: () => locateWorker(worker),
  };
}

/**
 * Where a worker thread's code is now: a debugger session of this process attaches to it
 * (node:inspector, NodeWorker domain), pauses it — a pause reaches code that loops — and reads
 * its stack. Only ever used on a worker about to be terminated.
 */
async function locateWorker(worker: Worker): Promise<StackFrame[] | null> {
  const { Session } = await import('node:inspector/promises');
  const session = new Session();
  session.connect();
  try {
    // The session numbers the workers it attaches to itself; the title carries the thread id.
    const target = `[worker ${worker.threadId}]`;
    let id = 0;
    const scripts = new Map<string, string>();
    type Message = {
      method?: string;
      params?: {
        scriptId?: string;
        url?: string;
        callFrames?: { url?: string; location: { scriptId: string; lineNumber: number; columnNumber?: number } }[];
      };
    };
    const attached = new Promise<string>((resolve) => {
      session.on(
        'NodeWorker.attachedToWorker',
        (m: { params: { sessionId: string; workerInfo: { title: string } } }) => {
          if (m.params.workerInfo.title.startsWith(target)) resolve(m.params.sessionId);
        },
      );
    });
    await session.post('NodeWorker.enable', { waitForDebuggerOnStart: false });
    const sessionId = await attached;
    const paused = new Promise<NonNullable<NonNullable<Message['params']>['callFrames']>>((resolve) => {
      session.on('NodeWorker.receivedMessageFromWorker', (m: { params: { sessionId: string; message: string } }) => {
        if (m.params.sessionId !== sessionId) return;
        const message = JSON.parse(m.params.message) as Message;
        if (message.method === 'Debugger.scriptParsed' && message.params?.scriptId)
          scripts.set(message.params.scriptId, message.params.url ?? '');
        if (message.method === 'Debugger.paused') resolve(message.params?.callFrames ?? []);
      });
    });
    const send = (method: string): Promise<unknown> =>
      session.post('NodeWorker.sendMessageToWorker', {
        sessionId,
        message: JSON.stringify({ id: ++id, method, params: {} }),
      });
    await send('Debugger.enable');
    await send('Debugger.pause');
    const frames = await paused;
    // Detached before the session goes: a worker still attached to a session that is gone is never terminated.
    await session.post('NodeWorker.detach', { sessionId });
    return frames.map((f) => ({
      url: scripts.get(f.location.scriptId) ?? f.url ?? '',
      line: f.location.lineNumber + 1,
      column: (f.location.columnNumber ?? 0) + 1,
    }));
  } finally {
    session.disconnect();
  }
}

/** Starts a projection's worker; load the projection with runner.load(source). */
export function startProjectionSandbox(options: NodeSandboxOptions): ProjectionRunner {
  const memoryLimitMb = options.memoryLimitMb ?? DEFAULT_MEMORY_LIMIT_MB;
  const worker = new Worker(projectionWorkerSource(), {
    eval: true,
    env: {},
    argv: [],
    execArgv: [],
    stdout: true,
    stderr: true,
    resourceLimits: {
      maxOldGenerationSizeMb: memoryLimitMb,
      maxYoungGenerationSizeMb: Math.min(64, Math.max(4, Math.floor(memoryLimitMb / 8))),
      stackSizeMb: 4,
    },
  });
  const console = options.console ?? process.stderr;
  worker.stdout.on('data', (chunk: Buffer) => console.write(chunk));
  worker.stderr.on('data', (chunk: Buffer) => console.write(chunk));
  options.onWorker?.(worker);
  const progress = new SharedArrayBuffer(8);
  return new ProjectionRunner(workerTransport(worker), {
    fileName: options.fileName,
    timeLimitMs: options.timeLimitMs ?? DEFAULT_BATCH_TIME_LIMIT_MS,
    memoryLimitMb,
    progress,
  });
}
