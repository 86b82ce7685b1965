// A JavaScript filter over the rows of the list, evaluated in a Web Worker through a
// PredicateRunner. Answers are kept per record in a bounded cache (predicate-cache.ts: a live
// tail must not grow it without end); new rows are tested in batches.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RecordDto } from '@common/contract/dto.ts';
import { PredicateCache } from './predicate-cache.ts';
import { PredicateRunner } from './predicate-runner.ts';

const BATCH_RECORDS = 5_000;

/**
 * The answers of one filter. A new object (around the same cache) each time answers arrive, so
 * what reads them re-renders; answers of another filter's code are never read as this one's.
 */
interface Answers {
  code: string | null;
  cache: PredicateCache;
}

export function usePredicateFilter(
  code: string | null,
  rows: readonly RecordDto[],
): { visible: RecordDto[] | null; error: string | null; pending: boolean } {
  const [error, setError] = useState<string | null>(null);
  const [answers, setAnswers] = useState<Answers>(() => ({ code, cache: new PredicateCache() }));
  const runner = useRef<PredicateRunner | null>(null);
  const busy = useRef(false);
  const rowsRef = useRef(rows);
  rowsRef.current = rows;

  // A new filter: a fresh worker and an empty cache.
  useEffect(() => {
    busy.current = false;
    setError(null);
    setAnswers({ code, cache: new PredicateCache() });
    if (!code) return;
    const r = new PredicateRunner();
    runner.current = r;
    busy.current = true;
    r.compile(code).then(
      () => {
        if (runner.current !== r) return;
        busy.current = false;
        setAnswers((a) => ({ ...a }));
      },
      (err: Error) => {
        if (runner.current === r) setError(err.message);
      },
    );
    return () => {
      r.terminate();
      if (runner.current === r) runner.current = null;
    };
  }, [code]);

  // Test the next batch of untested rows whenever the worker is idle.
  useEffect(() => {
    const r = runner.current;
    if (!code || !r || busy.current || error || answers.code !== code) return;
    const { cache } = answers;
    const untested = rowsRef.current.filter((row) => !cache.has(row)).slice(0, BATCH_RECORDS);
    if (untested.length === 0) return;
    busy.current = true;
    r.test(untested).then(
      (matches) => {
        // A filter replaced meanwhile: its answers are not this filter's (nor is its busy flag).
        if (runner.current !== r) return;
        cache.record(untested, matches);
        busy.current = false;
        setAnswers((a) => (a.cache === cache ? { ...a } : a));
      },
      (err: Error) => {
        if (runner.current === r) setError(err.message);
      },
    );
  }, [code, rows, answers, error]);

  const visible = useMemo(() => {
    if (!code) return null;
    return answers.code === code ? rows.filter((r) => answers.cache.get(r) === true) : [];
  }, [code, rows, answers]);
  const pending = code !== null && error === null && (answers.code !== code || rows.some((r) => !answers.cache.has(r)));
  return { visible, error, pending };
}
