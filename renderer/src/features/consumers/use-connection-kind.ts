// What a connection id names: a saved connection (writable or not) or an opened capture.
// Captures are never written to; a read-only connection shows its write actions disabled.
import { useCaptures } from '../../state/captures-store.ts';
import { useConnections } from '../../state/connections-store.ts';

export interface ConnectionKind {
  isCapture: boolean;
  writable: boolean;
  name: string;
}

export function useConnectionKind(connectionId: string): ConnectionKind {
  const profile = useConnections((s) => s.connections.find((c) => c.profile.id === connectionId)?.profile);
  const capture = useCaptures((s) => s.captures.find((c) => c.id === connectionId));
  if (profile) return { isCapture: false, writable: profile.writable, name: profile.name };
  return { isCapture: capture !== undefined, writable: false, name: capture?.name ?? connectionId };
}

export const READ_ONLY_HINT =
  'This connection is read-only: mark it "Allow writes" in its connection settings to change offsets or delete groups.';
