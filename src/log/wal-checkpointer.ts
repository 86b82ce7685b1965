// Runs the replay log's WAL checkpoints on a worker thread, with its own connection, instead
// of inside a commit on the main thread. SQLite's automatic checkpoint copies the WAL into the
// database during whichever COMMIT crosses the threshold: on a fast tail that stalled the
// host's event loop for 100–300 ms every few seconds, and every record in flight waited. A
// PASSIVE checkpoint never blocks the writer or readers; the writer restarts the WAL once a
// checkpoint has caught up with it, so the WAL stays bounded.
//
// The worker's code is inline (eval) so it needs no separate file in the bundled app.
import { Worker } from 'node:worker_threads';

const CHECKPOINT_INTERVAL_MS = 100;

const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { DatabaseSync } = require('node:sqlite');
const db = new DatabaseSync(workerData.path);
let running = true;
const timer = setInterval(() => {
  if (!running) return;
  try {
    db.exec('PRAGMA wal_checkpoint(PASSIVE)');
  } catch {
    // Tried again next time; if it keeps failing, commits checkpoint themselves (WAL_LIMIT_BYTES).
  }
}, workerData.intervalMs);
parentPort.on('message', () => {
  running = false;
  clearInterval(timer);
  db.close();
  parentPort.close();
});
`;

export class WalCheckpointer {
  private readonly worker: Worker;
  private stopped = false;

  constructor(path: string, intervalMs = CHECKPOINT_INTERVAL_MS) {
    this.worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path, intervalMs } });
    // A worker that dies (its database cannot be opened) must not take the host with it: without
    // it, commits checkpoint themselves once the WAL passes WAL_LIMIT_BYTES (replay-log.ts).
    this.worker.on('error', () => undefined);
    // A checkpointer never keeps the process alive.
    this.worker.unref();
  }

  /** Stops the worker and waits until its connection is closed. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const exited = new Promise<void>((resolve) => this.worker.once('exit', () => resolve()));
    this.worker.postMessage('stop');
    await exited;
  }
}
