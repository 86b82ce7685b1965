// One host call for a component, run again every intervalMs while the page is visible (one
// at a time: a slow answer is not stacked on), and at once on reload(). `loading` is true for
// the first answer and a reload the user asked for, not for the quiet refreshes in between,
// so the Refresh button does not blink every ten seconds. The last answer stays on screen
// while a new one is read, and beside an error.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface PolledCall<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  refreshedAt: number | null;
  reload(): void;
}

export function usePolledCall<T>(
  run: (signal: AbortSignal) => Promise<T>,
  deps: unknown[],
  intervalMs: number | null,
): PolledCall<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [refreshedAt, setRefreshedAt] = useState<number | null>(null);
  const [generation, setGeneration] = useState(0);
  const runRef = useRef(run);
  runRef.current = run;

  useEffect(() => {
    let inFlight: AbortController | null = null;
    let stopped = false;
    const tick = (shown: boolean): void => {
      if (inFlight) return;
      const controller = new AbortController();
      inFlight = controller;
      if (shown) setLoading(true);
      runRef
        .current(controller.signal)
        .then(
          (value) => {
            if (controller.signal.aborted) return;
            setData(value);
            setError(null);
            setRefreshedAt(Date.now());
          },
          (err: unknown) => {
            if (!controller.signal.aborted) setError(err);
          },
        )
        .finally(() => {
          if (inFlight === controller) inFlight = null;
          if (!stopped) setLoading(false);
        });
    };
    tick(true);
    const timer =
      intervalMs === null
        ? undefined
        : window.setInterval(() => document.visibilityState !== 'hidden' && tick(false), intervalMs);
    return () => {
      stopped = true;
      inFlight?.abort();
      window.clearInterval(timer);
    };
    // The caller's dependencies, as useEffect's own (eslint.config.js checks them at each call: additionalHooks).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, generation, intervalMs]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, refreshedAt, reload };
}
