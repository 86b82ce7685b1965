// The sandbox core shared by the JavaScript filter (renderer/src/features/messages/
// predicate.worker.ts) and projections (projection-worker.ts): what runs inside the worker that
// evaluates the user's code.
//
// - lockDownScope takes the worker's capabilities out of its global scope before any user code
//   runs: the network (fetch, XMLHttpRequest, WebSocket…), the process and modules (process,
//   require, module — the CLI's worker thread has them as globals), talking to the page or other
//   workers (postMessage, BroadcastChannel, nested Workers) and timers (a projection is a
//   synchronous reduction: nothing may run between batches). The worker keeps private
//   references to what it needs itself, taken before.
// - compileUserCode compiles with `new Function`, never node:vm (not a security boundary, and not
//   in a browser), with the user's file as its sourceURL, and finds the line of a syntax error
//   (V8 does not say where a `new Function` body fails to parse).
// - userLocation finds the line in the user's file an error was thrown from.
//
// The worker is the boundary: a Web Worker with its own CSP (no network, eval only there) in the
// app; in the CLI a worker_threads Worker with resource limits whose module loading is refused
// (src/node/projections/node-sandbox.ts). What the user's code can reach inside it is its own
// data and JavaScript's built-ins.
//
// SELF-CONTAINED: these functions run inside the sandbox worker; the CLI's worker gets them as
// source text (Function.prototype.toString). They may call each other (this file) and use
// JavaScript's built-ins, nothing else: no imports, no module-level constants.

/** Globals a user's code must not reach, in a Web Worker or a Node worker thread. */
export function sandboxedGlobals(): string[] {
  return [
    // Node's process, module system and buffers (an eval'd worker thread has require as a global)
    'process',
    'require',
    'module',
    'exports',
    '__filename',
    '__dirname',
    'global',
    'Buffer',
    // the network
    'fetch',
    'Request',
    'Response',
    'Headers',
    'FormData',
    'XMLHttpRequest',
    'WebSocket',
    'WebSocketStream',
    'EventSource',
    'WebTransport',
    // other threads, the page, storage
    'postMessage',
    'close',
    'importScripts',
    'BroadcastChannel',
    'MessageChannel',
    'MessagePort',
    'Worker',
    'SharedWorker',
    'navigator',
    'indexedDB',
    'caches',
    'localStorage',
    'sessionStorage',
    'FileReader',
    'FileReaderSync',
    // timers: nothing of the user's may run between batches
    'setTimeout',
    'setInterval',
    'setImmediate',
    'clearTimeout',
    'clearInterval',
    'clearImmediate',
    'requestAnimationFrame',
  ];
}

/**
 * Takes the sandboxedGlobals out of a worker's global scope, along its prototype chain (a Web
 * Worker's fetch lives on WorkerGlobalScope.prototype). Where a property cannot be deleted it
 * is shadowed by an undefined, read-only one. Call it after taking what the worker itself needs.
 */
export function lockDownScope(scope: object): void {
  for (const name of sandboxedGlobals()) {
    for (
      let holder: object | null = scope;
      holder !== null && holder !== Object.prototype;
      holder = Object.getPrototypeOf(holder) as object | null
    ) {
      if (!Object.prototype.hasOwnProperty.call(holder, name)) continue;
      try {
        delete (holder as Record<string, unknown>)[name];
      } catch {
        // not configurable: shadowed below
      }
    }
    if (name in scope) {
      try {
        Object.defineProperty(scope, name, {
          value: undefined,
          writable: false,
          configurable: false,
          enumerable: false,
        });
      } catch {
        // A global that can be neither deleted nor shadowed: none is known.
      }
    }
  }
}

/** The file name as the sourceURL of compiled code (stack frames then name it, with lines). */
export function sourceUrlOf(fileName: string): string {
  return (fileName.split(/[\\/]/).pop() || 'projection.js').replace(/[^\w.-]/g, '_');
}

/** A compiled function body, or where it fails to parse. Lines count from the body's first line. */
export type Compiled =
  { ok: true; fn: (...args: unknown[]) => unknown } | { ok: false; message: string; line: number | null };

/**
 * Compiles a function body with `new Function`, named for stack frames after the user's file.
 * Line N of the body is reported as line N (the function's own header is left out).
 */
export function compileUserCode(params: string[], body: string, fileName: string): Compiled {
  try {
    const fn = new Function(...params, `${body}\n//# sourceURL=${sourceUrlOf(fileName)}`) as (
      ...args: unknown[]
    ) => unknown;
    return { ok: true, fn };
  } catch (err) {
    const message = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
    return {
      ok: false,
      message,
      line: locateSyntaxError(params, body, err instanceof Error ? err.message : String(err)),
    };
  }
}

/**
 * The line a syntax error is on. V8 does not say for `new Function`, so: the shortest run of
 * leading lines that fails the same way. A prefix that stops before the error is valid so far
 * (it compiles, or runs out of input); one that reaches it fails as the whole does, so the
 * search is a bisection. An error about the end of the input is at the last line.
 */
export function locateSyntaxError(params: string[], body: string, message: string): number | null {
  const lines = body.split('\n');
  if (/end of input|Unterminated/i.test(message)) return lines.length;
  const failsAlike = (count: number): boolean => {
    try {
      new Function(...params, lines.slice(0, count).join('\n'));
      return false;
    } catch (err) {
      return err instanceof Error && err.message === message;
    }
  };
  let lo = 1;
  let hi = lines.length;
  if (!failsAlike(hi)) return null;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsAlike(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/**
 * Where in the user's file an error was thrown: the innermost stack frame in it (a built-in the
 * user's code called is skipped). Lines as in the function body compileUserCode was given.
 */
export function userLocation(err: unknown, fileName: string): { line: number; column: number } | null {
  let stack: string;
  try {
    // A thrown object's stack may be anything (a getter of the user's): read it once, guarded.
    const s = err !== null && typeof err === 'object' ? (err as { stack?: unknown }).stack : undefined;
    stack = typeof s === 'string' ? s : '';
  } catch {
    return null;
  }
  const url = sourceUrlOf(fileName).replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`${url}:(\\d+):(\\d+)`).exec(stack);
  if (!match) return null;
  // `new Function` puts two lines before the body: "(function anonymous(params" and ") {".
  return { line: Number(match[1]) - 2, column: Number(match[2]) };
}

/** An error thrown by user code, in words: "TypeError: x is undefined"; anything thrown that is not an Error as it prints. */
export function describeThrown(err: unknown): string {
  try {
    if (err instanceof Error) return `${err.name}: ${err.message}`;
    if (typeof err === 'string')
      return `it threw the string ${JSON.stringify(err.length > 200 ? `${err.slice(0, 200)}…` : err)}`;
    return `it threw ${String(err)}`;
  } catch {
    return 'it threw something that cannot be printed';
  }
}
