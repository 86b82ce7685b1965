// kcat as an independent Kafka client (librdkafka): it produces the tests' data (lines, numbered
// records, one record of any bytes, files of millions of lines) and consumes as a group member.
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { followLinePrintingChild } from './line-printing-child.ts';

export function kcatAvailable(): boolean {
  return spawnSync('kcat', ['-V'], { stdio: 'ignore' }).status === 0;
}

/** Consumes a topic to its end as a member of a consumer group (creates __consumer_offsets, commits offsets). */
export function consumeWithKcatGroup(bootstrap: string, group: string, topic: string): string {
  return execFileSync(
    'kcat',
    ['-b', bootstrap, '-G', group, '-o', 'beginning', '-e', '-q', '-X', 'enable.partition.eof=true', topic],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], timeout: 60_000 },
  );
}

/** Produces lines of text (one record per line) to a topic partition with kcat. */
export function produceWithKcat(
  bootstrap: string,
  topic: string,
  lines: string[],
  options: { partition?: number; key?: string } = {},
): void {
  const args = ['-b', bootstrap, '-P', '-t', topic];
  if (options.partition !== undefined) args.push('-p', String(options.partition));
  if (options.key !== undefined) args.push('-K', '\t');
  const input = lines.map((l) => (options.key !== undefined ? `${options.key}\t${l}` : l)).join('\n') + '\n';
  execFileSync('kcat', args, { input, stdio: ['pipe', 'ignore', 'pipe'], timeout: 60_000 });
}

/**
 * Produces `count` records "<prefix>0", "<prefix>1", … with kcat (options as produceWithKcat):
 * the numbered values most tests write, so that what a read returns can be listed exactly.
 */
export function produceNumberedWithKcat(
  bootstrap: string,
  topic: string,
  prefix: string,
  count: number,
  options: { partition?: number; key?: string } = {},
): void {
  produceWithKcat(
    bootstrap,
    topic,
    Array.from({ length: count }, (_, i) => `${prefix}${i}`),
    options,
  );
}

/**
 * Produces one record whose value is `value`, byte for byte, with kcat -P given a file (kcat sends
 * a named file as one record): for values a line per record cannot carry (any byte, newlines,
 * megabytes). Headers are added in the order given; `properties` are librdkafka's (-X).
 */
export function produceValueWithKcat(
  bootstrap: string,
  topic: string,
  value: Uint8Array | string,
  options: {
    partition?: number;
    key?: string;
    headers?: [string, string][];
    properties?: Record<string, string>;
  } = {},
): void {
  const args = ['-b', bootstrap, '-P', '-t', topic];
  if (options.partition !== undefined) args.push('-p', String(options.partition));
  if (options.key !== undefined) args.push('-k', options.key);
  for (const [name, text] of options.headers ?? []) args.push('-H', `${name}=${text}`);
  for (const [name, setting] of Object.entries(options.properties ?? {})) args.push('-X', `${name}=${setting}`);
  const dir = mkdtempSync(join(tmpdir(), 'es-kcat-'));
  try {
    const file = join(dir, 'value.bin');
    writeFileSync(file, value);
    execFileSync('kcat', [...args, file], { stdio: ['ignore', 'ignore', 'pipe'], timeout: 60_000 });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface KcatGroupConsumer {
  readonly pid: number | undefined;
  /** The record values printed so far. */
  readonly records: string[];
  /** SIGTERM: kcat closes its consumer (committing, leaving the group); resolves once it is gone. */
  stop(): Promise<void>;
}

/**
 * A kcat (librdkafka) member of a classic consumer group that stays in the group until stopped:
 * reads the topics from their start and commits what it read every commitIntervalMs. librdkafka
 * commits only partitions it has read a record from, so an empty partition has no committed offset.
 */
export function startKcatGroupConsumer(
  bootstrap: string,
  group: string,
  topics: string[],
  options: { commitIntervalMs?: number; clientId?: string } = {},
): KcatGroupConsumer {
  const args = [
    '-b',
    bootstrap,
    '-G',
    group,
    '-o',
    'beginning',
    '-q',
    '-X',
    `auto.commit.interval.ms=${options.commitIntervalMs ?? 100}`,
  ];
  if (options.clientId !== undefined) args.push('-X', `client.id=${options.clientId}`);
  const child = spawn('kcat', [...args, ...topics], { stdio: ['ignore', 'pipe', 'pipe'] });
  const followed = followLinePrintingChild(child);
  child.stderr.resume();
  return {
    pid: child.pid,
    records: followed.lines,
    stop: () => followed.stop(10_000),
  };
}

/**
 * Produces every line of `file` as a record with kcat -P, in big batches (the benchmarks' millions
 * of records): with `keyed`, a line is "key<TAB>value" and the key picks the partition; without,
 * the value is the line and kcat's partitioner spreads the records.
 */
export function produceFileWithKcat(
  bootstrap: string,
  topic: string,
  file: string,
  options: { keyed?: boolean } = {},
): Promise<void> {
  const args = ['-b', bootstrap, '-P', '-t', topic, ...(options.keyed ? ['-K', '\t'] : ['-p', '-1'])];
  args.push('-X', 'linger.ms=20', '-X', 'batch.num.messages=10000', '-l', file);
  return new Promise<void>((resolve, reject) => {
    const kcat = spawn('kcat', args, { stdio: ['ignore', 'ignore', 'inherit'] });
    kcat.on('error', reject);
    kcat.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kcat -P exited ${code}`))));
  });
}
