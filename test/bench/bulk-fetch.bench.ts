// Benchmark: read a 1 M-record topic (200-byte JSON values, 6 partitions) from the beginning
// to the end, (a) into the replay log, (b) without it, against kcat reading the same topic
// to /dev/null in the same run. Goals (quality.md): (a) ≥ 0.5× kcat's records/s, (b) ≥ 0.7×.
import { execFileSync, spawn } from 'node:child_process';
import { createWriteStream, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConnectionProfile } from '../../src/contract/dto.ts';
import { openClusterClient } from '../../src/kafka/index.ts';
import { ReplayLog } from '../../src/log/replay-log.ts';
import { createTopicWithKafkaTool } from '../kafka/kafka-tools.ts';

export const BULK_RECORDS = Number(process.env['BENCH_BULK_RECORDS'] ?? 1_000_000);
const PARTITIONS = 6;
const TOPIC = 'bench-bulk';

async function writeValues(path: string): Promise<void> {
  const out = createWriteStream(path);
  for (let i = 0; i < BULK_RECORDS; i++) {
    // ~200 bytes of JSON, like an order event.
    const line = `{"type":"OrderPlaced","orderId":"ord_${i.toString().padStart(9, '0')}","customerId":"cus_${(i % 9973).toString(36)}","totalCents":${(i * 7919) % 100000},"currency":"EUR","items":[{"sku":"SKU-${i % 997}","quantity":${1 + (i % 3)}}],"pad":"xxxxxxxxxxxxxxxxx"}\n`;
    if (!out.write(line)) await new Promise<void>((resolve) => out.once('drain', () => resolve()));
  }
  await new Promise<void>((resolve) => {
    out.end(() => resolve());
  });
}

function timeKcat(bootstrap: string): number {
  const started = performance.now();
  execFileSync('kcat', ['-b', bootstrap, '-C', '-t', TOPIC, '-o', 'beginning', '-e', '-q', '-X', 'fetch.max.bytes=52428800'], { stdio: ['ignore', 'ignore', 'pipe'], maxBuffer: 1 << 30 });
  return performance.now() - started;
}

export interface BulkFetchResult {
  records: number;
  kcatMs: number;
  withoutLogMs: number;
  withLogMs: number;
}

export async function benchBulkFetch(bootstrap: string, log: (line: string) => void): Promise<BulkFetchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'es-bench-bulk-'));
  try {
    createTopicWithKafkaTool(bootstrap, TOPIC, { partitions: PARTITIONS });
    const file = join(dir, 'values.txt');
    await writeValues(file);
    const produceStarted = performance.now();
    await new Promise<void>((resolve, reject) => {
      const kcat = spawn('kcat', ['-b', bootstrap, '-P', '-t', TOPIC, '-p', '-1', '-X', 'linger.ms=20', '-X', 'batch.num.messages=10000', '-l', file], { stdio: ['ignore', 'ignore', 'pipe'] });
      kcat.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kcat -P exited ${code}`))));
    });
    log(`produced ${BULK_RECORDS.toLocaleString()} records with kcat in ${((performance.now() - produceStarted) / 1000).toFixed(1)} s`);

    const client = await openClusterClient(ConnectionProfile.parse({ id: 'bench', name: 'bench', bootstrap }), {});
    const read = async (replayLog: ReplayLog | null): Promise<{ ms: number; records: number }> => {
      let records = 0;
      const started = performance.now();
      await client.read({
        topic: TOPIC,
        from: { kind: 'earliest' },
        follow: false,
        onRecords: (batch, span) => {
          records += batch.length;
          replayLog?.append({ cluster: 'bench', topic: TOPIC, partition: span.partition }, span, batch);
        },
      });
      return { ms: performance.now() - started, records };
    };
    // Warm-up: the broker's page cache and the JIT, for every contender alike.
    timeKcat(bootstrap);
    await read(null);
    const kcatMs = Math.min(timeKcat(bootstrap), timeKcat(bootstrap));
    const without = [await read(null), await read(null)];
    const withLog = [];
    for (let i = 0; i < 2; i++) {
      const replayLog = new ReplayLog(join(dir, `log-${i}.sqlite`), { capBytesPerCluster: Number.MAX_SAFE_INTEGER, checkpointInBackground: true });
      withLog.push(await read(replayLog));
      replayLog.close();
    }
    await client.close();
    if (without[0]!.records !== BULK_RECORDS || withLog[0]!.records !== BULK_RECORDS) throw new Error(`read ${without[0]!.records} / ${withLog[0]!.records} of ${BULK_RECORDS} records`);
    return { records: BULK_RECORDS, kcatMs, withoutLogMs: Math.min(...without.map((r) => r.ms)), withLogMs: Math.min(...withLog.map((r) => r.ms)) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
