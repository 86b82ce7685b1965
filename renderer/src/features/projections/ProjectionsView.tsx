// The Projections screen: the workspace's files on the left (WorkspacePanel), the open
// projection in an editor in the middle (ProjectionEditor), and on the right the range to run
// it over (RangePicker), Run with progress and Cancel, and the result — the final state, then
// step-through and comparison with a consumer (step/, compare/) over the same session.
// The file and range last used are kept in this browser's storage; on first start the first
// projection of the workspace (a sample) opens over the sample capture, so Run works at once.
import { useCallback, useEffect, useRef, useState } from 'react';
import type { ProjectionWorkspace } from '@common/contract/projection-dto.ts';
import { EventscopeError } from '@common/contract/errors.ts';
import { ErrorNotice, errorText } from '../../components/ErrorNotice.tsx';
import { useCaptures } from '../../state/captures-store.ts';
import { useStepTarget } from './step/step-target.ts';
import { rpc } from '../../state/host-store.ts';
import { useTimeZone } from '../../state/time-zone-store.ts';
import { ComparePanel } from './compare/ComparePanel.tsx';
import { StepThrough } from './step/StepThrough.tsx';
import { ProjectionEditor, type ProjectionEditorHandle, type SourceProblem } from './ProjectionEditor.tsx';
import { ProjectionState, RunCounts, RunEnd, RunFailure } from './ProjectionResult.tsx';
import { RangePicker } from './RangePicker.tsx';
import { EMPTY_RANGE, rangeParams, topicNamedIn, type RangeForm } from './range-form.ts';
import { checkProjectionSource } from './projection-sandbox.ts';
import { useProjectionRun, type ProjectionRun } from './use-projection-run.ts';
import { fileNameOf, WorkspacePanel } from './WorkspacePanel.tsx';
import './projections.css';

const REMEMBERED = 'eventscope.projections.v1';
const SAMPLE_CAPTURE = 'sample';

const NEW_FILE_TEMPLATE = `// A projection: an initial state, and what each event type does to it.
export default {
  typeFrom: { header: 'event-type' },
  init: () => ({ events: 0 }),
  on: {
    // OrderPlaced(state, event) { state.events += 1; return state; },
  },
  any(state, event) {
    state.events += 1;
    return state;
  },
};
`;

interface Remembered {
  file: string | null;
  range: RangeForm | null;
}

function remembered(): Remembered {
  try {
    const raw = window.localStorage.getItem(REMEMBERED);
    if (!raw) return { file: null, range: null };
    const parsed = JSON.parse(raw) as Partial<Remembered>;
    const range = parsed.range && typeof parsed.range === 'object' ? { ...EMPTY_RANGE, ...parsed.range } : null;
    return { file: typeof parsed.file === 'string' ? parsed.file : null, range };
  } catch {
    return { file: null, range: null };
  }
}

function remember(value: Remembered): void {
  try {
    window.localStorage.setItem(REMEMBERED, JSON.stringify(value));
  } catch {
    // Storage full or off: the screen then starts as on first start.
  }
}

/** The file in the editor: its name, the text last read or saved, and when (null: not saved yet). */
interface OpenFile {
  name: string;
  saved: string;
  modifiedMs: number | null;
  /** Changes when the editor's text is replaced (open, reload). */
  loadId: number;
}

type ResultTab = 'state' | 'step' | 'compare';

export function ProjectionsView() {
  const zone = useTimeZone();
  const captures = useCaptures((s) => s.captures);
  const [workspace, setWorkspace] = useState<ProjectionWorkspace | null>(null);
  const [workspaceError, setWorkspaceError] = useState<unknown>(null);
  const [workspaceLoading, setWorkspaceLoading] = useState(true);
  const [file, setFile] = useState<OpenFile | null>(null);
  const [draft, setDraft] = useState('');
  const draftRef = useRef('');
  const [fileError, setFileError] = useState<unknown>(null);
  const [opening, setOpening] = useState(false);
  const [conflict, setConflict] = useState(false);
  const [saveAsName, setSaveAsName] = useState('');
  const [saveNote, setSaveNote] = useState<string | null>(null);
  const [pendingOpen, setPendingOpen] = useState<string | null>(null);
  const [range, setRange] = useState<RangeForm>(() => remembered().range ?? EMPTY_RANGE);
  const [rangeError, setRangeError] = useState<string | null>(null);
  const [tab, setTab] = useState<ResultTab>('state');
  // Compare's links to an event show it in Step through (step/step-target.ts).
  const stepRequest = useStepTarget((s) => s.seq);
  useEffect(() => {
    if (stepRequest > 0) setTab('step');
  }, [stepRequest]);
  const editor = useRef<ProjectionEditorHandle | null>(null);
  const loadIds = useRef(1);
  const { run, start, cancel } = useProjectionRun();

  const setDraftText = (text: string): void => {
    draftRef.current = text;
    setDraft(text);
  };

  const loadWorkspace = useCallback(async (): Promise<ProjectionWorkspace | null> => {
    setWorkspaceLoading(true);
    try {
      const ws = await rpc().call('projections.workspace', {});
      setWorkspace(ws);
      setWorkspaceError(null);
      return ws;
    } catch (err) {
      setWorkspaceError(err);
      return null;
    } finally {
      setWorkspaceLoading(false);
    }
  }, []);

  const openFile = useCallback(async (name: string): Promise<void> => {
    setOpening(true);
    setFileError(null);
    setConflict(false);
    setSaveNote(null);
    try {
      const read = await rpc().call('projections.read', { name });
      setFile({ name: read.name, saved: read.source, modifiedMs: read.modifiedMs, loadId: loadIds.current++ });
      draftRef.current = read.source;
      setDraft(read.source);
      // First start: the sample capture, on the topic the projection's usage names.
      setRange((r) => {
        if (r.connectionId !== '' || !useCaptures.getState().captures.some((c) => c.id === SAMPLE_CAPTURE)) return r;
        return { ...r, connectionId: SAMPLE_CAPTURE, topic: topicNamedIn(read.source) ?? '' };
      });
    } catch (err) {
      setFileError(err);
    } finally {
      setOpening(false);
    }
  }, []);

  // The workspace, then the file last open (or the first one: a sample on first start).
  useEffect(() => {
    void loadWorkspace().then((ws) => {
      if (!ws || ws.files.length === 0) return;
      const last = remembered().file;
      const name = last && ws.files.some((f) => f.name === last) ? last : ws.files[0]!.name;
      void openFile(name);
    });
  }, [loadWorkspace, openFile]);

  // Captures arrive after the screen (on a fresh start): preselect the sample then.
  useEffect(() => {
    if (file && range.connectionId === '' && captures.some((c) => c.id === SAMPLE_CAPTURE))
      setRange((r) => ({ ...r, connectionId: SAMPLE_CAPTURE, topic: r.topic || (topicNamedIn(file.saved) ?? '') }));
  }, [captures, file, range.connectionId]);

  // While no file is open yet (the screen is starting), the one remembered stays remembered.
  useEffect(() => remember({ file: file?.name ?? remembered().file, range }), [file?.name, range]);

  const dirty = file !== null && (draft !== file.saved || file.modifiedMs === null);

  const save = useCallback(
    async (asName?: string): Promise<void> => {
      if (!file) return;
      const name = asName ?? file.name;
      const source = draftRef.current;
      setFileError(null);
      setSaveNote(null);
      try {
        const written = await rpc().call('projections.write', {
          name,
          source,
          expectedModifiedMs: asName !== undefined ? null : file.modifiedMs,
        });
        setFile((f) => (f ? { ...f, name: written.name, saved: source, modifiedMs: written.modifiedMs } : f));
        setConflict(false);
        setSaveNote(`Saved ${written.name}.`);
        await loadWorkspace();
      } catch (err) {
        if (err instanceof EventscopeError && err.code === 'CONFLICT' && asName === undefined) setConflict(true);
        else setFileError(err);
      }
    },
    [file, loadWorkspace],
  );

  const reloadFromDisk = (): void => {
    if (file) void openFile(file.name);
  };

  const askOpen = (name: string): void => {
    if (dirty && file && name !== file.name) setPendingOpen(name);
    else if (!file || name !== file.name) void openFile(name);
  };

  const newFile = (name: string): void => {
    setFile({ name, saved: '', modifiedMs: null, loadId: loadIds.current++ });
    setDraftText(NEW_FILE_TEMPLATE);
    setConflict(false);
    setFileError(null);
    setSaveNote(null);
  };

  const deleteFile = async (name: string): Promise<void> => {
    await rpc().call('projections.delete', { name });
    const ws = await loadWorkspace();
    if (file?.name === name) {
      setFile(null);
      setDraftText('');
      const next = ws?.files[0]?.name;
      if (next) void openFile(next);
    }
  };

  const setFolder = async (folder: string, create: boolean): Promise<void> => {
    const ws = await rpc().call('projections.setFolder', { folder, create });
    setWorkspace(ws);
    setWorkspaceError(null);
    setFile(null);
    setDraftText('');
    if (ws.files[0]) void openFile(ws.files[0].name);
  };

  const fileName = file?.name ?? null;
  const check = useCallback(
    async (source: string): Promise<SourceProblem | null> => {
      // No file open: the (hidden) editor has nothing to say.
      if (fileName === null) return null;
      const failure = await checkProjectionSource(source, fileName);
      return failure ? { line: failure.line, message: failure.message } : null;
    },
    [fileName],
  );

  const runIt = (): void => {
    if (!file) return;
    const parsed = rangeParams(range, zone);
    if (!parsed.ok) return setRangeError(parsed.error);
    setRangeError(null);
    setTab('state');
    start(draftRef.current, file.name, parsed.params);
  };

  // A failure with a line: the editor goes there.
  const failure = run?.cancelled && run.result?.failure?.kind === 'crashed' ? null : (run?.result?.failure ?? null);
  useEffect(() => {
    if (failure?.line) editor.current?.goToLine(failure.line);
  }, [failure]);

  const running = run?.phase === 'running';

  return (
    <div
      className="view projections-view"
      data-testid="projections-view"
      onKeyDown={(e) => {
        // Ctrl/Cmd-S anywhere on the screen (the editor handles its own and marks it handled).
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 's' && !e.defaultPrevented) {
          e.preventDefault();
          if (dirty) void save();
        }
      }}
    >
      <div className="view-header">
        <h1>Projections</h1>
        <span className="meta">
          Replay a range of a topic into a projection you write, step through its state, compare it with a consumer’s.
        </span>
      </div>
      <div className="projections-body">
        <WorkspacePanel
          workspace={workspace}
          loading={workspaceLoading}
          error={workspaceError}
          onRetry={() => void loadWorkspace()}
          current={file?.name ?? null}
          dirty={dirty}
          onOpen={askOpen}
          onNew={newFile}
          onDelete={deleteFile}
          onSetFolder={setFolder}
        />
        <section className="projection-center" aria-label="Projection">
          {pendingOpen && file && (
            <div className="notice notice-warning" role="alertdialog" data-testid="unsaved-confirm">
              <span>{file.name} has unsaved changes.</span>
              <button type="button" onClick={() => void save().then(() => setPendingOpen(null))}>
                Save
              </button>
              <button
                type="button"
                onClick={() => {
                  const name = pendingOpen;
                  setPendingOpen(null);
                  void openFile(name);
                }}
                data-testid="unsaved-discard"
              >
                Discard and open {pendingOpen}
              </button>
              <button type="button" onClick={() => setPendingOpen(null)}>
                Cancel
              </button>
            </div>
          )}
          {file ? (
            <div className="projection-file-bar">
              <b data-testid="open-file">{file.name}</b>
              {dirty && (
                <span className="badge badge-warn" data-testid="unsaved">
                  unsaved
                </span>
              )}
              <button
                type="button"
                onClick={() => void save()}
                disabled={!dirty}
                title="Save (Ctrl/Cmd-S)"
                data-testid="save"
              >
                Save
              </button>
              {saveNote && (
                <span className="meta" role="status" data-testid="saved">
                  {saveNote}
                </span>
              )}
            </div>
          ) : (
            !opening && (
              <div className="empty" data-testid="no-file">
                {workspace && workspace.files.length === 0
                  ? 'No projection files in this folder: start one with “New”.'
                  : 'Open a projection file on the left, or start a new one.'}
              </div>
            )
          )}
          {opening && <div className="meta">Opening…</div>}
          {conflict && file && (
            <div className="notice notice-error projection-conflict" role="alert" data-testid="conflict">
              <span>
                {file.name} changed on disk since it was opened (another editor, or git). Saving now would overwrite
                that.
              </span>
              <button type="button" onClick={reloadFromDisk} data-testid="conflict-reload">
                Reload from disk (drop your changes)
              </button>
              <form
                className="projection-save-as"
                onSubmit={(e) => {
                  e.preventDefault();
                  const name = fileNameOf(saveAsName);
                  if (!name)
                    return setFileError(
                      new Error(
                        `"${saveAsName}" is not a file name: use letters, digits, "-", "_" and ".", ending in .js or .mjs.`,
                      ),
                    );
                  void save(name);
                }}
              >
                <input
                  value={saveAsName}
                  onChange={(e) => setSaveAsName(e.target.value)}
                  placeholder="another-name.js"
                  aria-label="Save as"
                  data-testid="save-as-name"
                />
                <button type="submit" data-testid="save-as">
                  Save as
                </button>
              </form>
            </div>
          )}
          <ErrorNotice error={fileError} />
          <div className={file ? '' : 'projection-hidden'}>
            <ProjectionEditor
              ref={editor}
              value={draft}
              docKey={file ? `${file.name}#${file.loadId}` : 'none'}
              onChange={(text) => {
                draftRef.current = text;
                setDraft(text);
              }}
              onSave={() => void save()}
              check={check}
              failure={failure ? { line: failure.line, message: failure.message } : null}
            />
          </div>
        </section>
        <section className="projection-side" aria-label="Run">
          <RangePicker form={range} onChange={setRange} disabled={running} />
          {rangeError && (
            <div className="notice notice-error" role="alert" data-testid="range-error">
              {rangeError}
            </div>
          )}
          <div className="projection-run-bar">
            <button type="button" className="primary" onClick={runIt} disabled={!file || running} data-testid="run">
              Run
            </button>
            {running && (
              <button type="button" onClick={cancel} data-testid="cancel">
                Cancel
              </button>
            )}
          </div>
          {run && <RunProgress run={run} />}
        </section>
      </div>
      {run && (
        <RunResultArea run={run} tab={tab} setTab={setTab} onShowLine={(line) => editor.current?.goToLine(line)} />
      )}
    </div>
  );
}

function RunProgress({ run }: { run: ProjectionRun }) {
  const p = run.progress;
  let text: string;
  let fraction: number | null = null;
  if (run.phase === 'running' && p === null) text = 'Starting: loading the projection and resolving the range…';
  else if (p?.phase === 'fetching') {
    text = `Fetching from the cluster what the replay log lacks: ${(p.fetched ?? 0).toLocaleString()} of ${(p.missing ?? 0).toLocaleString()} records`;
    fraction = p.missing ? (p.fetched ?? 0) / p.missing : null;
  } else if (p) {
    text = `${p.delivered.toLocaleString()}${p.total !== null ? ` of ${p.total.toLocaleString()}` : ''} events fed`;
    fraction = p.total ? p.delivered / p.total : null;
  } else text = '';
  if (run.phase === 'done' && run.result)
    text = `${run.result.events.toLocaleString()} events fed${p?.total != null ? ` of ${p.total.toLocaleString()}` : ''}`;
  return (
    <div className="projection-progress" data-testid="run-progress" data-phase={run.phase}>
      {run.phase === 'running' && fraction !== null && <progress value={Math.min(1, fraction)} max={1} />}
      <span className="meta" role="status">
        {text}
      </span>
      {run.notices.map((n, i) => (
        <div key={i} className="notice notice-warning" data-testid="run-notice">
          {n}
        </div>
      ))}
    </div>
  );
}

function RunResultArea({
  run,
  tab,
  setTab,
  onShowLine,
}: {
  run: ProjectionRun;
  tab: ResultTab;
  setTab(tab: ResultTab): void;
  onShowLine(line: number): void;
}) {
  if (run.phase === 'running') return null;
  if (run.error) return <ErrorNotice error={new Error(`The run stopped: ${errorText(run.error)}`)} />;
  const result = run.result;
  if (!result) return null;
  return (
    <section className="projection-result" aria-label="Result" data-testid="projection-result">
      {run.cancelled && result.failure?.kind === 'crashed' ? (
        <div className="notice notice-warning" role="alert" data-testid="run-end" data-reason="cancelled">
          Cancelled: the projection was stopped while it ran, after {result.events.toLocaleString()} events.
        </div>
      ) : (
        <>
          {result.failure && <RunFailure failure={result.failure} onShowLine={onShowLine} />}
          <RunEnd result={result} />
        </>
      )}
      {/* The result's tabs: the final state here; step-through and the comparison with a consumer mount beside it. */}
      <div className="tabs projection-tabs" role="tablist">
        {(
          [
            ['state', 'State'],
            ['step', 'Step through'],
            ['compare', 'Compare'],
          ] as const
        ).map(([id, label]) => (
          <button
            key={id}
            type="button"
            role="tab"
            aria-selected={tab === id}
            className={tab === id ? 'active' : ''}
            onClick={() => setTab(id)}
            data-testid={`result-tab-${id}`}
          >
            {label}
          </button>
        ))}
      </div>
      {tab === 'state' &&
        (result.outcome ? (
          <div className="projection-outcome">
            <ProjectionState outcome={result.outcome} />
            <RunCounts counts={result.outcome.counts} />
          </div>
        ) : (
          <div className="empty">
            No state: the projection failed
            {result.events > 0 ? ` after ${result.events.toLocaleString()} events` : ' before any event'}. Step through
            to see the state up to the event it failed on.
          </div>
        ))}
      {tab === 'step' && <StepThrough key={run.id} session={run.session} />}
      {tab === 'compare' && <ComparePanel key={run.id} session={run.session} connectionId={run.params.connectionId} />}
    </section>
  );
}
