// Delete a topic. Kafka has no dry run for this: the preview (asked at once, it changes
// nothing) says what the topic holds and which consumer groups read it; the topic goes only
// after its name is typed, and only if it is still the topic previewed (its topic ID).
import { useEffect, useState } from 'react';
import type { DeleteTopicResult } from '@common/contract/topic-admin-dto.ts';
import { formatCount } from '@common/format/numbers.ts';
import { ErrorNotice } from '../../../components/ErrorNotice.tsx';
import { rpc } from '../../../state/host-store.ts';
import { DryRunNote } from './FlowActions.tsx';
import './topic-admin.css';

export function DeleteTopicDialog({
  connectionId,
  topic,
  onClose,
  onDeleted,
}: {
  connectionId: string;
  topic: string;
  onClose(): void;
  onDeleted(): void;
}) {
  const [preview, setPreview] = useState<DeleteTopicResult | null>(null);
  const [typed, setTyped] = useState('');
  const [busy, setBusy] = useState(true);
  const [error, setError] = useState<unknown>(null);

  useEffect(() => {
    const controller = new AbortController();
    rpc()
      .call('topics.delete', { connectionId, topic, dryRun: true }, { signal: controller.signal })
      .then(setPreview, (err: unknown) => !controller.signal.aborted && setError(err))
      .finally(() => !controller.signal.aborted && setBusy(false));
    return () => controller.abort();
  }, [connectionId, topic]);

  const matches = typed === topic;
  const remove = async (): Promise<void> => {
    if (!preview || !matches) return;
    setBusy(true);
    setError(null);
    try {
      await rpc().call('topics.delete', {
        connectionId,
        topic,
        ...(preview.topicId ? { topicId: preview.topicId } : {}),
        dryRun: false,
      });
      onDeleted();
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  };

  return (
    <div className="panel topic-admin-dialog" role="dialog" aria-label="Delete topic" data-testid="delete-topic-dialog">
      <h3>Delete topic {topic}</h3>
      {busy && !preview && <p className="meta">Reading what the topic holds…</p>}
      {preview && (
        <div data-testid="admin-preview-result">
          <DryRunNote />
          <p>
            Deleting “{topic}” removes its <strong>{preview.partitions}</strong> partition
            {preview.partitions === 1 ? '' : 's'} and{' '}
            <strong data-testid="delete-topic-records">
              {preview.records === null
                ? 'every record'
                : `${formatCount(preview.records)} offset${preview.records === '1' ? '' : 's'} of records`}
            </strong>
            {preview.topicId ? <span className="meta"> (topic ID {preview.topicId})</span> : null}. Kafka cannot undo
            this.
          </p>
          {preview.groups === null ? (
            <p className="meta">Which consumer groups read it could not be read.</p>
          ) : preview.groups.length > 0 ? (
            <div className="notice notice-warning" data-testid="delete-topic-groups">
              {preview.groups.length} consumer group{preview.groups.length === 1 ? ' has' : 's have'} committed offsets
              on it: {preview.groups.join(', ')}.
            </div>
          ) : (
            <p className="meta">No consumer group has committed offsets on it.</p>
          )}
          <label className="field">
            <span className="field-label">Type the topic’s name to confirm</span>
            <input
              value={typed}
              onChange={(e) => setTyped(e.target.value)}
              placeholder={topic}
              autoComplete="off"
              spellCheck={false}
              data-testid="delete-topic-confirm-name"
            />
          </label>
        </div>
      )}
      <ErrorNotice error={error} />
      <div className="form-actions">
        <button
          type="button"
          className="primary danger-primary"
          onClick={() => void remove()}
          disabled={busy || !preview || !matches}
          title={matches ? 'Delete the topic and all its records' : 'Type the topic’s name first'}
          data-testid="delete-topic-execute"
        >
          {busy && preview ? 'Deleting…' : 'Delete topic'}
        </button>
        <button type="button" onClick={onClose} data-testid="admin-close">
          Close
        </button>
      </div>
    </div>
  );
}
