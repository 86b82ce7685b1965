// Reads a Kafka client.properties file (Java clients) or a kcat/librdkafka config file
// into a connection draft. Both are Java-properties syntax; the key names differ.
import { parseBootstrap } from '../../common/contract/bootstrap.ts';
import type { ConnectionSecrets, ImportedConnection, SaslMechanism } from '../../common/contract/dto.ts';
import { EventscopeError } from '../../common/contract/errors.ts';

export function parseProperties(text: string, fileName: string): Map<string, { value: string; line: number }> {
  const result = new Map<string, { value: string; line: number }>();
  const lines = text.replace(/^\uFEFF/, '').split(/\r\n|\r|\n/);
  for (let i = 0; i < lines.length; i++) {
    const startLine = i + 1;
    let logical = (lines[i] ?? '').replace(/^\s+/, '');
    if (logical === '' || logical.startsWith('#') || logical.startsWith('!')) continue;
    // A line ending in an odd number of backslashes continues on the next one.
    while (/(^|[^\\])(\\\\)*\\$/.test(logical) && i + 1 < lines.length) {
      logical = logical.slice(0, -1) + (lines[++i] ?? '').replace(/^\s+/, '');
    }
    const { key, value } = splitKeyValue(logical);
    if (key === '')
      throw new EventscopeError(
        'BAD_CONFIG',
        `${fileName}, line ${startLine}: a value without a key ("${logical.slice(0, 60)}").`,
        'text',
      );
    result.set(key, { value: unescape(value), line: startLine });
  }
  return result;
}

function splitKeyValue(line: string): { key: string; value: string } {
  let i = 0;
  let key = '';
  while (i < line.length) {
    const c = line[i]!;
    if (c === '\\' && i + 1 < line.length) {
      key += '\\' + line[i + 1];
      i += 2;
      continue;
    }
    if (c === '=' || c === ':' || /\s/.test(c)) break;
    key += c;
    i++;
  }
  while (i < line.length && /\s/.test(line[i]!)) i++;
  if (line[i] === '=' || line[i] === ':') i++;
  while (i < line.length && /\s/.test(line[i]!)) i++;
  return { key: unescape(key), value: line.slice(i) };
}

function unescape(text: string): string {
  return text.replace(/\\(u[0-9A-Fa-f]{4}|.)/g, (_m, esc: string) => {
    if (esc.length === 5) return String.fromCharCode(parseInt(esc.slice(1), 16));
    return ({ t: '\t', n: '\n', r: '\r', f: '\f' } as Record<string, string>)[esc] ?? esc;
  });
}

/** Pulls username and password out of a sasl.jaas.config value. */
export function parseJaas(jaas: string): { username?: string; password?: string } {
  const out: { username?: string; password?: string } = {};
  const re = /(username|password)\s*=\s*"((?:[^"\\]|\\.)*)"/g;
  for (let m = re.exec(jaas); m; m = re.exec(jaas)) {
    const value = m[2]!.replace(/\\(.)/g, '$1');
    if (m[1] === 'username') out.username = value;
    else out.password = value;
  }
  return out;
}

const MECHANISMS: Record<string, SaslMechanism> = {
  PLAIN: 'plain',
  'SCRAM-SHA-256': 'scram-sha-256',
  'SCRAM-SHA-512': 'scram-sha-512',
};

export function importConnectionFile(fileName: string, text: string): ImportedConnection {
  const props = parseProperties(text, fileName);
  const get = (...keys: string[]): string | undefined => {
    for (const k of keys) {
      const v = props.get(k);
      if (v !== undefined) return v.value.trim();
    }
    return undefined;
  };
  const lineOf = (k: string): string => `${fileName}, line ${props.get(k)?.line ?? '?'}`;
  const warnings: string[] = [];

  const bootstrapKey = props.has('bootstrap.servers') ? 'bootstrap.servers' : 'metadata.broker.list';
  const bootstrap = get('bootstrap.servers', 'metadata.broker.list');
  if (bootstrap === undefined) {
    throw new EventscopeError(
      'BAD_CONFIG',
      `${fileName} has no bootstrap.servers (or metadata.broker.list): it does not look like a Kafka client.properties or kcat config file.`,
      'text',
    );
  }
  const parsed = parseBootstrap(bootstrap);
  if (!parsed.ok) throw new EventscopeError('BAD_CONFIG', `${lineOf(bootstrapKey)}: ${parsed.error}`, 'bootstrap');

  const protocol = (get('security.protocol') ?? 'PLAINTEXT').toUpperCase();
  if (!['PLAINTEXT', 'SSL', 'SASL_PLAINTEXT', 'SASL_SSL'].includes(protocol)) {
    throw new EventscopeError(
      'BAD_CONFIG',
      `${lineOf('security.protocol')}: security.protocol "${protocol}" is not one of PLAINTEXT, SSL, SASL_PLAINTEXT, SASL_SSL.`,
      'security.protocol',
    );
  }
  const secrets: ConnectionSecrets = {};
  const profile: ImportedConnection['profile'] = {
    name: fileName.replace(/^.*[\\/]/, '').replace(/\.(properties|conf|config|cfg)$/i, '') || 'Imported connection',
    bootstrap: bootstrap,
    writable: false,
    connectTimeoutMs: 10_000,
  };
  const clientId = get('client.id');
  if (clientId) profile.clientId = clientId;

  if (protocol.startsWith('SASL')) {
    const mechanismKey = props.has('sasl.mechanism') ? 'sasl.mechanism' : 'sasl.mechanisms';
    const rawMechanism = (get('sasl.mechanism', 'sasl.mechanisms') ?? 'GSSAPI').toUpperCase();
    const mechanism = MECHANISMS[rawMechanism];
    if (!mechanism) {
      throw new EventscopeError(
        'BAD_CONFIG',
        `${lineOf(mechanismKey)}: SASL mechanism ${rawMechanism} is not supported; Eventscope supports PLAIN, SCRAM-SHA-256 and SCRAM-SHA-512.`,
        'sasl.mechanism',
      );
    }
    const jaas = parseJaas(get('sasl.jaas.config') ?? '');
    const username = get('sasl.username') ?? jaas.username;
    const password = get('sasl.password') ?? jaas.password;
    if (!username)
      throw new EventscopeError(
        'BAD_CONFIG',
        `${fileName}: SASL is on but no user name was found (sasl.username or username="…" in sasl.jaas.config).`,
        'sasl.username',
      );
    profile.sasl = { mechanism, username };
    if (password !== undefined) secrets.saslPassword = password;
    else warnings.push('No SASL password in the file: enter it before connecting.');
  }

  if (protocol.endsWith('SSL')) {
    const tls: NonNullable<ImportedConnection['profile']['tls']> = { insecureSkipVerify: false };
    const ca = get('ssl.ca.location');
    const truststore = get('ssl.truststore.location');
    const truststoreType = (get('ssl.truststore.type') ?? 'JKS').toUpperCase();
    if (ca) tls.caFile = ca;
    else if (truststore && truststoreType === 'PEM') tls.caFile = truststore;
    else if (truststore)
      warnings.push(
        `The truststore ${truststore} is ${truststoreType}, which Eventscope cannot read: export its CA as PEM (keytool -exportcert -rfc -keystore … -alias …) and choose that file as the CA.`,
      );
    const cert = get('ssl.certificate.location');
    const key = get('ssl.key.location');
    if (cert) tls.certFile = cert;
    if (key) tls.keyFile = key;
    const keystore = get('ssl.keystore.location');
    if (keystore && !cert)
      warnings.push(
        `The keystore ${keystore} cannot be read directly: export the client certificate and key as PEM files and choose them.`,
      );
    const keyPassword = get('ssl.key.password');
    if (keyPassword) secrets.tlsKeyPassword = keyPassword;
    if (get('enable.ssl.certificate.verification')?.toLowerCase() === 'false') {
      tls.insecureSkipVerify = true;
      warnings.push('The file turns certificate verification off: the connection will not know whom it talks to.');
    }
    if (props.has('ssl.endpoint.identification.algorithm') && get('ssl.endpoint.identification.algorithm') === '') {
      warnings.push(
        'The file turns host name verification off; Eventscope keeps it on. Set a server name if the certificate names another host.',
      );
    }
    profile.tls = tls;
  }
  return { profile, secrets, warnings };
}
