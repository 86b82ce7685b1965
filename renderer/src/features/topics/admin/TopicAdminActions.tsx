// A topic's administration on its page, offered only on a connection marked writable (never on
// a capture, never for Kafka's internal topics): Edit configs, Add partitions, Delete records…,
// Delete topic, each opening its dialog below the page's header.
import { useState } from 'react';
import type { TopicDetail } from '@common/contract/dto.ts';
import { useNavigation } from '../../../state/navigation-store.ts';
import { useConnectionKind } from '../../consumers/use-connection-kind.ts';
import { AddPartitionsDialog } from './AddPartitionsDialog.tsx';
import { DeleteRecordsDialog } from './DeleteRecordsDialog.tsx';
import { DeleteTopicDialog } from './DeleteTopicDialog.tsx';
import { EditConfigsDialog } from './EditConfigsDialog.tsx';
import './topic-admin.css';

type Open = 'configs' | 'partitions' | 'records' | 'delete' | null;

export function TopicAdminActions({
  connectionId,
  detail,
  onChanged,
}: {
  connectionId: string;
  detail: TopicDetail | null;
  onChanged(): void;
}) {
  const kind = useConnectionKind(connectionId);
  const [open, setOpen] = useState<Open>(null);
  const go = useNavigation((s) => s.go);
  if (!kind.writable || kind.isCapture || !detail || detail.internal) return null;
  const topic = detail.name;
  const close = (): void => setOpen(null);
  const button = (which: Exclude<Open, null>, label: string, testId: string, className = '') => (
    <button
      type="button"
      className={className}
      onClick={() => setOpen(open === which ? null : which)}
      aria-pressed={open === which}
      data-testid={testId}
    >
      {label}
    </button>
  );
  return (
    <div className="topic-admin-actions" data-testid="topic-admin-actions">
      {button('configs', 'Edit configs', 'edit-configs')}
      {button('partitions', 'Add partitions', 'add-partitions')}
      {button('records', 'Delete records…', 'delete-records')}
      {button('delete', 'Delete topic', 'delete-topic', 'danger')}
      {open !== null && (
        <div className="topic-admin-line">
          {open === 'configs' && (
            <EditConfigsDialog
              key={topic}
              connectionId={connectionId}
              topic={topic}
              configs={detail.configs}
              onClose={close}
              onDone={onChanged}
            />
          )}
          {open === 'partitions' && (
            <AddPartitionsDialog
              key={topic}
              connectionId={connectionId}
              topic={topic}
              current={detail.partitions.length}
              onClose={close}
              onDone={onChanged}
            />
          )}
          {open === 'records' && (
            <DeleteRecordsDialog
              key={topic}
              connectionId={connectionId}
              topic={topic}
              partitions={detail.partitions}
              onClose={close}
              onDone={onChanged}
            />
          )}
          {open === 'delete' && (
            <DeleteTopicDialog
              key={topic}
              connectionId={connectionId}
              topic={topic}
              onClose={close}
              onDeleted={() => go({ kind: 'topics', connectionId })}
            />
          )}
        </div>
      )}
    </div>
  );
}
