// The cluster and topic browser against a real broker, cross-checked with Kafka's own
// tools: topics made by TopicCommand and filled by kcat show the right partition counts,
// and offsets equal GetOffsetShell's.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import {
  createTopicWithKafkaTool,
  deleteRecordsWithKafkaTool,
  listGroupsWithKafkaTool,
  offsetsFromGetOffsetShell,
} from '../harness/kafka-tools.ts';
import { kcatAvailable, produceWithKcat } from '../harness/kcat.ts';
import { startInProcessHost, type TestHost } from '../support/in-process-host.ts';
import { uniqueName } from '../support/unique.ts';

describe('cluster and topic browser', () => {
  const kafka = inject('kafka');
  const plain = uniqueName('plain');
  const filled = uniqueName('filled');
  const trimmed = uniqueName('trimmed');
  let host: TestHost;
  let connectionId: string;

  beforeAll(async () => {
    if (!kcatAvailable())
      throw new Error('kcat is not installed: the topic browser tests fill a topic with kcat (apt-get install kcat).');
    createTopicWithKafkaTool(kafka.bootstrap, plain, { partitions: 3 });
    createTopicWithKafkaTool(kafka.bootstrap, filled, {
      partitions: 4,
      configs: { 'retention.ms': '123456789', 'cleanup.policy': 'compact,delete' },
    });
    createTopicWithKafkaTool(kafka.bootstrap, trimmed, { partitions: 2 });
    for (let p = 0; p < 4; p++)
      produceWithKcat(
        kafka.bootstrap,
        filled,
        Array.from({ length: 10 + p * 7 }, (_, i) => `{"n":${i},"p":${p}}`),
        { partition: p, key: `k${p}` },
      );
    produceWithKcat(
      kafka.bootstrap,
      trimmed,
      Array.from({ length: 50 }, (_, i) => `v${i}`),
      { partition: 0 },
    );
    produceWithKcat(
      kafka.bootstrap,
      trimmed,
      Array.from({ length: 5 }, (_, i) => `w${i}`),
      { partition: 1 },
    );
    // Move the earliest offset of partition 0 forward, so earliest ≠ 0 is checked too.
    deleteRecordsWithKafkaTool(kafka.bootstrap, trimmed, 0, 20);

    host = await startInProcessHost();
    connectionId = uniqueName('conn');
    await host.client.call('connections.save', {
      profile: { id: connectionId, name: 'harness', bootstrap: kafka.bootstrap },
    });
  });
  afterAll(async () => host?.close());

  it('describes the cluster: id, brokers, controller, version', async () => {
    const overview = await host.client.call('cluster.describe', { connectionId });
    expect(overview.clusterId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(overview.brokers).toHaveLength(1);
    expect(overview.brokers[0]).toMatchObject({ nodeId: 1, host: '127.0.0.1', isController: true });
    expect(overview.controllerId).toBe(1);
    // The harness runs Apache Kafka 4.x; the broker's API versions must say so.
    if (kafka.harnessKafkaVersion?.startsWith('4.')) expect(overview.kafkaVersion).toBe('≥ 4.0');
    else expect(overview.kafkaVersion).toMatch(/^[≥<] \d/);
  });

  it('lists topics with partition counts and message counts', async () => {
    const topics = await host.client.call('topics.list', { connectionId });
    const byName = new Map(topics.map((t) => [t.name, t]));
    expect(byName.get(plain)).toMatchObject({
      partitionCount: 3,
      replicationFactor: 1,
      messageCount: '0',
      internal: false,
      underReplicatedPartitions: 0,
    });
    expect(byName.get(filled)).toMatchObject({ partitionCount: 4, messageCount: String(10 + 17 + 24 + 31) });
    expect(byName.get(trimmed)).toMatchObject({ partitionCount: 2, messageCount: String(30 + 5) });
    expect(topics.some((t) => t.internal)).toBe(false);
    const withInternal = await host.client.call('topics.list', { connectionId, includeInternal: true });
    expect(withInternal.find((t) => t.name === '__consumer_offsets')?.internal ?? true).toBe(true);
    expect([...topics].map((t) => t.name)).toEqual([...topics].map((t) => t.name).sort((a, b) => a.localeCompare(b)));
  });

  it('reports earliest and latest offsets equal to GetOffsetShell', async () => {
    for (const topic of [filled, trimmed, plain]) {
      const detail = await host.client.call('topics.describe', { connectionId, topic });
      const latest = offsetsFromGetOffsetShell(kafka.bootstrap, topic, 'latest');
      const earliest = offsetsFromGetOffsetShell(kafka.bootstrap, topic, 'earliest');
      expect(detail.partitions.map((p) => p.partition)).toEqual([...latest.keys()].sort((a, b) => a - b));
      for (const p of detail.partitions) {
        expect(p.latestOffset, `${topic}-${p.partition} latest`).toBe(latest.get(p.partition));
        expect(p.earliestOffset, `${topic}-${p.partition} earliest`).toBe(earliest.get(p.partition));
        expect(p).toMatchObject({ leader: 1, replicas: [1], isr: [1], underReplicated: false });
      }
    }
    const trimmedDetail = await host.client.call('topics.describe', { connectionId, topic: trimmed });
    expect(trimmedDetail.partitions[0]?.earliestOffset).toBe('20');
  });

  it('shows topic configs with non-default values marked', async () => {
    const detail = await host.client.call('topics.describe', { connectionId, topic: filled });
    const retention = detail.configs.find((c) => c.name === 'retention.ms');
    expect(retention).toMatchObject({ value: '123456789', isDefault: false, source: 'topic' });
    expect(detail.configs.find((c) => c.name === 'cleanup.policy')).toMatchObject({
      value: 'compact,delete',
      isDefault: false,
    });
    const segment = detail.configs.find((c) => c.name === 'max.message.bytes');
    expect(segment?.isDefault).toBe(true);
  });

  it('says clearly when a topic does not exist, and does not create it', async () => {
    const missing = uniqueName('missing');
    await expect(host.client.call('topics.describe', { connectionId, topic: missing })).rejects.toMatchObject({
      code: 'UNKNOWN_TOPIC',
      message: expect.stringContaining(missing),
    });
    // The harness broker has auto.create.topics.enable=true: asking must not have created it.
    const topics = await host.client.call('topics.list', { connectionId });
    expect(topics.some((t) => t.name === missing)).toBe(false);
  });

  it('browsing joins no consumer group', async () => {
    const before = listGroupsWithKafkaTool(kafka.bootstrap);
    await host.client.call('topics.list', { connectionId, includeInternal: true });
    await host.client.call('topics.describe', { connectionId, topic: filled });
    await host.client.call('cluster.describe', { connectionId });
    expect(listGroupsWithKafkaTool(kafka.bootstrap)).toEqual(before);
  });
});
