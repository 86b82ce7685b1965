// Kafka's own command-line tools, run from the harness classpath, for cross-checks: what
// Eventscope reports must equal what these print.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runKafkaClass } from './broker.ts';

export function createTopicWithKafkaTool(
  bootstrap: string,
  topic: string,
  options: { partitions: number; replicationFactor?: number; configs?: Record<string, string> },
): void {
  const args = [
    '--bootstrap-server',
    bootstrap,
    '--create',
    '--topic',
    topic,
    '--partitions',
    String(options.partitions),
    '--replication-factor',
    String(options.replicationFactor ?? 1),
  ];
  for (const [k, v] of Object.entries(options.configs ?? {})) args.push('--config', `${k}=${v}`);
  runKafkaClass('org.apache.kafka.tools.TopicCommand', args);
}

export function deleteTopicWithKafkaTool(bootstrap: string, topic: string): void {
  runKafkaClass('org.apache.kafka.tools.TopicCommand', ['--bootstrap-server', bootstrap, '--delete', '--topic', topic]);
}

export function addPartitionsWithKafkaTool(bootstrap: string, topic: string, partitions: number): void {
  runKafkaClass('org.apache.kafka.tools.TopicCommand', [
    '--bootstrap-server',
    bootstrap,
    '--alter',
    '--topic',
    topic,
    '--partitions',
    String(partitions),
  ]);
}

/**
 * Kafka's GetOffsetShell for a topic at `time` (its --time: -1 latest, -2 earliest, or epoch ms):
 * partition → offset, "-1" where it printed none (no record that late), and what it printed.
 */
function getOffsetShell(bootstrap: string, topic: string, time: string): { offsets: Map<number, string>; out: string } {
  const out = runKafkaClass('org.apache.kafka.tools.GetOffsetShell', [
    '--bootstrap-server',
    bootstrap,
    '--topic',
    topic,
    '--time',
    time,
  ]);
  const offsets = new Map<number, string>();
  for (const line of out.split('\n')) {
    // topic:partition:offset — topic names may not contain ':', so the last two fields are safe.
    const match = /^(.*):(\d+):(-?\d*)$/.exec(line.trim());
    if (match && match[1] === topic) offsets.set(Number(match[2]), match[3] === '' ? '-1' : match[3]!);
  }
  return { offsets, out };
}

/** GetOffsetShell's answer: partition → offset, for time -1 (latest) or -2 (earliest). */
export function offsetsFromGetOffsetShell(
  bootstrap: string,
  topic: string,
  time: 'latest' | 'earliest',
): Map<number, string> {
  const { offsets, out } = getOffsetShell(bootstrap, topic, time === 'latest' ? '-1' : '-2');
  if (offsets.size === 0) throw new Error(`GetOffsetShell printed no offsets for ${topic}:\n${out}`);
  return offsets;
}

/** GetOffsetShell's answer for a timestamp (epoch ms): partition → offset ("-1" where no record is that late). */
export function runGetOffsetShellAtTime(bootstrap: string, topic: string, timestampMs: number): Map<number, string> {
  return getOffsetShell(bootstrap, topic, String(timestampMs)).offsets;
}

/** Moves a partition's earliest offset forward with Kafka's DeleteRecordsCommand. */
export function deleteRecordsWithKafkaTool(
  bootstrap: string,
  topic: string,
  partition: number,
  beforeOffset: number,
): void {
  const dir = mkdtempSync(join(tmpdir(), 'eventscope-delete-records-'));
  const file = join(dir, 'offsets.json');
  writeFileSync(file, JSON.stringify({ version: 1, partitions: [{ topic, partition, offset: beforeOffset }] }));
  try {
    runKafkaClass('org.apache.kafka.tools.DeleteRecordsCommand', [
      '--bootstrap-server',
      bootstrap,
      '--offset-json-file',
      file,
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function listGroupsWithKafkaTool(bootstrap: string): string[] {
  const out = runKafkaClass('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', [
    '--bootstrap-server',
    bootstrap,
    '--list',
  ]);
  return out
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** Makes a partition's preferred replica its leader again (LeaderElectionCommand), e.g. after that node came back. */
export function electPreferredLeaderWithKafkaTool(bootstrap: string, topic: string, partition: number): string {
  return runKafkaClass('org.apache.kafka.tools.LeaderElectionCommand', [
    '--bootstrap-server',
    bootstrap,
    '--election-type',
    'PREFERRED',
    '--topic',
    topic,
    '--partition',
    String(partition),
  ]);
}

/** Moves a partition to the given replicas (ReassignPartitionsCommand --execute); returns once Kafka accepted it. */
export function reassignPartitionWithKafkaTool(
  bootstrap: string,
  topic: string,
  partition: number,
  replicas: number[],
): void {
  const dir = mkdtempSync(join(tmpdir(), 'eventscope-reassign-'));
  const file = join(dir, 'reassignment.json');
  writeFileSync(file, JSON.stringify({ version: 1, partitions: [{ topic, partition, replicas }] }));
  try {
    runKafkaClass('org.apache.kafka.tools.reassign.ReassignPartitionsCommand', [
      '--bootstrap-server',
      bootstrap,
      '--reassignment-json-file',
      file,
      '--execute',
    ]);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The columns of ConsumerGroupCommand --describe --group, in its order: describeGroupWithKafkaTool
 * fails unless the tool's header is exactly these, so a test comparing a table with them compares
 * it with what the tool prints.
 */
export const GROUP_DESCRIBE_COLUMNS = [
  'GROUP',
  'TOPIC',
  'PARTITION',
  'CURRENT-OFFSET',
  'LOG-END-OFFSET',
  'LAG',
  'CONSUMER-ID',
  'HOST',
  'CLIENT-ID',
] as const;

/** One row of ConsumerGroupCommand --describe --group: '-' (nothing) becomes null. */
export interface GroupDescribeRow {
  group: string;
  topic: string;
  partition: number;
  currentOffset: string | null;
  logEndOffset: string;
  lag: string | null;
  consumerId: string | null;
  /** As the tool prints it: the broker's "/127.0.0.1". */
  host: string | null;
  clientId: string | null;
}

/**
 * ConsumerGroupCommand --describe --group G: its table, row by row (sorted by topic and
 * partition), and whether the group has no active members (no row names a consumer; the tool
 * says so on stderr). Throws with the tool's output where it printed no table (a group that
 * does not exist: "Error: … not found").
 */
export function describeGroupWithKafkaTool(
  bootstrap: string,
  group: string,
): { rows: GroupDescribeRow[]; noActiveMembers: boolean } {
  const out = runKafkaClass('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', [
    '--bootstrap-server',
    bootstrap,
    '--describe',
    '--group',
    group,
  ]);
  const lines = out.split('\n').map((l) => l.trim());
  const header = lines.findIndex((l) => l.split(/\s+/).join(' ') === GROUP_DESCRIBE_COLUMNS.join(' '));
  if (header < 0) throw new Error(`ConsumerGroupCommand printed no table for group ${group}:\n${out}`);
  const dash = (v: string | undefined): string | null => (v === undefined || v === '-' ? null : v);
  const rows: GroupDescribeRow[] = [];
  for (const line of lines.slice(header + 1)) {
    if (line === '') continue;
    const cells = line.split(/\s+/);
    if (cells.length !== GROUP_DESCRIBE_COLUMNS.length || cells[0] !== group)
      throw new Error(`Unexpected line in ConsumerGroupCommand's table: "${line}"\n${out}`);
    rows.push({
      group: cells[0]!,
      topic: cells[1]!,
      partition: Number(cells[2]),
      currentOffset: dash(cells[3]),
      logEndOffset: cells[4]!,
      lag: dash(cells[5]),
      consumerId: dash(cells[6]),
      host: dash(cells[7]),
      clientId: dash(cells[8]),
    });
  }
  rows.sort((a, b) => (a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition));
  return { rows, noActiveMembers: rows.every((r) => r.consumerId === null) };
}

/** ConsumerGroupCommand --list --type --state: group id → type and state as the tool prints them (Classic/Consumer/Share/Streams; Stable, Empty…). */
export function listGroupTypesWithKafkaTool(bootstrap: string): Map<string, { type: string; state: string }> {
  const out = runKafkaClass('org.apache.kafka.tools.consumer.group.ConsumerGroupCommand', [
    '--bootstrap-server',
    bootstrap,
    '--list',
    '--type',
    '--state',
  ]);
  const groups = new Map<string, { type: string; state: string }>();
  for (const line of out.split('\n').slice(1)) {
    const [group, type, state] = line.trim().split(/\s+/);
    if (group && type && state) groups.set(group, { type, state });
  }
  return groups;
}

/** TopicCommand --describe's TopicId of a topic. */
export function topicIdWithKafkaTool(bootstrap: string, topic: string): string {
  const out = runKafkaClass('org.apache.kafka.tools.TopicCommand', [
    '--bootstrap-server',
    bootstrap,
    '--describe',
    '--topic',
    topic,
  ]);
  const match = /\bTopicId:\s*(\S+)/.exec(out);
  if (!match) throw new Error(`TopicCommand printed no TopicId for ${topic}:\n${out}`);
  return match[1]!;
}

/** TopicCommand --list: every topic name (internal ones too). */
export function listTopicsWithKafkaTool(bootstrap: string): string[] {
  return runKafkaClass('org.apache.kafka.tools.TopicCommand', ['--bootstrap-server', bootstrap, '--list'])
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

/** TopicCommand --describe's header line of a topic: its ID, partition count and replication factor; null where the tool says it does not exist. */
export function describeTopicWithKafkaTool(
  bootstrap: string,
  topic: string,
): { topicId: string; partitionCount: number; replicationFactor: number } | null {
  let out: string;
  try {
    out = runKafkaClass('org.apache.kafka.tools.TopicCommand', [
      '--bootstrap-server',
      bootstrap,
      '--describe',
      '--topic',
      topic,
    ]);
  } catch (err) {
    const text = `${(err as { stdout?: string }).stdout ?? ''}${(err as { stderr?: string }).stderr ?? ''}`;
    if (/does not exist/.test(text)) return null;
    throw err;
  }
  const match = /\bTopicId:\s*(\S+)\s+PartitionCount:\s*(\d+)\s+ReplicationFactor:\s*(\d+)/.exec(out);
  if (!match) throw new Error(`TopicCommand printed no description of ${topic}:\n${out}`);
  return { topicId: match[1]!, partitionCount: Number(match[2]), replicationFactor: Number(match[3]) };
}

/** ConfigCommand --describe of a topic: the configs set on the topic itself (DYNAMIC_TOPIC_CONFIG), name → value. */
export function topicConfigsWithKafkaTool(bootstrap: string, topic: string): Map<string, string> {
  const out = runKafkaClass('kafka.admin.ConfigCommand', [
    '--bootstrap-server',
    bootstrap,
    '--describe',
    '--entity-type',
    'topics',
    '--entity-name',
    topic,
  ]);
  if (!/Dynamic configs for topic/.test(out)) throw new Error(`ConfigCommand printed no configs of ${topic}:\n${out}`);
  const configs = new Map<string, string>();
  for (const line of out.split('\n')) {
    const match = /^\s+([^=\s]+)=(.*?) sensitive=(true|false) synonyms=/.exec(line);
    if (match) configs.set(match[1]!, match[2]!);
  }
  return configs;
}
