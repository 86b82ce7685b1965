// A JavaScript filter over the rows of the list, evaluated in a Web Worker (see
// predicate.worker.ts). Results are cached per record; new rows are tested in batches; a
// batch that runs longer than PREDICATE_BATCH_TIMEOUT_MS stops the worker with an error.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RecordDto } from '../../../../src/contract/dto.ts';
import type { PredicateReply, PredicateRequest } from './predicate.worker.ts';

const BATCH_RECORDS = 5_000;
export const PREDICATE_BATCH_TIMEOUT_MS = 2_000;

const keyOf = (r: RecordDto): string => `${r.partition}:${r.offset}`;

export function usePredicateFilter(code: string | null, rows: readonly RecordDto[]): { visible: RecordDto[] | null; error: string | null; pending: boolean } {
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const worker = useRef<Worker | null>(null);
  const results = useRef(new Map<string, boolean>());
  const inFlight = useRef<{ batch: number; keys: string[]; timer: ReturnType<typeof setTimeout> } | null>(null);
  const batchNo = useRef(0);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;

  // A new filter: a fresh worker and an empty cache.
  useEffect(() => {
    results.current = new Map();
    setError(null);
    if (!code) return;
    const w = new Worker(new URL('./predicate.worker.ts', import.meta.url), { type: 'module' });
    worker.current = w;
    const stop = (message: string): void => {
      w.terminate();
      worker.current = null;
      if (inFlight.current) clearTimeout(inFlight.current.timer);
      inFlight.current = null;
      setError(message);
    };
    w.onmessage = (event: MessageEvent<PredicateReply>) => {
      const reply = event.data;
      if (reply.type === 'error') return stop(reply.message);
      if (reply.type === 'tested' && inFlight.current?.batch === reply.batch) {
        clearTimeout(inFlight.current.timer);
        inFlight.current.keys.forEach((k, i) => results.current.set(k, reply.matches[i] ?? false));
        inFlight.current = null;
      }
      setVersion((v) => v + 1);
    };
    w.onerror = (event) => stop(`The filter's worker failed: ${event.message}`);
    w.postMessage({ type: 'compile', code } satisfies PredicateRequest);
    return () => {
      w.terminate();
      worker.current = null;
      if (inFlight.current) clearTimeout(inFlight.current.timer);
      inFlight.current = null;
    };
  }, [code]);

  // Send the next batch of untested rows whenever the worker is idle.
  useEffect(() => {
    const w = worker.current;
    if (!code || !w || inFlight.current || error) return;
    const untested = rowsRef.current.filter((r) => !results.current.has(keyOf(r))).slice(0, BATCH_RECORDS);
    if (untested.length === 0) return;
    const batch = ++batchNo.current;
    const first = untested[0]!;
    const timer = setTimeout(() => {
      w.terminate();
      worker.current = null;
      inFlight.current = null;
      setError(`The filter ran longer than ${PREDICATE_BATCH_TIMEOUT_MS / 1000} s on the records from partition ${first.partition}, offset ${first.offset} on, and was stopped. Does it loop forever?`);
    }, PREDICATE_BATCH_TIMEOUT_MS);
    inFlight.current = { batch, keys: untested.map(keyOf), timer };
    w.postMessage({ type: 'test', batch, records: untested } satisfies PredicateRequest);
  }, [code, rows, version, error]);

  const visible = useMemo(() => (code ? rows.filter((r) => results.current.get(keyOf(r)) === true) : null), [code, rows, version]);
  const pending = code !== null && error === null && rows.some((r) => !results.current.has(keyOf(r)));
  return { visible, error, pending };
}
