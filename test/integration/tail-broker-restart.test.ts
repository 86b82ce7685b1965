// A broker stopped and started again during a tail: the tail says so, resumes from the last
// offset it saw, and neither the subscriber nor the replay log gets a record twice or
// misses one. This file runs its own harness broker, because it stops it.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startBroker, type RunningBroker } from '../harness/broker.ts';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { startInProcessHost, type TestHost } from '../support/in-process-host.ts';
import { startTail } from '../support/tail-probe.ts';

describe('tail across a broker restart', () => {
  let broker: RunningBroker;
  let host: TestHost;

  beforeAll(async () => {
    broker = await startBroker();
    host = await startInProcessHost();
    await host.client.call('connections.save', {
      profile: { id: 'restart', name: 'restart', bootstrap: broker.bootstrap, connectTimeoutMs: 2_000 },
    });
  }, 180_000);
  afterAll(async () => {
    await host?.close();
    await broker?.stop();
  });

  it('reports the outage and resumes without duplicates or gaps', async () => {
    const topic = 'restart-me';
    createTopicWithKafkaTool(broker.bootstrap, topic, { partitions: 2 });
    produceWithKcat(
      broker.bootstrap,
      topic,
      Array.from({ length: 500 }, (_, i) => `before-${i}`),
      { partition: 0 },
    );
    const tail = startTail(host.client, { connectionId: 'restart', topic, from: { kind: 'earliest' } });
    await tail.until(() => tail.records.length === 500);

    await broker.pause();
    await tail.until(() => tail.events.some((e) => e.type === 'status' && e.phase === 'outage'), 60_000);
    const outage = tail.events.find((e) => e.type === 'status' && e.phase === 'outage');
    expect(outage?.type === 'status' && outage.message).toMatch(/Cannot read restart-me right now/);
    await broker.resume();

    produceWithKcat(
      broker.bootstrap,
      topic,
      Array.from({ length: 300 }, (_, i) => `after-${i}`),
      { partition: 0 },
    );
    produceWithKcat(
      broker.bootstrap,
      topic,
      Array.from({ length: 200 }, (_, i) => `other-${i}`),
      { partition: 1 },
    );
    await tail.until(() => tail.records.length >= 1000, 90_000);
    // About time passing: a record delivered twice after the restart would show within a second.
    await new Promise((r) => setTimeout(r, 1_000));
    expect(tail.events.some((e) => e.type === 'status' && e.phase === 'live' && /again/.test(e.message))).toBe(true);

    const p0 = tail.records.filter((r) => r.partition === 0).map((r) => Number(r.offset));
    const p1 = tail.records.filter((r) => r.partition === 1).map((r) => Number(r.offset));
    expect(p0).toEqual(Array.from({ length: 800 }, (_, i) => i));
    expect(p1).toEqual(Array.from({ length: 200 }, (_, i) => i));
    tail.subscription.close();

    const stored = await host.client.call('log.page', {
      connectionId: 'restart',
      topic,
      before: { 0: '800', 1: '200' },
      limit: 5000,
    });
    expect(stored.records).toHaveLength(1000);
    const keys = stored.records.map((r) => `${r.partition}:${r.offset}`);
    expect(new Set(keys).size).toBe(1000);
  }, 240_000);

  it('keeps sampling a watched group across the restart: a clear state while the coordinator is away, samples again after', async () => {
    const topic = 'restart-lag';
    createTopicWithKafkaTool(broker.bootstrap, topic, { partitions: 1 });
    produceWithKcat(broker.bootstrap, topic, ['a', 'b', 'c'], { partition: 0 });
    await host.client.call('connections.save', {
      profile: {
        id: 'restart-rw',
        name: 'restart-rw',
        bootstrap: broker.bootstrap,
        connectTimeoutMs: 2_000,
        writable: true,
      },
    });
    await host.client.call('settings.update', { lagSampleIntervalSec: 1 });
    await host.client.call('groups.resetOffsets', {
      connectionId: 'restart-rw',
      groupId: 'restart-group',
      topics: [{ topic }],
      to: { kind: 'offset', offset: '1' },
      execute: true,
    });
    await host.client.call('groups.watch', { connectionId: 'restart', groupId: 'restart-group', watch: true });
    const history = () =>
      host.client.call('groups.history', { connectionId: 'restart', groupId: 'restart-group', sinceMs: 3_600_000 });
    expect((await history()).sampling).toMatchObject({ ok: true });
    await broker.pause();
    const deadline = Date.now() + 60_000;
    let during = await history();
    while (during.sampling?.ok !== false && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 500));
      during = await history();
    }
    expect(during.sampling).toMatchObject({
      ok: false,
      message: expect.stringMatching(
        /^Could not read (group "restart-group"|the watched groups): .*(again|Trying again)/,
      ),
    });
    const pointsDuring = during.points.length;
    await broker.resume();
    let after = await history();
    while ((after.sampling?.ok !== true || after.points.length <= pointsDuring) && Date.now() < deadline + 60_000) {
      await new Promise((r) => setTimeout(r, 500));
      after = await history();
    }
    expect(after.sampling).toMatchObject({ ok: true });
    expect(after.points.length).toBeGreaterThan(pointsDuring);
    expect(after.points[after.points.length - 1]!.totalLag).toBe(2);
  }, 180_000);
});
