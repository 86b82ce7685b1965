// "New topic" on a cluster's topic list, offered only on a connection marked writable (never on
// a capture); the dialog opens below the list's header.
import { useState } from 'react';
import { useNavigation } from '../../../state/navigation-store.ts';
import { useConnectionKind } from '../../consumers/use-connection-kind.ts';
import { CreateTopicDialog } from './CreateTopicDialog.tsx';
import './topic-admin.css';

export function NewTopicButton({ connectionId, onCreated }: { connectionId: string; onCreated(): void }) {
  const kind = useConnectionKind(connectionId);
  const [open, setOpen] = useState(false);
  const go = useNavigation((s) => s.go);
  if (!kind.writable || kind.isCapture) return null;
  return (
    <div className="topic-admin-actions">
      <button type="button" onClick={() => setOpen(!open)} aria-pressed={open} data-testid="new-topic">
        New topic
      </button>
      {open && (
        <div className="topic-admin-line">
          <CreateTopicDialog
            key={connectionId}
            connectionId={connectionId}
            onClose={() => setOpen(false)}
            onCreated={onCreated}
            onOpen={(topic) => go({ kind: 'topic', connectionId, topic })}
          />
        </div>
      )}
    </div>
  );
}
