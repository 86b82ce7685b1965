// The CLI's help and layout, run as a user runs it (the built bin): every subcommand has its own
// --help (exit 0, its usage line, not the overview); a usage error shows the help of the command
// it was made in; describe's columns line up for offsets of any width; and with a stderr that is
// not a terminal (a pipe, as here) long reads print no progress line: only the messages they
// always printed.
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopicWithKafkaTool, deleteRecordsWithKafkaTool } from '../harness/kafka-tools.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { uniqueName } from '../support/unique.ts';
import { eventscope } from '../support/run-cli.ts';
import { testTempDir } from '../support/temp-dir.ts';

const COMMANDS = ['serve', 'topics', 'describe', 'tail', 'export', 'groups', 'lag', 'reset-offsets'];
const OVERVIEW = 'eventscope — inspect Apache Kafka event streams';

/** The help of one command: its usage line first, its options, examples; not the overview. */
function expectCommandHelp(text: string, command: string): void {
  expect(text.startsWith(`Usage: eventscope ${command} `), text).toBe(true);
  expect(text).toMatch(/\nOptions:\n {2}--/);
  expect(text).toMatch(new RegExp(`\\nExamples:\\n {2}eventscope ${command}\\b`));
  expect(text).not.toContain(OVERVIEW);
  // No other command's usage line.
  for (const other of COMMANDS.filter((c) => c !== command)) expect(text).not.toContain(`eventscope ${other} `);
}

/** Whitespace-separated cells of a line, with where each starts and ends. */
function cells(line: string): { text: string; start: number; end: number }[] {
  return [...line.matchAll(/\S+/g)].map((m) => ({ text: m[0], start: m.index, end: m.index + m[0].length }));
}

describe('eventscope --help and usage errors', () => {
  const kafka = inject('kafka');

  it('each subcommand --help (and -h) prints its own help and exits 0', async () => {
    const results = await Promise.all(
      COMMANDS.flatMap((command) =>
        [['--help'], ['-h']].map(async (flag) => ({ command, flag, ...(await eventscope([command, ...flag])) })),
      ),
    );
    for (const { command, flag, code, stdout, stderr } of results) {
      expect({ command, flag, code, stderr }).toEqual({ command, flag, code: 0, stderr: '' });
      expectCommandHelp(stdout, command);
    }
    // Defaults are said.
    const tail = results.find((r) => r.command === 'tail')!.stdout;
    expect(tail).toMatch(/--from POSITION[^\n]*\n?[^\n]*\(default latest\)/);
    expect(tail).toMatch(/--isolation LEVEL\s+read_committed \(default/);
    const exportHelp = results.find((r) => r.command === 'export')!.stdout;
    expect(exportHelp).toMatch(/\(default earliest\)/);
    expect(exportHelp).toMatch(/--format FORMAT\s+ndjson \(default/);
  });

  it('--help wins over the rest of the line, which is not checked', async () => {
    const withArgs = await eventscope(['tail', 'orders', '--bootstrap', 'localhost:70000', '--frobnicate', '--help']);
    expect(withArgs.code).toBe(0);
    expectCommandHelp(withArgs.stdout, 'tail');
  });

  it('eventscope --help prints the overview of every command', async () => {
    const { code, stdout, stderr } = await eventscope(['--help']);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    expect(stdout.startsWith(OVERVIEW)).toBe(true);
    for (const command of COMMANDS) expect(stdout).toContain(`\n  eventscope ${command} `);
    expect(stdout).toContain('eventscope COMMAND --help');
  });

  it("a usage error shows the subcommand's help, not the overview (exit 2)", async () => {
    const cases: [string[], string, RegExp][] = [
      [['describe'], 'describe', /describe needs a topic name/],
      [['tail', '--bootstrap', kafka.bootstrap], 'tail', /tail needs a topic name/],
      [['topics', '--frobnicate'], 'topics', /Unknown option '--frobnicate'/],
      [
        ['export', 'orders', '--bootstrap', kafka.bootstrap, '--format', 'xml'],
        'export',
        /--format xml: use ndjson or csv/,
      ],
      [
        ['tail', 'orders', '--bootstrap', kafka.bootstrap, '--from', 'yesterday'],
        'tail',
        /--from yesterday: use earliest/,
      ],
      [['groups'], 'groups', /--bootstrap HOST:PORT/],
      [
        ['lag', uniqueName('g'), '--bootstrap', kafka.bootstrap, '--samples', '0'],
        'lag',
        /--samples 0 is not a whole number/,
      ],
      [
        ['reset-offsets', uniqueName('g'), '--bootstrap', kafka.bootstrap],
        'reset-offsets',
        /needs exactly one of --to-earliest/,
      ],
      [['serve', '--port', '99999'], 'serve', /--port 99999 is not a port number/],
    ];
    const results = await Promise.all(
      cases.map(async ([args, command, message]) => ({ args, command, message, ...(await eventscope(args)) })),
    );
    for (const { args, command, message, code, stdout, stderr } of results) {
      expect({ args, code, stdout }).toEqual({ args, code: 2, stdout: '' });
      const [first, blank, ...help] = stderr.split('\n');
      expect(first).toMatch(/^eventscope: /);
      expect(first).toMatch(message);
      expect(blank).toBe('');
      expectCommandHelp(help.join('\n'), command);
    }
  });

  it('an unknown command shows the overview (exit 2)', async () => {
    const { code, stderr } = await eventscope(['frobnicate']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/^eventscope: Unknown command "frobnicate"\.\n\neventscope — inspect/);
  });
});

describe('describe and topics tables, and quiet long reads', () => {
  const kafka = inject('kafka');
  const topic = uniqueName('cli-widths');

  beforeAll(() => {
    // Offsets of 1, 2, 3 and 5 digits: partition 0 empty, 1 with 12 records, 2 with 12,345 from 345 on.
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 3 });
    produceWithKcat(
      kafka.bootstrap,
      topic,
      Array.from({ length: 12 }, (_, i) => `small-${i}`),
      { partition: 1 },
    );
    produceWithKcat(
      kafka.bootstrap,
      topic,
      Array.from({ length: 12_345 }, (_, i) => `large-${i}`),
      { partition: 2 },
    );
    deleteRecordsWithKafkaTool(kafka.bootstrap, topic, 2, 345);
  }, 120_000);

  it("describe: every row's columns line up under the header, whatever the width of the offsets", async () => {
    const { code, stdout, stderr } = await eventscope(['describe', topic, '--bootstrap', kafka.bootstrap]);
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
    const lines = stdout.split('\n');
    const at = lines.findIndex((l) => l.startsWith('PARTITION'));
    expect(at).toBe(2);
    const header = cells(lines[at]!);
    expect(header.map((c) => c.text)).toEqual(['PARTITION', 'LEADER', 'REPLICAS', 'ISR', 'EARLIEST', 'LATEST']);
    const rows = lines.slice(at + 1, at + 4);
    const rightAligned = new Set([0, 1, 4, 5]);
    for (const row of rows) {
      const found = cells(row);
      expect(found, row).toHaveLength(6);
      found.forEach((cell, i) => {
        if (rightAligned.has(i)) expect(cell.end, `${row}: ${header[i]!.text}`).toBe(header[i]!.end);
        else expect(cell.start, `${row}: ${header[i]!.text}`).toBe(header[i]!.start);
      });
    }
    expect(
      rows.map((r) => cells(r).map((c) => c.text)).map(([p, , , , earliest, latest]) => [p, earliest, latest]),
    ).toEqual([
      ['0', '0', '0'],
      ['1', '0', '12'],
      ['2', '345', '12345'],
    ]);
    expect(lines[at + 4]).toBe('');
    expect(lines[at + 5]).toBe('CONFIG (* = not default)');
  });

  it("topics: the topic's row lines up under the header", async () => {
    const { code, stdout } = await eventscope(['topics', '--bootstrap', kafka.bootstrap]);
    expect(code).toBe(0);
    const lines = stdout.trimEnd().split('\n');
    const header = cells(lines[0]!);
    expect(header.map((c) => c.text)).toEqual(['TOPIC', 'PARTITIONS', 'RF', 'MESSAGES', 'UNDER-REPLICATED']);
    for (const row of lines.slice(1)) {
      const found = cells(row);
      expect(found[0]!.start, row).toBe(0);
      for (const i of [1, 2, 3]) expect(found[i]!.end, row).toBe(header[i]!.end);
    }
    expect(cells(lines.find((l) => l.startsWith(`${topic} `))!).map((c) => c.text)).toEqual([
      topic,
      '3',
      '1',
      '12,012',
    ]);
  });

  it('with a stderr that is not a terminal, export and tail print no progress: stderr is as before', async () => {
    const dir = testTempDir('es-cli-help-');
    const file = join(dir, 'out.ndjson');
    const toFile = await eventscope(['export', topic, '--bootstrap', kafka.bootstrap, '--output', file]);
    expect({ code: toFile.code, stdout: toFile.stdout, stderr: toFile.stderr }).toEqual({
      code: 0,
      stdout: '',
      stderr: '',
    });
    expect((await readFile(file, 'utf8')).split('\n')).toHaveLength(12_012 + 1);
    const toStdout = await eventscope(['export', topic, '--bootstrap', kafka.bootstrap, '--format', 'csv']);
    expect({ code: toStdout.code, stderr: toStdout.stderr }).toEqual({ code: 0, stderr: '' });
    expect(toStdout.stdout.split('\r\n')).toHaveLength(1 + 12_012 + 1);
    const tail = await eventscope(['tail', topic, '--bootstrap', kafka.bootstrap, '--from', 'earliest', '--end']);
    expect({ code: tail.code, stderr: tail.stderr }).toEqual({ code: 0, stderr: '' });
    expect(tail.stdout.split('\n')).toHaveLength(12_012 + 1);
    // A start the partition no longer holds is said, as before, and nothing else is.
    const moved = await eventscope([
      'tail',
      topic,
      '--bootstrap',
      kafka.bootstrap,
      '--partition',
      '2',
      '--from',
      'offset:5',
      '--end',
    ]);
    expect(moved.code).toBe(0);
    expect(moved.stderr).not.toContain('\r');
    expect(moved.stderr).not.toContain('\x1b');
    const said = moved.stderr.split('\n').filter((l) => l !== '');
    expect(said).toHaveLength(1);
    expect(said[0]).toMatch(/^eventscope: .*345/);
    expect(moved.stdout.split('\n')).toHaveLength(12_000 + 1);
  });
});
