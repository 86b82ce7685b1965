// Connecting: the right SCRAM password works; every kind of failure comes back quickly
// with a code and a message that names the cause. Real broker, real sockets.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startInProcessHost, type TestHost } from '../support/in-process-host.ts';
import { startSilentServer } from '../support/silent-server.ts';

describe('connections: authentication and faults', () => {
  const kafka = inject('kafka');
  let host: TestHost;
  beforeAll(async () => {
    host = await startInProcessHost();
  });
  afterAll(async () => host?.close());

  const test = (bootstrap: string, extra: Record<string, unknown> = {}, secrets: Record<string, string> = {}) =>
    host.client.call('connections.test', { profile: { id: 'draft', name: 'draft', bootstrap, connectTimeoutMs: 3_000, ...extra }, secrets });

  const timed = async (p: Promise<unknown>): Promise<{ error: unknown; ms: number }> => {
    const started = Date.now();
    const error = await p.then(() => null, (e: unknown) => e);
    return { error, ms: Date.now() - started };
  };

  it('tests a plaintext connection: cluster id, broker count, controller, version', async () => {
    const result = await test(kafka.bootstrap);
    expect(result).toMatchObject({ brokerCount: 1, controllerId: 1 });
    expect(result.clusterId).toBeTruthy();
  });

  describe('SCRAM on the SASL listener', () => {
    const sasl = kafka.saslBootstrap;
    const skipReason = sasl ? '' : 'the cluster in KAFKA_BOOTSTRAP_SERVERS has no KAFKA_SASL_BOOTSTRAP_SERVERS';
    if (skipReason) console.warn(`SCRAM tests skipped: ${skipReason}`);

    it.skipIf(!sasl).each(['scram-sha-512', 'scram-sha-256'] as const)('%s with the right password connects', async (mechanism) => {
      const result = await test(sasl!, { sasl: { mechanism, username: kafka.scramUser } }, { saslPassword: kafka.scramPassword! });
      expect(result.brokerCount).toBe(1);
    });

    it.skipIf(!sasl)('a wrong password is an authentication error, not a timeout', async () => {
      const { error, ms } = await timed(test(sasl!, { sasl: { mechanism: 'scram-sha-512', username: kafka.scramUser } }, { saslPassword: 'wrong-password' }));
      expect(error).toMatchObject({ code: 'AUTH_FAILED', message: expect.stringMatching(/Authentication failed.*SCRAM-SHA-512/i) });
      expect(ms).toBeLessThan(3_000);
    });

    it.skipIf(!sasl)('a saved SCRAM connection keeps its password and uses it', async () => {
      await host.client.call('connections.save', { profile: { id: 'scram', name: 'scram', bootstrap: sasl!, sasl: { mechanism: 'scram-sha-512', username: kafka.scramUser! } }, secrets: { saslPassword: kafka.scramPassword! } });
      const [summary] = (await host.client.call('connections.list', {})).filter((c) => c.profile.id === 'scram');
      expect(summary).toMatchObject({ hasSaslPassword: true });
      expect(JSON.stringify(summary)).not.toContain(kafka.scramPassword!);
      expect((await host.client.call('connections.test', { connectionId: 'scram' })).brokerCount).toBe(1);
      const topics = await host.client.call('topics.list', { connectionId: 'scram' });
      expect(Array.isArray(topics)).toBe(true);
    });

    it.skipIf(!sasl)('SASL asked of a plaintext listener fails with a clear message', async () => {
      const { error, ms } = await timed(test(kafka.bootstrap, { sasl: { mechanism: 'scram-sha-512', username: 'x' } }, { saslPassword: 'y' }));
      expect((error as { code: string }).code).toMatch(/AUTH_FAILED|CONNECTION_REFUSED|KAFKA_ERROR|TIMEOUT/);
      expect(ms).toBeLessThan(10_000);
    });
  });

  it('refused: nothing listening', async () => {
    const { error, ms } = await timed(test('127.0.0.1:1'));
    expect(error).toMatchObject({ code: 'CONNECTION_REFUSED', message: expect.stringContaining('127.0.0.1:1') });
    expect(ms).toBeLessThan(3_000);
  });

  it('DNS failure names the host', async () => {
    const { error } = await timed(test('no-such-broker.invalid:9092'));
    expect(error).toMatchObject({ code: 'DNS_FAILURE', message: expect.stringContaining('no-such-broker.invalid') });
  });

  it('a host that never answers times out within the connect timeout', async () => {
    const silent = await startSilentServer();
    try {
      const { error, ms } = await timed(test(silent.address, { connectTimeoutMs: 1_000 }));
      expect(error).toMatchObject({ code: 'TIMEOUT' });
      expect(ms).toBeLessThan(1_000 + 2_000 + 1_500);
    } finally {
      await silent.close();
    }
  });

  it('TLS asked of a plaintext listener fails with a clear message, no hang', async () => {
    const { error, ms } = await timed(test(kafka.bootstrap, { tls: { insecureSkipVerify: false } }));
    expect((error as { code: string }).code).toMatch(/TLS_FAILURE|TIMEOUT|CONNECTION_REFUSED/);
    expect(ms).toBeLessThan(8_000);
  });

  it('a missing TLS file is named', async () => {
    await expect(test(kafka.bootstrap, { tls: { caFile: '/nonexistent/ca.pem' } })).rejects.toMatchObject({ code: 'BAD_CONFIG', field: 'tls.caFile', message: expect.stringContaining('/nonexistent/ca.pem') });
  });

  it.each([
    ['garbage', 'kafka broker one', /has no port/],
    ['garbage host', 'kafka broker:9092', /not a valid host name/],
    ['port out of range', 'localhost:70000', /out of range/],
    ['empty', '   ', /empty/],
  ])('bad bootstrap (%s) is rejected naming the field', async (_label, bootstrap, message) => {
    await expect(test(bootstrap)).rejects.toMatchObject({ code: 'INVALID_PARAMS', field: 'profile.bootstrap', message: expect.stringMatching(message) });
  });

  it('a SASL profile without a password says so', async () => {
    await expect(test(kafka.bootstrap, { sasl: { mechanism: 'plain', username: 'u' } })).rejects.toMatchObject({ code: 'BAD_CONFIG', field: 'saslPassword' });
  });

  it('imports a client.properties file and a malformed one gets a clear error', async () => {
    const imported = await host.client.call('connections.importFile', { fileName: 'client.properties', text: `bootstrap.servers=${kafka.bootstrap}\n` });
    expect(imported.profile.bootstrap).toBe(kafka.bootstrap);
    await expect(host.client.call('connections.importFile', { fileName: 'x.properties', text: 'security.protocol=SSL\n' })).rejects.toMatchObject({ code: 'BAD_CONFIG', message: expect.stringContaining('bootstrap.servers') });
  });
});

describe('connections: TLS against the broker\'s SSL listener', () => {
  const kafka = inject('kafka');
  const tls = kafka.tlsBootstrap;
  if (!tls) console.warn('TLS tests skipped: the cluster has no TLS listener (KAFKA_TLS_BOOTSTRAP_SERVERS/KAFKA_TLS_CA_FILE unset, or openssl missing for the harness)');
  let host: TestHost;
  beforeAll(async () => {
    host = await startInProcessHost();
  });
  afterAll(async () => host?.close());
  const test = (tlsOptions: Record<string, unknown>, bootstrap = tls!) =>
    host.client.call('connections.test', { profile: { id: 'tls', name: 'tls', bootstrap, connectTimeoutMs: 3_000, tls: { insecureSkipVerify: false, ...tlsOptions } } });

  it.skipIf(!tls)('connects with the right CA', async () => {
    expect((await test({ caFile: kafka.tlsCaFile })).brokerCount).toBe(1);
  });

  it.skipIf(!tls)('an unknown CA is a TLS error that says so', async () => {
    await expect(test({})).rejects.toMatchObject({ code: 'TLS_FAILURE', message: expect.stringMatching(/TLS failed with .*(self[- ]signed|unable to verify|issuer)/i) });
  });

  it.skipIf(!tls)('a certificate for another host name is a TLS error naming the mismatch', async () => {
    await expect(test({ caFile: kafka.tlsCaFile, servername: 'kafka.wrong.example' })).rejects.toMatchObject({ code: 'TLS_FAILURE', message: expect.stringMatching(/kafka\.wrong\.example|altnames|Hostname/i) });
  });

  it.skipIf(!tls)('skipping verification connects anyway (the UI warns)', async () => {
    expect((await test({ insecureSkipVerify: true })).brokerCount).toBe(1);
  });

  it.skipIf(!tls)('plaintext asked of the TLS listener fails without hanging', async () => {
    const started = Date.now();
    const error = await host.client.call('connections.test', { profile: { id: 'p', name: 'p', bootstrap: tls!, connectTimeoutMs: 2_000 } }).catch((e: unknown) => e);
    expect((error as { code: string }).code).toMatch(/TIMEOUT|CONNECTION_REFUSED|KAFKA_ERROR/);
    expect(Date.now() - started).toBeLessThan(2_000 + 2_000 + 1_500);
  });
});
