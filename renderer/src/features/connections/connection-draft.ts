// The connection form's state: plain strings as typed, turned into a profile on save.
import { parseBootstrap } from '@common/contract/bootstrap.ts';
import type {
  ConnectionProfileInput,
  ConnectionSecrets,
  ImportedConnection,
  SaslMechanism,
} from '@common/contract/dto.ts';

export interface ConnectionDraft {
  id: string;
  name: string;
  bootstrap: string;
  clientId: string;
  saslMechanism: '' | SaslMechanism;
  saslUsername: string;
  saslPassword: string;
  tlsEnabled: boolean;
  caFile: string;
  certFile: string;
  keyFile: string;
  keyPassword: string;
  servername: string;
  insecureSkipVerify: boolean;
  writable: boolean;
  connectTimeoutMs: string;
}

export function newConnectionId(): string {
  return crypto.randomUUID();
}

export function emptyDraft(): ConnectionDraft {
  return {
    id: newConnectionId(),
    name: 'Local Kafka',
    bootstrap: 'localhost:9092',
    clientId: '',
    saslMechanism: '',
    saslUsername: '',
    saslPassword: '',
    tlsEnabled: false,
    caFile: '',
    certFile: '',
    keyFile: '',
    keyPassword: '',
    servername: '',
    insecureSkipVerify: false,
    writable: false,
    connectTimeoutMs: '10000',
  };
}

export function draftFromProfile(profile: ConnectionProfileInput & { id: string }): ConnectionDraft {
  return {
    ...emptyDraft(),
    id: profile.id,
    name: profile.name,
    bootstrap: profile.bootstrap,
    clientId: profile.clientId ?? '',
    saslMechanism: profile.sasl?.mechanism ?? '',
    saslUsername: profile.sasl?.username ?? '',
    tlsEnabled: Boolean(profile.tls),
    caFile: profile.tls?.caFile ?? '',
    certFile: profile.tls?.certFile ?? '',
    keyFile: profile.tls?.keyFile ?? '',
    servername: profile.tls?.servername ?? '',
    insecureSkipVerify: profile.tls?.insecureSkipVerify ?? false,
    writable: profile.writable ?? false,
    connectTimeoutMs: String(profile.connectTimeoutMs ?? 10000),
  };
}

export function draftFromImport(imported: ImportedConnection, id: string): ConnectionDraft {
  return {
    ...draftFromProfile({ ...imported.profile, id }),
    saslPassword: imported.secrets.saslPassword ?? '',
    keyPassword: imported.secrets.tlsKeyPassword ?? '',
  };
}

/** Field → message for what can be told before asking the host. */
export function validateDraft(draft: ConnectionDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (draft.name.trim() === '') errors['name'] = 'Give the connection a name.';
  const bootstrap = parseBootstrap(draft.bootstrap);
  if (!bootstrap.ok) errors['bootstrap'] = bootstrap.error;
  if (draft.saslMechanism && draft.saslUsername.trim() === '') errors['sasl.username'] = 'SASL needs a user name.';
  const timeout = Number(draft.connectTimeoutMs);
  if (!Number.isInteger(timeout) || timeout < 500 || timeout > 120000)
    errors['connectTimeoutMs'] = 'Connect timeout must be a whole number of milliseconds between 500 and 120000.';
  if (draft.tlsEnabled && draft.certFile && !draft.keyFile)
    errors['tls.keyFile'] = 'A client certificate needs its key file.';
  return errors;
}

export function profileFromDraft(draft: ConnectionDraft): ConnectionProfileInput & { id: string } {
  const profile: ConnectionProfileInput & { id: string } = {
    id: draft.id,
    name: draft.name.trim(),
    bootstrap: draft.bootstrap.trim(),
    writable: draft.writable,
    connectTimeoutMs: Number(draft.connectTimeoutMs),
  };
  if (draft.clientId.trim()) profile.clientId = draft.clientId.trim();
  if (draft.saslMechanism) profile.sasl = { mechanism: draft.saslMechanism, username: draft.saslUsername.trim() };
  if (draft.tlsEnabled) {
    profile.tls = { insecureSkipVerify: draft.insecureSkipVerify };
    if (draft.caFile.trim()) profile.tls.caFile = draft.caFile.trim();
    if (draft.certFile.trim()) profile.tls.certFile = draft.certFile.trim();
    if (draft.keyFile.trim()) profile.tls.keyFile = draft.keyFile.trim();
    if (draft.servername.trim()) profile.tls.servername = draft.servername.trim();
  }
  return profile;
}

/** Only what the user typed; an untouched password field keeps the stored one. */
export function secretsFromDraft(draft: ConnectionDraft): ConnectionSecrets {
  const secrets: ConnectionSecrets = {};
  if (draft.saslMechanism && draft.saslPassword) secrets.saslPassword = draft.saslPassword;
  if (draft.tlsEnabled && draft.keyPassword) secrets.tlsKeyPassword = draft.keyPassword;
  return secrets;
}
