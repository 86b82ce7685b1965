// One projection run at a time on the Projections screen: a session (projection-session.ts)
// over the chosen range (host-range-reader.ts) and sandboxes of this page's own
// (projection-sandbox.ts); progress while it runs, Cancel, and the result. The session stays
// after the run for step-through and comparison until the next run or leaving the screen.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProjectionRunner } from '@common/projections/projection-runner.ts';
import { createProjectionSession, type ProjectionSessionHandle } from '@common/projections/projection-session.ts';
import type { RangeReadProgress, SessionRunResult } from '@common/projections/session-api.ts';
import { rpc } from '../../state/host-store.ts';
import { HostRangeReader, type RangeHost } from './host-range-reader.ts';
import { createProjectionRunner } from './projection-sandbox.ts';
import type { RangeParams } from './range-form.ts';

/** Progress is shown at most this often (a frame of events is far more often than anyone reads). */
const PROGRESS_INTERVAL_MS = 100;
/**
 * Cancel stops the read at once, and the run ends with the state so far as soon as the sandbox
 * has taken what it was given. A sandbox still busy after this long (a slow or looping handler)
 * is stopped instead of waiting for its time limit.
 */
const CANCEL_GRACE_MS = 1_000;

export interface ProjectionRun {
  id: number;
  phase: 'running' | 'done';
  fileName: string;
  params: RangeParams;
  progress: RangeReadProgress | null;
  notices: string[];
  result: SessionRunResult | null;
  /** A failure that is not the projection's (the session itself). */
  error: unknown;
  /** Cancel was pressed (a sandbox stopped for it reports a crash: that is the cancel). */
  cancelled: boolean;
  session: ProjectionSessionHandle;
}

function rpcRangeHost(): RangeHost {
  const client = rpc();
  return {
    subscribe: (params, onEvent) => client.subscribe('projections.events', params, { onEvent }),
    ack: (readId, seq) => client.call('projections.ack', { readId, seq }),
  };
}

export function useProjectionRun(): {
  run: ProjectionRun | null;
  start(source: string, fileName: string, params: RangeParams): void;
  cancel(): void;
} {
  const [run, setRun] = useState<ProjectionRun | null>(null);
  const controller = useRef<AbortController | null>(null);
  /** Stops the sandbox of the run in progress (set while one runs). */
  const stopRun = useRef<(() => void) | null>(null);
  const session = useRef<ProjectionSessionHandle | null>(null);
  const nextId = useRef(1);

  useEffect(
    () => () => {
      controller.current?.abort();
      stopRun.current?.();
      session.current?.dispose();
    },
    [],
  );

  const start = useCallback((source: string, fileName: string, params: RangeParams) => {
    controller.current?.abort();
    session.current?.dispose();
    const id = nextId.current++;
    const abort = new AbortController();
    controller.current = abort;
    const update = (change: Partial<ProjectionRun>): void =>
      setRun((r) => (r && r.id === id ? { ...r, ...change } : r));
    const reader = new HostRangeReader(rpcRangeHost(), params, {
      onNotice: (message) => setRun((r) => (r && r.id === id ? { ...r, notices: [...r.notices, message] } : r)),
    });
    let running = true;
    const runners: ProjectionRunner[] = [];
    const createRunner = (): ProjectionRunner => {
      const runner = createProjectionRunner(fileName);
      if (running) runners.push(runner);
      return runner;
    };
    stopRun.current = () => {
      if (running) for (const r of runners) r.terminate();
    };
    const created = createProjectionSession({ reader, createRunner, source, fileName });
    session.current = created;
    setRun({
      id,
      phase: 'running',
      fileName,
      params,
      progress: null,
      notices: [],
      result: null,
      error: null,
      cancelled: false,
      session: created,
    });
    let lastShown = 0;
    let pending: ReturnType<typeof setTimeout> | null = null;
    let latest: RangeReadProgress | null = null;
    const onProgress = (p: RangeReadProgress): void => {
      latest = p;
      const now = Date.now();
      if (now - lastShown >= PROGRESS_INTERVAL_MS) {
        lastShown = now;
        update({ progress: p });
      } else {
        pending ??= setTimeout(() => {
          pending = null;
          lastShown = Date.now();
          update({ progress: latest });
        }, PROGRESS_INTERVAL_MS);
      }
    };
    const finished = (): void => {
      running = false;
      if (pending) clearTimeout(pending);
    };
    created.run({ signal: abort.signal, onProgress }).then(
      (result) => {
        finished();
        update({ phase: 'done', result, progress: latest });
      },
      (err: unknown) => {
        finished();
        update({ phase: 'done', error: err, progress: latest });
      },
    );
  }, []);

  const cancel = useCallback(() => {
    controller.current?.abort();
    setRun((r) => (r && r.phase === 'running' ? { ...r, cancelled: true } : r));
    const stop = stopRun.current;
    setTimeout(() => stop?.(), CANCEL_GRACE_MS);
  }, []);

  return { run, start, cancel };
}
