// Add or edit a cluster connection: bootstrap, SASL, TLS, import from a client.properties
// or kcat config file, test, save, remove.
import { useState, type ChangeEvent, type ReactNode } from 'react';
import { ChevronDown, ChevronRight, FileUp, PlugZap, Save, Trash2 } from 'lucide-react';
import type { ConnectionTestResult } from '@common/contract/dto.ts';
import { EventscopeError } from '@common/contract/errors.ts';
import { ErrorNotice, errorText } from '../../components/ErrorNotice.tsx';
import { rpc, useHost } from '../../state/host-store.ts';
import { useConnections } from '../../state/connections-store.ts';
import { useNavigation } from '../../state/navigation-store.ts';
import {
  draftFromImport,
  profileFromDraft,
  secretsFromDraft,
  validateDraft,
  type ConnectionDraft,
} from './connection-draft.ts';

const FORM_FIELDS = new Set([
  'name',
  'bootstrap',
  'sasl.username',
  'connectTimeoutMs',
  'tls.caFile',
  'tls.certFile',
  'tls.keyFile',
]);

interface Props {
  initial: ConnectionDraft;
  isNew: boolean;
  storedSecrets?: { saslPassword: boolean; tlsKeyPassword: boolean };
  title: ReactNode;
}

export function ConnectionForm({ initial, isNew, storedSecrets, title }: Props) {
  const [draft, setDraft] = useState<ConnectionDraft>(initial);
  const [showAdvanced, setShowAdvanced] = useState(!isNew || Boolean(initial.saslMechanism || initial.tlsEnabled));
  const [busy, setBusy] = useState<'test' | 'save' | 'remove' | 'import' | null>(null);
  const [testResult, setTestResult] = useState<ConnectionTestResult | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [importWarnings, setImportWarnings] = useState<string[]>([]);
  const [needsConsent, setNeedsConsent] = useState(false);
  const [consent, setConsent] = useState(false);
  const [touched, setTouched] = useState(false);
  const secretStorage = useHost((s) => s.info?.secretStorage);
  const reloadConnections = useConnections((s) => s.reload);
  const go = useNavigation((s) => s.go);

  const errors = validateDraft(draft);
  // A host error about one of the form's fields is shown at that field; any other above the buttons.
  const rawField = error instanceof EventscopeError ? error.field?.replace(/^profile\./, '') : undefined;
  const serverField = rawField !== undefined && FORM_FIELDS.has(rawField) ? rawField : undefined;
  const set = <K extends keyof ConnectionDraft>(key: K, value: ConnectionDraft[K]): void => {
    setDraft((d) => ({ ...d, [key]: value }));
    setTestResult(null);
    // What the host said (connection refused, authentication failed, a bad field) was about
    // what the form held then: a change makes it stale, so it goes with the old result. Not
    // the name alone, which changes nothing about the connection (unless the error is about it).
    if (key !== 'name' || serverField === 'name') setError(null);
  };
  const text = (key: keyof ConnectionDraft) => ({
    value: String(draft[key]),
    onChange: (e: ChangeEvent<HTMLInputElement | HTMLSelectElement>) => set(key, e.target.value as never),
  });
  const fieldError = (name: string): string | undefined =>
    (touched ? errors[name] : undefined) ?? (serverField === name ? errorText(error) : undefined);

  const test = async (): Promise<void> => {
    setTouched(true);
    if (Object.keys(errors).length > 0) return;
    setBusy('test');
    setError(null);
    setTestResult(null);
    try {
      setTestResult(
        await rpc().call('connections.test', { profile: profileFromDraft(draft), secrets: secretsFromDraft(draft) }),
      );
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const save = async (): Promise<void> => {
    setTouched(true);
    if (Object.keys(errors).length > 0) return;
    setBusy('save');
    setError(null);
    try {
      const saved = await rpc().call('connections.save', {
        profile: profileFromDraft(draft),
        secrets: secretsFromDraft(draft),
        allowPlaintextSecrets: consent,
      });
      await reloadConnections();
      go({ kind: 'topics', connectionId: saved.profile.id });
    } catch (err) {
      if (err instanceof EventscopeError && err.code === 'SECRET_STORAGE_INSECURE') setNeedsConsent(true);
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const remove = async (): Promise<void> => {
    if (!window.confirm(`Remove the connection "${draft.name}"? Its saved password goes too.`)) return;
    setBusy('remove');
    try {
      await rpc().call('connections.remove', { id: draft.id });
      await reloadConnections();
      go({ kind: 'welcome' });
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  const importFile = async (e: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = e.target.files?.[0];
    e.target.value = '';
    if (!file) return;
    setBusy('import');
    setError(null);
    try {
      const imported = await rpc().call('connections.importFile', { fileName: file.name, text: await file.text() });
      setDraft(draftFromImport(imported, draft.id));
      setImportWarnings(imported.warnings);
      setShowAdvanced(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <form
      className="panel connection-form"
      data-testid="connection-form"
      onSubmit={(e) => {
        e.preventDefault();
        void save();
      }}
    >
      <h2>{title}</h2>
      <div className="form-row">
        <label className="import-button">
          <FileUp className="icon" aria-hidden /> Import client.properties or kcat config…
          <input
            type="file"
            data-testid="import-file"
            accept=".properties,.conf,.config,.cfg,text/plain"
            onChange={(e) => void importFile(e)}
          />
        </label>
      </div>
      {importWarnings.map((w) => (
        <div className="notice notice-warning" key={w} data-testid="import-warning">
          {w}
        </div>
      ))}
      <Field label="Name" error={fieldError('name')}>
        <input {...text('name')} data-testid="connection-name" />
      </Field>
      <Field label="Bootstrap servers" hint="host:port, comma-separated" error={fieldError('bootstrap')}>
        <input {...text('bootstrap')} data-testid="connection-bootstrap" autoFocus spellCheck={false} />
      </Field>
      <button type="button" className="link" onClick={() => setShowAdvanced((v) => !v)} aria-expanded={showAdvanced}>
        {showAdvanced ? <ChevronDown aria-hidden /> : <ChevronRight aria-hidden />} Authentication, TLS and other
        settings
      </button>
      {showAdvanced && (
        <div className="advanced">
          <Field label="Client id" hint="defaults to eventscope">
            <input {...text('clientId')} />
          </Field>
          <Field label="SASL mechanism">
            <select {...text('saslMechanism')} data-testid="sasl-mechanism">
              <option value="">None</option>
              <option value="plain">PLAIN</option>
              <option value="scram-sha-256">SCRAM-SHA-256</option>
              <option value="scram-sha-512">SCRAM-SHA-512</option>
            </select>
          </Field>
          {draft.saslMechanism && (
            <>
              <Field label="User name" error={fieldError('sasl.username')}>
                <input {...text('saslUsername')} data-testid="sasl-username" autoComplete="off" />
              </Field>
              <Field
                label="Password"
                hint={storedSecrets?.saslPassword ? 'saved; leave empty to keep it' : secretStorage?.description}
              >
                <input {...text('saslPassword')} type="password" data-testid="sasl-password" autoComplete="off" />
              </Field>
            </>
          )}
          <label className="check">
            <input
              type="checkbox"
              checked={draft.tlsEnabled}
              onChange={(e) => set('tlsEnabled', e.target.checked)}
              data-testid="tls-enabled"
            />{' '}
            Use TLS
          </label>
          {draft.tlsEnabled && (
            <>
              <Field
                label="CA certificate file (PEM)"
                hint="empty: the system's trusted CAs"
                error={fieldError('tls.caFile')}
              >
                <input {...text('caFile')} spellCheck={false} />
              </Field>
              <Field label="Client certificate file (PEM)" error={fieldError('tls.certFile')}>
                <input {...text('certFile')} spellCheck={false} />
              </Field>
              <Field label="Client key file (PEM)" error={fieldError('tls.keyFile')}>
                <input {...text('keyFile')} spellCheck={false} />
              </Field>
              <Field label="Key password">
                <input {...text('keyPassword')} type="password" autoComplete="off" />
              </Field>
              <Field label="Server name (SNI)" hint="when the certificate names another host">
                <input {...text('servername')} spellCheck={false} />
              </Field>
              <label className="check">
                <input
                  type="checkbox"
                  checked={draft.insecureSkipVerify}
                  onChange={(e) => set('insecureSkipVerify', e.target.checked)}
                />{' '}
                Skip certificate verification
              </label>
              {draft.insecureSkipVerify && (
                <div className="notice notice-warning">
                  Without verification anyone on the network path can pose as the cluster and read what you send,
                  passwords included.
                </div>
              )}
            </>
          )}
          <Field label="Connect timeout (ms)" error={fieldError('connectTimeoutMs')}>
            <input {...text('connectTimeoutMs')} inputMode="numeric" />
          </Field>
          <label className="check">
            <input type="checkbox" checked={draft.writable} onChange={(e) => set('writable', e.target.checked)} /> Allow
            writes (produce, offset resets) — off means this connection only reads
          </label>
        </div>
      )}
      {needsConsent && (
        <label className="check notice notice-warning">
          <input
            type="checkbox"
            checked={consent}
            onChange={(e) => setConsent(e.target.checked)}
            data-testid="plaintext-consent"
          />{' '}
          Store the password anyway, without keychain protection
        </label>
      )}
      {!serverField && <ErrorNotice error={error} />}
      {testResult && (
        <div className="notice notice-ok" data-testid="test-result">
          <span>
            Connected to cluster <b>{testResult.clusterId ?? '(no id)'}</b>: {testResult.brokerCount} broker
            {testResult.brokerCount === 1 ? '' : 's'}, controller {testResult.controllerId ?? 'unknown'}
            {testResult.kafkaVersion ? `, Kafka ${testResult.kafkaVersion}` : ''} ({testResult.elapsedMs} ms)
          </span>
        </div>
      )}
      <div className="form-actions">
        <button type="button" onClick={() => void test()} disabled={busy !== null} data-testid="test-connection">
          <PlugZap aria-hidden />
          {busy === 'test' ? 'Testing…' : 'Test connection'}
        </button>
        <button type="submit" className="primary" disabled={busy !== null} data-testid="save-connection">
          <Save aria-hidden />
          {busy === 'save' ? 'Saving…' : isNew ? 'Save and open' : 'Save'}
        </button>
        {!isNew && (
          <button
            type="button"
            className="danger"
            onClick={() => void remove()}
            disabled={busy !== null}
            data-testid="remove-connection"
          >
            <Trash2 aria-hidden />
            Remove
          </button>
        )}
      </div>
    </form>
  );
}

function Field({
  label,
  hint,
  error,
  children,
}: {
  label: string;
  hint?: string | undefined;
  error?: string | undefined;
  children: ReactNode;
}) {
  return (
    <label className={`field${error ? ' field-invalid' : ''}`}>
      <span className="field-label">{label}</span>
      {children}
      {error ? (
        <span className="field-error" role="alert">
          {error}
        </span>
      ) : hint ? (
        <span className="field-hint">{hint}</span>
      ) : null}
    </label>
  );
}
