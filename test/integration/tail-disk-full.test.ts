// Disk full while writing the replay log: the tail goes on in memory, says the log stopped,
// and loses no record on the way to the subscriber.
import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type EventscopeService } from '../../src/node/host/eventscope-service.ts';
import { ReplayLog } from '../../src/node/log/replay-log.ts';
import { RpcClient } from '../../src/common/rpc/client.ts';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { startTail } from '../support/tail-probe.ts';
import { uniqueName } from '../support/unique.ts';
import { fileTempDir } from '../support/temp-dir.ts';
import { rpcClientOf, testServiceOn } from '../support/in-process-host.ts';

describe('tail with a full disk', () => {
  const kafka = inject('kafka');
  let service: EventscopeService;
  let client: RpcClient;
  let log: ReplayLog;
  const dataDir = fileTempDir('es-full-');

  beforeAll(async () => {
    // SQLite's max_page_count stands in for a full disk: the same "database or disk is full".
    log = new ReplayLog(join(dataDir, 'replay-log.sqlite'), { maxPageCount: 24, checkpointInBackground: true });
    service = testServiceOn(dataDir, { log });
    client = rpcClientOf(service).client;
    await client.call('connections.save', { profile: { id: 'full', name: 'full', bootstrap: kafka.bootstrap } });
  });
  afterAll(async () => {
    client.close();
    await service.close();
    log.close();
  });

  it('keeps tailing in memory and says the log stopped', async () => {
    const topic = uniqueName('full');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    // Random text does not compress: about 4 MB, more than the log may hold.
    const lines = Array.from({ length: 3_000 }, () => randomBytes(1_000).toString('base64'));
    produceWithKcat(kafka.bootstrap, topic, lines, { partition: 0 });
    const tail = startTail(client, { connectionId: 'full', topic, from: { kind: 'earliest' } });
    await tail.until(() => tail.records.length === lines.length, 60_000);
    const stopped = tail.events.find((e) => e.type === 'status' && e.logStopped !== null);
    expect(stopped?.type === 'status' && stopped.logStopped).toMatch(/replay log stopped: .*disk is full.*in memory/);
    expect(tail.records.map((r) => Number(r.offset))).toEqual(lines.map((_, i) => i));
    tail.subscription.close();
    // The log kept what fit before it filled up (perhaps nothing), never all of it.
    const held = log.ranges({ cluster: 'full', topic, partition: 0 });
    expect(held.length === 0 ? 0n : held[held.length - 1]!.to).toBeLessThan(BigInt(lines.length));
  });
});
