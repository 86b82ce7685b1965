// One contract suite, run over every wire that can run here: in-process MessageChannel,
// the Electron MessagePortMain adapter (over a Node MessagePort shaped like one), and the
// browser-mode WebSocket. Real service, real broker, real files.
import { MessageChannel as NodeMessageChannel, type MessagePort as NodeMessagePort } from 'node:worker_threads';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import WebSocket from 'ws';
import type { RecordDto } from '../../src/common/contract/dto.ts';
import { EventscopeError } from '../../src/common/contract/errors.ts';
import { SAMPLE_CAPTURE_ID } from '../../src/node/host/eventscope-service.ts';
import { startBrowserServer } from '../../src/node/host/browser-server.ts';
import type { EventscopeService } from '../../src/node/host/eventscope-service.ts';
import { RpcClient } from '../../src/common/rpc/client.ts';
import { serveRpc } from '../../src/common/rpc/server.ts';
import { electronPortWire } from '../../src/common/rpc/wires/electron-port-wire.ts';
import { messagePortWire, type PortLike } from '../../src/common/rpc/wires/message-port-wire.ts';
import { webSocketWire } from '../../src/common/rpc/wires/websocket-wire.ts';
import { startTestService } from '../support/in-process-host.ts';
import { startTail } from '../support/tail-probe.ts';
import { SAMPLE_CAPTURE_PATH } from '../../scripts/make-sample-capture.ts';
import { startSilentServer } from '../support/silent-server.ts';
import { uniqueName } from '../support/unique.ts';

interface WireUnderTest {
  client: RpcClient;
  /** Puts raw bytes/values on the wire, bypassing the client. */
  sendRaw(message: unknown): void;
  /** Replies the server sent to raw messages. */
  rawReplies: unknown[];
  warnings: string[];
  close(): Promise<void>;
}

type WireFactory = (service: EventscopeService) => Promise<WireUnderTest>;

/** The client's end of a MessagePort pair whose other end the service serves: the two port wires share it. */
function portClientEnd(port: PortLike, warnings: string[]): WireUnderTest {
  const wire = messagePortWire(port);
  const rawReplies: unknown[] = [];
  wire.onMessage((m) => rawReplies.push(m));
  return {
    client: new RpcClient(wire),
    sendRaw: (m) => port.postMessage(m),
    rawReplies,
    warnings,
    close: async () => wire.close(),
  };
}

const wires: Record<string, WireFactory> = {
  'in-process MessageChannel': async (service) => {
    const { port1, port2 } = new MessageChannel();
    const warnings: string[] = [];
    serveRpc(messagePortWire(port1), service.methods, service.streams, { warn: (m) => warnings.push(m) });
    return portClientEnd(port2, warnings);
  },
  'Electron MessagePortMain adapter': async (service) => {
    const { port1, port2 } = new NodeMessageChannel();
    // MessagePortMain delivers {data} events through on(); a Node MessagePort delivers the data itself.
    const portMainLike = (port: NodeMessagePort) => ({
      postMessage: (m: unknown) => port.postMessage(m),
      on: (event: 'message' | 'close', listener: (e: { data: unknown }) => void) =>
        event === 'message'
          ? port.on('message', (data: unknown) => listener({ data }))
          : port.on('close', () => (listener as () => void)()),
      start: () => port.start(),
      close: () => port.close(),
    });
    const warnings: string[] = [];
    serveRpc(electronPortWire(portMainLike(port1)), service.methods, service.streams, {
      warn: (m) => warnings.push(m),
    });
    return portClientEnd(port2 as unknown as PortLike, warnings);
  },
  'WebSocket (browser mode)': async (service) => {
    const warnings: string[] = [];
    const staticDir = await mkdtemp(join(tmpdir(), 'es-static-'));
    const server = await startBrowserServer({ service, staticDir, log: { warn: (m) => warnings.push(m) } });
    const socket = new WebSocket(`ws://127.0.0.1:${server.port}/rpc?token=${server.token}`, {
      headers: { Origin: `http://127.0.0.1:${server.port}` },
    });
    await new Promise<void>((resolve, reject) => {
      socket.once('open', () => resolve());
      socket.once('error', reject);
    });
    const wire = webSocketWire(socket);
    const rawReplies: unknown[] = [];
    wire.onMessage((m) => rawReplies.push(m));
    return {
      client: new RpcClient(wire),
      sendRaw: (m) => socket.send(typeof m === 'string' || m instanceof Uint8Array ? m : JSON.stringify(m)),
      rawReplies,
      warnings,
      close: async () => {
        wire.close();
        try {
          await server.close();
        } finally {
          await rm(staticDir, { recursive: true, force: true });
        }
      },
    };
  },
};

async function until<T>(check: () => T | undefined, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

for (const [wireName, makeWire] of Object.entries(wires)) {
  describe(`contract over ${wireName}`, () => {
    const kafka = inject('kafka');
    let service: EventscopeService;
    let closeService: () => Promise<void>;
    let wire: WireUnderTest;

    beforeAll(async () => {
      ({ service, close: closeService } = await startTestService({ sampleCapturePath: SAMPLE_CAPTURE_PATH }));
      wire = await makeWire(service);
    });
    afterAll(async () => {
      await wire?.close();
      await closeService?.();
    });

    it('answers calls with JSON-safe values', async () => {
      const info = await wire.client.call('app.info', {});
      expect(info).toMatchObject({ version: 'test', mode: 'test', secretStorage: { kind: 'plaintext-file' } });
      const id = uniqueName('c');
      const saved = await wire.client.call('connections.save', {
        profile: { id, name: 'Local', bootstrap: kafka.bootstrap },
      });
      expect(saved).toEqual(JSON.parse(JSON.stringify(saved)));
      expect(saved.profile).toMatchObject({ id, writable: false, connectTimeoutMs: 10_000 });
      const list = await wire.client.call('connections.list', {});
      expect(list.map((c) => c.profile.id)).toContain(id);
    });

    it('rejects invalid params naming the field and the cause', async () => {
      const err = await wire.client
        .call('connections.save', { profile: { id: 'x', name: 'x', bootstrap: 'localhost:99999' } })
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(EventscopeError);
      expect(err).toMatchObject({
        code: 'INVALID_PARAMS',
        field: 'profile.bootstrap',
        message: expect.stringContaining('out of range'),
      });
      const extra = await wire.client.call('app.info', { sneaky: true } as never).catch((e: unknown) => e);
      expect(extra).toMatchObject({ code: 'INVALID_PARAMS' });
    });

    it('rejects unknown methods', async () => {
      await expect(wire.client.call('nope.nothing' as never, {} as never)).rejects.toMatchObject({
        code: 'UNKNOWN_METHOD',
      });
    });

    it('rejects malformed messages without taking the host down', async () => {
      const before = wire.rawReplies.length;
      for (const garbage of [
        42,
        null,
        'text',
        {},
        { t: 'call' },
        { t: 'call', id: 7001, method: 7, params: {} },
        { t: 'call', id: -1, method: 'app.info', params: {} },
        { t: 'subscribe', id: 7002, stream: 'x'.repeat(500), params: {} },
        { t: 'exec', id: 7003 },
      ]) {
        wire.sendRaw(garbage);
      }
      if (wireName.startsWith('WebSocket')) {
        wire.sendRaw('{"this is": not json');
        // Binary frames: too short, and one whose JSON refers to a part it does not carry.
        wire.sendRaw(new Uint8Array([1, 2]));
        const json = new TextEncoder().encode('{"t":"call","id":7004,"method":"app.info","params":{"$binary":0}}');
        wire.sendRaw(new Uint8Array([...new Uint8Array(new Uint32Array([json.length]).buffer), ...json]));
      }
      // Messages with a usable id are answered with an error; all are logged.
      const reply = await until(() => wire.rawReplies.slice(before).find((m) => (m as { id?: number }).id === 7001));
      expect(reply).toMatchObject({ t: 'result', ok: false, error: { code: 'INVALID_MESSAGE' } });
      await until(() => (wire.warnings.length >= 9 ? true : undefined));
      expect(wire.warnings.join('\n')).toMatch(/rejected message/);
      if (wireName.startsWith('WebSocket')) {
        await until(() => (wire.warnings.filter((w) => /binary frame/.test(w)).length >= 2 ? true : undefined));
        expect(wire.warnings.join('\n')).toMatch(/refers to part 0 of 0/);
        expect(wire.warnings.join('\n')).toMatch(/could not be decoded: not JSON: \{"this is": not json/);
      }
      // Still serving.
      expect((await wire.client.call('app.info', {})).mode).toBe('test');
    });

    it('cancels a call in flight: the caller is answered at once', async () => {
      const silent = await startSilentServer();
      try {
        const controller = new AbortController();
        const started = Date.now();
        const pending = wire.client.call(
          'connections.test',
          { profile: { id: 'slow', name: 'slow', bootstrap: silent.address, connectTimeoutMs: 60_000 } },
          { signal: controller.signal },
        );
        // Cancel once the host's client is connected to the server that never answers: the call is in flight.
        void silent.connected().then(() => controller.abort());
        await expect(pending).rejects.toMatchObject({ code: 'CANCELLED' });
        expect(Date.now() - started).toBeLessThan(5_000);
        expect((await wire.client.call('app.info', {})).mode).toBe('test');
      } finally {
        await silent.close();
      }
    });

    it('streams events with sequence numbers until unsubscribed', async () => {
      const id = uniqueName('w');
      await wire.client.call('connections.save', { profile: { id, name: 'w', bootstrap: kafka.bootstrap } });
      const seqs: number[] = [];
      let topicsSeen: unknown = null;
      const sub = wire.client.subscribe(
        'topics.watch',
        { connectionId: id, intervalMs: 1_000 },
        {
          onEvent: (event, seq) => {
            seqs.push(seq);
            topicsSeen = event.topics;
          },
        },
      );
      await until(() => (seqs.length >= 2 ? true : undefined), 15_000);
      expect(seqs.slice(0, 2)).toEqual([0, 1]);
      expect(Array.isArray(topicsSeen)).toBe(true);
      sub.close();
      await sub.done;
      const count = seqs.length;
      // About time passing: no event may come after unsubscribing, so wait longer than the
      // watch's interval (1 s, the least the contract allows) and count again.
      await new Promise((r) => setTimeout(r, 1_500));
      expect(seqs.length).toBe(count);
    });

    it("carries a tail's records (binary record frames) exactly as the log's JSON pages give them", async () => {
      const tail = startTail(wire.client, {
        connectionId: SAMPLE_CAPTURE_ID,
        topic: 'payments',
        from: { kind: 'earliest' },
        follow: false,
      });
      await tail.subscription.done;
      const started = tail.events.find((e) => e.type === 'started');
      if (started?.type !== 'started') throw new Error('no started event');
      const page = await wire.client.call('log.page', {
        connectionId: SAMPLE_CAPTURE_ID,
        topic: 'payments',
        before: started.endOffsets,
        limit: 5_000,
      });
      const byPosition = (a: RecordDto, b: RecordDto) =>
        a.partition - b.partition || Number(a.offset) - Number(b.offset);
      expect(tail.records.length).toBeGreaterThan(500);
      expect([...tail.records].sort(byPosition)).toEqual([...page.records].sort(byPosition));
    });

    it('ends a stream with an error when its params are invalid', async () => {
      const sub = wire.client.subscribe(
        'topics.watch',
        { connectionId: 'x', intervalMs: 5 },
        { onEvent: () => undefined },
      );
      await expect(sub.done).rejects.toMatchObject({ code: 'INVALID_PARAMS', field: 'intervalMs' });
    });

    it('fails pending calls with DISCONNECTED when the wire closes', async () => {
      const silent = await startSilentServer();
      const extra = await makeWire(service);
      try {
        const pending = extra.client.call('connections.test', {
          profile: { id: 'slow2', name: 's', bootstrap: silent.address, connectTimeoutMs: 60_000 },
        });
        await silent.connected(); // the call is in flight: the host is waiting on the silent server
        extra.client.close();
        await expect(pending).rejects.toMatchObject({ code: 'DISCONNECTED' });
        await expect(extra.client.call('app.info', {})).rejects.toMatchObject({ code: 'DISCONNECTED' });
      } finally {
        await extra.close();
        await silent.close();
      }
    });
  });
}
