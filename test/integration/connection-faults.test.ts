// Connecting: the right SCRAM password works; every kind of failure comes back quickly
// with a code and a message that names the cause, the first time and every time after it on
// the same connection. Real broker, real sockets; the unreachable host is a loopback listener
// that never accepts (its queue full, the kernel drops the handshake), never an outside address.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { startInProcessHost, type TestHost } from '../support/in-process-host.ts';
import { startSilentServer } from '../support/silent-server.ts';
import { startTail } from '../support/tail-probe.ts';

/**
 * A loopback port where the TCP handshake never completes: what an unroutable or firewalled
 * host looks like. A child process listens with a backlog of 1 and then blocks (never accepts);
 * two connections fill its queue, and Linux drops every SYN after them. It blocks in the same
 * tick as it prints its port (a write to a pipe is synchronous on Linux), so no connection can
 * be accepted once the port is known, and there is nothing to wait for.
 */
async function startBlackHole(): Promise<{ address: string; close(): void }> {
  const script = `const s = require('node:net').createServer();
s.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  process.stdout.write(s.address().port + '\\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    child.stdout!.once('data', (d: Buffer) => resolve(Number(d.toString().trim())));
    child.once('exit', () => reject(new Error('the black-hole listener exited')));
  });
  const fillers: Socket[] = [];
  const connects = async (): Promise<boolean> => {
    const socket = connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    fillers.push(socket);
    return new Promise<boolean>((resolve) => {
      socket.once('connect', () => resolve(true));
      // About time passing: a handshake that has not completed in 500 ms (loopback takes well
      // under 1 ms) is one the kernel dropped.
      setTimeout(() => resolve(false), 500);
    });
  };
  // Fill the queue, then prove the next handshake hangs: without that this test proves nothing.
  while (await connects())
    if (fillers.length > 5)
      throw new Error('the black-hole listener keeps accepting: this kernel does not drop handshakes past the backlog');
  return {
    address: `127.0.0.1:${port}`,
    close: () => {
      for (const s of fillers) s.destroy();
      child.kill('SIGKILL');
    },
  };
}

describe('connections: authentication and faults', () => {
  const kafka = inject('kafka');
  let host: TestHost;
  beforeAll(async () => {
    host = await startInProcessHost();
  });
  afterAll(async () => host?.close());

  const test = (bootstrap: string, extra: Record<string, unknown> = {}, secrets: Record<string, string> = {}) =>
    host.client.call('connections.test', {
      profile: { id: 'draft', name: 'draft', bootstrap, connectTimeoutMs: 3_000, ...extra },
      secrets,
    });

  const timed = async (p: Promise<unknown>): Promise<{ error: unknown; ms: number }> => {
    const started = Date.now();
    const error = await p.then(
      () => null,
      (e: unknown) => e,
    );
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

    it.skipIf(!sasl).each(['scram-sha-512', 'scram-sha-256'] as const)(
      '%s with the right password connects',
      async (mechanism) => {
        const result = await test(
          sasl!,
          { sasl: { mechanism, username: kafka.scramUser } },
          { saslPassword: kafka.scramPassword! },
        );
        expect(result.brokerCount).toBe(1);
      },
    );

    it.skipIf(!sasl)('a wrong password is an authentication error, not a timeout', async () => {
      const { error, ms } = await timed(
        test(
          sasl!,
          { sasl: { mechanism: 'scram-sha-512', username: kafka.scramUser } },
          { saslPassword: 'wrong-password' },
        ),
      );
      expect(error).toMatchObject({
        code: 'AUTH_FAILED',
        message: expect.stringMatching(/Authentication failed.*SCRAM-SHA-512/i),
      });
      expect(ms).toBeLessThan(3_000);
    });

    it.skipIf(!sasl)('a saved SCRAM connection keeps its password and uses it', async () => {
      await host.client.call('connections.save', {
        profile: {
          id: 'scram',
          name: 'scram',
          bootstrap: sasl!,
          sasl: { mechanism: 'scram-sha-512', username: kafka.scramUser! },
        },
        secrets: { saslPassword: kafka.scramPassword! },
      });
      const [summary] = (await host.client.call('connections.list', {})).filter((c) => c.profile.id === 'scram');
      expect(summary).toMatchObject({ hasSaslPassword: true });
      expect(JSON.stringify(summary)).not.toContain(kafka.scramPassword!);
      expect((await host.client.call('connections.test', { connectionId: 'scram' })).brokerCount).toBe(1);
      const topics = await host.client.call('topics.list', { connectionId: 'scram' });
      expect(Array.isArray(topics)).toBe(true);
    });

    it.skipIf(!sasl)('SASL asked of a plaintext listener fails with a clear message', async () => {
      const { error, ms } = await timed(
        test(kafka.bootstrap, { sasl: { mechanism: 'scram-sha-512', username: 'x' } }, { saslPassword: 'y' }),
      );
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

  it('an unreachable host (the handshake never answered) is a timeout that says so, never "closed" — every time', async () => {
    const hole = await startBlackHole();
    try {
      const wrong = /closed|TLS or SASL|Broker not connected|Kafka error/;
      const draft = await timed(test(hole.address, { connectTimeoutMs: 1_000 }));
      expect(draft.error).toMatchObject({
        code: 'TIMEOUT',
        message: expect.stringMatching(
          new RegExp(
            `^No connection to ${hole.address}( within 3 s)?: it timed out without any answer\\. The host may be unreachable`,
          ),
        ),
      });
      expect((draft.error as Error).message).not.toMatch(wrong);
      expect(draft.ms).toBeLessThan(1_000 + 2_000 + 1_500);
      // (Whichever ends the wait first says so: kafkajs's second attempt timing out, or ours.)
      // A saved connection keeps one client: its later calls must say the same, not what a half-done attempt left behind.
      await host.client.call('connections.save', {
        profile: { id: 'hole', name: 'hole', bootstrap: hole.address, connectTimeoutMs: 1_000 },
      });
      const calls = [
        () => host.client.call('connections.test', { connectionId: 'hole' }),
        () => host.client.call('connections.test', { connectionId: 'hole' }),
        () => host.client.call('topics.list', { connectionId: 'hole', includeInternal: false }),
        () => host.client.call('topics.describe', { connectionId: 'hole', topic: 'anything' }),
      ];
      for (const call of calls) {
        const { error } = await timed(call());
        expect(error).toMatchObject({
          code: 'TIMEOUT',
          message: expect.stringMatching(/unreachable|timed out|did not answer/),
        });
        expect((error as Error).message).not.toMatch(wrong);
      }
      // A tail waits for it (outage), naming the cause the same way.
      const tail = startTail(host.client, { connectionId: 'hole', topic: 'anything', from: { kind: 'latest' } });
      try {
        await tail.until(() => tail.events.some((e) => e.type === 'status'), 10_000);
        const status = tail.events.find((e) => e.type === 'status');
        expect(status).toMatchObject({
          phase: 'outage',
          message: expect.stringMatching(/^Cannot start reading anything yet: .*(timed out|did not answer)/),
        });
      } finally {
        tail.subscription.close();
      }
    } finally {
      hole.close();
      await host.client.call('connections.remove', { id: 'hole' });
    }
  });

  it('a listener that accepts and never answers is a timeout that says so, the first time and after', async () => {
    const silent = await startSilentServer();
    try {
      await host.client.call('connections.save', {
        profile: { id: 'silent', name: 'silent', bootstrap: silent.address, connectTimeoutMs: 1_000 },
      });
      for (const call of [
        () => host.client.call('connections.test', { connectionId: 'silent' }),
        () => host.client.call('connections.test', { connectionId: 'silent' }),
        () => host.client.call('topics.list', { connectionId: 'silent', includeInternal: false }),
      ]) {
        const { error, ms } = await timed(call());
        expect(error).toMatchObject({ code: 'TIMEOUT' });
        expect((error as Error).message).not.toMatch(/Broker not connected|Kafka error/);
        expect((error as Error).message).toMatch(
          new RegExp(
            `^${silent.address} accepted the connection but did not answer Kafka's first request within 3 s: it may not be a Kafka listener`,
          ),
        );
        expect(ms).toBeLessThan(1_000 + 2_000 + 1_500);
      }
    } finally {
      await silent.close();
      await host.client.call('connections.remove', { id: 'silent' });
    }
  });

  it('refused, on a saved connection too, is named as refused every time', async () => {
    await host.client.call('connections.save', {
      profile: { id: 'refused', name: 'refused', bootstrap: '127.0.0.1:1', connectTimeoutMs: 1_000 },
    });
    try {
      for (let i = 0; i < 3; i++) {
        await expect(host.client.call('connections.test', { connectionId: 'refused' })).rejects.toMatchObject({
          code: 'CONNECTION_REFUSED',
          message: expect.stringContaining('Connection refused by 127.0.0.1:1'),
        });
      }
    } finally {
      await host.client.call('connections.remove', { id: 'refused' });
    }
  });

  it('TLS asked of a plaintext listener fails with a clear message, no hang', async () => {
    const { error, ms } = await timed(test(kafka.bootstrap, { tls: { insecureSkipVerify: false } }));
    expect((error as { code: string }).code).toMatch(/TLS_FAILURE|TIMEOUT|CONNECTION_REFUSED/);
    expect(ms).toBeLessThan(8_000);
  });

  it('a missing TLS file is named', async () => {
    await expect(test(kafka.bootstrap, { tls: { caFile: '/nonexistent/ca.pem' } })).rejects.toMatchObject({
      code: 'BAD_CONFIG',
      field: 'tls.caFile',
      message: expect.stringContaining('/nonexistent/ca.pem'),
    });
  });

  it.each([
    ['garbage', 'kafka broker one', /has no port/],
    ['garbage host', 'kafka broker:9092', /not a valid host name/],
    ['port out of range', 'localhost:70000', /out of range/],
    ['empty', '   ', /empty/],
  ])('bad bootstrap (%s) is rejected naming the field', async (_label, bootstrap, message) => {
    await expect(test(bootstrap)).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      field: 'profile.bootstrap',
      message: expect.stringMatching(message),
    });
  });

  it('a SASL profile without a password says so', async () => {
    await expect(test(kafka.bootstrap, { sasl: { mechanism: 'plain', username: 'u' } })).rejects.toMatchObject({
      code: 'BAD_CONFIG',
      field: 'saslPassword',
    });
  });

  it('imports a client.properties file and a malformed one gets a clear error', async () => {
    const imported = await host.client.call('connections.importFile', {
      fileName: 'client.properties',
      text: `bootstrap.servers=${kafka.bootstrap}\n`,
    });
    expect(imported.profile.bootstrap).toBe(kafka.bootstrap);
    await expect(
      host.client.call('connections.importFile', { fileName: 'x.properties', text: 'security.protocol=SSL\n' }),
    ).rejects.toMatchObject({ code: 'BAD_CONFIG', message: expect.stringContaining('bootstrap.servers') });
  });
});

describe("connections: TLS against the broker's SSL listener", () => {
  const kafka = inject('kafka');
  const tls = kafka.tlsBootstrap;
  if (!tls)
    console.warn(
      'TLS tests skipped: the cluster has no TLS listener (KAFKA_TLS_BOOTSTRAP_SERVERS/KAFKA_TLS_CA_FILE unset, or openssl missing for the harness)',
    );
  let host: TestHost;
  beforeAll(async () => {
    host = await startInProcessHost();
  });
  afterAll(async () => host?.close());
  const test = (tlsOptions: Record<string, unknown>, bootstrap = tls!) =>
    host.client.call('connections.test', {
      profile: {
        id: 'tls',
        name: 'tls',
        bootstrap,
        connectTimeoutMs: 3_000,
        tls: { insecureSkipVerify: false, ...tlsOptions },
      },
    });

  it.skipIf(!tls)('connects with the right CA', async () => {
    expect((await test({ caFile: kafka.tlsCaFile })).brokerCount).toBe(1);
  });

  it.skipIf(!tls)('an unknown CA is a TLS error that says so', async () => {
    await expect(test({})).rejects.toMatchObject({
      code: 'TLS_FAILURE',
      message: expect.stringMatching(/TLS failed with .*(self[- ]signed|unable to verify|issuer)/i),
    });
  });

  it.skipIf(!tls)('a certificate for another host name is a TLS error naming the mismatch', async () => {
    await expect(test({ caFile: kafka.tlsCaFile, servername: 'kafka.wrong.example' })).rejects.toMatchObject({
      code: 'TLS_FAILURE',
      message: expect.stringMatching(/kafka\.wrong\.example|altnames|Hostname/i),
    });
  });

  it.skipIf(!tls)('skipping verification connects anyway (the UI warns)', async () => {
    expect((await test({ insecureSkipVerify: true })).brokerCount).toBe(1);
  });

  it.skipIf(!tls)('plaintext asked of the TLS listener fails without hanging', async () => {
    const started = Date.now();
    const error = await host.client
      .call('connections.test', { profile: { id: 'p', name: 'p', bootstrap: tls!, connectTimeoutMs: 2_000 } })
      .catch((e: unknown) => e);
    expect((error as { code: string }).code).toMatch(/TIMEOUT|CONNECTION_REFUSED|KAFKA_ERROR/);
    expect(Date.now() - started).toBeLessThan(2_000 + 2_000 + 1_500);
  });
});
