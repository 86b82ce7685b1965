// A user's regex cannot freeze the host (issue 11): log.search over the sample capture with a
// pattern that JavaScript's backtracking engine takes exponential time on (each value is a few
// hundred characters: years) finishes at once with RE2, and the host answers other calls
// meanwhile.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SAMPLE_CAPTURE_ID } from '../../src/node/host/eventscope-service.ts';
import { RpcClient } from '../../src/common/rpc/client.ts';
import { serveRpc } from '../../src/common/rpc/server.ts';
import { messagePortWire } from '../../src/common/rpc/wires/message-port-wire.ts';
import { SAMPLE_CAPTURE_PATH } from '../../scripts/make-sample-capture.ts';
import { startTestService } from '../support/in-process-host.ts';

describe('log search with a catastrophic regex', () => {
  let client: RpcClient;
  let close: () => Promise<void>;
  beforeAll(async () => {
    const { service, close: closeService } = await startTestService({ sampleCapturePath: SAMPLE_CAPTURE_PATH });
    const { port1, port2 } = new MessageChannel();
    serveRpc(messagePortWire(port1), service.methods, service.streams, { warn: () => undefined });
    client = new RpcClient(messagePortWire(port2));
    close = async () => {
      client.close();
      await closeService();
    };
  });
  afterAll(async () => close?.());

  it('finishes, finds what a plain search finds, and the host answers meanwhile', async () => {
    // Nested quantifiers over any character, anchored to an end no value has: exponential backtracking in RegExp.
    const catastrophic = { kind: 'regex' as const, pattern: '^([\\s\\S]+)+NOT-THERE$', flags: '' };
    let progress = { scanned: 0, total: 0 };
    let matched = 0;
    const search = client.subscribe(
      'log.search',
      { connectionId: SAMPLE_CAPTURE_ID, topic: 'payments', filter: catastrophic },
      {
        onEvent: (e) => {
          if (e.type === 'progress') progress = e;
          else matched += e.records.length;
        },
      },
    );
    const answered = await client.call('captures.list', {});
    expect(answered.length).toBeGreaterThan(0);
    await search.done;
    expect(matched).toBe(0);
    expect(progress.total).toBeGreaterThan(1000);
    expect(progress.scanned).toBe(progress.total);

    const found: string[] = [];
    const failed = client.subscribe(
      'log.search',
      {
        connectionId: SAMPLE_CAPTURE_ID,
        topic: 'payments',
        filter: { kind: 'regex', pattern: '"type":"Payment(Failed)+"', flags: '' },
      },
      {
        onEvent: (e) => void (e.type === 'matches' && found.push(...e.records.map((r) => r.offset))),
      },
    );
    await failed.done;
    expect(found.length).toBeGreaterThan(10);
  });
});
