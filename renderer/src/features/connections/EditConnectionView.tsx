import { useConnections } from '../../state/connections-store.ts';
import { ConnectionForm } from './ConnectionForm.tsx';
import { draftFromProfile, emptyDraft } from './connection-draft.ts';

export function EditConnectionView({ connectionId }: { connectionId: string | null }) {
  const summary = useConnections((s) => s.connections.find((c) => c.profile.id === connectionId));
  if (connectionId === null || !summary) {
    return (
      <ConnectionForm key="new" initial={{ ...emptyDraft(), name: '', bootstrap: '' }} isNew title="New connection" />
    );
  }
  return (
    <ConnectionForm
      key={connectionId}
      initial={draftFromProfile(summary.profile)}
      isNew={false}
      storedSecrets={{ saslPassword: summary.hasSaslPassword, tlsKeyPassword: summary.hasTlsKeyPassword }}
      title={`Edit ${summary.profile.name}`}
    />
  );
}
