// The app's projection sandboxes: each a fresh Web Worker (projection.worker.ts) behind a
// ProjectionRunner, with the per-batch time limit that stops an endless loop. Also the check
// the editor runs a moment after each edit: whether the source loads (it parses, its default
// export is a projection), in a sandbox of its own that is stopped right after.
import { ProjectionFailedError, ProjectionRunner } from '@common/projections/projection-runner.ts';
import type { ProjectionFailure } from '@common/projections/projection-api.ts';
import { webWorkerTransport } from './web-worker-transport.ts';

/** A batch (or the load) that takes longer than this stops the sandbox: an endless loop, probably. */
export const PROJECTION_TIME_LIMIT_MS = 5_000;

export function createProjectionRunner(fileName: string): ProjectionRunner {
  const worker = new Worker(new URL('./projection.worker.ts', import.meta.url), { type: 'module', name: 'projection' });
  // Shared memory (where the worker writes which event it is on) needs a cross-origin isolated page; without it the message names the batch.
  const progress =
    typeof SharedArrayBuffer !== 'undefined' && globalThis.crossOriginIsolated ? new SharedArrayBuffer(8) : null;
  return new ProjectionRunner(webWorkerTransport(worker), {
    fileName,
    timeLimitMs: PROJECTION_TIME_LIMIT_MS,
    progress,
  });
}

/** Whether the source loads: null, or the failure (syntax, shape, a throw while loading) with its line. */
export async function checkProjectionSource(source: string, fileName: string): Promise<ProjectionFailure | null> {
  const runner = createProjectionRunner(fileName);
  try {
    await runner.load(source);
    return null;
  } catch (err) {
    if (err instanceof ProjectionFailedError) return err.failure;
    throw err;
  } finally {
    runner.terminate();
  }
}
