// The tail behind the message list: subscribes to tail.records, applies flushes to the
// bounded window as they come (a timer, not requestAnimationFrame: under load frames come
// late, and rows should not wait for them), acknowledges a flush once the render that holds
// its rows is committed (the host holds records back until then: a page slower to draw than
// the broker is to deliver slows the tail instead of queueing renders), pauses and resumes at
// the exact offsets, and pages older rows in from the replay log. Where to resume is the
// host's word, never worked out from the rows: the nextOffsets of the last flush applied
// (every partition, those that delivered nothing too), or the started event's startOffsets
// before any flush.
import { useCallback, useEffect, useRef, useState } from 'react';
import { decodeRecordFrame } from '@common/codecs/record-frame.ts';
import type { Position, RecordDto } from '@common/contract/dto.ts';
import { useSubscription } from '../../components/use-subscription.ts';
import { rpc } from '../../state/host-store.ts';
import { appendLive, emptyWindow, oldestCursor, prependOlder, reattach, type MessageWindow } from './message-window.ts';

const PAGE_ROWS = 2_000;
/**
 * Flushes arriving within this interval are applied to the list together (one React render).
 * The host already spaces flushes (MIN_FLUSH_GAP_MS in tail-session.ts); this only gathers
 * those that queued up behind a slow render, and caps how often a backlog re-renders.
 */
const APPLY_INTERVAL_MS = 4;
const MIN_APPLY_GAP_MS = 50;
/** The rate shown is of the records applied over this last stretch, looked at this often. */
const RATE_WINDOW_MS = 3_000;
const RATE_TICK_MS = 1_000;

export type TailPhase = 'idle' | 'starting' | 'live' | 'caught-up' | 'outage' | 'paused' | 'done' | 'error';

export interface TailState {
  window: MessageWindow;
  phase: TailPhase;
  message: string | null;
  logStopped: string | null;
  error: unknown;
  partitions: number[];
  loadingOlder: boolean;
  received: number;
  /** Records per second applied to the list lately (RATE_WINDOW_MS); 0 when none came. */
  rate: number;
  /** What the host said that changes no phase (a start moved past deleted records, …): the latest few, kept until a fresh start. */
  notices: string[];
  /** How far the read is toward the end offsets seen at its start; null before the host says. */
  progress: TailProgress | null;
}

/**
 * A read measured against the end offsets the `started` event gave (what was in the topic when
 * the tail began): offsets covered (from the nextOffsets of the flushes applied), records and
 * bytes (keys and values, whole sizes) applied. Records produced after the start are not counted
 * in the target: "caught up" is 100 %.
 */
export interface TailProgress {
  /** Offsets between the start and the end offsets seen at the start, over all partitions. */
  target: number;
  /** Of those, how many the applied flushes have covered (gaps included). */
  done: number;
  records: number;
  bytes: number;
  startedAt: number;
  /** When done first reached target. */
  finishedAt: number | null;
}

/** Notices kept on screen; older ones give way (a tail rarely has more than one per partition). */
const MAX_NOTICES = 8;

const initial: TailState = {
  window: emptyWindow(),
  phase: 'idle',
  message: null,
  logStopped: null,
  error: null,
  partitions: [],
  loadingOlder: false,
  received: 0,
  rate: 0,
  notices: [],
  progress: null,
};

type Offsets = Record<string, string>;

function span(from: string | undefined, to: string | undefined): number {
  if (from === undefined || to === undefined) return 0;
  const d = Number(BigInt(to) - BigInt(from));
  return d > 0 ? d : 0;
}

/** Offsets covered between start and next, each partition capped at its end. */
function covered(base: { start: Offsets; end: Offsets }, next: Offsets): number {
  let done = 0;
  for (const p of Object.keys(base.end))
    done += Math.min(span(base.start[p], next[p] ?? base.start[p]), span(base.start[p], base.end[p]));
  return done;
}

function recordBytes(records: readonly RecordDto[]): number {
  let bytes = 0;
  for (const r of records) bytes += (r.key?.size ?? 0) + (r.value?.size ?? 0);
  return bytes;
}

function advance(
  progress: TailProgress | null,
  base: { start: Offsets; end: Offsets } | null,
  next: Offsets | null,
  records: readonly RecordDto[],
): TailProgress | null {
  if (!progress || !base) return progress;
  const done = next ? covered(base, next) : progress.done;
  return {
    ...progress,
    done,
    records: progress.records + records.length,
    bytes: progress.bytes + recordBytes(records),
    finishedAt: progress.finishedAt ?? (done >= progress.target ? Date.now() : null),
  };
}

export function useTail(connectionId: string, topic: string) {
  const [state, setState] = useState<TailState>(initial);
  const subscription = useSubscription();
  /** The newest flush applied to the state, acknowledged once that state is committed (below). */
  const [ackDue, setAckDue] = useState<{ sessionId: string; flush: number } | null>(null);
  const session = useRef('');
  const pending = useRef<{ records: RecordDto[]; flush: number; nextOffsets: Record<string, string> | null }>({
    records: [],
    flush: 0,
    nextOffsets: null,
  });
  /** What the tail was started with; a resume keeps its partitions ("all" takes in new ones). */
  const requested = useRef<{ from: Position; partitions: number[] | undefined }>({
    from: { kind: 'latest' },
    partitions: undefined,
  });
  /** Per partition, where the rows applied so far end (host offsets); null until the host says. */
  const resumeAt = useRef<Record<string, string> | null>(null);
  const frame = useRef<number | null>(null);
  /** The start and end offsets of the fresh read the progress is measured against (a resume keeps them). */
  const progressBase = useRef<{ start: Offsets; end: Offsets } | null>(null);
  const freshSession = useRef(false);
  const stateRef = useRef(state);
  stateRef.current = state;

  const lastApply = useRef(0);
  /** When records were applied and how many, over the last RATE_WINDOW_MS (of the current subscription). */
  const arrivals = useRef<{ at: number; count: number }[]>([]);
  const applyPending = useCallback(() => {
    frame.current = null;
    lastApply.current = performance.now();
    const { records, flush, nextOffsets } = pending.current;
    if (records.length === 0) return;
    pending.current = { records: [], flush, nextOffsets: null };
    // Only with its records applied: a flush received but dropped at pause is read again.
    if (nextOffsets) resumeAt.current = nextOffsets;
    arrivals.current.push({ at: lastApply.current, count: records.length });
    setState((s) => ({
      ...s,
      window: appendLive(s.window, records),
      received: s.received + records.length,
      progress: advance(s.progress, progressBase.current, nextOffsets, records),
    }));
    // Batched with the rows into one render: the effect below sees both committed together.
    setAckDue({ sessionId: session.current, flush });
  }, []);

  // Acknowledged after the render holding the flush's rows is committed to the DOM. An effect,
  // not requestAnimationFrame: a hidden tab or a background window gets no frames, and its tail
  // would stall on acks that never go; its rows are committed (display: none) all the same.
  useEffect(() => {
    if (ackDue)
      void rpc()
        .call('tail.ack', ackDue)
        .catch(() => undefined);
  }, [ackDue]);

  const stopSubscription = useCallback(() => {
    subscription.close();
    if (frame.current !== null) clearTimeout(frame.current);
    applyPending();
  }, [applyPending, subscription]);

  const subscribe = useCallback(
    (from: Position, partitions: number[] | undefined, fresh: boolean) => {
      stopSubscription();
      // A fresh start forgets where the last tail ended (after the stop applied its last rows).
      if (fresh) {
        resumeAt.current = null;
        progressBase.current = null;
      }
      freshSession.current = fresh;
      arrivals.current = [];
      // The log may hold records older than where a fresh tail starts: offer to page back.
      setState((s) => ({
        ...(fresh ? { ...initial, window: { ...emptyWindow(), olderAvailable: true } } : s),
        phase: 'starting',
        error: null,
        message: null,
      }));
      subscription.open(
        'tail.records',
        { connectionId, topic, from, ...(partitions ? { partitions } : {}) },
        {
          onEvent: (event) => {
            if (event.type === 'started') {
              session.current = event.sessionId;
              resumeAt.current = event.startOffsets;
              if (freshSession.current) {
                const base = { start: event.startOffsets, end: event.endOffsets };
                progressBase.current = base;
                const target = Object.keys(base.end).reduce((n, p) => n + span(base.start[p], base.end[p]), 0);
                const progress: TailProgress = {
                  target,
                  done: 0,
                  records: 0,
                  bytes: 0,
                  startedAt: Date.now(),
                  finishedAt: target === 0 ? Date.now() : null,
                };
                setState((s) => ({ ...s, partitions: event.partitions, phase: 'live', progress }));
              } else setState((s) => ({ ...s, partitions: event.partitions, phase: 'live' }));
            } else if (event.type === 'records') {
              let records: RecordDto[];
              try {
                records = decodeRecordFrame(event.frame);
              } catch (error) {
                // A frame this page cannot read: stop and say so rather than show a gap.
                subscription.close();
                setState((s) => ({ ...s, phase: 'error', error }));
                return;
              }
              for (const r of records) pending.current.records.push(r);
              pending.current.flush = event.flush;
              pending.current.nextOffsets = event.nextOffsets;
              frame.current ??= window.setTimeout(
                applyPending,
                Math.max(APPLY_INTERVAL_MS, lastApply.current + MIN_APPLY_GAP_MS - performance.now()),
              );
            } else if (event.type === 'notice') {
              setState((s) => ({ ...s, notices: [...s.notices, event.message].slice(-MAX_NOTICES) }));
            } else {
              // With nothing waiting to be applied, the status's nextOffsets are where the rows shown end.
              const settled = pending.current.records.length === 0 ? event.nextOffsets : null;
              setState((s) => ({
                ...s,
                phase: s.phase === 'paused' ? s.phase : event.phase,
                message: event.message,
                logStopped: event.logStopped,
                progress: settled ? advance(s.progress, progressBase.current, settled, []) : s.progress,
              }));
            }
          },
          onEnd: (error) => {
            if (error !== null) setState((s) => ({ ...s, phase: 'error', error }));
          },
        },
      );
    },
    [connectionId, topic, stopSubscription, applyPending, subscription],
  );

  const start = useCallback(
    (from: Position, partitions?: number[]) => {
      requested.current = { from, partitions };
      subscribe(from, partitions, true);
    },
    [subscribe],
  );

  const pause = useCallback(() => {
    stopSubscription();
    setState((s) => ({
      ...s,
      phase: 'paused',
      message: 'Paused. Records keep arriving in Kafka; resume picks up exactly where this stopped.',
    }));
  }, [stopSubscription]);

  const resume = useCallback(() => {
    const { from, partitions } = requested.current;
    // Paused before the host said where it starts: nothing was shown, so start over as asked.
    subscribe(resumeAt.current ? { kind: 'offsets', offsets: resumeAt.current } : from, partitions, false);
  }, [subscribe]);

  const loadOlder = useCallback(async () => {
    const s = stateRef.current;
    if (s.loadingOlder || !s.window.olderAvailable) return 0;
    setState((x) => ({ ...x, loadingOlder: true }));
    try {
      const page = await rpc().call('log.page', {
        connectionId,
        topic,
        before: oldestCursor(s.window, s.partitions),
        limit: PAGE_ROWS,
      });
      setState((x) => ({ ...x, loadingOlder: false, window: prependOlder(x.window, page.records, page.more) }));
      return page.records.length;
    } catch (error) {
      setState((x) => ({ ...x, loadingOlder: false, error }));
      return 0;
    }
  }, [connectionId, topic]);

  const jumpToLatest = useCallback(async () => {
    const s = stateRef.current;
    const page = await rpc().call('log.page', { connectionId, topic, before: s.window.liveNext, limit: PAGE_ROWS });
    setState((x) => ({ ...x, window: reattach(x.window, page.records, page.more) }));
  }, [connectionId, topic]);

  // Gone (the tab closed): the stream is closed by useSubscription; a flush waiting for the
  // timer is dropped with the view.
  useEffect(
    () => () => {
      if (frame.current !== null) clearTimeout(frame.current);
    },
    [],
  );

  // The rate, looked at once a second (also while nothing comes, so it falls to 0).
  useEffect(() => {
    const timer = window.setInterval(() => {
      const now = performance.now();
      const recent = arrivals.current.filter((a) => a.at > now - RATE_WINDOW_MS);
      arrivals.current = recent;
      // Over the stretch the records came in (a stream that began a moment ago is not averaged
      // over the whole window), at least a tick long (a single burst is not "millions per second").
      const span = recent.length === 0 ? 0 : Math.max(RATE_TICK_MS, now - recent[0]!.at);
      const count = recent.reduce((n, a) => n + a.count, 0);
      const rate = subscription.isOpen && span > 0 && count > 0 ? Math.round((count * 1000) / span) : 0;
      setState((s) => (s.rate === rate ? s : { ...s, rate }));
    }, RATE_TICK_MS);
    return () => window.clearInterval(timer);
  }, [subscription]);

  return { state, start, pause, resume, loadOlder, jumpToLatest, stop: stopSubscription };
}
