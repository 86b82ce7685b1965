// Benchmark: the command line reading a whole topic — `eventscope tail TOPIC --from earliest
// --end`, plain and --json — against kcat reading the same topic (`kcat -C -e -o beginning -q`,
// plain and -J), every process writing to /dev/null, in the same run on the same data. Reports
// records/s (median of the timed runs), the ratio eventscope / kcat and each process's peak RSS
// (VmHWM from /proc, polled while it runs). A separate counted run of each (stdout piped here,
// newlines counted) checks that every record came out: a reader that loses records must not
// show a flattering rate. Goals (issue 7): plain ≥ 1.0× kcat, --json ≥ 1.5× kcat -J, peak RSS
// of eventscope < 150 MB.
//
// The topic is filled with kcat -P from a generated file: 2 M records took ~2.5 s that way
// against 7–10 s (plus JVM start) with Kafka's ProducerPerformance on the development machine,
// and the values can be realistic JSON (quotes to escape in --json) rather than random letters.
import { spawn } from 'node:child_process';
import { closeSync, createWriteStream, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createTopicWithKafkaTool,
  deleteTopicWithKafkaTool,
  offsetsFromGetOffsetShell,
} from '../harness/kafka-tools.ts';
import { produceFileWithKcat } from '../harness/kcat.ts';

export const CLI_RECORDS = Number(process.env['BENCH_CLI_RECORDS'] ?? 2_000_000);
const REPEATS = Number(process.env['BENCH_CLI_REPEATS'] ?? 3);
const PARTITIONS = 6;
const VALUE_BYTES = 200;
const WARM_UP_RECORDS = 1_000;
// A fresh topic per run: the bench may run again against the same (external) cluster.
const TOPIC = `bench-cli-${Date.now().toString(36)}`;
const BIN = new URL('../../bin/eventscope.js', import.meta.url).pathname;
const BUILT_CLI = new URL('../../out/main/cli.js', import.meta.url).pathname;
const RSS_POLL_MS = 50;

export interface ContenderResult {
  /** The command as printed. */
  label: string;
  /** Median wall time of the timed runs, spawn to exit. */
  ms: number;
  runsMs: number[];
  /** Lines the counted run printed (one per record). */
  lines: number;
  /** Highest VmHWM over the timed runs (the counted run writes into a pipe read here: its memory depends on this reader). */
  peakRssMb: number;
  /** Why a run failed (non-zero exit), with the end of its stderr; null when all exited 0. */
  failure: string | null;
}

export interface CliTailResult {
  records: number;
  produceMs: number;
  kcat: ContenderResult;
  eventscope: ContenderResult;
  kcatJson: ContenderResult;
  eventscopeJson: ContenderResult;
}

interface RunOutcome {
  ms: number;
  peakRssKb: number;
  lines: number;
  code: number | null;
  stderr: string;
}

/** A 200-byte JSON value (an order event, padded), so --json has quotes to escape like real data. */
function valueLine(i: number): string {
  const head = `{"type":"OrderPlaced","orderId":"ord_${i.toString().padStart(9, '0')}","customerId":"cus_${(i % 9973).toString(36)}","totalCents":${(i * 7919) % 100000},"currency":"EUR","items":[{"sku":"SKU-${i % 997}","quantity":${1 + (i % 3)}}],"pad":"`;
  return head + 'x'.repeat(VALUE_BYTES - head.length - 2) + '"}';
}

/** "key<TAB>value" lines for kcat -P -K '\t': keys spread the records over the partitions by hash. */
async function writeInput(path: string): Promise<void> {
  const out = createWriteStream(path);
  const LINES_PER_WRITE = 10_000;
  for (let i = 0; i < CLI_RECORDS; i += LINES_PER_WRITE) {
    let chunk = '';
    for (let j = i; j < Math.min(i + LINES_PER_WRITE, CLI_RECORDS); j++)
      chunk += `ord_${j.toString().padStart(9, '0')}\t${valueLine(j)}\n`;
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve, reject) => out.end((err?: Error | null) => (err ? reject(err) : resolve())));
}

function vmHwmKb(pid: number): number | null {
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) : null;
  } catch {
    return null; // exited between polls
  }
}

/**
 * Runs a command to its exit with stdout to /dev/null (or, counting, piped here and its
 * newlines counted), polling its peak RSS. Time is spawn to exit.
 */
function runMeasured(command: string, args: readonly string[], devNull: number, count: boolean): Promise<RunOutcome> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(command, args, { stdio: ['ignore', count ? 'pipe' : devNull, 'pipe'] });
    let peakRssKb = 0;
    const poll = (): void => {
      const kb = child.pid === undefined ? null : vmHwmKb(child.pid);
      if (kb !== null && kb > peakRssKb) peakRssKb = kb;
    };
    const timer = setInterval(poll, RSS_POLL_MS);
    let lines = 0;
    child.stdout?.on('data', (chunk: Buffer) => {
      for (let at = chunk.indexOf(10); at !== -1; at = chunk.indexOf(10, at + 1)) lines++;
    });
    let stderr = '';
    child.stderr!.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString('utf8')).slice(-4_000);
    });
    let ms = 0;
    child.on('exit', () => {
      ms = performance.now() - started;
    });
    child.on('error', (err) => {
      clearInterval(timer);
      reject(err);
    });
    // 'close' comes after the exit and the end of stdout/stderr: every line is counted.
    child.on('close', (code) => {
      clearInterval(timer);
      resolve({ ms, peakRssKb, lines, code, stderr });
    });
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

export async function benchCliTail(bootstrap: string, log: (line: string) => void): Promise<CliTailResult> {
  if (!existsSync(BUILT_CLI)) throw new Error(`${BUILT_CLI} is missing: build the app first (npm run build).`);
  const dir = mkdtempSync(join(tmpdir(), 'es-bench-cli-'));
  const devNull = openSync('/dev/null', 'w');
  let created = false;
  try {
    createTopicWithKafkaTool(bootstrap, TOPIC, { partitions: PARTITIONS });
    created = true;
    const input = join(dir, 'records.txt');
    await writeInput(input);
    const produceStarted = performance.now();
    await produceFileWithKcat(bootstrap, TOPIC, input, { keyed: true });
    const produceMs = performance.now() - produceStarted;
    rmSync(input, { force: true });
    const latest = offsetsFromGetOffsetShell(bootstrap, TOPIC, 'latest');
    const held = [...latest.values()].reduce((sum, offset) => sum + Number(offset), 0);
    if (held !== CLI_RECORDS)
      throw new Error(
        `the topic holds ${held} records after producing ${CLI_RECORDS}: the bench has nothing fair to measure`,
      );
    log(
      `produced ${CLI_RECORDS.toLocaleString()} records (${VALUE_BYTES} B values, 13 B keys) with kcat -P in ${(produceMs / 1000).toFixed(1)} s; per partition: ${[
        ...latest,
      ]
        .sort((a, b) => a[0] - b[0])
        .map(([p, o]) => `${p}:${o}`)
        .join(' ')}`,
    );

    const kcatArgs = ['-b', bootstrap, '-C', '-e', '-o', 'beginning', '-q', '-t', TOPIC];
    const esArgs = [BIN, 'tail', TOPIC, '--bootstrap', bootstrap, '--from', 'earliest', '--end'];
    const contenders = [
      {
        key: 'kcat',
        label: 'kcat -C -e -o beginning -q',
        command: 'kcat',
        args: kcatArgs,
        warmUp: ['-c', String(WARM_UP_RECORDS)],
      },
      {
        key: 'eventscope',
        label: 'eventscope tail --from earliest --end',
        command: process.execPath,
        args: esArgs,
        warmUp: ['--max', String(WARM_UP_RECORDS)],
      },
      {
        key: 'kcatJson',
        label: 'kcat -C -e -o beginning -q -J',
        command: 'kcat',
        args: [...kcatArgs, '-J'],
        warmUp: ['-c', String(WARM_UP_RECORDS)],
      },
      {
        key: 'eventscopeJson',
        label: 'eventscope tail --from earliest --end --json',
        command: process.execPath,
        args: [...esArgs, '--json'],
        warmUp: ['--max', String(WARM_UP_RECORDS)],
      },
    ] as const;

    // Warm-up: a short read by each, so the first timed run does not pay for a cold start alone.
    for (const c of contenders) await runMeasured(c.command, [...c.args, ...c.warmUp], devNull, false);

    const outcomes = new Map<string, { counted: RunOutcome; timed: RunOutcome[] }>();
    for (const c of contenders) {
      const counted = await runMeasured(c.command, c.args, devNull, true);
      log(
        `counted run, ${c.label}: ${counted.lines.toLocaleString()} lines in ${(counted.ms / 1000).toFixed(2)} s${counted.code === 0 ? '' : ` (exit ${counted.code})`}`,
      );
      outcomes.set(c.key, { counted, timed: [] });
    }
    // Timed runs interleaved, so a noisy spell on the shared machine hits every contender alike.
    for (let r = 0; r < REPEATS; r++) {
      for (const c of contenders) {
        const outcome = await runMeasured(c.command, c.args, devNull, false);
        outcomes.get(c.key)!.timed.push(outcome);
        log(
          `run ${r + 1}/${REPEATS}, ${c.label}: ${(outcome.ms / 1000).toFixed(2)} s, peak RSS ${Math.round(outcome.peakRssKb / 1024)} MB${outcome.code === 0 ? '' : ` (exit ${outcome.code})`}`,
        );
      }
    }

    const result = (key: (typeof contenders)[number]['key']): ContenderResult => {
      const c = contenders.find((x) => x.key === key)!;
      const { counted, timed } = outcomes.get(key)!;
      const failed = [counted, ...timed].find((o) => o.code !== 0);
      return {
        label: c.label,
        ms: median(timed.map((o) => o.ms)),
        runsMs: timed.map((o) => o.ms),
        lines: counted.lines,
        peakRssMb: Math.round(Math.max(...timed.map((o) => o.peakRssKb)) / 1024),
        failure: failed ? `exit ${failed.code}: ${failed.stderr.trim().split('\n').slice(-3).join(' / ')}` : null,
      };
    };
    return {
      records: CLI_RECORDS,
      produceMs,
      kcat: result('kcat'),
      eventscope: result('eventscope'),
      kcatJson: result('kcatJson'),
      eventscopeJson: result('eventscopeJson'),
    };
  } finally {
    closeSync(devNull);
    rmSync(dir, { recursive: true, force: true });
    if (created) deleteTopicWithKafkaTool(bootstrap, TOPIC);
  }
}

/** The report lines: rates and ratios only where every record came out, goals said met or not. */
export function cliTailReport(r: CliTailResult): string[] {
  const rate = (c: ContenderResult): number => Math.round(r.records / (c.ms / 1000));
  const complete = (c: ContenderResult): boolean => c.lines === r.records && c.failure === null;
  const problem = (c: ContenderResult): string =>
    c.failure
      ? `FAILED (${c.failure})`
      : `NOT every record: ${c.lines.toLocaleString()} of ${r.records.toLocaleString()} — no rate reported`;
  const met = (ok: boolean): string => (ok ? 'met' : 'NOT met');
  const RSS_GOAL_MB = 150;
  const line = (c: ContenderResult, reference: ContenderResult | null, goal: number): string => {
    const head = `${c.label}:`.padEnd(48);
    if (!complete(c)) return `${head}${problem(c)}; peak RSS ${c.peakRssMb} MB`;
    const figures = `${rate(c).toLocaleString()} records/s (${(c.ms / 1000).toFixed(2)} s; runs ${c.runsMs.map((ms) => (ms / 1000).toFixed(2)).join(', ')})`;
    if (reference === null) return `${head}${figures}, peak RSS ${c.peakRssMb} MB`;
    const ratio = complete(reference) ? reference.ms / c.ms : null;
    const vs =
      ratio === null
        ? 'no ratio: the reference did not read every record'
        : `${ratio.toFixed(2)}× ${reference.label.replace(/ -C -e -o beginning -q/, '')} (goal ≥ ${goal.toFixed(1)}×: ${met(ratio >= goal)})`;
    return `${head}${figures} — ${vs}, peak RSS ${c.peakRssMb} MB (goal < ${RSS_GOAL_MB} MB: ${met(c.peakRssMb < RSS_GOAL_MB)})`;
  };
  return [
    line(r.kcat, null, 0),
    line(r.eventscope, r.kcat, 1.0),
    line(r.kcatJson, null, 0),
    line(r.eventscopeJson, r.kcatJson, 1.5),
  ];
}
