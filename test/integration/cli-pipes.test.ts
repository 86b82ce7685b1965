// The eventscope command in a pipe, as people use it: `tail … | head` ends at once and quietly
// when the reader goes away (exit 0, like kcat), with --end or following; SIGTERM ends a follow;
// a full disk is a clear error. --json says who set each timestamp (CreateTime or
// LogAppendTime, as kcat -J's tstype does); --isolation read_uncommitted reads an open transaction.
import { execFile, execFileSync, spawn } from 'node:child_process';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { RecordDto } from '../../src/common/contract/dto.ts';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { uniqueName } from '../support/unique.ts';

const BIN = new URL('../../bin/eventscope.js', import.meta.url).pathname;
/** How long the command may take to end once its output is closed or it is told to stop. */
const PROMPT_EXIT_MS = 2_000;

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  stderr: string;
  /** From the moment the test closed the output (or signalled) to the exit. */
  afterMs: number;
}

/** Runs eventscope, and once its first output arrives, does `act` (close the pipe, send a signal); resolves on exit. */
function runUntil(args: string[], act: (child: ReturnType<typeof spawn>) => void): Promise<Ended> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    let actedAt = 0;
    child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    child.stdout!.once('data', () => {
      actedAt = Date.now();
      act(child);
    });
    // A guard so that a regression fails the test instead of hanging it.
    const guard = setTimeout(() => child.kill('SIGKILL'), 30_000);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(guard);
      resolve({ code, signal, stderr, afterMs: actedAt === 0 ? Infinity : Date.now() - actedAt });
    });
  });
}

describe('the CLI in a pipe', () => {
  const kafka = inject('kafka');
  const big = uniqueName('pipe');

  beforeAll(() => {
    // Far more output than a pipe buffer holds (64 KB): the writer must block on the reader.
    createTopicWithKafkaTool(kafka.bootstrap, big, { partitions: 3 });
    const lines = Array.from({ length: 150_000 }, (_, i) => `{"n":${i},"pad":"${'x'.repeat(80)}"}`).join('\n') + '\n';
    execFileSync('kcat', ['-b', kafka.bootstrap, '-P', '-t', big, '-X', 'linger.ms=20'], {
      input: lines,
      maxBuffer: 1 << 26,
    });
  }, 60_000);

  it('tail --end --json | head: ends at once, quietly, exit 0', async () => {
    const ended = await runUntil(
      ['tail', big, '--bootstrap', kafka.bootstrap, '--from', 'earliest', '--end', '--json'],
      (child) => child.stdout!.destroy(),
    );
    expect({ code: ended.code, signal: ended.signal, stderr: ended.stderr }).toEqual({
      code: 0,
      signal: null,
      stderr: '',
    });
    expect(ended.afterMs, 'exit after the pipe closed (ms)').toBeLessThan(PROMPT_EXIT_MS);
  }, 60_000);

  it('a following tail | head: ends at once too', async () => {
    const ended = await runUntil(['tail', big, '--bootstrap', kafka.bootstrap, '--from', 'earliest'], (child) =>
      child.stdout!.destroy(),
    );
    expect({ code: ended.code, stderr: ended.stderr }).toEqual({ code: 0, stderr: '' });
    expect(ended.afterMs).toBeLessThan(PROMPT_EXIT_MS);
  }, 60_000);

  it('SIGTERM ends a following tail at once, exit 0', async () => {
    const ended = await runUntil(['tail', big, '--bootstrap', kafka.bootstrap, '--from', 'last:5'], (child) =>
      child.kill('SIGTERM'),
    );
    expect({ code: ended.code, signal: ended.signal }).toEqual({ code: 0, signal: null });
    expect(ended.afterMs).toBeLessThan(PROMPT_EXIT_MS);
  }, 60_000);

  it('tail > /dev/full: a clear error and exit 1, no stack', async () => {
    const result = await promisify(execFile)(
      'bash',
      [
        '-c',
        `"${process.execPath}" "${BIN}" tail ${big} --bootstrap ${kafka.bootstrap} --from earliest --end > /dev/full`,
      ],
      { timeout: 60_000 },
    ).then(
      () => ({ code: 0, stderr: '' }),
      (err: { code: number; stderr: string }) => ({ code: err.code, stderr: err.stderr }),
    );
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^eventscope: Cannot write the output: .*ENOSPC.*\[INTERNAL\]\n$/);
  }, 60_000);
});

describe('--json timestamp types and --isolation', () => {
  const kafka = inject('kafka');

  const tail = async (args: string[]): Promise<RecordDto[]> => {
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [BIN, 'tail', ...args, '--bootstrap', kafka.bootstrap, '--from', 'earliest', '--end', '--json'],
      { timeout: 60_000 },
    );
    return stdout.trim() === ''
      ? []
      : stdout
          .trim()
          .split('\n')
          .map((l) => RecordDto.parse(JSON.parse(l)));
  };

  it('says CreateTime or LogAppendTime per record, as kcat -J does', async () => {
    const producedAt = Date.UTC(2020, 0, 2, 3, 4, 5);
    for (const type of ['CreateTime', 'LogAppendTime'] as const) {
      const topic = uniqueName(`ts-${type}`);
      createTopicWithKafkaTool(kafka.bootstrap, topic, {
        partitions: 1,
        configs: { 'message.timestamp.type': type, 'message.timestamp.before.max.ms': String(2 ** 62) },
      });
      const producer = new kafkajs.Kafka({ brokers: [kafka.bootstrap], logLevel: kafkajs.logLevel.NOTHING }).producer();
      await producer.connect();
      await producer.send({ topic, messages: [{ partition: 0, value: 'v', timestamp: String(producedAt) }] });
      await producer.disconnect();
      const [ours] = await tail([topic]);
      const theirs = JSON.parse(
        execFileSync('kcat', ['-b', kafka.bootstrap, '-C', '-t', topic, '-e', '-q', '-J'], { encoding: 'utf8' }).trim(),
      ) as { tstype: string; ts: number };
      expect(ours!.timestampType).toBe(type);
      expect(theirs.tstype).toBe(type === 'CreateTime' ? 'create' : 'logappend');
      expect(ours!.timestamp).toBe(theirs.ts);
      if (type === 'CreateTime') expect(ours!.timestamp).toBe(producedAt);
      else expect(ours!.timestamp).toBeGreaterThan(producedAt);
    }
  }, 60_000);

  it('--isolation read_uncommitted prints an open transaction; a bad level is a usage error', async () => {
    const topic = uniqueName('cli-uncommitted');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    const tx = new kafkajs.Kafka({ brokers: [kafka.bootstrap], logLevel: kafkajs.logLevel.NOTHING }).producer({
      transactionalId: uniqueName('cli-tx'),
      maxInFlightRequests: 1,
      idempotent: true,
    });
    await tx.connect();
    try {
      const open = await tx.transaction();
      await open.send({ topic, messages: [{ partition: 0, value: 'open-0' }] });
      expect(await tail([topic])).toEqual([]);
      expect((await tail([topic, '--isolation', 'read_uncommitted'])).map((r) => r.value)).toMatchObject([
        { text: 'open-0' },
      ]);
      await open.abort();
    } finally {
      await tx.disconnect();
    }
    const bad = await promisify(execFile)(process.execPath, [
      BIN,
      'tail',
      topic,
      '--bootstrap',
      kafka.bootstrap,
      '--isolation',
      'dirty',
    ]).catch((err: { code: number; stderr: string }) => err);
    expect(bad).toMatchObject({ code: 2, stderr: expect.stringContaining('--isolation dirty: use read_committed') });
  }, 60_000);
});
