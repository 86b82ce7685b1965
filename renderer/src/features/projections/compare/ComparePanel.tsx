// Compare a projection's final state with the state a consumer produced: pasted as JSON, loaded
// from a file, or read from the compacted topic the consumer writes (projections.readChangelog:
// the latest value per key). The report: how many keys agree, keys on one side only, and per
// key that differs its changes and the first event after which they part for good; clicking
// that event shows it in step-through.
import { useEffect, useRef, useState } from 'react';
import type { ChangelogState } from '@common/contract/projection-dto.ts';
import type { ComparisonReport, ConsumerState, ProjectionSession } from '@common/projections/session-api.ts';
import { ErrorNotice } from '../../../components/ErrorNotice.tsx';
import { rpc } from '../../../state/host-store.ts';
import { StateChanges } from '../step/StepThrough.tsx';
import { useStepTarget } from '../step/step-target.ts';
import { parseConsumerJson } from '@common/projections/consumer-input.ts';
import '../step-compare.css';

type Source = 'paste' | 'file' | 'topic';
/** Rows listed before "N more". */
const SHOWN = 100;

export function ComparePanel({ session, connectionId }: { session: ProjectionSession; connectionId: string }) {
  const [source, setSource] = useState<Source>('paste');
  const [text, setText] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const [topic, setTopic] = useState('');
  const [changelog, setChangelog] = useState<ChangelogState | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState<string | null>(null);
  const [report, setReport] = useState<ComparisonReport | null>(null);
  const controller = useRef<AbortController | null>(null);
  useEffect(() => () => controller.current?.abort(), []);

  const begin = (what: string): AbortSignal => {
    controller.current?.abort();
    controller.current = new AbortController();
    setBusy(what);
    setError(null);
    return controller.current.signal;
  };
  const done = (signal: AbortSignal, err?: unknown): void => {
    if (signal.aborted) return;
    setBusy(null);
    if (err !== undefined) setError(err);
  };

  const consumerState = (): ConsumerState => {
    if (source === 'topic') {
      if (!changelog) throw new Error("Read the consumer's topic first.");
      return { keyed: true, states: changelog.entries.map((e) => [e.key, e.value]) };
    }
    return parseConsumerJson(text, source === 'file' ? (fileName ?? 'the file') : 'the pasted text');
  };

  const compare = (): void => {
    let consumer: ConsumerState;
    try {
      consumer = consumerState();
    } catch (err) {
      setError(err);
      return;
    }
    const signal = begin('Comparing: running the projection again, following the keys that differ…');
    setReport(null);
    session.compare(consumer, signal).then(
      (r) => {
        if (signal.aborted) return;
        setReport(r);
        done(signal);
      },
      (err: unknown) => done(signal, err),
    );
  };

  const readTopic = (): void => {
    const signal = begin(`Reading ${topic}…`);
    setChangelog(null);
    rpc()
      .call('projections.readChangelog', { connectionId, topic: topic.trim(), maxKeys: 100_000 }, { signal })
      .then(
        (state) => {
          if (signal.aborted) return;
          setChangelog(state);
          done(signal);
        },
        (err: unknown) => done(signal, err),
      );
  };

  const canCompare =
    session.events > 0 && busy === null && (source === 'topic' ? changelog !== null : text.trim() !== '');

  return (
    <section className="compare-panel" data-testid="compare-panel">
      <p className="meta compare-note">
        Compare with the state a consumer produced. For a fair comparison the range should end where the consumer is:
        pick <strong>to: a consumer group</strong> in the range (its committed offsets) and run the projection again.
      </p>
      <div className="compare-sources" role="radiogroup" aria-label="The consumer's state">
        {(
          [
            ['paste', 'Paste JSON'],
            ['file', 'Load a file'],
            ['topic', 'Read a compacted topic'],
          ] as const
        ).map(([value, label]) => (
          <label key={value}>
            <input
              type="radio"
              name="compare-source"
              value={value}
              checked={source === value}
              onChange={() => setSource(value)}
              data-testid={`compare-source-${value}`}
            />{' '}
            {label}
          </label>
        ))}
      </div>
      {source === 'paste' && (
        <textarea
          className="compare-json"
          value={text}
          onChange={(e) => setText(e.target.value)}
          placeholder={
            '{ "o-1": { "status": "shipped" }, … }  — an object of key → state for a keyed projection, else the whole state'
          }
          spellCheck={false}
          rows={8}
          aria-label="The consumer's state as JSON"
          data-testid="compare-json"
        />
      )}
      {source === 'file' && (
        <div className="compare-file">
          <input
            type="file"
            accept=".json,application/json"
            data-testid="compare-file"
            onChange={(e) => {
              const file = e.target.files?.[0];
              if (!file) return;
              setFileName(file.name);
              file
                .text()
                .then(setText, (err: unknown) =>
                  setError(
                    new Error(`Could not read ${file.name}: ${err instanceof Error ? err.message : String(err)}`),
                  ),
                );
            }}
          />
          {fileName && (
            <span className="meta">
              {fileName}: {text.length.toLocaleString()} characters
            </span>
          )}
        </div>
      )}
      {source === 'topic' && (
        <form
          className="compare-topic"
          onSubmit={(e) => {
            e.preventDefault();
            if (topic.trim() !== '' && busy === null) readTopic();
          }}
        >
          <label>
            Topic{' '}
            <input
              type="text"
              value={topic}
              onChange={(e) => setTopic(e.target.value)}
              placeholder="order-states-changelog"
              data-testid="compare-topic"
            />
          </label>
          <button type="submit" disabled={topic.trim() === '' || busy !== null}>
            Read latest value per key
          </button>
          {changelog && (
            <span className="meta" data-testid="compare-changelog">
              {changelog.entries.length.toLocaleString()} keys from {changelog.records.toLocaleString()} records
              {changelog.notJson > 0 &&
                `; ${changelog.notJson.toLocaleString()} values were not JSON (compared as text)`}
              {changelog.truncated && '; more keys than are read at once: the rest were left out'}
            </span>
          )}
        </form>
      )}
      <div className="compare-actions">
        <button type="button" onClick={compare} disabled={!canCompare} data-testid="compare-run">
          Compare
        </button>
        {busy !== null && (
          <>
            <span className="meta">{busy}</span>
            <button
              type="button"
              onClick={() => {
                controller.current?.abort();
                setBusy(null);
              }}
            >
              Cancel
            </button>
          </>
        )}
        {session.events === 0 && <span className="meta">Run the projection first.</span>}
      </div>
      <ErrorNotice error={error} />
      {report && <Report report={report} session={session} />}
    </section>
  );
}

function Report({ report, session }: { report: ComparisonReport; session: ProjectionSession }) {
  const goTo = useStepTarget((s) => s.goTo);
  const first = report.firstDivergingEvent;
  const differ = report.divergences.length;
  return (
    <div className="compare-report" data-testid="compare-report">
      <p
        className={`notice ${differ === 0 && report.onlyInConsumer.length === 0 && report.onlyInProjection.length === 0 ? 'notice-ok' : 'notice-warning'}`}
        data-testid="compare-summary"
      >
        {report.agreeing.toLocaleString()} agree, {differ.toLocaleString()} differ
        {report.onlyInConsumer.length > 0 && `, ${report.onlyInConsumer.length.toLocaleString()} only in the consumer`}
        {report.onlyInProjection.length > 0 &&
          `, ${report.onlyInProjection.length.toLocaleString()} only in the projection`}
        .
        {first && (
          <>
            {' '}
            They first part after{' '}
            <button
              type="button"
              className="link"
              onClick={() => goTo(session, first.index)}
              data-testid="compare-first"
            >
              event {first.index.toLocaleString()} (partition {first.partition}, offset {first.offset}
              {first.type ? `, ${first.type}` : ''})
            </button>
            .
          </>
        )}
      </p>
      <KeyList title="Only in the consumer" keys={report.onlyInConsumer} testId="compare-only-consumer" />
      <KeyList title="Only in the projection" keys={report.onlyInProjection} testId="compare-only-projection" />
      {report.divergences.slice(0, SHOWN).map((d) => (
        <div className="compare-divergence" key={d.key ?? '(state)'} data-testid="compare-divergence">
          <h4>
            {d.key === null ? 'The state' : <>Key {d.key}</>}
            {d.firstDivergingEvent ? (
              <>
                {' '}
                <span className="meta">parts after </span>
                <button
                  type="button"
                  className="link"
                  onClick={() => goTo(session, d.firstDivergingEvent!.index)}
                  data-testid="compare-divergence-event"
                >
                  event {d.firstDivergingEvent.index.toLocaleString()} (partition {d.firstDivergingEvent.partition},
                  offset {d.firstDivergingEvent.offset}
                  {d.firstDivergingEvent.type ? `, ${d.firstDivergingEvent.type}` : ''})
                </button>
              </>
            ) : (
              <span className="meta"> (no event of the range touched it)</span>
            )}
          </h4>
          <StateChanges
            changes={d.changes}
            more={d.moreChanges ?? 0}
            testId="compare-changes"
            beforeLabel="consumer"
            afterLabel="projection"
          />
        </div>
      ))}
      {differ > SHOWN && (
        <p className="meta">and {(differ - SHOWN).toLocaleString()} more keys that differ (the earliest first).</p>
      )}
    </div>
  );
}

function KeyList({ title, keys, testId }: { title: string; keys: string[]; testId: string }) {
  if (keys.length === 0) return null;
  return (
    <details className="compare-keys" data-testid={testId}>
      <summary>
        {title}: {keys.length.toLocaleString()}
      </summary>
      <p>
        {keys.slice(0, SHOWN).join(', ')}
        {keys.length > SHOWN && <span className="meta"> and {(keys.length - SHOWN).toLocaleString()} more</span>}
      </p>
    </details>
  );
}
