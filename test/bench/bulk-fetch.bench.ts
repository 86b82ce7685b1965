// Benchmark: read a 1 M-record topic (6 partitions) from the beginning to the end, (a) into the
// replay log, (b) without it, against kcat reading the same topic to /dev/null in the same run.
// Twice, on two kinds of value: realistic JSON (~220 B, an order event: zstd shrinks it about
// 4×) and random bytes (200 B, incompressible: every byte fetched is a byte written to disk,
// and time spent trying to compress it is lost). Goals (quality.md, issue 13): (a) ≥ 0.5×
// kcat's records/s, aiming at 1.0×; (b) ≥ 0.7×.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionProfile } from '../../src/common/contract/dto.ts';
import { openClusterClient } from '../../src/node/kafka/index.ts';
import { ReplayLog } from '../../src/node/log/replay-log.ts';
import { createTopicWithKafkaTool, deleteTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { produceFileWithKcat } from '../harness/kcat.ts';

export const BULK_RECORDS = Number(process.env['BENCH_BULK_RECORDS'] ?? 1_000_000);
/** Timed runs of each contender; the fastest counts (the machine is shared, slow runs are noise). */
const REPEATS = Number(process.env['BENCH_BULK_REPEATS'] ?? 3);
const PARTITIONS = 6;
const RANDOM_VALUE_BYTES = 200;
const GOAL_WITHOUT_LOG = 0.7;
const GOAL_WITH_LOG = 0.5;
const AIM_WITH_LOG = 1.0;

export type ValueKind = 'json' | 'random';
export const VALUE_KINDS: readonly ValueKind[] = ['json', 'random'];
const KIND_LABEL: Record<ValueKind, string> = {
  json: 'JSON values (~220 B order events, compressible)',
  random: `random values (${RANDOM_VALUE_BYTES} B, incompressible)`,
};

/** kcat -P -l takes one value per line; the values are written in chunks to keep memory flat. */
async function writeValues(path: string, kind: ValueKind): Promise<void> {
  const out = createWriteStream(path);
  const write = async (chunk: string | Buffer): Promise<void> => {
    if (!out.write(chunk)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  };
  const CHUNK = 10_000;
  for (let i = 0; i < BULK_RECORDS; i += CHUNK) {
    const n = Math.min(CHUNK, BULK_RECORDS - i);
    if (kind === 'json') {
      let lines = '';
      for (let j = i; j < i + n; j++) {
        // ~220 bytes of JSON, like an order event.
        lines += `{"type":"OrderPlaced","orderId":"ord_${j.toString().padStart(9, '0')}","customerId":"cus_${(j % 9973).toString(36)}","totalCents":${(j * 7919) % 100000},"currency":"EUR","items":[{"sku":"SKU-${j % 997}","quantity":${1 + (j % 3)}}],"pad":"xxxxxxxxxxxxxxxxx"}\n`;
      }
      await write(lines);
    } else {
      // Uniform random bytes but the line delimiter (0x0a becomes 0x0b): 7.99 bits per byte,
      // nothing any compressor can take away.
      const stride = RANDOM_VALUE_BYTES + 1;
      const lines = randomBytes(n * stride);
      for (let at = 0; at < lines.length; at++) if (lines[at] === 0x0a) lines[at] = 0x0b;
      for (let j = 1; j <= n; j++) lines[j * stride - 1] = 0x0a;
      await write(lines);
    }
  }
  await new Promise<void>((resolve) => {
    out.end(() => resolve());
  });
}

function timeKcat(bootstrap: string, topic: string): number {
  const started = performance.now();
  execFileSync(
    'kcat',
    ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-X', 'fetch.max.bytes=52428800'],
    { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 },
  );
  return performance.now() - started;
}

export interface BulkFetchRun {
  kind: ValueKind;
  kcatMs: number;
  withoutLogMs: number;
  withLogMs: number;
  /** Bytes the replay log stored for the topic (blobs, after compression). */
  storedBytes: number;
}

export interface BulkFetchResult {
  records: number;
  runs: BulkFetchRun[];
}

export async function benchBulkFetch(
  bootstrap: string,
  log: (line: string) => void,
  kinds: readonly ValueKind[] = VALUE_KINDS,
): Promise<BulkFetchResult> {
  const runs: BulkFetchRun[] = [];
  for (const kind of kinds) runs.push(await benchOneKind(bootstrap, kind, log));
  return { records: BULK_RECORDS, runs };
}

async function benchOneKind(bootstrap: string, kind: ValueKind, log: (line: string) => void): Promise<BulkFetchRun> {
  const dir = mkdtempSync(join(tmpdir(), 'es-bench-bulk-'));
  // A fresh topic per run: the bench may run again against the same (external) cluster.
  const topic = `bench-bulk-${kind}-${Date.now().toString(36)}`;
  let created = false;
  try {
    createTopicWithKafkaTool(bootstrap, topic, { partitions: PARTITIONS });
    created = true;
    const file = join(dir, 'values.txt');
    await writeValues(file, kind);
    const produceStarted = performance.now();
    await produceFileWithKcat(bootstrap, topic, file);
    rmSync(file);
    log(
      `${KIND_LABEL[kind]}: produced ${BULK_RECORDS.toLocaleString()} records with kcat in ${((performance.now() - produceStarted) / 1000).toFixed(1)} s`,
    );

    const client = await openClusterClient(ConnectionProfile.parse({ id: 'bench', name: 'bench', bootstrap }), {});
    const read = async (replayLog: ReplayLog | null): Promise<{ ms: number; records: number }> => {
      let records = 0;
      const started = performance.now();
      await client.read({
        topic,
        from: { kind: 'earliest' },
        follow: false,
        onRecords: (batch, span) => {
          records += batch.length;
          replayLog?.append({ cluster: 'bench', topic, partition: span.partition }, span, batch);
        },
      });
      return { ms: performance.now() - started, records };
    };
    const check = (what: string, r: { records: number }): void => {
      if (r.records !== BULK_RECORDS) throw new Error(`${what} read ${r.records} of ${BULK_RECORDS} records`);
    };
    try {
      // Warm-up: the broker's page cache and the JIT, for every contender alike.
      timeKcat(bootstrap, topic);
      check('the warm-up', await read(null));
      // Contenders take turns, so a slow spell of the shared machine does not fall on one only.
      const kcat: number[] = [];
      const without: number[] = [];
      const withLog: number[] = [];
      let storedBytes = 0;
      for (let i = 0; i < REPEATS; i++) {
        kcat.push(timeKcat(bootstrap, topic));
        const plain = await read(null);
        check('eventscope without the log', plain);
        without.push(plain.ms);
        const path = join(dir, `log-${i}.sqlite`);
        const replayLog = new ReplayLog(path, {
          capBytesPerCluster: Number.MAX_SAFE_INTEGER,
          checkpointInBackground: true,
        });
        const logged = await read(replayLog);
        check('eventscope into the log', logged);
        withLog.push(logged.ms);
        storedBytes = replayLog.sizeBytes('bench');
        if (replayLog.recordCount('bench', topic) !== BULK_RECORDS)
          throw new Error(`the replay log holds ${replayLog.recordCount('bench', topic)} of ${BULK_RECORDS} records`);
        replayLog.close();
        rmSync(path, { force: true });
      }
      return {
        kind,
        kcatMs: Math.min(...kcat),
        withoutLogMs: Math.min(...without),
        withLogMs: Math.min(...withLog),
        storedBytes,
      };
    } finally {
      await client.close();
    }
  } finally {
    if (created) {
      try {
        deleteTopicWithKafkaTool(bootstrap, topic);
      } catch {
        // Left behind on a broker that refuses deletes; the next run uses a new name anyway.
      }
    }
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The lines `npm run bench` prints: per value kind, records/s and the ratio to kcat against the goals. */
export function bulkFetchReport(result: BulkFetchResult): string[] {
  const lines: string[] = [];
  for (const r of result.runs) {
    const rate = (ms: number) => Math.round(result.records / (ms / 1000));
    const without = r.kcatMs / r.withoutLogMs;
    const withLog = r.kcatMs / r.withLogMs;
    lines.push(
      `${KIND_LABEL[r.kind]}:`,
      `  reference kcat -C -e -o beginning -q:   ${rate(r.kcatMs).toLocaleString()} records/s (${(r.kcatMs / 1000).toFixed(2)} s)`,
      `  eventscope fetch, no replay log:        ${rate(r.withoutLogMs).toLocaleString()} records/s — ${without.toFixed(2)}× kcat (goal ≥ ${GOAL_WITHOUT_LOG}×: ${without >= GOAL_WITHOUT_LOG ? 'met' : 'NOT met'})`,
      `  eventscope fetch into the replay log:   ${rate(r.withLogMs).toLocaleString()} records/s — ${withLog.toFixed(2)}× kcat (goal ≥ ${GOAL_WITH_LOG}×: ${withLog >= GOAL_WITH_LOG ? 'met' : 'NOT met'}; aim ${AIM_WITH_LOG.toFixed(1)}×: ${withLog >= AIM_WITH_LOG ? 'reached' : 'not reached'}); ${(r.storedBytes / 1024 / 1024).toFixed(0)} MB stored`,
    );
  }
  return lines;
}
