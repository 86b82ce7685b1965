// A JavaScript filter over the rows of the list, evaluated in a Web Worker through a
// PredicateRunner. Results are cached per record; new rows are tested in batches.
import { useEffect, useMemo, useRef, useState } from 'react';
import type { RecordDto } from '../../../../src/contract/dto.ts';
import { PredicateRunner } from './predicate-runner.ts';

const BATCH_RECORDS = 5_000;

const keyOf = (r: RecordDto): string => `${r.partition}:${r.offset}`;

export function usePredicateFilter(code: string | null, rows: readonly RecordDto[]): { visible: RecordDto[] | null; error: string | null; pending: boolean } {
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);
  const runner = useRef<PredicateRunner | null>(null);
  const busy = useRef(false);
  const results = useRef(new Map<string, boolean>());
  const rowsRef = useRef(rows);
  rowsRef.current = rows;

  // A new filter: a fresh worker and an empty cache.
  useEffect(() => {
    results.current = new Map();
    busy.current = false;
    setError(null);
    if (!code) return;
    const r = new PredicateRunner();
    runner.current = r;
    busy.current = true;
    r.compile(code).then(
      () => {
        if (runner.current !== r) return;
        busy.current = false;
        setVersion((v) => v + 1);
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
    if (!code || !r || busy.current || error) return;
    const untested = rowsRef.current.filter((row) => !results.current.has(keyOf(row))).slice(0, BATCH_RECORDS);
    if (untested.length === 0) return;
    busy.current = true;
    r.test(untested).then(
      (matches) => {
        // A filter replaced meanwhile: its answers are not this filter's (nor is its busy flag).
        if (runner.current !== r) return;
        untested.forEach((row, i) => results.current.set(keyOf(row), matches[i] ?? false));
        busy.current = false;
        setVersion((v) => v + 1);
      },
      (err: Error) => {
        if (runner.current === r) setError(err.message);
      },
    );
  }, [code, rows, version, error]);

  const visible = useMemo(() => (code ? rows.filter((r) => results.current.get(keyOf(r)) === true) : null), [code, rows, version]);
  const pending = code !== null && error === null && rows.some((r) => !results.current.has(keyOf(r)));
  return { visible, error, pending };
}
