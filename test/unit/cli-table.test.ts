// The CLI's tables (src/node/host/cli-table.ts): one column-width routine for topics, describe and
// the group commands, so that columns line up whatever the width of what is in them.
import { describe, expect, it } from 'vitest';
import type { PartitionInfo, TopicDetail } from '../../src/common/contract/dto.ts';
import { DESCRIBE_HEADER, describeText, table, topicTable } from '../../src/node/host/cli-table.ts';

/** Whitespace-separated cells of a line, with where each starts and ends. */
function cells(line: string): { text: string; start: number; end: number }[] {
  return [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

/**
 * Every cell of a row is under its header label: left-aligned columns start where their label
 * starts, right-aligned ones end where it ends; a last column without a label (describe's note)
 * starts two spaces after the last label.
 */
function expectAligned(lines: string[], rightAligned: ReadonlySet<number>, unlabelledLast = false): void {
  const header = cells(lines[0]!);
  const columns = unlabelledLast
    ? [...header, { text: '(note)', start: header.at(-1)!.end + 2, end: Infinity }]
    : header;
  for (const row of lines.slice(1)) {
    const found = cells(row);
    expect(found.length, row).toBeLessThanOrEqual(columns.length);
    found.forEach((cell, i) => {
      if (rightAligned.has(i)) expect(cell.end, `${row}: column ${columns[i]!.text}`).toBe(columns[i]!.end);
      else expect(cell.start, `${row}: column ${columns[i]!.text}`).toBe(columns[i]!.start);
    });
  }
}

function partition(overrides: Partial<PartitionInfo>): PartitionInfo {
  return {
    partition: 0,
    leader: 1,
    replicas: [1],
    isr: [1],
    offlineReplicas: [],
    earliestOffset: '0',
    latestOffset: '0',
    underReplicated: false,
    ...overrides,
  };
}

describe('CLI tables', () => {
  it('describe: columns line up for 19-digit offsets, many replicas and an under-replicated partition', () => {
    const many = Array.from({ length: 12 }, (_, i) => i + 101);
    const detail: TopicDetail = {
      name: 'orders',
      internal: false,
      partitions: [
        partition({ partition: 0, earliestOffset: '0', latestOffset: '7' }),
        partition({
          partition: 1,
          leader: 104,
          replicas: many,
          isr: many,
          earliestOffset: '9223372036854775000',
          latestOffset: '9223372036854775807',
        }),
        partition({
          partition: 12,
          leader: 3,
          replicas: [3, 1, 2],
          isr: [3],
          earliestOffset: '42',
          latestOffset: '1204331',
          underReplicated: true,
        }),
        partition({ partition: 1000, leader: -1, replicas: [2], isr: [], earliestOffset: null, latestOffset: null }),
      ],
      configs: [
        {
          name: 'retention.ms',
          value: '604800000',
          isDefault: false,
          source: 'topic',
          readOnly: false,
          sensitive: false,
        },
      ],
    };
    const text = describeText(detail);
    const lines = text.split('\n');
    expect(lines.slice(0, 2)).toEqual(['Topic orders', '']);
    const tableLines = lines.slice(2, 2 + 1 + detail.partitions.length);
    expect(cells(tableLines[0]!).map((c) => c.text)).toEqual(DESCRIBE_HEADER.filter((h) => h !== ''));
    expectAligned(tableLines, new Set([0, 1, 4, 5]), true);
    expect(cells(tableLines[2]!).map((c) => c.text)).toEqual([
      '1',
      '104',
      many.join(','),
      many.join(','),
      '9223372036854775000',
      '9223372036854775807',
    ]);
    expect(cells(tableLines[3]!).map((c) => c.text)).toEqual([
      '12',
      '3',
      '3,1,2',
      '3',
      '42',
      '1204331',
      '(under-replicated)',
    ]);
    expect(cells(tableLines[4]!).map((c) => c.text)).toEqual(['1000', '-1', '2', '-', '?', '?']);
    for (const line of tableLines) expect(line).toBe(line.trimEnd());
    expect(lines.slice(2 + tableLines.length)).toEqual([
      '',
      'CONFIG (* = not default)',
      '* retention.ms = 604800000',
      '',
    ]);
  });

  it('topics: columns line up for long names and large counts', () => {
    const text = topicTable([
      {
        name: 'a',
        internal: false,
        partitionCount: 1,
        replicationFactor: 1,
        messageCount: '0',
        underReplicatedPartitions: 0,
        offlinePartitions: 0,
      },
      {
        name: 'a-much-longer-topic-name',
        internal: false,
        partitionCount: 1200,
        replicationFactor: 3,
        messageCount: '9223372036854775807',
        underReplicatedPartitions: 17,
        offlinePartitions: 0,
      },
      {
        name: 'offline',
        internal: false,
        partitionCount: 6,
        replicationFactor: 3,
        messageCount: null,
        underReplicatedPartitions: 0,
        offlinePartitions: 6,
      },
    ]);
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^TOPIC\s+PARTITIONS\s+RF\s+MESSAGES\s+UNDER-REPLICATED$/);
    expectAligned(lines, new Set([1, 2, 3, 4]));
    expect(cells(lines[2]!).map((c) => c.text)).toEqual([
      'a-much-longer-topic-name',
      '1200',
      '3',
      '9,223,372,036,854,775,807',
      '17',
    ]);
    expect(cells(lines[3]!).map((c) => c.text)).toEqual(['offline', '6', '3', '?']);
  });

  it('table: as wide as the widest cell, two spaces apart, numbers on the right, no trailing spaces', () => {
    expect(
      table(
        ['GROUP', 'LAG', 'HOST'],
        [
          ['billing', '5310', ''],
          ['a', '7', 'h'],
        ],
        new Set([1]),
      ),
    ).toBe('GROUP     LAG  HOST\nbilling  5310\na           7  h\n');
  });
});
