// The eventscope command, run as a user runs it (the built bin), against the real broker.
import { execFile } from 'node:child_process';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { TopicDetail, TopicSummary } from '../../src/contract/dto.ts';
import { createTopicWithKafkaTool, offsetsFromGetOffsetShell } from '../kafka/kafka-tools.ts';
import { produceWithKcat } from '../kafka/kcat.ts';
import { uniqueName } from '../support/unique.ts';

const BIN = new URL('../../bin/eventscope.js', import.meta.url).pathname;

async function eventscope(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], { timeout: 60_000, maxBuffer: 64 * 1024 * 1024 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('eventscope CLI', () => {
  const kafka = inject('kafka');
  const topic = uniqueName('cli');

  beforeAll(() => {
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 3, configs: { 'retention.ms': '86400000' } });
    produceWithKcat(kafka.bootstrap, topic, ['a', 'b', 'c', 'd'], { partition: 2 });
  });

  it('topics --json lists the topic with counts as decimal strings', async () => {
    const { code, stdout, stderr } = await eventscope(['topics', '--bootstrap', kafka.bootstrap, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const topics = TopicSummary.array().parse(JSON.parse(stdout));
    expect(topics.find((t) => t.name === topic)).toMatchObject({ partitionCount: 3, messageCount: '4', replicationFactor: 1 });
  });

  it('topics prints a table for people', async () => {
    const { code, stdout } = await eventscope(['topics', '--bootstrap', kafka.bootstrap]);
    expect(code).toBe(0);
    expect(stdout).toMatch(/^TOPIC\s+PARTITIONS\s+RF\s+MESSAGES/);
    expect(stdout).toMatch(new RegExp(`${topic}\\s+3\\s+1\\s+4`));
  });

  it('describe --json gives partitions with offsets equal to GetOffsetShell, and configs', async () => {
    const { code, stdout } = await eventscope(['describe', topic, '--bootstrap', kafka.bootstrap, '--json']);
    expect(code).toBe(0);
    const detail = TopicDetail.parse(JSON.parse(stdout));
    const latest = offsetsFromGetOffsetShell(kafka.bootstrap, topic, 'latest');
    expect(detail.partitions.map((p) => [p.partition, p.latestOffset])).toEqual([...latest].sort((a, b) => a[0] - b[0]));
    expect(detail.configs.find((c) => c.name === 'retention.ms')).toMatchObject({ value: '86400000', isDefault: false });
  });

  it('reads SASL settings from a client.properties file given with --config', async ({ skip }) => {
    if (!kafka.saslBootstrap) skip('the cluster has no SASL listener (KAFKA_SASL_BOOTSTRAP_SERVERS unset)');
    const dir = await mkdtemp(join(tmpdir(), 'es-cli-'));
    const file = join(dir, 'client.properties');
    await writeFile(
      file,
      `bootstrap.servers=${kafka.saslBootstrap}\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=SCRAM-SHA-256\nsasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="${kafka.scramUser}" password="${kafka.scramPassword}";\n`,
    );
    const { code, stdout, stderr } = await eventscope(['topics', '--config', file, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    expect(JSON.parse(stdout).some((t: { name: string }) => t.name === topic)).toBe(true);
  });

  it('exits 2 with the cause on bad input, 1 with the cause on a failure', async () => {
    const badPort = await eventscope(['topics', '--bootstrap', 'localhost:70000']);
    expect(badPort.code).toBe(2);
    expect(badPort.stderr).toMatch(/Port 70000 .* out of range/);
    const noBootstrap = await eventscope(['topics']);
    expect(noBootstrap.code).toBe(2);
    expect(noBootstrap.stderr).toMatch(/--bootstrap/);
    const unknownFlag = await eventscope(['topics', '--frobnicate']);
    expect(unknownFlag.code).toBe(2);
    const missing = await eventscope(['describe', uniqueName('nope'), '--bootstrap', kafka.bootstrap]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/does not exist .*\[UNKNOWN_TOPIC\]/);
    const refused = await eventscope(['topics', '--bootstrap', '127.0.0.1:1']);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/Connection refused .*\[CONNECTION_REFUSED\]/);
    const badConfig = await eventscope(['topics', '--config', '/nonexistent/client.properties']);
    expect(badConfig.code).toBe(2);
    expect(badConfig.stderr).toMatch(/Cannot read --config/);
  });
});
