// Step-through of a projection's last run: a timeline over events 0..N (slider, number field,
// previous/next, ← and → on the panel), the event at N, the state after it (keyed: its key's
// state) and the diff it made, and "run until" an expression over state and event holds.
// Every move asks the session for the state at the new index; a move made before the answer
// cancels the one before (dragging the slider asks for many and waits for the last).
import { useCallback, useEffect, useState, type KeyboardEvent } from 'react';
import type { ProjectionSession, StepView } from '@common/projections/session-api.ts';
import { ErrorNotice } from '../../../components/ErrorNotice.tsx';
import { useHostCall } from '../../../components/use-host-call.ts';
import { JsonTree } from '../../messages/JsonTree.tsx';
import { showValue } from './show-value.ts';
import { useStepTarget } from './step-target.ts';
import '../step-compare.css';

export function StepThrough({ session }: { session: ProjectionSession }) {
  const events = session.events;
  const [index, setIndex] = useState(0);
  const [typed, setTyped] = useState('0');

  const go = useCallback(
    (n: number) => {
      const clamped = Math.min(Math.max(0, Math.round(n)), events);
      setIndex(clamped);
      setTyped(String(clamped));
    },
    [events],
  );

  // A new run over fewer events.
  useEffect(() => {
    if (index > events) go(events);
  }, [index, events, go]);

  // A comparison asking to show an event of this session.
  const target = useStepTarget();
  useEffect(() => {
    if (target.seq === target.taken || target.session !== session) return;
    target.take(target.seq);
    go(target.index);
  }, [target, session, go]);

  // The state at the index; a move made before the answer cancels the call before.
  const {
    data: view,
    error,
    loading,
  } = useHostCall<StepView | null>(
    (signal) => (events === 0 ? Promise.resolve(null) : session.stateAt(index, signal)),
    [session, index, events],
  );

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>): void => {
    const tag = (e.target as HTMLElement).tagName;
    if (tag === 'TEXTAREA' || (tag === 'INPUT' && (e.target as HTMLInputElement).type !== 'range')) return;
    if (e.key === 'ArrowLeft') go(index - 1);
    else if (e.key === 'ArrowRight') go(index + 1);
    else return;
    e.preventDefault();
  };

  if (events === 0) {
    return (
      <section className="step-through" data-testid="step-through">
        <p className="meta">Run the projection over a range to step through its events.</p>
      </section>
    );
  }

  return (
    <section
      className="step-through"
      data-testid="step-through"
      tabIndex={0}
      onKeyDown={onKeyDown}
      aria-label="Step through the events"
    >
      <div className="step-timeline">
        <button
          type="button"
          onClick={() => go(index - 1)}
          disabled={index <= 0}
          aria-label="Previous event"
          data-testid="step-prev"
        >
          ←
        </button>
        <input
          type="range"
          min={0}
          max={events}
          value={index}
          onChange={(e) => go(Number(e.target.value))}
          aria-label="Event"
          data-testid="step-slider"
        />
        <button
          type="button"
          onClick={() => go(index + 1)}
          disabled={index >= events}
          aria-label="Next event"
          data-testid="step-next"
        >
          →
        </button>
        <form
          className="step-index"
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number(typed);
            if (typed.trim() !== '' && Number.isFinite(n)) go(n);
            else setTyped(String(index));
          }}
        >
          <label>
            Event{' '}
            <input
              type="number"
              min={0}
              max={events}
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              onBlur={() => setTyped(String(index))}
              data-testid="step-index"
            />
          </label>
          <span className="meta"> of {events.toLocaleString()}</span>
        </form>
        {loading && (
          <span className="meta" data-testid="step-loading">
            …
          </span>
        )}
      </div>
      <ErrorNotice error={error} />
      {view && view.index === index && <StepDetails view={view} />}
      <RunUntil session={session} from={index} onFound={go} />
    </section>
  );
}

function StepDetails({ view }: { view: StepView }) {
  const event = view.event;
  return (
    <div className="step-details" data-testid="step-details">
      <div className="step-event">
        <h4>Event {view.index.toLocaleString()}</h4>
        {event === null ? (
          <p className="meta">The initial state, before any event.</p>
        ) : (
          <dl data-testid="step-event">
            <dt>Partition</dt>
            <dd>{event.partition}</dd>
            <dt>Offset</dt>
            <dd>{event.offset}</dd>
            <dt>Type</dt>
            <dd>{event.type ?? <span className="meta">(none)</span>}</dd>
            <dt>Handled by</dt>
            <dd>{event.handler ?? <span className="meta">no handler (counted only)</span>}</dd>
            <dt>Key</dt>
            <dd>{event.key ?? <span className="meta">null</span>}</dd>
            <dt>Value</dt>
            <dd className="step-value">
              {event.value !== null && typeof event.value === 'object' && !(event.value instanceof Uint8Array) ? (
                <JsonTree value={event.value} />
              ) : (
                showValue(event.value, 2_000)
              )}
            </dd>
          </dl>
        )}
      </div>
      <div className="step-state">
        <h4>
          State after it
          {view.key !== null && <span className="meta"> of key {view.key}</span>}
          {view.keys !== null && <span className="meta"> ({view.keys.toLocaleString()} keys)</span>}
        </h4>
        <div data-testid="step-state">
          {view.state === null && view.keys !== null ? (
            <p className="meta">This event has no key: no state changed.</p>
          ) : (
            <JsonTree value={view.state} />
          )}
        </div>
        <h4>What it changed</h4>
        <StateChanges changes={view.changes} more={view.moreChanges ?? 0} testId="step-changes" />
      </div>
    </div>
  );
}

/** A diff as rows: path, before → after. */
export function StateChanges({
  changes,
  more,
  testId,
  beforeLabel = 'before',
  afterLabel = 'after',
}: {
  changes: StepView['changes'];
  more: number;
  testId: string;
  beforeLabel?: string;
  afterLabel?: string;
}) {
  if (changes.length === 0)
    return (
      <p className="meta" data-testid={testId}>
        Nothing.
      </p>
    );
  return (
    <table className="step-changes" data-testid={testId}>
      <thead>
        <tr>
          <th>Path</th>
          <th>{beforeLabel}</th>
          <th />
          <th>{afterLabel}</th>
        </tr>
      </thead>
      <tbody>
        {changes.map((c) => (
          <tr key={c.path}>
            <td className="step-path">{c.path}</td>
            <td className="step-before">{showValue(c.before)}</td>
            <td className="meta">→</td>
            <td className="step-after">{showValue(c.after)}</td>
          </tr>
        ))}
        {more > 0 && (
          <tr>
            <td colSpan={4} className="meta">
              and {more.toLocaleString()} more changes
            </td>
          </tr>
        )}
      </tbody>
    </table>
  );
}

function RunUntil({
  session,
  from,
  onFound,
}: {
  session: ProjectionSession;
  from: number;
  onFound(index: number): void;
}) {
  const [expression, setExpression] = useState('');
  const [result, setResult] = useState<{ kind: 'found' | 'end' | 'error'; text: string } | null>(null);
  const [running, setRunning] = useState<AbortController | null>(null);
  useEffect(() => () => running?.abort(), [running]);

  const start = (): void => {
    const controller = new AbortController();
    setRunning(controller);
    setResult(null);
    session.runUntil(expression, from, controller.signal).then(
      ({ index, failure }) => {
        setRunning(null);
        if (failure) setResult({ kind: 'error', text: failure.message });
        else if (index === null)
          setResult({ kind: 'end', text: `Not true after any event from ${from + 1} to the end of the range.` });
        else {
          setResult({ kind: 'found', text: `True after event ${index.toLocaleString()}.` });
          onFound(index);
        }
      },
      (err: unknown) => {
        setRunning(null);
        if (!controller.signal.aborted)
          setResult({ kind: 'error', text: err instanceof Error ? err.message : String(err) });
      },
    );
  };

  return (
    <form
      className="step-until"
      onSubmit={(e) => {
        e.preventDefault();
        if (!running) start();
      }}
    >
      <label>
        Run until{' '}
        <input
          type="text"
          value={expression}
          onChange={(e) => setExpression(e.target.value)}
          placeholder="state.status === 'cancelled' || event.type === 'OrderRefunded'"
          spellCheck={false}
          aria-label="Run until expression"
          data-testid="step-until-expression"
        />
      </label>
      {running ? (
        <button type="button" onClick={() => running.abort()}>
          Stop
        </button>
      ) : (
        <button type="submit" disabled={expression.trim() === ''} data-testid="step-until-run">
          Run from event {from.toLocaleString()}
        </button>
      )}
      <span className="meta">
        A JavaScript expression over state (the event&apos;s key&apos;s state, when keyed) and event, checked after each
        event.
      </span>
      {result && (
        <div
          className={`notice ${result.kind === 'error' ? 'notice-error' : result.kind === 'found' ? 'notice-ok' : 'notice-warning'}`}
          role={result.kind === 'error' ? 'alert' : 'status'}
          data-testid="step-until-result"
        >
          {result.text}
        </div>
      )}
    </form>
  );
}
