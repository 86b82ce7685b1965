// The foot of a topic-administration dialog: what the preview showed and what was done
// (FlowResults), what is wrong with the inputs or what the host refused, then Preview / the
// action / Close, or — once the action was pressed after a preview — the confirmation that says
// what will change.
import type { ReactNode } from 'react';
import { ErrorNotice } from '../../../components/ErrorNotice.tsx';
import type { DryRunFlow } from './use-dry-run.ts';

export function FlowActions<R>({
  flow,
  action,
  confirmText,
  confirmLabel,
  onClose,
}: {
  flow: DryRunFlow<R>;
  action: string;
  confirmText: ReactNode;
  confirmLabel: string;
  onClose(): void;
}) {
  return (
    <>
      {flow.problem && (
        <div
          className="notice notice-error"
          role="alert"
          data-testid="admin-invalid"
          data-field={flow.problem.field ?? undefined}
        >
          {sentence(flow.problem.message)} Nothing was sent.
        </div>
      )}
      <ErrorNotice error={flow.error} />
      {flow.confirming ? (
        <div className="notice notice-warning topic-admin-confirm" data-testid="admin-confirm">
          <span>{confirmText}</span>
          <button
            type="button"
            className="primary"
            onClick={() => void flow.execute()}
            disabled={flow.busy}
            data-testid="admin-confirm-yes"
          >
            {flow.busy ? 'Working…' : confirmLabel}
          </button>
          <button type="button" onClick={flow.cancelConfirm} disabled={flow.busy} data-testid="admin-confirm-cancel">
            Cancel
          </button>
        </div>
      ) : (
        <div className="form-actions">
          <button type="button" onClick={() => void flow.askPreview()} disabled={flow.busy} data-testid="admin-preview">
            {flow.busy ? 'Asking…' : 'Preview'}
          </button>
          <button
            type="button"
            className="primary"
            onClick={flow.askConfirm}
            disabled={flow.busy || flow.preview === null}
            title={flow.preview ? `${action} as previewed (asks once more)` : 'Preview first: see what will change'}
            data-testid="admin-execute"
          >
            {action}
          </button>
          <button type="button" onClick={onClose} data-testid="admin-close">
            Close
          </button>
        </div>
      )}
    </>
  );
}

/** A message as a sentence: capital first letter, a full stop at the end. */
function sentence(text: string): string {
  const t = text.trim();
  return `${t.charAt(0).toUpperCase()}${t.slice(1)}${/[.!?]$/.test(t) ? '' : '.'}`;
}

export function DryRunNote() {
  return (
    <p className="meta" data-testid="admin-dry-run-note">
      Dry run: nothing has changed yet.
    </p>
  );
}

/**
 * The preview, marked as one, and once the action ran, a notice that says what was done above
 * what it did. Each dialog shows a result its own way (`show`) and words its notice (`doneText`).
 */
export function FlowResults<R>({
  flow,
  show,
  doneText,
}: {
  flow: DryRunFlow<R>;
  show(result: R, testId: string): ReactNode;
  doneText(result: R): ReactNode;
}) {
  return (
    <>
      {flow.preview && (
        <>
          <DryRunNote />
          {show(flow.preview, 'admin-preview-result')}
        </>
      )}
      {flow.done && (
        <>
          <div className="notice notice-ok" role="status" data-testid="admin-done">
            {doneText(flow.done)}
          </div>
          {show(flow.done, 'admin-done-result')}
        </>
      )}
    </>
  );
}
