// Searching everything the replay log holds for a topic: progress as it scans, matches as
// they are found (kept up to the window size, counted beyond), cancellable.
import { useCallback, useRef, useState } from 'react';
import type { RecordDto } from '../../../../src/contract/dto.ts';
import type { FilterSpec } from '../../../../src/filters/record-filter.ts';
import type { Subscription } from '../../../../src/rpc/client.ts';
import { rpc } from '../../state/host-store.ts';
import { MAX_WINDOW_ROWS } from './message-window.ts';

export function useLogSearch(connectionId: string, topic: string) {
  const [matches, setMatches] = useState<RecordDto[]>([]);
  const [progress, setProgress] = useState({ scanned: 0, total: 0, matched: 0 });
  const [running, setRunning] = useState(false);
  const [active, setActive] = useState(false);
  const [cancelled, setCancelled] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const sub = useRef<Subscription | null>(null);

  const run = useCallback(
    (filter: FilterSpec) => {
      sub.current?.close();
      setMatches([]);
      setProgress({ scanned: 0, total: 0, matched: 0 });
      setRunning(true);
      setActive(true);
      setCancelled(false);
      setError(null);
      const s = rpc().subscribe('log.search', { connectionId, topic, filter }, {
        onEvent: (event) => {
          if (event.type === 'progress') setProgress({ scanned: event.scanned, total: event.total, matched: event.matched });
          else setMatches((m) => (m.length >= MAX_WINDOW_ROWS ? m : m.concat(event.records.slice(0, MAX_WINDOW_ROWS - m.length))));
        },
      });
      sub.current = s;
      s.done.then(
        () => setRunning(false),
        (err: unknown) => {
          setRunning(false);
          setError(err);
        },
      );
    },
    [connectionId, topic],
  );

  const cancel = useCallback(() => {
    sub.current?.close();
    sub.current = null;
    setCancelled(true);
    setRunning(false);
  }, []);

  const clear = useCallback(() => {
    cancel();
    setActive(false);
    setMatches([]);
  }, [cancel]);

  return { matches, ...progress, running, active, cancelled, error, run, cancel, clear };
}
