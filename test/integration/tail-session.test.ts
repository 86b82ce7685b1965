// Live tail over the contract against the real broker: flushes with sequence numbers, the
// replay log filled as it goes, backpressure by acknowledgement, whole records on demand,
// stopping and resuming at the host's nextOffsets with nothing repeated or missed, and the
// faults a tail meets: topic deleted, partitions added.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodePayload } from '../../src/common/codecs/payload.ts';
import { MAX_UNACKED_FLUSHES, PREVIEW_BYTES } from '../../src/node/tail/tail-session.ts';
import {
  addPartitionsWithKafkaTool,
  createTopicWithKafkaTool,
  deleteTopicWithKafkaTool,
} from '../harness/kafka-tools.ts';
import { produceNumberedWithKcat, produceWithKcat } from '../harness/kcat.ts';
import { startInProcessHost, type TestHost } from '../support/in-process-host.ts';
import { startTail } from '../support/tail-probe.ts';
import { uniqueName } from '../support/unique.ts';

describe('tail sessions', () => {
  const kafka = inject('kafka');
  let host: TestHost;
  const connectionId = 'tail';
  /** `count` lines "<prefix>-0", "<prefix>-1", … to one partition, by kcat. */
  const produceNumbered = (topic: string, prefix: string, count: number, partition: number): void =>
    produceNumberedWithKcat(kafka.bootstrap, topic, `${prefix}-`, count, { partition });

  beforeAll(async () => {
    host = await startInProcessHost();
    await host.client.call('connections.save', {
      profile: { id: connectionId, name: 'tail', bootstrap: kafka.bootstrap },
    });
  });
  afterAll(async () => host?.close());

  it('delivers existing and new records in flushes, fills the replay log, and pages back through it', async () => {
    const topic = uniqueName('tail');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 3 });
    for (let p = 0; p < 3; p++) produceNumbered(topic, `old-${p}`, 100, p);
    const tail = startTail(host.client, { connectionId, topic, from: { kind: 'earliest' } });
    await tail.until(() => tail.events.some((e) => e.type === 'status' && e.phase === 'caught-up'));
    expect(tail.records).toHaveLength(300);
    produceWithKcat(kafka.bootstrap, topic, ['new-1', 'new-2'], { partition: 1 });
    await tail.until(() => tail.records.length === 302);
    const started = tail.events.find((e) => e.type === 'started');
    expect(started).toMatchObject({
      partitions: [0, 1, 2],
      startOffsets: { 0: '0', 1: '0', 2: '0' },
      endOffsets: { 0: '100', 1: '100', 2: '100' },
    });
    const flushes = tail.events.filter((e) => e.type === 'records').map((e) => (e.type === 'records' ? e.flush : 0));
    expect(flushes).toEqual(flushes.map((_, i) => i + 1));
    for (let p = 0; p < 3; p++) {
      const offsets = tail.records.filter((r) => r.partition === p).map((r) => Number(r.offset));
      expect(offsets).toEqual(offsets.map((_, i) => i));
    }
    tail.subscription.close();

    // Back from the end of every partition (partition 1 got the two new records).
    const pageBack = (limit: number) =>
      host.client.call('log.page', { connectionId, topic, before: { 0: '100', 1: '102', 2: '100' }, limit });
    const page = await pageBack(50);
    expect(page.records).toHaveLength(50);
    expect(page.more).toBe(true);
    const all = await pageBack(5000);
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
    // About time passing: a session that stops sending says nothing, so the test gives it a
    // second (many flush gaps) in which a flush past the limit would have come.
    await new Promise((r) => setTimeout(r, 1_000));
    const held = tail.events.filter((e) => e.type === 'records');
    expect(held).toHaveLength(MAX_UNACKED_FLUSHES);
    expect(tail.records.length).toBeLessThan(lines.length);
    // Acknowledge as we go from here on.
    await tail.acknowledgeWhile(() => tail.records.length < lines.length);
    expect(tail.records.map((r) => (r.value?.encoding === 'utf8' ? r.value.text : ''))).toEqual(lines);
    tail.subscription.close();
  });

  it("resumes at the last flush's nextOffsets: every partition named, nothing repeated or missed, a quiet partition's history not replayed", async () => {
    const topic = uniqueName('resume');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 3 });
    // History before the tail starts; partition 2 then stays quiet while the tail runs.
    produceNumbered(topic, 'old-0', 10, 0);
    produceNumbered(topic, 'old-1', 10, 1);
    produceNumbered(topic, 'old-2', 25, 2);
    const first = startTail(host.client, { connectionId, topic, from: { kind: 'latest' } });
    await first.until(() => first.events.some((e) => e.type === 'started'));
    expect(first.events.find((e) => e.type === 'started')).toMatchObject({
      startOffsets: { 0: '10', 1: '10', 2: '25' },
    });
    produceNumbered(topic, 'a-0', 5, 0);
    produceNumbered(topic, 'a-1', 7, 1);
    await first.until(() => first.records.length === 12);
    first.subscription.close();
    const flushes = first.events.flatMap((e) => (e.type === 'records' ? [e] : []));
    // Every flush names every partition, the quiet one too (at its end: nothing of it to read).
    for (const f of flushes) expect(Object.keys(f.nextOffsets).sort()).toEqual(['0', '1', '2']);
    const resumeAt = flushes[flushes.length - 1]!.nextOffsets;
    expect(resumeAt).toEqual({ 0: '15', 1: '17', 2: '25' });

    // Meanwhile (paused): more for the busy partitions, and the quiet one wakes up.
    produceNumbered(topic, 'b-0', 4, 0);
    produceNumbered(topic, 'b-1', 3, 1);
    produceNumbered(topic, 'b-2', 2, 2);
    const second = startTail(host.client, { connectionId, topic, from: { kind: 'offsets', offsets: resumeAt } });
    await second.until(() => second.records.length >= 9);
    // About time passing: nothing marks "no more replayed records", so give them half a second to show.
    await new Promise((r) => setTimeout(r, 500));
    second.subscription.close();

    const all = [...first.records, ...second.records];
    const text = (r: (typeof all)[number]): string => (r.value?.encoding === 'utf8' ? r.value.text : '?');
    expect(all.map(text).sort()).toEqual([
      ...Array.from({ length: 5 }, (_, i) => `a-0-${i}`),
      ...Array.from({ length: 7 }, (_, i) => `a-1-${i}`),
      ...Array.from({ length: 4 }, (_, i) => `b-0-${i}`),
      ...Array.from({ length: 3 }, (_, i) => `b-1-${i}`),
      ...Array.from({ length: 2 }, (_, i) => `b-2-${i}`),
    ]);
    const keys = all.map((r) => `${r.partition}:${r.offset}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(second.records.filter((r) => r.partition === 2).map((r) => r.offset)).toEqual(['25', '26']);
  });

  it('resumes at the first record held back when stopped while the subscriber lags', async () => {
    const topic = uniqueName('resume-held');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 3 });
    const perPartition = 20_000;
    for (let p = 0; p < 3; p++)
      produceWithKcat(
        kafka.bootstrap,
        topic,
        Array.from({ length: perPartition }, (_, i) => `r-${p}-${i}`),
        { partition: p },
      );
    // No acknowledgements: after MAX_UNACKED_FLUSHES flushes the host holds the rest back.
    const first = startTail(host.client, { connectionId, topic, from: { kind: 'earliest' } }, { autoAck: false });
    // Caught up: everything is fetched, and what did not fit in those flushes is held back.
    await first.until(() => first.events.some((e) => e.type === 'status' && e.phase === 'caught-up'));
    first.subscription.close();
    expect(first.records.length).toBeLessThan(3 * perPartition);
    // Offsets here are contiguous from 0: the first record not sent is at "how many were sent".
    // So after each flush, and in the status event (sent while records were held back), every
    // partition's nextOffset is the count of its records sent so far, not how far it is fetched.
    const sent = new Map<number, number>();
    let decoded = 0;
    let resumeAt: Record<string, string> = {};
    for (const e of first.events) {
      if (e.type === 'records') {
        for (const r of first.records.slice(decoded, decoded + e.count))
          sent.set(r.partition, (sent.get(r.partition) ?? 0) + 1);
        decoded += e.count;
      }
      if (e.type === 'records' || (e.type === 'status' && e.phase === 'caught-up')) {
        expect(e.nextOffsets).toEqual({
          0: String(sent.get(0) ?? 0),
          1: String(sent.get(1) ?? 0),
          2: String(sent.get(2) ?? 0),
        });
        resumeAt = e.nextOffsets;
      }
    }

    const second = startTail(host.client, {
      connectionId,
      topic,
      from: { kind: 'offsets', offsets: resumeAt },
      follow: false,
    });
    await second.subscription.done;
    for (let p = 0; p < 3; p++) {
      const values = [...first.records, ...second.records]
        .filter((r) => r.partition === p)
        .map((r) => (r.value?.encoding === 'utf8' ? r.value.text : '?'));
      expect(values).toEqual(Array.from({ length: perPartition }, (_, i) => `r-${p}-${i}`));
    }
  });

  it('reads a partition missing from the offsets to resume at from its start, and says so', async () => {
    const topic = uniqueName('resume-new');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
    produceWithKcat(kafka.bootstrap, topic, ['p0-0', 'p0-1', 'p0-2'], { partition: 0 });
    produceWithKcat(kafka.bootstrap, topic, ['p1-0', 'p1-1'], { partition: 1 });
    const tail = startTail(host.client, {
      connectionId,
      topic,
      from: { kind: 'offsets', offsets: { 0: '2' } },
      follow: false,
    });
    await tail.subscription.done;
    expect(tail.records.map((r) => `${r.partition}:${r.offset}`).sort()).toEqual(['0:2', '1:0', '1:1']);
    expect(tail.events.find((e) => e.type === 'started')).toMatchObject({ startOffsets: { 0: '2', 1: '0' } });
    expect(
      tail.events.some(
        (e) =>
          e.type === 'notice' &&
          /Partition 1 is new to this tail \(no offset to resume it at\); reading it from the start/.test(e.message),
      ),
    ).toBe(true);
  });

  it('reading to the end, sends everything held back before the stream ends', async () => {
    const topic = uniqueName('drain');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    const lines = Array.from({ length: 60_000 }, (_, i) => `r${i}`);
    produceWithKcat(kafka.bootstrap, topic, lines, { partition: 0 });
    const tail = startTail(
      host.client,
      { connectionId, topic, from: { kind: 'earliest' }, follow: false },
      { autoAck: false },
    );
    // The read reaches the end while the subscriber has acknowledged nothing: the rest is held.
    await tail.until(() => tail.events.some((e) => e.type === 'status' && e.phase === 'caught-up'));
    expect(tail.records.length).toBeLessThan(lines.length);
    let ended = false;
    void tail.subscription.done.then(() => (ended = true));
    await tail.acknowledgeWhile(() => !ended);
    expect(tail.records.map((r) => (r.value?.encoding === 'utf8' ? r.value.text : ''))).toEqual(lines);
    expect(tail.events[tail.events.length - 1]).toMatchObject({
      type: 'status',
      phase: 'done',
      nextOffsets: { 0: '60000' },
    });
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
    await expect(
      host.client.call('records.get', { connectionId, topic, partition: 0, offset: '5' }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('picks up partitions added while tailing', async () => {
    // A host of its own whose reads look the topic up every 200 ms instead of every 5 s; the
    // test waits for the tail to say it found the new partitions, not for the interval to pass.
    const growing = await startInProcessHost({ metadataRefreshMs: 200 });
    try {
      await growing.client.call('connections.save', {
        profile: { id: connectionId, name: 'tail', bootstrap: kafka.bootstrap },
      });
      const topic = uniqueName('grow');
      createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
      const tail = startTail(growing.client, { connectionId, topic, from: { kind: 'latest' } });
      await tail.until(() => tail.events.some((e) => e.type === 'started'));
      addPartitionsWithKafkaTool(kafka.bootstrap, topic, 3);
      await tail.until(
        () => tail.events.some((e) => e.type === 'status' && /Partition 2 was added/.test(e.message)),
        30_000,
      );
      expect(tail.events.some((e) => e.type === 'status' && /Partition 1 was added/.test(e.message))).toBe(true);
      produceWithKcat(kafka.bootstrap, topic, ['in-p2'], { partition: 2 });
      produceWithKcat(kafka.bootstrap, topic, ['in-p0'], { partition: 0 });
      await tail.until(() => tail.records.length === 2, 30_000);
      expect(tail.records.map((r) => r.partition).sort()).toEqual([0, 2]);
      tail.subscription.close();
    } finally {
      await growing.close();
    }
  });

  it('ends with a clear error when the topic is deleted while tailing', async () => {
    const topic = uniqueName('doomed');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    const tail = startTail(host.client, { connectionId, topic, from: { kind: 'latest' } });
    await tail.until(() => tail.events.some((e) => e.type === 'started'));
    deleteTopicWithKafkaTool(kafka.bootstrap, topic);
    await expect(tail.subscription.done).rejects.toMatchObject({
      code: 'UNKNOWN_TOPIC',
      message: expect.stringContaining(topic),
    });
  });
});
