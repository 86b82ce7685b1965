// The replay log's settings over the contract, against the real broker: the cap is saved
// and applied at once, the environment's cap wins and says so, bad values are refused at the
// field, and what the log holds per connection can be seen and forgotten.
import { describe, expect, inject, it } from 'vitest';
import { SAMPLE_CAPTURE_ID } from '../../src/node/host/eventscope-service.ts';
import { SAMPLE_CAPTURE_PATH } from '../../scripts/make-sample-capture.ts';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { startTail } from '../support/tail-probe.ts';
import { uniqueName } from '../support/unique.ts';
import { fileTempDir, testTempDir } from '../support/temp-dir.ts';
import { rpcClientOf, testServiceOn } from '../support/in-process-host.ts';

/** A host on dataDir (a second one on the same dir sees what the first saved). */
function hostOn(dataDir: string, logCapBytesPerCluster?: number) {
  const service = testServiceOn(dataDir, { sampleCapturePath: SAMPLE_CAPTURE_PATH, logCapBytesPerCluster });
  const { client, close: closeClient } = rpcClientOf(service);
  return {
    client,
    close: async () => {
      closeClient();
      await service.close();
    },
  };
}

describe('replay log settings and usage', () => {
  const kafka = inject('kafka');
  const dataDir = fileTempDir('es-log-settings-');

  it('saves the cap, applies it, and a restarted host keeps it; out-of-range caps are refused at the field', async () => {
    const first = hostOn(dataDir);
    expect(await first.client.call('settings.get', {})).toEqual({
      logCapMb: 2048,
      logCapFromEnvironment: false,
      lagSampleIntervalSec: 10,
      timeZone: 'local',
      problem: null,
    });
    expect(await first.client.call('settings.update', { logCapMb: 256 })).toMatchObject({ logCapMb: 256 });
    expect((await first.client.call('log.usage', {})).capBytes).toBe(256 * 1024 * 1024);
    for (const bad of [0, 63, 2 ** 21, 100.5]) {
      await expect(first.client.call('settings.update', { logCapMb: bad }), String(bad)).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        field: 'logCapMb',
      });
    }
    await first.close();
    const second = hostOn(dataDir);
    expect(await second.client.call('settings.get', {})).toMatchObject({ logCapMb: 256 });
    await second.close();
  });

  it('lets EVENTSCOPE_LOG_CAP_MB win for the run, and says so instead of saving', async () => {
    const host = hostOn(dataDir, 100 * 1024 * 1024);
    expect(await host.client.call('settings.get', {})).toEqual({
      logCapMb: 100,
      logCapFromEnvironment: true,
      lagSampleIntervalSec: 10,
      timeZone: 'local',
      problem: null,
    });
    await expect(host.client.call('settings.update', { logCapMb: 512 })).rejects.toMatchObject({
      code: 'BAD_CONFIG',
      field: 'logCapMb',
      message: expect.stringMatching(/EVENTSCOPE_LOG_CAP_MB/),
    });
    await host.close();
    const after = hostOn(dataDir);
    expect(await after.client.call('settings.get', {})).toMatchObject({ logCapMb: 256 });
    await after.close();
  });

  it('shows what it holds per connection, and forgets one connection on request; capture files are not cleared', async () => {
    const host = hostOn(testTempDir('es-log-usage-'));
    try {
      await host.client.call('connections.save', { profile: { id: 'kept', name: 'kept', bootstrap: kafka.bootstrap } });
      await host.client.call('connections.save', {
        profile: { id: 'cleared', name: 'cleared', bootstrap: kafka.bootstrap },
      });
      const topic = uniqueName('usage');
      createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
      produceWithKcat(
        kafka.bootstrap,
        topic,
        Array.from({ length: 120 }, (_, i) => `r${i}`),
      );
      for (const connectionId of ['kept', 'cleared']) {
        const tail = startTail(host.client, { connectionId, topic, from: { kind: 'earliest' }, follow: false });
        await tail.subscription.done;
        expect(tail.records).toHaveLength(120);
      }
      const usage = await host.client.call('log.usage', {});
      expect(usage.clusters.map((c) => [c.connectionId, c.records, c.topics])).toEqual([
        ['cleared', 120, 1],
        ['kept', 120, 1],
      ]);
      expect(usage.clusters.every((c) => c.bytes > 0)).toBe(true);

      const { freedBytes } = await host.client.call('log.clear', { connectionId: 'cleared' });
      expect(freedBytes).toBe(usage.clusters[0]!.bytes);
      expect((await host.client.call('log.usage', {})).clusters.map((c) => c.connectionId)).toEqual(['kept']);
      const page = await host.client.call('log.page', {
        connectionId: 'cleared',
        topic,
        before: { 0: '1000', 1: '1000' },
        limit: 100,
      });
      expect(page.records).toEqual([]);
      const kept = await host.client.call('log.page', {
        connectionId: 'kept',
        topic,
        before: { 0: '1000', 1: '1000' },
        limit: 500,
      });
      expect(kept.records).toHaveLength(120);

      await expect(host.client.call('log.clear', { connectionId: SAMPLE_CAPTURE_ID })).rejects.toMatchObject({
        code: 'BAD_CONFIG',
        message: expect.stringMatching(/capture file is read-only/),
      });
      expect((await host.client.call('captures.list', {}))[0]!.records).toBeGreaterThan(3000);
    } finally {
      await host.close();
    }
  });
});
