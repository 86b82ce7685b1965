// Kafka's own command-line tools, run from the harness classpath, for cross-checks: what
// Eventscope reports must equal what these print.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKafkaClass } from './broker.ts';

export function createTopicWithKafkaTool(bootstrap: string, topic: string, options: { partitions: number; replicationFactor?: number; configs?: Record<string, string> }): void {
  const args = ['--bootstrap-server', bootstrap, '--create', '--topic', topic, '--partitions', String(options.partitions), '--replication-factor', String(options.replicationFactor ?? 1)];
  for (const [k, v] of Object.entries(options.configs ?? {})) args.push('--config', `${k}=${v}`);
  runKafkaClass('org.apache.kafka.tools.TopicCommand', args);
}

export function deleteTopicWithKafkaTool(bootstrap: string, topic: string): void {
  runKafkaClass('org.apache.kafka.tools.TopicCommand', ['--bootstrap-server', bootstrap, '--delete', '--topic', topic]);
}

export function addPartitionsWithKafkaTool(bootstrap: string, topic: string, partitions: number): void {
  runKafkaClass('org.apache.kafka.tools.TopicCommand', ['--bootstrap-server', bootstrap, '--alter', '--topic', topic, '--partitions', String(partitions)]);
}

/** GetOffsetShell's answer: partition → offset, for time -1 (latest) or -2 (earliest). */
export function offsetsFromGetOffsetShell(bootstrap: string, topic: string, time: 'latest' | 'earliest'): Map<number, string> {
  const out = runKafkaClass('org.apache.kafka.tools.GetOffsetShell', ['--bootstrap-server', bootstrap, '--topic', topic, '--time', time === 'latest' ? '-1' : '-2']);
  const offsets = new Map<number, string>();
  for (const line of out.split('\n')) {
    // topic:partition:offset — topic names may not contain ':', so the last two fields are safe.
    const match = /^(.*):(\d+):(-?\d+)$/.exec(line.trim());
    if (match && match[1] === topic) offsets.set(Number(match[2]), match[3]!);
  }
  if (offsets.size === 0) throw new Error(`GetOffsetShell printed no offsets for ${topic}:\n${out}`);
  return offsets;
}

/** GetOffsetShell's answer for a timestamp (epoch ms): partition → offset ("-1" where no record is that late). */
export function runGetOffsetShellAtTime(bootstrap: string, topic: string, timestampMs: number): Map<number, string> {
  const out = runKafkaClass('org.apache.kafka.tools.GetOffsetShell', ['--bootstrap-server', bootstrap, '--topic', topic, '--time', String(timestampMs)]);
  const offsets = new Map<number, string>();
  for (const line of out.split('\n')) {
    const match = /^(.*):(\d+):(-?\d*)$/.exec(line.trim());
    if (match && match[1] === topic) offsets.set(Number(match[2]), match[3] === '' ? '-1' : match[3]!);
  }
  return offsets;
}

/** Moves a partition's earliest offset forward with Kafka's DeleteRecordsCommand. */
export function deleteRecordsWithKafkaTool(bootstrap: string, topic: string, partition: number, beforeOffset: number): void {
  const dir = mkdtempSync(join(tmpdir(), 'eventscope-delete-records-'));
  const file = join(dir, 'offsets.json');
  writeFileSync(file, JSON.stringify({ version: 1, partitions: [{ topic, partition, offset: beforeOffset }] }));
  try {
    runKafkaClass('org.apache.kafka.tools.DeleteRecordsCommand', ['--bootstrap-server', bootstrap, '--offset-json-file', file]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function listGroupsWithKafkaTool(bootstrap: string): string[] {
  const out = runKafkaClass('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', ['--bootstrap-server', bootstrap, '--list']);
  return out.split('\n').map((l) => l.trim()).filter(Boolean);
}

/** Makes a partition's preferred replica its leader again (LeaderElectionCommand), e.g. after that node came back. */
export function electPreferredLeaderWithKafkaTool(bootstrap: string, topic: string, partition: number): string {
  return runKafkaClass('org.apache.kafka.tools.LeaderElectionCommand', ['--bootstrap-server', bootstrap, '--election-type', 'PREFERRED', '--topic', topic, '--partition', String(partition)]);
}

/** Moves a partition to the given replicas (ReassignPartitionsCommand --execute); returns once Kafka accepted it. */
export function reassignPartitionWithKafkaTool(bootstrap: string, topic: string, partition: number, replicas: number[]): void {
  const dir = mkdtempSync(join(tmpdir(), 'eventscope-reassign-'));
  const file = join(dir, 'reassignment.json');
  writeFileSync(file, JSON.stringify({ version: 1, partitions: [{ topic, partition, replicas }] }));
  try {
    runKafkaClass('org.apache.kafka.tools.reassign.ReassignPartitionsCommand', ['--bootstrap-server', bootstrap, '--reassignment-json-file', file, '--execute']);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
