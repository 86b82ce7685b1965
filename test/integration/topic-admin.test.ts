// Topic administration over the contract, against the real broker: every dry run changes
// nothing and every run does what its preview said, both checked with Kafka's own tools
// (TopicCommand, ConfigCommand, GetOffsetShell); bad input is refused with a message that names
// the cause; a read-only connection and the sample capture refuse all of it; nothing joins a group.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { encodePayload } from '../../src/common/codecs/payload.ts';
import { SAMPLE_CAPTURE_ID } from '../../src/node/host/eventscope-service.ts';
import { SAMPLE_CAPTURE_PATH } from '../../scripts/make-sample-capture.ts';
import {
  createTopicWithKafkaTool,
  describeTopicWithKafkaTool,
  listGroupsWithKafkaTool,
  listTopicsWithKafkaTool,
  offsetsFromGetOffsetShell,
  topicConfigsWithKafkaTool,
} from '../harness/kafka-tools.ts';
import { startInProcessHost, type TestHost } from '../support/in-process-host.ts';
import { uniqueName } from '../support/unique.ts';

const TOOL_TIMEOUT = 120_000;

describe('topic administration', () => {
  const kafka = inject('kafka');
  let host: TestHost;
  let groupsBefore: string[];
  const rw = { connectionId: 'rw' };

  beforeAll(async () => {
    host = await startInProcessHost({ sampleCapturePath: SAMPLE_CAPTURE_PATH });
    await host.client.call('connections.save', {
      profile: { id: 'ro', name: 'Read only', bootstrap: kafka.bootstrap },
    });
    await host.client.call('connections.save', {
      profile: { id: 'rw', name: 'Writable', bootstrap: kafka.bootstrap, writable: true },
    });
    groupsBefore = listGroupsWithKafkaTool(kafka.bootstrap);
  });
  afterAll(async () => host?.close());

  const produce = async (topic: string, partition: number, count: number): Promise<void> => {
    for (let i = 0; i < count; i++)
      await host.client.call('records.produce', {
        ...rw,
        topic,
        partition,
        key: null,
        value: encodePayload(new TextEncoder().encode(`r${i}`)),
        headers: [],
      });
  };

  it(
    'creates a topic: the dry run creates nothing and answers what the topic would be; the run makes exactly that',
    async () => {
      const topic = uniqueName('admin-create');
      const params = {
        ...rw,
        topic,
        partitions: 3,
        replicationFactor: 1,
        configs: [
          { name: 'retention.ms', value: '3600000' },
          { name: 'cleanup.policy', value: 'compact' },
        ],
      };
      const preview = await host.client.call('topics.create', { ...params, dryRun: true });
      expect(preview).toMatchObject({ dryRun: true, topic, topicId: null, partitions: 3, replicationFactor: 1 });
      const own = (configs: typeof preview.configs) =>
        Object.fromEntries((configs ?? []).filter((c) => c.source === 'topic').map((c) => [c.name, c.value]));
      expect(own(preview.configs)).toEqual({ 'retention.ms': '3600000', 'cleanup.policy': 'compact' });
      // Defaults are resolved too: what the topic gets where nothing was said.
      expect(preview.configs!.find((c) => c.name === 'segment.bytes')).toMatchObject({
        source: expect.stringMatching(/broker|default/),
      });
      expect(listTopicsWithKafkaTool(kafka.bootstrap)).not.toContain(topic);
      expect(describeTopicWithKafkaTool(kafka.bootstrap, topic)).toBeNull();

      const created = await host.client.call('topics.create', { ...params, dryRun: false });
      expect(created).toMatchObject({
        dryRun: false,
        topic,
        partitions: preview.partitions,
        replicationFactor: preview.replicationFactor,
      });
      expect(own(created.configs)).toEqual(own(preview.configs));
      const described = describeTopicWithKafkaTool(kafka.bootstrap, topic);
      expect(described).toEqual({ topicId: created.topicId, partitionCount: 3, replicationFactor: 1 });
      expect(Object.fromEntries(topicConfigsWithKafkaTool(kafka.bootstrap, topic))).toEqual({
        'retention.ms': '3600000',
        'cleanup.policy': 'compact',
      });
      // It can be read at once: every partition has a leader.
      const detail = await host.client.call('topics.describe', { ...rw, topic });
      expect(detail.partitions.map((p) => [p.partition, p.leader >= 0, p.latestOffset])).toEqual([
        [0, true, '0'],
        [1, true, '0'],
        [2, true, '0'],
      ]);

      // Without partitions and replication factor: the broker's defaults, said in the preview.
      const defaults = await host.client.call('topics.create', {
        ...rw,
        topic: uniqueName('admin-defaults'),
        dryRun: true,
      });
      expect(defaults.partitions).toBeGreaterThanOrEqual(1);
      expect(defaults.replicationFactor).toBe(1);
    },
    TOOL_TIMEOUT,
  );

  it(
    'refuses bad topics with a message that names the cause, and creates nothing',
    async () => {
      const topic = uniqueName('admin-bad');
      const refused = (params: object) =>
        host.client.call('topics.create', { ...rw, topic, dryRun: false, ...params } as never);
      await expect(refused({ partitions: 0 })).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        field: 'partitions',
        message: expect.stringContaining('at least one partition'),
      });
      await expect(refused({ partitions: 1, replicationFactor: 3 })).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        field: 'replicationFactor',
        message: expect.stringMatching(/replication factor.*3.*1 broker/is),
      });
      await expect(refused({ partitions: 1, configs: [{ name: 'retention.mss', value: '1' }] })).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        field: 'configs',
        message: expect.stringContaining('retention.mss'),
      });
      await expect(
        refused({ partitions: 1, configs: [{ name: 'retention.ms', value: 'a week' }] }),
      ).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        field: 'configs',
        message: expect.stringContaining('retention.ms'),
      });
      await expect(refused({ topic: 'bad name!' })).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        field: 'topic',
        message: expect.stringContaining('may only hold'),
      });
      // Dry runs are refused the same way.
      await expect(refused({ partitions: 1, replicationFactor: 3, dryRun: true })).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        field: 'replicationFactor',
      });
      expect(listTopicsWithKafkaTool(kafka.bootstrap).filter((t) => t.startsWith('admin-bad'))).toEqual([]);

      const existing = uniqueName('admin-exists');
      createTopicWithKafkaTool(kafka.bootstrap, existing, { partitions: 1 });
      for (const dryRun of [true, false]) {
        await expect(
          host.client.call('topics.create', { ...rw, topic: existing, partitions: 1, dryRun }),
        ).rejects.toMatchObject({
          code: 'INVALID_PARAMS',
          field: 'topic',
          message: expect.stringContaining('already exists'),
        });
      }
    },
    TOOL_TIMEOUT,
  );

  it(
    'changes configs incrementally: the dry run changes nothing, the run sets and deletes only what was named',
    async () => {
      const topic = uniqueName('admin-configs');
      createTopicWithKafkaTool(kafka.bootstrap, topic, {
        partitions: 1,
        configs: { 'retention.ms': '100000', 'max.message.bytes': '200000' },
      });
      const changes = [
        { name: 'retention.ms', op: 'set' as const, value: '200000' },
        { name: 'max.message.bytes', op: 'delete' as const },
        { name: 'cleanup.policy', op: 'set' as const, value: 'compact' },
      ];
      const preview = await host.client.call('topics.alterConfigs', { ...rw, topic, changes, dryRun: true });
      expect(preview.changes).toEqual([
        {
          name: 'retention.ms',
          op: 'set',
          before: '100000',
          beforeSource: 'topic',
          after: '200000',
          afterSource: 'topic',
          unchanged: false,
        },
        {
          name: 'max.message.bytes',
          op: 'delete',
          before: '200000',
          beforeSource: 'topic',
          after: null,
          afterSource: null,
          unchanged: false,
        },
        {
          name: 'cleanup.policy',
          op: 'set',
          before: 'delete',
          beforeSource: expect.not.stringMatching(/^topic$/),
          after: 'compact',
          afterSource: 'topic',
          unchanged: false,
        },
      ]);
      expect(Object.fromEntries(topicConfigsWithKafkaTool(kafka.bootstrap, topic))).toEqual({
        'retention.ms': '100000',
        'max.message.bytes': '200000',
      });

      const done = await host.client.call('topics.alterConfigs', { ...rw, topic, changes, dryRun: false });
      expect(done.changes.map((c) => [c.name, c.after, c.afterSource])).toEqual([
        ['retention.ms', '200000', 'topic'],
        ['max.message.bytes', expect.stringMatching(/^\d+$/), expect.not.stringMatching(/^topic$/)],
        ['cleanup.policy', 'compact', 'topic'],
      ]);
      expect(Object.fromEntries(topicConfigsWithKafkaTool(kafka.bootstrap, topic))).toEqual({
        'retention.ms': '200000',
        'cleanup.policy': 'compact',
      });

      // An unknown name or a bad value: refused, naming it; nothing changes.
      await expect(
        host.client.call('topics.alterConfigs', {
          ...rw,
          topic,
          changes: [{ name: 'retention.mss', op: 'set', value: '1' }],
          dryRun: true,
        }),
      ).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        field: 'changes',
        message: expect.stringContaining('retention.mss'),
      });
      await expect(
        host.client.call('topics.alterConfigs', {
          ...rw,
          topic,
          changes: [{ name: 'retention.mss', op: 'delete' }],
          dryRun: false,
        }),
      ).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        field: 'changes',
        message: expect.stringContaining('"retention.mss" is not a config'),
      });
      await expect(
        host.client.call('topics.alterConfigs', {
          ...rw,
          topic,
          changes: [{ name: 'retention.ms', op: 'set', value: 'soon' }],
          dryRun: false,
        }),
      ).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        field: 'changes',
        message: expect.stringContaining('retention.ms'),
      });
      await expect(
        host.client.call('topics.alterConfigs', { ...rw, topic: uniqueName('no-such-topic'), changes, dryRun: true }),
      ).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC' });
      expect(Object.fromEntries(topicConfigsWithKafkaTool(kafka.bootstrap, topic))).toEqual({
        'retention.ms': '200000',
        'cleanup.policy': 'compact',
      });
    },
    TOOL_TIMEOUT,
  );

  it(
    'adds partitions: the dry run adds none, the run adds those previewed; fewer or as many as now is refused',
    async () => {
      const topic = uniqueName('admin-partitions');
      createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
      const preview = await host.client.call('topics.addPartitions', {
        ...rw,
        topic,
        totalPartitions: 5,
        dryRun: true,
      });
      expect(preview).toEqual({ dryRun: true, topic, before: 2, after: 5, added: [2, 3, 4] });
      expect(describeTopicWithKafkaTool(kafka.bootstrap, topic)?.partitionCount).toBe(2);

      const done = await host.client.call('topics.addPartitions', { ...rw, topic, totalPartitions: 5, dryRun: false });
      expect(done).toEqual({ ...preview, dryRun: false });
      expect(describeTopicWithKafkaTool(kafka.bootstrap, topic)?.partitionCount).toBe(5);
      expect([...offsetsFromGetOffsetShell(kafka.bootstrap, topic, 'latest').keys()].sort()).toEqual([0, 1, 2, 3, 4]);

      await expect(
        host.client.call('topics.addPartitions', { ...rw, topic, totalPartitions: 3, dryRun: true }),
      ).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        field: 'totalPartitions',
        message: expect.stringMatching(/has 5 partitions.*never remove/),
      });
      await expect(
        host.client.call('topics.addPartitions', { ...rw, topic, totalPartitions: 5, dryRun: false }),
      ).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        field: 'totalPartitions',
        message: expect.stringContaining('more than 5'),
      });
      await expect(
        host.client.call('topics.addPartitions', { ...rw, topic, totalPartitions: 0, dryRun: true }),
      ).rejects.toMatchObject({ code: 'INVALID_PARAMS', field: 'totalPartitions' });
      expect(describeTopicWithKafkaTool(kafka.bootstrap, topic)?.partitionCount).toBe(5);
    },
    TOOL_TIMEOUT,
  );

  it(
    'deletes records below an offset: the dry run says what goes per partition and deletes nothing, the run moves the earliest offsets there',
    async () => {
      const topic = uniqueName('admin-records');
      createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 3 });
      await produce(topic, 0, 10);
      await produce(topic, 1, 5);
      const partitions = [
        { partition: 0, before: '4' },
        { partition: 1, before: '5' },
        { partition: 2, before: '0' },
      ];
      const preview = await host.client.call('topics.deleteRecords', { ...rw, topic, partitions, dryRun: true });
      expect(preview).toEqual({
        dryRun: true,
        topic,
        records: '9',
        partitions: [
          { partition: 0, earliestBefore: '0', latest: '10', before: '4', records: '4', earliestAfter: '4' },
          { partition: 1, earliestBefore: '0', latest: '5', before: '5', records: '5', earliestAfter: '5' },
          { partition: 2, earliestBefore: '0', latest: '0', before: '0', records: '0', earliestAfter: '0' },
        ],
      });
      expect(Object.fromEntries(offsetsFromGetOffsetShell(kafka.bootstrap, topic, 'earliest'))).toEqual({
        0: '0',
        1: '0',
        2: '0',
      });

      const done = await host.client.call('topics.deleteRecords', { ...rw, topic, partitions, dryRun: false });
      expect(done).toEqual({ ...preview, dryRun: false });
      expect(Object.fromEntries(offsetsFromGetOffsetShell(kafka.bootstrap, topic, 'earliest'))).toEqual({
        0: '4',
        1: '5',
        2: '0',
      });
      expect(Object.fromEntries(offsetsFromGetOffsetShell(kafka.bootstrap, topic, 'latest'))).toEqual({
        0: '10',
        1: '5',
        2: '0',
      });

      // Beyond the end, or a partition the topic does not have: refused, naming it; nothing deleted.
      await expect(
        host.client.call('topics.deleteRecords', {
          ...rw,
          topic,
          partitions: [{ partition: 0, before: '50' }],
          dryRun: true,
        }),
      ).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        message: expect.stringMatching(/Partition 0 .* ends at offset 10.*not 50/),
      });
      await expect(
        host.client.call('topics.deleteRecords', {
          ...rw,
          topic,
          partitions: [{ partition: 0, before: '11' }],
          dryRun: false,
        }),
      ).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringContaining('ends at offset 10') });
      await expect(
        host.client.call('topics.deleteRecords', {
          ...rw,
          topic,
          partitions: [{ partition: 7, before: '0' }],
          dryRun: true,
        }),
      ).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringContaining('no partition 7') });
      expect(Object.fromEntries(offsetsFromGetOffsetShell(kafka.bootstrap, topic, 'earliest'))).toEqual({
        0: '4',
        1: '5',
        2: '0',
      });
    },
    TOOL_TIMEOUT,
  );

  it(
    'deletes a topic: the dry run says what it holds and deletes nothing, the run deletes it; a re-created topic is not deleted by an old preview',
    async () => {
      const topic = uniqueName('admin-delete');
      createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
      await produce(topic, 1, 3);
      const preview = await host.client.call('topics.delete', { ...rw, topic, dryRun: true });
      expect(preview).toEqual({
        dryRun: true,
        topic,
        topicId: describeTopicWithKafkaTool(kafka.bootstrap, topic)!.topicId,
        partitions: 2,
        records: '3',
        groups: [],
      });
      expect(listTopicsWithKafkaTool(kafka.bootstrap)).toContain(topic);

      const done = await host.client.call('topics.delete', { ...rw, topic, topicId: preview.topicId!, dryRun: false });
      expect(done).toMatchObject({ dryRun: false, topic, topicId: preview.topicId, partitions: 2, records: '3' });
      expect(listTopicsWithKafkaTool(kafka.bootstrap)).not.toContain(topic);
      await expect(host.client.call('topics.delete', { ...rw, topic, dryRun: true })).rejects.toMatchObject({
        code: 'UNKNOWN_TOPIC',
      });

      // Created again under the same name: the old preview's topic ID no longer matches.
      createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
      await expect(
        host.client.call('topics.delete', { ...rw, topic, topicId: preview.topicId!, dryRun: false }),
      ).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        field: 'topicId',
        message: expect.stringContaining('Preview again'),
      });
      expect(listTopicsWithKafkaTool(kafka.bootstrap)).toContain(topic);
    },
    TOOL_TIMEOUT,
  );

  it(
    'refuses every change, dry runs too, on a read-only connection and on the sample capture, saying how to allow writes',
    async () => {
      const topic = uniqueName('admin-readonly');
      createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
      const calls = (connectionId: string, t: string) =>
        [
          () =>
            host.client.call('topics.create', {
              connectionId,
              topic: uniqueName('admin-never'),
              partitions: 1,
              dryRun: true,
            }),
          () =>
            host.client.call('topics.alterConfigs', {
              connectionId,
              topic: t,
              changes: [{ name: 'retention.ms', op: 'set', value: '1000' }],
              dryRun: true,
            }),
          () => host.client.call('topics.addPartitions', { connectionId, topic: t, totalPartitions: 2, dryRun: false }),
          () =>
            host.client.call('topics.deleteRecords', {
              connectionId,
              topic: t,
              partitions: [{ partition: 0, before: '0' }],
              dryRun: true,
            }),
          () => host.client.call('topics.delete', { connectionId, topic: t, dryRun: false }),
        ] as const;
      for (const call of calls('ro', topic))
        await expect(call()).rejects.toMatchObject({
          code: 'WRITE_NOT_ALLOWED',
          message: expect.stringMatching(
            /"Read only" is read-only\. Mark it "Allow writes" in its connection settings to /,
          ),
        });
      for (const call of calls(SAMPLE_CAPTURE_ID, 'orders'))
        await expect(call()).rejects.toMatchObject({
          code: 'WRITE_NOT_ALLOWED',
          message: expect.stringContaining('capture file'),
        });
      expect(describeTopicWithKafkaTool(kafka.bootstrap, topic)?.partitionCount).toBe(1);
      expect(topicConfigsWithKafkaTool(kafka.bootstrap, topic).size).toBe(0);
    },
    TOOL_TIMEOUT,
  );

  it(
    'leaves internal topics alone and joins no consumer group',
    async () => {
      await expect(
        host.client.call('topics.addPartitions', {
          ...rw,
          topic: '__consumer_offsets',
          totalPartitions: 100,
          dryRun: true,
        }),
      ).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringContaining('internal topic') });
      await expect(
        host.client.call('topics.delete', { ...rw, topic: '__consumer_offsets', dryRun: true }),
      ).rejects.toMatchObject({ code: 'INVALID_PARAMS', message: expect.stringContaining('internal topic') });
      const after = listGroupsWithKafkaTool(kafka.bootstrap);
      // Other test files may have added groups on the shared broker; none of ours is an Eventscope one.
      expect(after.filter((g) => !groupsBefore.includes(g) && /eventscope/i.test(g))).toEqual([]);
    },
    TOOL_TIMEOUT,
  );
});
