// Searching everything the replay log holds for a topic: progress as it scans, matches as
// they are found (kept up to the window size, counted beyond), cancellable. The log.search
// stream and a JavaScript scan's worker stop when the view goes away.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { RecordDto } from '@common/contract/dto.ts';
import type { FilterSpec } from '@common/filters/record-filter.ts';
import { useSubscription } from '../../components/use-subscription.ts';
import { rpc } from '../../state/host-store.ts';
import { MAX_WINDOW_ROWS } from './message-window.ts';
import { PredicateRunner } from './predicate-runner.ts';

const SCAN_PAGE_RECORDS = 5_000;
/** JavaScript filters see values up to this size whole (JSON parses); longer ones are cut. */
const SCAN_PREVIEW_BYTES = 256 * 1024;

export function useLogSearch(connectionId: string, topic: string) {
  const [matches, setMatches] = useState<RecordDto[]>([]);
  const [progress, setProgress] = useState({ scanned: 0, total: 0, matched: 0 });
  const [running, setRunning] = useState(false);
  const [active, setActive] = useState(false);
  const [cancelled, setCancelled] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const stream = useSubscription();

  const scanning = useRef<{ cancelled: boolean; runner: PredicateRunner } | null>(null);

  /** A JavaScript filter: the log is pulled page by page and each page tested in a worker. */
  const runScript = useCallback(
    async (code: string) => {
      const job = { cancelled: false, runner: new PredicateRunner() };
      scanning.current = job;
      let matched = 0;
      let scanned = 0;
      try {
        await job.runner.compile(code);
        let after: Record<string, string> = {};
        for (;;) {
          const page = await rpc().call('log.scanPage', {
            connectionId,
            topic,
            after,
            limit: SCAN_PAGE_RECORDS,
            previewBytes: SCAN_PREVIEW_BYTES,
          });
          if (job.cancelled) return;
          const hits = page.records.length ? await job.runner.test(page.records) : [];
          const found = page.records.filter((_, i) => hits[i]);
          matched += found.length;
          scanned += page.records.length;
          if (found.length)
            setMatches((m) => (m.length >= MAX_WINDOW_ROWS ? m : m.concat(found.slice(0, MAX_WINDOW_ROWS - m.length))));
          setProgress({ scanned, total: page.total, matched });
          if (page.done) break;
          after = page.after;
        }
        setRunning(false);
      } catch (err) {
        if (!job.cancelled) {
          setError(err);
          setRunning(false);
        }
      } finally {
        job.runner.terminate();
      }
    },
    [connectionId, topic],
  );

  const run = useCallback(
    (filter: FilterSpec | { kind: 'javascript'; code: string }) => {
      stream.close();
      if (scanning.current) scanning.current.cancelled = true;
      setMatches([]);
      setProgress({ scanned: 0, total: 0, matched: 0 });
      setRunning(true);
      setActive(true);
      setCancelled(false);
      setError(null);
      if (filter.kind === 'javascript') {
        void runScript(filter.code);
        return;
      }
      stream.open(
        'log.search',
        { connectionId, topic, filter },
        {
          onEvent: (event) => {
            if (event.type === 'progress')
              setProgress({ scanned: event.scanned, total: event.total, matched: event.matched });
            else
              setMatches((m) =>
                m.length >= MAX_WINDOW_ROWS ? m : m.concat(event.records.slice(0, MAX_WINDOW_ROWS - m.length)),
              );
          },
          onEnd: (err) => {
            setRunning(false);
            if (err !== null) setError(err);
          },
        },
      );
    },
    [connectionId, topic, runScript, stream],
  );

  const stopScan = useCallback(() => {
    if (!scanning.current) return;
    scanning.current.cancelled = true;
    scanning.current.runner.terminate();
    scanning.current = null;
  }, []);

  const cancel = useCallback(() => {
    stream.close();
    stopScan();
    setCancelled(true);
    setRunning(false);
  }, [stream, stopScan]);

  // The view went away (its tab closed): a JavaScript scan's worker stops with it.
  useEffect(() => stopScan, [stopScan]);

  const clear = useCallback(() => {
    cancel();
    setActive(false);
    setMatches([]);
  }, [cancel]);

  return { matches, ...progress, running, active, cancelled, error, run, cancel, clear };
}
