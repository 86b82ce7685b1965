// A compacted topic: after the log cleaner has run, offsets have gaps. Reading steps over
// them, ends exactly at the end Kafka's GetOffsetShell reports, and gives the latest value of
// each key.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConnectionProfile } from '../../src/common/contract/dto.ts';
import { openClusterClient, type ClusterClient, type KafkaRecord } from '../../src/node/kafka/index.ts';
import { createTopicWithKafkaTool, offsetsFromGetOffsetShell } from '../harness/kafka-tools.ts';
import { uniqueName } from '../support/unique.ts';

describe('compacted topic', () => {
  const kafka = inject('kafka');
  let client: ClusterClient;
  beforeAll(async () => {
    client = await openClusterClient(ConnectionProfile.parse({ id: 'c', name: 'c', bootstrap: kafka.bootstrap }), {});
  });
  afterAll(async () => client?.close());

  let lastNext = new Map<number, bigint>();
  const readAll = async (topic: string): Promise<KafkaRecord[]> => {
    const records: KafkaRecord[] = [];
    lastNext = (
      await client.read({ topic, from: { kind: 'earliest' }, follow: false, onRecords: (b) => void records.push(...b) })
    ).nextOffsets;
    return records;
  };

  it('reads across the gaps compaction leaves, to the end, with the latest value per key', async ({ skip }) => {
    if (!kafka.harnessKafkaVersion)
      skip('needs the harness broker (log.cleaner.backoff.ms=500) to compact within the test');
    const topic = uniqueName('compacted');
    createTopicWithKafkaTool(kafka.bootstrap, topic, {
      partitions: 1,
      configs: {
        'cleanup.policy': 'compact',
        'segment.ms': '100',
        'min.cleanable.dirty.ratio': '0.001',
        'delete.retention.ms': '0',
        'min.compaction.lag.ms': '0',
      },
    });
    // Compacted topics only take keyed records: five rounds over ten keys.
    const keyed = Array.from({ length: 50 }, (_, i) => `k${i % 10}\tround-${Math.floor(i / 10)}`);
    execFileSync('kcat', ['-b', kafka.bootstrap, '-P', '-t', topic, '-p', '0', '-K', '\t'], {
      input: keyed.join('\n') + '\n',
    });
    // A later record rolls the active segment so the cleaner can take the rest.
    const deadline = Date.now() + 60_000;
    let records = await readAll(topic);
    while (Date.now() < deadline) {
      execFileSync('kcat', ['-b', kafka.bootstrap, '-P', '-t', topic, '-p', '0', '-K', '\t'], { input: 'roll\tx\n' });
      await new Promise((r) => setTimeout(r, 1_000));
      records = await readAll(topic);
      const offsets = records.map((r) => Number(r.offset));
      if (offsets.some((o, i) => i > 0 && o !== offsets[i - 1]! + 1)) break;
    }
    const offsets = records.map((r) => Number(r.offset));
    expect(
      offsets.some((o, i) => i > 0 && o !== offsets[i - 1]! + 1),
      'the cleaner left gaps',
    ).toBe(true);
    expect(offsets).toEqual([...offsets].sort((a, b) => a - b));
    const latest = new Map<string, string>();
    for (const r of records) if (r.key) latest.set(Buffer.from(r.key).toString(), Buffer.from(r.value!).toString());
    for (let k = 0; k < 10; k++) expect(latest.get(`k${k}`)).toBe('round-4');
    // The read stopped at the partition's end, not before (a gap is not the end) nor after.
    const end = BigInt(offsetsFromGetOffsetShell(kafka.bootstrap, topic, 'latest').get(0)!);
    records = await readAll(topic);
    expect(lastNext.get(0)).toBe(end);
    expect(records[records.length - 1]!.offset).toBe(end - 1n);
  }, 90_000);
});
