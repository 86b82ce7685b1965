// What a run answered: its failure (the sentence, the event, a link to the line), how the read
// ended when it was cut short (its message, with the state computed up to there), and the final
// state — a collapsible JSON tree, or per key when the projection is keyed — with the counts
// per type, untyped, unmatched and unkeyed events.
import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { ProjectionCounts, ProjectionFailure, ProjectionOutcome } from '@common/projections/projection-api.ts';
import type { SessionRunResult } from '@common/projections/session-api.ts';
import { JsonTree } from '../messages/JsonTree.tsx';
import { virtualRowStyle } from '../../components/virtual-row-style.ts';

const KEY_ROW_PX = 26;

/** A state as a collapsible tree, or as JSON text to read whole or copy. */
function StateView({ value, testId }: { value: unknown; testId: string }) {
  const [asText, setAsText] = useState(false);
  return (
    <div className="projection-state-view" data-testid={testId}>
      <div className="projection-state-mode" role="group" aria-label="Show the state as">
        <button
          type="button"
          className={asText ? '' : 'active'}
          aria-pressed={!asText}
          onClick={() => setAsText(false)}
        >
          Tree
        </button>
        <button
          type="button"
          className={asText ? 'active' : ''}
          aria-pressed={asText}
          onClick={() => setAsText(true)}
          data-testid={`${testId}-as-json`}
        >
          JSON text
        </button>
      </div>
      {asText ? (
        <pre className="json-view projection-json" data-testid={`${testId}-json`}>
          {JSON.stringify(value, null, 2)}
        </pre>
      ) : (
        <div className="json-view">
          <JsonTree value={value} />
        </div>
      )}
    </div>
  );
}

export function RunFailure({ failure, onShowLine }: { failure: ProjectionFailure; onShowLine(line: number): void }) {
  return (
    <div
      className="notice notice-error projection-failure"
      role="alert"
      data-testid="projection-failure"
      data-kind={failure.kind}
    >
      <div>
        <div data-testid="projection-failure-message">{failure.message}</div>
        {failure.event && (
          <div className="meta" data-testid="projection-failure-event">
            Event: {failure.event.topic} partition {failure.event.partition} offset {failure.event.offset}
            {failure.event.type ? ` (${failure.event.type})` : ''}
            {failure.handler ? ` in ${failure.handler}` : ''}
          </div>
        )}
      </div>
      {failure.line !== null && (
        <button type="button" onClick={() => onShowLine(failure.line!)} data-testid="projection-failure-line">
          Show line {failure.line}
        </button>
      )}
    </div>
  );
}

export function RunCounts({ counts }: { counts: ProjectionCounts }) {
  return (
    <div className="projection-counts" data-testid="projection-counts">
      <div className="projection-facts">
        <span>
          <b data-testid="count-events">{counts.events.toLocaleString()}</b> events
        </span>
        {counts.keys !== null && (
          <span>
            <b data-testid="count-keys">{counts.keys.toLocaleString()}</b> keys
          </span>
        )}
        <span>
          <b data-testid="count-untyped">{counts.untyped.toLocaleString()}</b> untyped
        </span>
        <span>
          <b data-testid="count-unmatched">{counts.unmatched.toLocaleString()}</b> unmatched
        </span>
        {counts.keys !== null && (
          <span>
            <b data-testid="count-unkeyed">{counts.unkeyed.toLocaleString()}</b> unkeyed
          </span>
        )}
      </div>
      {counts.byType.length > 0 && (
        <table className="grid projection-types">
          <thead>
            <tr>
              <th>Type</th>
              <th className="num">Events</th>
              <th>Handled</th>
            </tr>
          </thead>
          <tbody>
            {counts.byType.map((t) => (
              <tr key={t.type} data-testid="type-count" data-type={t.type}>
                <td>{t.type}</td>
                <td className="num">{t.events.toLocaleString()}</td>
                <td>{t.handled ? 'yes' : <span className="badge badge-warn">no handler</span>}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

/** Keyed states: a filter over the keys, a virtualized list of them, and the chosen key's state. */
function KeyedStates({ states }: { states: [key: string, state: unknown][] }) {
  const [filter, setFilter] = useState('');
  const [chosen, setChosen] = useState<string | null>(states[0]?.[0] ?? null);
  const shown = useMemo(() => {
    const f = filter.trim().toLowerCase();
    return f === '' ? states : states.filter(([k]) => k.toLowerCase().includes(f));
  }, [states, filter]);
  const scroller = useRef<HTMLDivElement | null>(null);
  const virtualizer = useVirtualizer({
    count: shown.length,
    getScrollElement: () => scroller.current,
    estimateSize: () => KEY_ROW_PX,
    overscan: 10,
  });
  const selected = shown.find(([k]) => k === chosen) ?? shown[0] ?? null;
  return (
    <div className="projection-keyed">
      <div className="projection-keys">
        <input
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder={`Filter ${states.length.toLocaleString()} keys`}
          aria-label="Filter keys"
          data-testid="key-filter"
        />
        <div className="meta" data-testid="keys-shown">
          {shown.length === states.length
            ? `${states.length.toLocaleString()} keys`
            : `${shown.length.toLocaleString()} of ${states.length.toLocaleString()} keys`}
        </div>
        <div className="projection-key-list" ref={scroller} role="listbox" aria-label="Keys">
          {shown.length === 0 && <div className="empty">No key contains “{filter}”.</div>}
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((item) => {
              const [key] = shown[item.index]!;
              return (
                <div
                  key={key}
                  role="option"
                  aria-selected={selected?.[0] === key}
                  className={`projection-key${selected?.[0] === key ? ' active' : ''}`}
                  style={virtualRowStyle(item.start, KEY_ROW_PX)}
                  onClick={() => setChosen(key)}
                  data-testid="key-row"
                  title={key}
                >
                  {key}
                </div>
              );
            })}
          </div>
        </div>
      </div>
      <div className="projection-key-state" data-testid="key-state">
        {selected ? (
          <>
            <div className="meta">
              State of <b data-testid="key-state-key">{selected[0]}</b>
            </div>
            <StateView key={selected[0]} value={selected[1]} testId="key-state-value" />
          </>
        ) : (
          <div className="empty">Choose a key.</div>
        )}
      </div>
    </div>
  );
}

export function ProjectionState({ outcome }: { outcome: ProjectionOutcome }) {
  if (outcome.keyed) {
    if (outcome.states.length === 0) return <div className="empty">No event had a key: no state was kept.</div>;
    return <KeyedStates states={outcome.states} />;
  }
  return <StateView value={outcome.state} testId="projection-state" />;
}

/** The run's end when it did not read the whole range, as a notice (null when it did, or when the failure says it). */
export function RunEnd({ result }: { result: SessionRunResult }) {
  const { end } = result;
  if (end.reason === 'complete' || (end.reason === 'failed' && result.failure)) return null;
  const cut =
    result.events === 0
      ? ' No event was read.'
      : result.outcome !== null
        ? ` The state below is what the ${result.events.toLocaleString()} events before that computed.`
        : '';
  const text = end.reason === 'cancelled' ? 'Cancelled.' : (end.message ?? `The read ended early (${end.reason}).`);
  return (
    <div
      className={`notice ${end.reason === 'failed' ? 'notice-error' : 'notice-warning'}`}
      role="alert"
      data-testid="run-end"
      data-reason={end.reason}
    >
      {text}
      {cut}
    </div>
  );
}
