// Live tail over the contract against the real broker: flushes with sequence numbers, the
// replay log filled as it goes, backpressure by acknowledgement, whole records on demand,
// and the faults a tail meets: topic deleted, partitions added.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodePayload } from '../../src/codecs/payload.ts';
import { MAX_UNACKED_FLUSHES, PREVIEW_BYTES } from '../../src/tail/tail-session.ts';
import { addPartitionsWithKafkaTool, createTopicWithKafkaTool, deleteTopicWithKafkaTool } from '../kafka/kafka-tools.ts';
import { produceWithKcat } from '../kafka/kcat.ts';
import { startInProcessHost, type TestHost } from '../support/in-process-host.ts';
import { startTail } from '../support/tail-probe.ts';
import { uniqueName } from '../support/unique.ts';

describe('tail sessions', () => {
  const kafka = inject('kafka');
  let host: TestHost;
  const connectionId = 'tail';

  beforeAll(async () => {
    host = await startInProcessHost();
    await host.client.call('connections.save', { profile: { id: connectionId, name: 'tail', bootstrap: kafka.bootstrap } });
  });
  afterAll(async () => host?.close());

  it('delivers existing and new records in flushes, fills the replay log, and pages back through it', async () => {
    const topic = uniqueName('tail');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 3 });
    for (let p = 0; p < 3; p++) produceWithKcat(kafka.bootstrap, topic, Array.from({ length: 100 }, (_, i) => `old-${p}-${i}`), { partition: p });
    const tail = startTail(host.client, { connectionId, topic, from: { kind: 'earliest' } });
    await tail.until(() => tail.events.some((e) => e.type === 'status' && e.phase === 'caught-up'));
    expect(tail.records).toHaveLength(300);
    produceWithKcat(kafka.bootstrap, topic, ['new-1', 'new-2'], { partition: 1 });
    await tail.until(() => tail.records.length === 302);
    const started = tail.events.find((e) => e.type === 'started');
    expect(started).toMatchObject({ partitions: [0, 1, 2], startOffsets: { 0: '0', 1: '0', 2: '0' }, endOffsets: { 0: '100', 1: '100', 2: '100' } });
    const flushes = tail.events.filter((e) => e.type === 'records').map((e) => (e.type === 'records' ? e.flush : 0));
    expect(flushes).toEqual(flushes.map((_, i) => i + 1));
    for (let p = 0; p < 3; p++) {
      const offsets = tail.records.filter((r) => r.partition === p).map((r) => Number(r.offset));
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
    tail.subscription.close();

    const page = await host.client.call('log.page', { connectionId, topic, before: { 0: '100', 1: '102', 2: '100' }, limit: 50 });
    expect(page.records).toHaveLength(50);
    expect(page.more).toBe(true);
    const all = await host.client.call('log.page', { connectionId, topic, before: { 0: '100', 1: '102', 2: '100' }, limit: 5000 });
    expect(all.records).toHaveLength(302);
    expect(all.more).toBe(false);
  });

  it('holds flushes back while the subscriber does not acknowledge, and loses nothing', async () => {
    const topic = uniqueName('backpressure');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    const lines = Array.from({ length: 60_000 }, (_, i) => `r${i}`);
    produceWithKcat(kafka.bootstrap, topic, lines, { partition: 0 });
    const tail = startTail(host.client, { connectionId, topic, from: { kind: 'earliest' } }, { autoAck: false });
    await tail.until(() => tail.events.filter((e) => e.type === 'records').length >= MAX_UNACKED_FLUSHES);
    await new Promise((r) => setTimeout(r, 1_000));
    const held = tail.events.filter((e) => e.type === 'records');
    expect(held).toHaveLength(MAX_UNACKED_FLUSHES);
    expect(tail.records.length).toBeLessThan(lines.length);
    // Acknowledge as we go from here on.
    let acked = 0;
    while (tail.records.length < lines.length) {
      const flushes = tail.events.filter((e) => e.type === 'records');
      for (const e of flushes.slice(acked)) if (e.type === 'records') await host.client.call('tail.ack', { sessionId: tail.sessionId(), flush: e.flush });
      acked = flushes.length;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(tail.records.map((r) => (r.value?.encoding === 'utf8' ? r.value.text : ''))).toEqual(lines);
    expect(tail.events.every((e) => e.type !== 'records' || e.dropped === 0)).toBe(true);
    tail.subscription.close();
  });

  it('cuts large values in flushes and gives the whole record on demand', async () => {
    const topic = uniqueName('large');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    const big = `{"type":"Big","data":"${'x'.repeat(200_000)}"}`;
    produceWithKcat(kafka.bootstrap, topic, [big], { partition: 0 });
    const tail = startTail(host.client, { connectionId, topic, from: { kind: 'earliest' }, follow: false });
    await tail.subscription.done;
    const preview = tail.records[0]!;
    expect(preview.value).toMatchObject({ encoding: 'utf8', size: big.length, truncated: true });
    expect(preview.value?.encoding === 'utf8' && preview.value.text.length).toBe(PREVIEW_BYTES);
    const whole = await host.client.call('records.get', { connectionId, topic, partition: 0, offset: '0' });
    expect(new TextDecoder().decode(decodePayload(whole.value)!)).toBe(big);
    await expect(host.client.call('records.get', { connectionId, topic, partition: 0, offset: '5' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('picks up partitions added while tailing', async () => {
    const topic = uniqueName('grow');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    const tail = startTail(host.client, { connectionId, topic, from: { kind: 'latest' } });
    await tail.until(() => tail.events.some((e) => e.type === 'started'));
    addPartitionsWithKafkaTool(kafka.bootstrap, topic, 3);
    await new Promise((r) => setTimeout(r, 6_500));
    produceWithKcat(kafka.bootstrap, topic, ['in-p2'], { partition: 2 });
    produceWithKcat(kafka.bootstrap, topic, ['in-p0'], { partition: 0 });
    await tail.until(() => tail.records.length === 2, 30_000);
    expect(tail.records.map((r) => r.partition).sort()).toEqual([0, 2]);
    expect(tail.events.some((e) => e.type === 'status' && /Partition 2 was added/.test(e.message))).toBe(true);
    tail.subscription.close();
  });

  it('ends with a clear error when the topic is deleted while tailing', async () => {
    const topic = uniqueName('doomed');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    const tail = startTail(host.client, { connectionId, topic, from: { kind: 'latest' } });
    await tail.until(() => tail.events.some((e) => e.type === 'started'));
    deleteTopicWithKafkaTool(kafka.bootstrap, topic);
    await expect(tail.subscription.done).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC', message: expect.stringContaining(topic) });
  });
});
