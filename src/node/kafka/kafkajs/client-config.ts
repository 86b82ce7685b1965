// Builds the kafkajs client configuration from a connection profile and its secrets.
// TLS files are read here, so a missing or unreadable file is named in the error.
import { readFile } from 'node:fs/promises';
import type { ConnectionOptions } from 'node:tls';
import kafkajs from 'kafkajs';
import { formatHostPort, parseBootstrap } from '../../../common/contract/bootstrap.ts';
import type { ConnectionProfile, ConnectionSecrets } from '../../../common/contract/dto.ts';
import { EventscopeError } from '../../../common/contract/errors.ts';

export async function kafkajsConfig(
  profile: ConnectionProfile,
  secrets: ConnectionSecrets,
): Promise<kafkajs.KafkaConfig> {
  const parsed = parseBootstrap(profile.bootstrap);
  if (!parsed.ok) throw new EventscopeError('BAD_CONFIG', parsed.error, 'bootstrap');
  const config: kafkajs.KafkaConfig = {
    clientId: profile.clientId || 'eventscope',
    brokers: parsed.servers.map(formatHostPort),
    connectionTimeout: profile.connectTimeoutMs,
    authenticationTimeout: profile.connectTimeoutMs,
    requestTimeout: Math.max(profile.connectTimeoutMs, 30_000),
    // One retry at most: a wrong password or a dead host must fail fast, not storm.
    retry: { retries: 1, initialRetryTime: 250, maxRetryTime: 1_000 },
    logLevel: kafkajs.logLevel.NOTHING,
  };
  if (profile.sasl) {
    const password = secrets.saslPassword;
    if (password === undefined)
      throw new EventscopeError(
        'BAD_CONFIG',
        `SASL ${profile.sasl.mechanism} needs a password for user "${profile.sasl.username}".`,
        'saslPassword',
      );
    config.sasl = {
      mechanism: profile.sasl.mechanism,
      username: profile.sasl.username,
      password,
    } as kafkajs.SASLOptions;
  }
  if (profile.tls) config.ssl = await tlsOptions(profile.tls, secrets);
  return config;
}

async function tlsOptions(
  tls: NonNullable<ConnectionProfile['tls']>,
  secrets: ConnectionSecrets,
): Promise<ConnectionOptions> {
  const options: ConnectionOptions = { rejectUnauthorized: !tls.insecureSkipVerify };
  if (tls.insecureSkipVerify) options.checkServerIdentity = () => undefined;
  if (tls.servername) options.servername = tls.servername;
  if (tls.caFile) options.ca = await readPem(tls.caFile, 'CA certificate', 'tls.caFile');
  if (tls.certFile) options.cert = await readPem(tls.certFile, 'client certificate', 'tls.certFile');
  if (tls.keyFile) options.key = await readPem(tls.keyFile, 'client key', 'tls.keyFile');
  if (tls.certFile && !tls.keyFile)
    throw new EventscopeError('BAD_CONFIG', 'A client certificate was given without its key file.', 'tls.keyFile');
  if (secrets.tlsKeyPassword) options.passphrase = secrets.tlsKeyPassword;
  return options;
}

async function readPem(path: string, what: string, field: string): Promise<string> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (err) {
    throw new EventscopeError('BAD_CONFIG', `Cannot read the ${what} file ${path}: ${(err as Error).message}`, field);
  }
  if (!text.includes('-----BEGIN ')) {
    throw new EventscopeError(
      'BAD_CONFIG',
      `The ${what} file ${path} is not PEM (no "-----BEGIN" line). JKS or PKCS#12 stores must be exported to PEM first.`,
      field,
    );
  }
  return text;
}
