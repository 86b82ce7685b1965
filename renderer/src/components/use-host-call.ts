// Runs one host call for a component: loading state, the error where it happened, and
// cancellation when the component goes away or the inputs change.
import { useCallback, useEffect, useRef, useState } from 'react';

export interface HostCall<T> {
  data: T | null;
  error: unknown;
  loading: boolean;
  reload(): void;
}

export function useHostCall<T>(run: (signal: AbortSignal) => Promise<T>, deps: unknown[]): HostCall<T> {
  const [data, setData] = useState<T | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [loading, setLoading] = useState(true);
  const [generation, setGeneration] = useState(0);
  const runRef = useRef(run);
  runRef.current = run;

  useEffect(() => {
    const controller = new AbortController();
    setLoading(true);
    setError(null);
    runRef.current(controller.signal).then(
      (value) => {
        if (controller.signal.aborted) return;
        setData(value);
        setLoading(false);
      },
      (err: unknown) => {
        if (controller.signal.aborted) return;
        setError(err);
        setLoading(false);
      },
    );
    return () => controller.abort();
    // The caller's dependencies, as useEffect's own (eslint.config.js checks them at each call: additionalHooks).
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [...deps, generation]);

  const reload = useCallback(() => setGeneration((g) => g + 1), []);
  return { data, error, loading, reload };
}
