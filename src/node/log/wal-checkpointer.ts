// Runs the replay log's WAL checkpoints on a worker thread, with its own connection, instead
// of inside a commit on the main thread. SQLite's automatic checkpoint copies the WAL into the
// database during whichever COMMIT crosses the threshold: on a fast tail that stalled the
// host's event loop for 100–300 ms every few seconds, and every record in flight waited. A
// PASSIVE checkpoint never blocks the writer or readers; the writer restarts the WAL once a
// checkpoint has caught up with it, so the WAL stays bounded.
//
// While the WAL grows the worker checkpoints again after CATCH_UP_MS rather than the idle
// interval: under a bulk read (~150 MB/s of incompressible values) checkpoints 100 ms apart
// never caught up, the WAL reached its 64 MB limit ten times per 1 M records, and each time
// the writer's own RESTART checkpoint blocked the main thread (170–280 ms in all). Close behind
// the writer, a checkpoint often ends between two commits and the WAL starts over by itself:
// measured, 0–8 RESTARTs instead of 10 and a fifth less wall time in the appends.
//
// stop() is synchronous: it returns once the worker's connection is closed (the worker says so
// through a SharedArrayBuffer, waited on with Atomics.wait). Closed after the log's own
// connection, the worker's was the last: closing it checkpointed and deleted the WAL under an
// exclusive lock, and a log reopened meanwhile threw "database is locked". A synchronous stop
// keeps ReplayLog.close() synchronous for its callers (the service, capture files, scripts).
//
// The worker's code is inline (eval) so it needs no separate file in the bundled app.
import { Worker } from 'node:worker_threads';

const CHECKPOINT_INTERVAL_MS = 100;
/** The pause between checkpoints while the WAL keeps growing. */
const CATCH_UP_MS = 5;
/**
 * How long stop() waits for the worker to close its connection: one checkpoint in flight (of at
 * most the 64 MB a commit restarts the WAL at) and the worker's start, if it is still starting.
 */
const STOP_TIMEOUT_MS = 10_000;

/** state[0], the worker's connection: 0 while the worker starts, then open, then closed. */
const OPEN = 1;
const CLOSED = 2;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const state = new Int32Array(workerData.state);
const say = (s) => { Atomics.store(state, 0, s); Atomics.notify(state, 0); };
let db = null;
let running = true;
let timer = null;
let lastLog = -1;
const tick = () => {
  timer = null;
  if (!running) return;
  let growing = false;
  try {
    // busy: another checkpoint ran (the writer's RESTART); log: frames in the WAL;
    // checkpointed: frames copied into the database. A WAL that did not grow since the last
    // look waits the whole interval, even if a reader's snapshot keeps frames from being copied.
    const r = checkpoint.get();
    growing = r.busy !== 0 || r.log !== lastLog;
    lastLog = r.log;
  } catch {
    // Tried again next time; if it keeps failing, commits checkpoint themselves (WAL_LIMIT_BYTES).
  }
  timer = setTimeout(tick, growing ? workerData.catchUpMs : workerData.intervalMs);
};
let checkpoint = null;
try {
  db = new DatabaseSync(workerData.path);
  checkpoint = db.prepare('PRAGMA wal_checkpoint(PASSIVE)');
  say(${OPEN});
  timer = setTimeout(tick, workerData.intervalMs);
} catch {
  // No connection: nothing to checkpoint; commits checkpoint themselves past WAL_LIMIT_BYTES.
  try { db?.close(); } catch {}
  db = null;
  say(${CLOSED});
}
parentPort.on('message', () => {
  running = false;
  if (timer) clearTimeout(timer);
  try {
    if (db?.isOpen) db.close();
  } finally {
    say(${CLOSED});
    parentPort.close();
  }
});
`;

export class WalCheckpointer {
  private readonly worker: Worker;
  private readonly state = new Int32Array(new SharedArrayBuffer(4));
  private stopped = false;

  constructor(path: string, intervalMs = CHECKPOINT_INTERVAL_MS) {
    this.worker = new Worker(WORKER_SOURCE, {
      eval: true,
      workerData: { path, intervalMs, catchUpMs: Math.min(CATCH_UP_MS, intervalMs), state: this.state.buffer },
    });
    // A worker that dies (its database cannot be opened) must not take the host with it: without
    // it, commits checkpoint themselves once the WAL passes WAL_LIMIT_BYTES (replay-log.ts).
    this.worker.on('error', () => {
      Atomics.store(this.state, 0, CLOSED);
    });
    // A checkpointer never keeps the process alive.
    this.worker.unref();
  }

  /**
   * Stops the worker and returns once its connection is closed (after a checkpoint in flight
   * ends). False if that did not happen within STOP_TIMEOUT_MS (the worker is then terminated).
   */
  stop(timeoutMs = STOP_TIMEOUT_MS): boolean {
    if (this.stopped) return true;
    this.stopped = true;
    // Delivered to the worker's own event loop: this thread may block meanwhile.
    this.worker.postMessage('stop');
    const deadline = performance.now() + timeoutMs;
    let state = Atomics.load(this.state, 0);
    let canBlock = true;
    while (state !== CLOSED) {
      const left = deadline - performance.now();
      if (left <= 0) break;
      if (canBlock) {
        try {
          Atomics.wait(this.state, 0, state, left);
        } catch {
          // A thread that may not block (Chromium's rule, should an embedder apply it to this
          // one) looks again and again instead: the wait is one checkpoint at most.
          canBlock = false;
        }
      }
      state = Atomics.load(this.state, 0);
    }
    if (state !== CLOSED) {
      void this.worker.terminate();
      return false;
    }
    return true;
  }
}
