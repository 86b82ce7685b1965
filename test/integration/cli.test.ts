// The eventscope command, run as a user runs it (the built bin), against the real broker.
import { execFileSync, spawn } from 'node:child_process';
import { closeSync, existsSync, openSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { TopicDetail, TopicSummary } from '../../src/common/contract/dto.ts';
import { createTopicWithKafkaTool, offsetsFromGetOffsetShell } from '../harness/kafka-tools.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { uniqueName } from '../support/unique.ts';
import { BIN, eventscope } from '../support/run-cli.ts';
import { testTempDir } from '../support/temp-dir.ts';

/** Runs the CLI with its standard output on a file descriptor of ours (a file, /dev/full). */
async function eventscopeTo(stdoutPath: string, args: string[]): Promise<{ code: number | null; stderr: string }> {
  const fd = openSync(stdoutPath, 'w');
  try {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', fd, 'pipe'] });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    // Bounded: an export that never ends (it spun at 100% CPU on /dev/full once) fails the test, and does not outlive it.
    const timer = setTimeout(() => child.kill('SIGKILL'), 30_000);
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    clearTimeout(timer);
    return { code, stderr };
  } finally {
    closeSync(fd);
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
    expect(topics.find((t) => t.name === topic)).toMatchObject({
      partitionCount: 3,
      messageCount: '4',
      replicationFactor: 1,
    });
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
    expect(detail.partitions.map((p) => [p.partition, p.latestOffset])).toEqual(
      [...latest].sort((a, b) => a[0] - b[0]),
    );
    expect(detail.configs.find((c) => c.name === 'retention.ms')).toMatchObject({
      value: '86400000',
      isDefault: false,
    });
  });

  it('reads SASL settings from a client.properties file given with --config', async ({ skip }) => {
    if (!kafka.saslBootstrap) skip('the cluster has no SASL listener (KAFKA_SASL_BOOTSTRAP_SERVERS unset)');
    const dir = testTempDir('es-cli-');
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

  it('a time before 1970 is a usage error, not a Kafka error', async () => {
    for (const args of [
      ['tail', topic, '--end'],
      ['export', topic],
    ]) {
      const early = await eventscope([...args, '--bootstrap', kafka.bootstrap, '--from', 'time:1969-12-31T23:59:59Z']);
      expect(early.code).toBe(2);
      expect(early.stderr).toMatch(
        /--from time:1969-12-31T23:59:59Z: that is before 1970-01-01T00:00:00Z.*--from earliest/,
      );
      expect(early.stderr).not.toMatch(/version of API/i);
    }
    // Date.parse would take "-5" for a day in 2001: only ISO-8601 dates and epoch milliseconds are times.
    const loose = await eventscope(['tail', topic, '--bootstrap', kafka.bootstrap, '--from', 'time:-5', '--end']);
    expect(loose.code).toBe(2);
    expect(loose.stderr).toMatch(/--from time:-5: not an ISO-8601 time/);
    const epoch = await eventscope(['export', topic, '--bootstrap', kafka.bootstrap, '--from', 'time:0']);
    expect(epoch.code).toBe(0);
    expect(epoch.stdout.trim().split('\n')).toHaveLength(4);
  });

  describe('export never loses silently', () => {
    it('an --output in a folder that does not exist fails at once, naming it', async () => {
      const { code, stdout, stderr } = await eventscope([
        'export',
        topic,
        '--bootstrap',
        kafka.bootstrap,
        '--output',
        '/nonexistent/dir/x.ndjson',
      ]);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr).toMatch(
        /^eventscope: Cannot write \/nonexistent\/dir\/x\.ndjson: the folder \/nonexistent\/dir does not exist\. \[WRITE_FAILED\]\n$/,
      );
    });

    it('standard output on a full device (/dev/full) is DISK_FULL and exit 1, no stack trace', async () => {
      const { code, stderr } = await eventscopeTo('/dev/full', ['export', topic, '--bootstrap', kafka.bootstrap]);
      expect(code).toBe(1);
      expect(stderr).toMatch(
        /^eventscope: Cannot write standard output: the disk is full\. Free some space, then try again\..*\[DISK_FULL\]\n$/,
      );
      expect(stderr).not.toMatch(/\n\s+at /);
    });

    it('a complete export to --output replaces the file there and leaves no .partial file', async () => {
      const dir = testTempDir('es-cli-export-');
      const file = join(dir, 'out.ndjson');
      writeFileSync(file, 'the previous export\n');
      const { code, stderr } = await eventscope(['export', topic, '--bootstrap', kafka.bootstrap, '--output', file]);
      expect(stderr).toBe('');
      expect(code).toBe(0);
      expect(readdirSync(dir)).toEqual(['out.ndjson']);
      expect(
        readFileSync(file, 'utf8')
          .trim()
          .split('\n')
          .map((l) => JSON.parse(l).value.text),
      ).toEqual(['a', 'b', 'c', 'd']);
    });

    it('an export interrupted (Ctrl-C) keeps what it wrote as FILE.partial, says so, exits 130', async () => {
      const slow = uniqueName('cli-interrupt');
      createTopicWithKafkaTool(kafka.bootstrap, slow, { partitions: 1 });
      // One record per batch and one batch per fetch: thousands of round trips, seconds to read.
      const lines = Array.from({ length: 3_000 }, (_, i) => `${i}:${'x'.repeat(200)}`).join('\n') + '\n';
      execFileSync(
        'kcat',
        ['-b', kafka.bootstrap, '-P', '-t', slow, '-p', '0', '-X', 'batch.num.messages=1', '-X', 'linger.ms=0'],
        { input: lines, stdio: ['pipe', 'ignore', 'pipe'], timeout: 60_000 },
      );
      const dir = testTempDir('es-cli-export-');
      const file = join(dir, 'out.ndjson');
      const env = { ...process.env, EVENTSCOPE_PARTITION_FETCH_MAX_BYTES: '1024', EVENTSCOPE_FETCH_MAX_BYTES: '1024' };
      const child = spawn(process.execPath, [BIN, 'export', slow, '--bootstrap', kafka.bootstrap, '--output', file], {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      });
      let stderr = '';
      child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
      const closed = new Promise<number | null>((resolve) => child.on('close', resolve));
      const deadline = Date.now() + 30_000;
      while (!(existsSync(`${file}.partial`) && statSync(`${file}.partial`).size > 0)) {
        if (Date.now() > deadline) throw new Error(`no ${file}.partial after 30 s; stderr: ${stderr}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      child.kill('SIGINT');
      expect(await closed).toBe(130);
      expect(stderr).toMatch(
        new RegExp(
          `^eventscope: export interrupted\\. The \\d+ bytes written so far are in ${file}\\.partial; ${file} was not written\\.\\n$`,
        ),
      );
      expect(existsSync(file)).toBe(false);
      const kept = readFileSync(`${file}.partial`, 'utf8').trim().split('\n');
      expect(kept.length).toBeLessThan(3_000);
      expect(kept.map((l) => Number((JSON.parse(l) as { offset: string }).offset))).toEqual(kept.map((_, i) => i));
    });

    it('an export that ends in an error before writing a record leaves no file behind', async () => {
      const dir = testTempDir('es-cli-export-');
      const file = join(dir, 'out.csv');
      const { code, stderr } = await eventscope([
        'export',
        uniqueName('nope'),
        '--bootstrap',
        kafka.bootstrap,
        '--format',
        'csv',
        '--output',
        file,
      ]);
      expect(code).toBe(1);
      expect(stderr).toMatch(/does not exist.*Nothing was written to .*out\.csv\. \[UNKNOWN_TOPIC\]/);
      expect(existsSync(file) || existsSync(`${file}.partial`)).toBe(false);
    });
  });
});
