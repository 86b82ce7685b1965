// Consumer lag over the contract against a real broker: scripted consumers (offsets committed
// by the test as a consumer would) reach the status Burrow's rules give them while watched;
// time lag equals the age of the records the test produced; offset reset is a dry run unless
// executed, runs only on writable connections and empty groups; a group deleted while watched
// becomes a state, never an error that stops the sampler. And the sample capture's groups.
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { ConnectionProfile } from '../../src/common/contract/dto.ts';
import { openClusterClient, type ClusterClient } from '../../src/node/kafka/index.ts';
import { SAMPLE_CAPTURE_PATH } from '../../scripts/make-sample-capture.ts';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { produceNumberedWithKcat, produceWithKcat } from '../harness/kcat.ts';
import { startInProcessHost, type TestHost } from '../support/in-process-host.ts';
import { uniqueName } from '../support/unique.ts';

describe('consumer lag through the contract', () => {
  const kafka = inject('kafka');
  let host: TestHost;
  let committer: ClusterClient;
  const readOnly = 'lag-ro';
  const writable = 'lag-rw';

  beforeAll(async () => {
    host = await startInProcessHost({ sampleCapturePath: SAMPLE_CAPTURE_PATH });
    await host.client.call('connections.save', {
      profile: { id: readOnly, name: 'read-only', bootstrap: kafka.bootstrap },
    });
    await host.client.call('connections.save', {
      profile: { id: writable, name: 'writable', bootstrap: kafka.bootstrap, writable: true },
    });
    await host.client.call('settings.update', { lagSampleIntervalSec: 1 });
    committer = await openClusterClient(
      ConnectionProfile.parse({ id: 'committer', name: 'committer', bootstrap: kafka.bootstrap }),
      {},
    );
  });
  afterAll(async () => {
    await committer?.close();
    await host?.close();
  });

  it('reaches OK, WARN, STALL, STOP and REWIND for consumers scripted to behave so, with a reason naming the partition', async () => {
    const topic = uniqueName('lag-status');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    produceNumberedWithKcat(kafka.bootstrap, topic, 'r', 100, { partition: 0 });
    const g = {
      ok: uniqueName('ok'),
      warn: uniqueName('warn'),
      stall: uniqueName('stall'),
      rewind: uniqueName('rewind'),
    };
    let end = 100;
    const offsets: Record<string, number> = { [g.ok]: 100, [g.warn]: 50, [g.stall]: 40, [g.rewind]: 60 };
    const commitAll = () =>
      Promise.all(
        Object.entries(offsets).map(([group, offset]) =>
          committer.commitOffsets(group, [{ topic, partition: 0, offset: BigInt(offset) }]),
        ),
      );
    await commitAll();
    for (const group of Object.values(g))
      expect(await host.client.call('groups.watch', { connectionId: readOnly, groupId: group, watch: true })).toEqual({
        watched: true,
      });
    // 12 rounds, each between two samples (the sampler reads every second): records arrive and
    // each consumer commits as scripted. Acting between samples keeps a sample from falling
    // between a round's records and its commits, which no consumer's lag could be judged by.
    const points = async () =>
      Promise.all(
        Object.values(g).map(
          async (groupId) =>
            (await host.client.call('groups.history', { connectionId: readOnly, groupId, sinceMs: 3_600_000 })).points
              .length,
        ),
      );
    const afterNextSample = async () => {
      const before = await points();
      const deadline = Date.now() + 10_000;
      while ((await points()).some((n, i) => n <= before[i]!)) {
        if (Date.now() > deadline) throw new Error('no new sample within 10 s');
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    for (let round = 0; round < 12; round++) {
      await afterNextSample();
      produceWithKcat(kafka.bootstrap, topic, ['a', 'b', 'c'], { partition: 0 });
      end += 3;
      offsets[g.ok] = end;
      offsets[g.warn]! += 1; // commits, but slower than records arrive
      if (round === 9)
        offsets[g.rewind] = 5; // reset backwards
      else if (round < 9) offsets[g.rewind]! += 3;
      await commitAll();
    }
    await afterNextSample();
    const status = async () =>
      new Map((await host.client.call('groups.list', { connectionId: readOnly, topic })).map((s) => [s.groupId, s]));
    let listed = await status();
    expect(listed.get(g.ok)).toMatchObject({ watched: true, totalLag: '0', status: { level: 'OK' } });
    expect(listed.get(g.warn)?.status).toMatchObject({
      level: 'WARN',
      reason: expect.stringMatching(
        new RegExp(`^partition 0 of ${topic}: falling behind: lag grew from \\d+ to \\d+ in \\d+ s while committing`),
      ),
    });
    expect(listed.get(g.stall)?.status).toMatchObject({
      level: 'ERR',
      reason: expect.stringMatching(new RegExp(`^partition 0 of ${topic}: offset 40 (unchanged|has not moved) for `)),
    });
    expect(listed.get(g.rewind)?.status).toMatchObject({
      level: 'ERR',
      reason: expect.stringMatching(
        new RegExp(`^partition 0 of ${topic}: offset went back from \\d+ to 5 and is \\d+ behind`),
      ),
    });
    const stall = await host.client.call('groups.describe', { connectionId: readOnly, groupId: g.stall });
    expect(stall.partitions).toEqual([
      expect.objectContaining({
        topic,
        partition: 0,
        committedOffset: '40',
        logEndOffset: String(end),
        lag: String(end - 40),
        status: expect.objectContaining({ level: expect.stringMatching(/^(STALL|STOP)$/) }),
      }),
    ]);
    // Falling behind: no catch-up in sight.
    const history = await host.client.call('groups.history', {
      connectionId: readOnly,
      groupId: g.warn,
      sinceMs: 3_600_000,
    });
    expect(history.points.length).toBeGreaterThanOrEqual(10);
    expect(history.partitions).toEqual([expect.objectContaining({ topic, partition: 0 })]);
    expect(history.catchUp.seconds).toBeNull();
    expect(history.catchUp.reason).toMatch(/growing/);
    // Stuck for longer than the window: STOP. About time passing (the window is wall-clock
    // seconds), so it waits for the status to change rather than a fixed 11 s.
    await vi.waitFor(
      async () => {
        listed = await status();
        expect(listed.get(g.stall)?.status).toMatchObject({
          level: 'ERR',
          reason: expect.stringMatching(/has not moved for \d+ s, longer than the \d+ s window, while \d+ behind/),
        });
      },
      { timeout: 30_000, interval: 250 },
    );
    expect(
      (await host.client.call('groups.describe', { connectionId: readOnly, groupId: g.stall })).partitions[0]!.status
        ?.level,
    ).toBe('STOP');
  }, 90_000);

  it('gives time lag as the age of the record at the committed offset, and null lag (not 0) where nothing is committed', async () => {
    const topic = uniqueName('time-lag');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
    const producer = new kafkajs.Kafka({ brokers: [kafka.bootstrap], logLevel: kafkajs.logLevel.NOTHING }).producer();
    await producer.connect();
    const now = Date.now();
    const stamps = [now - 3_600_000, now - 1_800_000, now - 60_000];
    await producer.send({
      topic,
      messages: stamps.map((t, i) => ({ partition: 0, value: `v${i}`, timestamp: String(t) })),
    });
    await producer.send({ topic, messages: [{ partition: 1, value: 'x', timestamp: String(now) }] });
    await producer.disconnect();
    const group = uniqueName('time-lag-group');
    await committer.commitOffsets(group, [{ topic, partition: 0, offset: 1n }]);
    const detail = await host.client.call('groups.describe', { connectionId: readOnly, groupId: group });
    expect(detail.partitions.map((p) => [p.partition, p.committedOffset, p.logEndOffset, p.lag])).toEqual([
      [0, '1', '3', '2'],
    ]);
    const age = detail.partitions[0]!.timeLagMs!;
    expect(age).toBeGreaterThanOrEqual(1_800_000);
    expect(age).toBeLessThan(1_800_000 + 60_000);
    expect(detail.maxTimeLagMs).toBe(age);
    expect(detail.totalLag).toBe('2');
    const fresh = uniqueName('no-commit');
    await expect(host.client.call('groups.describe', { connectionId: readOnly, groupId: fresh })).rejects.toMatchObject(
      { code: 'NOT_FOUND' },
    );
  });

  it('resets offsets: a dry run changes nothing, execute moves them as previewed, refused on a read-only connection', async () => {
    const topic = uniqueName('reset');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 3 });
    for (let p = 0; p < 3; p++) produceNumberedWithKcat(kafka.bootstrap, topic, `p${p}-`, 10, { partition: p });
    const group = uniqueName('reset-group');
    await committer.commitOffsets(
      group,
      [0, 1, 2].map((partition) => ({ topic, partition, offset: 8n })),
    );
    const dry = await host.client.call('groups.resetOffsets', {
      connectionId: readOnly,
      groupId: group,
      to: { kind: 'shift', by: '-5' },
      execute: false,
    });
    expect(dry).toEqual({
      groupId: group,
      executed: false,
      partitions: [0, 1, 2].map((partition) => ({ topic, partition, before: '8', after: '3' })),
    });
    const committed = async () =>
      (await committer.committedOffsets([group]))
        .get(group)!
        .map((c) => Number(c.offset))
        .sort();
    expect(await committed()).toEqual([8, 8, 8]);
    await expect(
      host.client.call('groups.resetOffsets', {
        connectionId: readOnly,
        groupId: group,
        to: { kind: 'earliest' },
        execute: true,
      }),
    ).rejects.toMatchObject({ code: 'WRITE_NOT_ALLOWED', message: expect.stringContaining('read-only') });
    const done = await host.client.call('groups.resetOffsets', {
      connectionId: writable,
      groupId: group,
      topics: [{ topic, partitions: [0, 2] }],
      to: { kind: 'offset', offset: '99' },
      execute: true,
    });
    expect(done).toEqual({
      groupId: group,
      executed: true,
      partitions: [0, 2].map((partition) => ({ topic, partition, before: '8', after: '10' })),
    });
    expect(
      (await committer.committedOffsets([group]))
        .get(group)!
        .map((c) => [c.partition, Number(c.offset)])
        .sort(),
    ).toEqual([
      [0, 10],
      [1, 8],
      [2, 10],
    ]);
    await expect(
      host.client.call('groups.resetOffsets', {
        connectionId: writable,
        groupId: group,
        to: { kind: 'shift', by: '1' },
        topics: [{ topic: uniqueName('missing') }],
        execute: false,
      }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC' });
  });

  it('keeps sampling when a watched group is deleted, and says so', async () => {
    const topic = uniqueName('deleted-group');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    produceWithKcat(kafka.bootstrap, topic, ['a', 'b'], { partition: 0 });
    const doomed = uniqueName('doomed');
    const survivor = uniqueName('survivor');
    await committer.commitOffsets(doomed, [{ topic, partition: 0, offset: 1n }]);
    await committer.commitOffsets(survivor, [{ topic, partition: 0, offset: 1n }]);
    await host.client.call('groups.watch', { connectionId: writable, groupId: doomed, watch: true });
    await host.client.call('groups.watch', { connectionId: writable, groupId: survivor, watch: true });
    await expect(host.client.call('groups.delete', { connectionId: readOnly, groupId: doomed })).rejects.toMatchObject({
      code: 'WRITE_NOT_ALLOWED',
    });
    await committer.deleteGroup(doomed); // deleted behind the app's back
    const points = async () =>
      (await host.client.call('groups.history', { connectionId: writable, groupId: survivor, sinceMs: 3_600_000 }))
        .points.length;
    const before = await points();
    // Two more samples of the survivor: the second began after the delete, so it saw the group gone.
    await vi.waitFor(async () => expect(await points()).toBeGreaterThanOrEqual(before + 2), {
      timeout: 30_000,
      interval: 100,
    });
    await expect(
      host.client.call('groups.describe', { connectionId: writable, groupId: doomed }),
    ).rejects.toMatchObject({ code: 'NOT_FOUND' });
    expect((await host.client.call('groups.list', { connectionId: writable, topic })).map((g) => g.groupId)).toEqual([
      survivor,
    ]);
    // Still watched, it stays in the list, and says what happened.
    const all = await host.client.call('groups.list', { connectionId: writable });
    expect(all.find((g) => g.groupId === doomed)).toMatchObject({
      watched: true,
      state: 'Dead',
      totalLag: null,
      sampling: {
        ok: false,
        message: expect.stringContaining(`Group "${doomed}" does not exist on this cluster (deleted?); still watched`),
      },
    });
    expect(all.find((g) => g.groupId === survivor)).toMatchObject({ watched: true, sampling: { ok: true } });
  });

  it('saves the lag history of the watched groups that read a topic into a capture of it', async () => {
    const topic = uniqueName('captured-lag');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
    produceNumberedWithKcat(kafka.bootstrap, topic, 'r', 30, { partition: 0 });
    const reader = uniqueName('reader');
    const elsewhere = uniqueName('elsewhere');
    await committer.commitOffsets(reader, [{ topic, partition: 0, offset: 10n }]);
    const other = uniqueName('other-topic');
    createTopicWithKafkaTool(kafka.bootstrap, other, { partitions: 1 });
    await committer.commitOffsets(elsewhere, [{ topic: other, partition: 0, offset: 0n }]);
    await host.client.call('groups.watch', { connectionId: readOnly, groupId: reader, watch: true });
    await host.client.call('groups.watch', { connectionId: readOnly, groupId: elsewhere, watch: true });
    // Two samples of the reader's lag (what the capture must carry), however long the sampler takes.
    await vi.waitFor(
      async () =>
        expect(
          (await host.client.call('groups.history', { connectionId: readOnly, groupId: reader, sinceMs: 3_600_000 }))
            .points.length,
        ).toBeGreaterThanOrEqual(2),
      { timeout: 30_000, interval: 100 },
    );
    const tail = await host.client.call('log.page', { connectionId: readOnly, topic, before: { 0: '30' }, limit: 10 });
    expect(tail.records).toEqual([]); // nothing read yet: the capture is of what the log holds
    const { startTail } = await import('../support/tail-probe.ts');
    const read = startTail(host.client, { connectionId: readOnly, topic, from: { kind: 'earliest' }, follow: false });
    await read.until(() => read.events.some((e) => e.type === 'status' && e.phase === 'done'));
    read.subscription.close();
    const exported = await host.client.call('captures.export', { connectionId: readOnly, topic });
    const opened = await host.client.call('captures.open', { path: exported.path });
    const groups = await host.client.call('groups.list', { connectionId: opened.id });
    expect(groups.map((g) => [g.groupId, g.totalLag, g.watched])).toEqual([[reader, '20', true]]);
    const history = await host.client.call('groups.history', {
      connectionId: opened.id,
      groupId: reader,
      sinceMs: 3_600_000,
    });
    expect(history.points.length).toBeGreaterThanOrEqual(2);
    expect(history.points.every((p) => p.totalLag === 20)).toBe(true);
    await host.client.call('captures.close', { id: opened.id });
  });

  it('shows the sample capture’s groups with their history and every status, no cluster needed', async () => {
    const groups = await host.client.call('groups.list', { connectionId: 'sample' });
    expect(groups.map((g) => [g.groupId, g.status?.level])).toEqual([
      ['analytics-loader', 'ERR'],
      ['fraud-scoring', 'ERR'],
      ['invoice-generator', 'WARN'],
      ['payment-reconciler', 'OK'],
      ['shipping-service', 'OK'],
    ]);
    // A topic's readers, with their lag on that topic only.
    expect(
      (await host.client.call('groups.list', { connectionId: 'sample', topic: 'payments' })).map((g) => [
        g.groupId,
        g.totalLag,
      ]),
    ).toEqual([['payment-reconciler', '0']]);
    const rewound = await host.client.call('groups.describe', { connectionId: 'sample', groupId: 'analytics-loader' });
    expect(rewound.partitions.map((p) => p.status?.level)).toEqual(['REWIND', 'REWIND', 'REWIND']);
    const fraud = await host.client.call('groups.describe', { connectionId: 'sample', groupId: 'fraud-scoring' });
    expect(fraud.partitions.find((p) => p.partition === 1)?.status?.level).toMatch(/^(STALL|STOP)$/);
    const history = await host.client.call('groups.history', {
      connectionId: 'sample',
      groupId: 'invoice-generator',
      sinceMs: 24 * 3_600_000,
    });
    expect(history.points.length).toBe(960);
    expect(history.partitions).toHaveLength(3);
    await expect(
      host.client.call('groups.watch', { connectionId: 'sample', groupId: 'shipping-service', watch: true }),
    ).rejects.toMatchObject({ code: 'BAD_CONFIG' });
    await expect(
      host.client.call('groups.resetOffsets', {
        connectionId: 'sample',
        groupId: 'shipping-service',
        to: { kind: 'earliest' },
        execute: true,
      }),
    ).rejects.toMatchObject({ code: 'WRITE_NOT_ALLOWED' });
  });
});
