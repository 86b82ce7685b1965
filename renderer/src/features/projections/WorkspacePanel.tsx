// The workspace folder's side of the Projections screen: where projection files are kept (the
// user's folder, so they can live in git beside the consumer's code; changed with a typed path
// and, when it does not exist, an offer to create it), what is wrong with it, and its files —
// open one, start a new one, delete one after a confirmation.
import { useState } from 'react';
import type { ProjectionWorkspace } from '@common/contract/projection-dto.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';

const FILE_NAME = /^[A-Za-z0-9][\w.-]*\.m?js$/;

export interface WorkspacePanelProps {
  workspace: ProjectionWorkspace | null;
  loading: boolean;
  error: unknown;
  onRetry(): void;
  /** The file in the editor (null: none), and whether it has unsaved changes. */
  current: string | null;
  dirty: boolean;
  onOpen(name: string): void;
  onNew(name: string): void;
  onDelete(name: string): Promise<void>;
  onSetFolder(folder: string, create: boolean): Promise<void>;
}

/** A name the workspace takes: "revenue" becomes "revenue.js"; null when it cannot be one. */
export function fileNameOf(typed: string): string | null {
  const t = typed.trim();
  const name = /\.m?js$/.test(t) ? t : `${t}.js`;
  return FILE_NAME.test(name) && name.length <= 200 ? name : null;
}

function FolderForm({
  folder,
  onSetFolder,
  onDone,
}: {
  folder: string;
  onSetFolder: WorkspacePanelProps['onSetFolder'];
  onDone(): void;
}) {
  const [path, setPath] = useState(folder);
  const [create, setCreate] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const submit = async (): Promise<void> => {
    if (!path.trim()) return setError(new Error('Type the path of a folder on the host’s disk.'));
    setBusy(true);
    setError(null);
    try {
      await onSetFolder(path.trim(), create);
      onDone();
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  };
  return (
    <form
      className="projection-folder-form"
      onSubmit={(e) => {
        e.preventDefault();
        void submit();
      }}
    >
      <input
        value={path}
        onChange={(e) => setPath(e.target.value)}
        aria-label="Workspace folder"
        placeholder="/path/to/your/consumer/projections"
        data-testid="folder-path"
        autoFocus
      />
      <label className="check">
        <input
          type="checkbox"
          checked={create}
          onChange={(e) => setCreate(e.target.checked)}
          data-testid="folder-create"
        />{' '}
        create it if it does not exist
      </label>
      <div className="form-actions">
        <button type="submit" className="primary" disabled={busy} data-testid="folder-use">
          Use this folder
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
      <ErrorNotice error={error} />
    </form>
  );
}

export function WorkspacePanel(props: WorkspacePanelProps) {
  const { workspace, loading, error, current, dirty } = props;
  const [changingFolder, setChangingFolder] = useState(false);
  const [naming, setNaming] = useState(false);
  const [newName, setNewName] = useState('');
  const [nameError, setNameError] = useState<string | null>(null);
  const [confirmDelete, setConfirmDelete] = useState<string | null>(null);
  const [deleteError, setDeleteError] = useState<unknown>(null);

  const create = (): void => {
    const name = fileNameOf(newName);
    if (!name)
      return setNameError(
        `"${newName}" is not a file name: use letters, digits, "-", "_" and ".", ending in .js or .mjs, no folders.`,
      );
    if (workspace?.files.some((f) => f.name === name))
      return setNameError(`${name} is in the folder already: open it, or choose another name.`);
    setNameError(null);
    setNaming(false);
    setNewName('');
    props.onNew(name);
  };

  const remove = async (name: string): Promise<void> => {
    setDeleteError(null);
    try {
      await props.onDelete(name);
      setConfirmDelete(null);
    } catch (err) {
      setDeleteError(err);
    }
  };

  return (
    <aside className="projection-workspace" aria-label="Projection files" data-testid="workspace">
      <div className="projection-panel-title">Workspace</div>
      {loading && !workspace && <div className="meta">Loading the workspace…</div>}
      <ErrorNotice error={error} onRetry={props.onRetry} />
      {workspace && (
        <>
          <div className="projection-folder" title={workspace.folder}>
            <span className="projection-folder-path" data-testid="folder">
              {workspace.folder}
            </span>
            {workspace.isDefault && <span className="badge">default</span>}
          </div>
          {!changingFolder && (
            <div className="projection-folder-actions">
              <button
                type="button"
                className="link"
                onClick={() => setChangingFolder(true)}
                data-testid="change-folder"
              >
                Change folder…
              </button>
              {/* Files change outside the app too (an editor, git checkout). */}
              <button
                type="button"
                className="link"
                onClick={props.onRetry}
                title="List the folder's files again"
                data-testid="refresh-files"
              >
                Refresh
              </button>
            </div>
          )}
          {changingFolder && (
            <FolderForm
              folder={workspace.folder}
              onSetFolder={props.onSetFolder}
              onDone={() => setChangingFolder(false)}
            />
          )}
          {workspace.problem && (
            <div className="notice notice-error" role="alert" data-testid="folder-problem">
              {workspace.problem}
            </div>
          )}
          <ul className="projection-files" data-testid="files">
            {workspace.files.length === 0 && !workspace.problem && (
              <li className="empty">No projection files here yet. Start one with “New”.</li>
            )}
            {current !== null && !workspace.files.some((f) => f.name === current) && (
              <li className="projection-file active" data-testid="file" data-name={current}>
                <span className="projection-file-name">
                  {current} <span className="meta">(new)</span>
                </span>
              </li>
            )}
            {workspace.files.map((f) => (
              <li
                key={f.name}
                className={`projection-file${f.name === current ? ' active' : ''}`}
                data-testid="file"
                data-name={f.name}
              >
                <button
                  type="button"
                  className="projection-file-name"
                  onClick={() => props.onOpen(f.name)}
                  title={`${f.bytes.toLocaleString()} bytes, changed ${new Date(f.modifiedMs).toLocaleString()}`}
                >
                  {f.name}
                  {f.name === current && dirty && (
                    <span className="projection-dirty" title="Unsaved changes" data-testid="dirty">
                      {' '}
                      ●
                    </span>
                  )}
                </button>
                <button
                  type="button"
                  className="projection-file-delete"
                  onClick={() => setConfirmDelete(f.name)}
                  title={`Delete ${f.name}`}
                  aria-label={`Delete ${f.name}`}
                  data-testid="file-delete"
                >
                  ✕
                </button>
                {confirmDelete === f.name && (
                  <div
                    className="notice notice-warning projection-confirm"
                    role="alertdialog"
                    data-testid="delete-confirm"
                  >
                    <span>Delete {f.name} from the folder? This cannot be undone.</span>
                    <button
                      type="button"
                      className="danger"
                      onClick={() => void remove(f.name)}
                      data-testid="delete-yes"
                    >
                      Delete
                    </button>
                    <button type="button" onClick={() => setConfirmDelete(null)}>
                      Keep it
                    </button>
                  </div>
                )}
              </li>
            ))}
          </ul>
          <ErrorNotice error={deleteError} />
          {naming ? (
            <form
              className="projection-new"
              onSubmit={(e) => {
                e.preventDefault();
                create();
              }}
            >
              <input
                value={newName}
                onChange={(e) => setNewName(e.target.value)}
                placeholder="my-projection.js"
                aria-label="New file name"
                data-testid="new-name"
                autoFocus
              />
              <button type="submit" data-testid="new-create">
                Create
              </button>
              <button type="button" onClick={() => setNaming(false)}>
                Cancel
              </button>
              {nameError && (
                <div className="field-error" role="alert" data-testid="new-error">
                  {nameError}
                </div>
              )}
            </form>
          ) : (
            <button
              type="button"
              onClick={() => setNaming(true)}
              disabled={workspace.problem !== null}
              data-testid="new-file"
            >
              + New
            </button>
          )}
        </>
      )}
    </aside>
  );
}
