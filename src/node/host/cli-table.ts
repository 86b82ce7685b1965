// Tables for people, as the CLI prints them (`topics`, `describe`, `groups`, `lag`,
// `reset-offsets`): one column-width routine, so that columns line up whatever the width of
// what is in them (19-digit offsets, a long replica list); with --json, one way to print the DTO instead.
import type { TopicDetail, TopicSummary } from '../../common/contract/dto.ts';
import { formatCount } from '../../common/format/numbers.ts';

/**
 * What a command that shows one result prints: with --json the contract's DTO as indented JSON
 * (what scripts read, the same for every command), else its text for people.
 */
export function jsonOrText<T>(json: boolean | undefined, result: T, text: (result: T) => string): string {
  return json ? JSON.stringify(result, null, 2) + '\n' : text(result);
}

/**
 * Columns as wide as their widest cell (header included), two spaces apart; the columns in
 * rightAligned (numbers) are padded on the left, the others on the right; no trailing spaces.
 */
export function table(header: string[], rows: string[][], rightAligned: ReadonlySet<number>): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => (rightAligned.has(i) ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** `topics`: name, partition count, replication factor, message count, under-replicated partitions (blank when none). */
export function topicTable(topics: TopicSummary[]): string {
  return table(
    ['TOPIC', 'PARTITIONS', 'RF', 'MESSAGES', 'UNDER-REPLICATED'],
    topics.map((t) => [
      t.name,
      String(t.partitionCount),
      String(t.replicationFactor),
      t.messageCount === null ? '?' : formatCount(t.messageCount),
      t.underReplicatedPartitions ? String(t.underReplicatedPartitions) : '',
    ]),
    new Set([1, 2, 3, 4]),
  );
}

/** The columns of `describe`'s partition table; numbers (partition, leader, offsets) right-aligned. */
export const DESCRIBE_HEADER = ['PARTITION', 'LEADER', 'REPLICAS', 'ISR', 'EARLIEST', 'LATEST', ''];
const DESCRIBE_RIGHT_ALIGNED = new Set([0, 1, 4, 5]);

/** `describe`: the partitions (offsets in full, without separators, as Kafka's tools print them), then the configs. */
export function describeText(d: TopicDetail): string {
  const partitions = table(
    DESCRIBE_HEADER,
    d.partitions.map((p) => [
      String(p.partition),
      String(p.leader),
      p.replicas.join(',') || '-',
      p.isr.join(',') || '-',
      p.earliestOffset ?? '?',
      p.latestOffset ?? '?',
      p.underReplicated ? '(under-replicated)' : '',
    ]),
    DESCRIBE_RIGHT_ALIGNED,
  );
  const lines = [`Topic ${d.name}${d.internal ? ' (internal)' : ''}`, '', partitions, 'CONFIG (* = not default)'];
  for (const c of d.configs)
    lines.push(`${c.isDefault ? ' ' : '*'} ${c.name} = ${c.sensitive ? '(sensitive)' : (c.value ?? '')}`);
  return lines.join('\n') + '\n';
}
