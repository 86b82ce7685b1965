// Benchmark: 1 M JSON events replayed from a replay log through a projection in its sandbox
// (the CLI's path for a capture: the log read per partition in pages of whole rows, merged by timestamp,
// packed into batches, a worker thread with its limits) against a bare in-memory loop over the
// same values in the same run: JSON.parse + the same reduction, values already decoded to strings
// (the strict reference), and from their bytes (TextDecoder, as values come from Kafka). Reports
// the median of the timed rounds, the ratio bare / projection (goal ≥ 0.8), events/s for a keyed
// projection (and an unkeyed one), and the peak memory of the host (heap, and the process's RSS,
// which holds the worker too) and of the worker (its V8 heap), and the CPU time of the worker's
// thread and of the host's main thread (which of the two is the bound). Checks that the projection's
// state equals the bare loop's: a projection that skips events must not show a flattering rate.
// Asserts nothing else (timings are noisy here).
// BENCH_ONLY=projection npm run bench, or on its own: node test/bench/projection-replay.bench.ts
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import type { Worker } from 'node:worker_threads';
import type { KafkaRecord } from '../../src/node/kafka/index.ts';
import { CAPTURE_CLUSTER, CAPTURE_FORMAT, openCapture } from '../../src/node/log/capture-file.ts';
import { OfflineCluster } from '../../src/node/log/offline-cluster.ts';
import { ReplayLog } from '../../src/node/log/replay-log.ts';
import type { ProjectionOutcome } from '../../src/common/projections/projection-api.ts';
import { replayIntoProjection } from '../../src/common/projections/replay.ts';
import { logPartitionSources } from '../../src/node/projections/log-sources.ts';
import { startProjectionSandbox } from '../../src/node/projections/node-sandbox.ts';

export const PROJECTION_EVENTS = Number(process.env['BENCH_PROJECTION_EVENTS'] ?? 1_000_000);
/** The long run: a keyed projection over this many events of a capture file (0: none). */
export const PROJECTION_BIG_EVENTS = Number(process.env['BENCH_PROJECTION_BIG_EVENTS'] ?? 10_000_000);
const ROUNDS = Number(process.env['BENCH_PROJECTION_ROUNDS'] ?? 5);
const PARTITIONS = 3;
const CUSTOMERS = 10_000;
const ROW_RECORDS = 4_096;
const CLUSTER = 'bench';
const TOPIC = 'orders';
const SAMPLE_MS = 25;

/** Revenue per customer, one state per key. The bare loop below does the same. */
const KEYED = `
export default {
  typeFrom: { jsonField: 'type' },
  keyBy: (event) => event.value.customerId,
  init: () => ({ orders: 0, cents: 0 }),
  on: {
    OrderPaid(state, event) {
      state.orders += 1;
      state.cents += event.value.amountCents;
      return state;
    },
  },
};`;

/** The same reduction into one state object. */
const UNKEYED = `
export default {
  typeFrom: { jsonField: 'type' },
  init: () => ({}),
  on: {
    OrderPaid(state, event) {
      const c = event.value.customerId;
      const s = state[c] ?? (state[c] = { orders: 0, cents: 0 });
      s.orders += 1;
      s.cents += event.value.amountCents;
      return state;
    },
  },
};`;

export interface ProjectionRun {
  ms: number;
  /** CPU time of the whole process (host and worker threads) during the run: steadier than wall time on a shared machine. */
  cpuMs: number;
  /**
   * The split: the sandbox worker's thread (its start, the projection's load, every batch) and
   * the host's main thread (the log read, merged and packed). The worker is the bound when its
   * share is near the wall time; the rest of the wall time is the host, or waits between them.
   */
  workerCpuMs: number;
  hostCpuMs: number;
  eventsPerSec: number;
  /** Peak heap of the host's main thread, and the process's RSS (which includes the worker), MB. */
  hostHeapMb: number;
  processRssMb: number;
  /** Peak V8 heap in use in the worker, MB. */
  workerHeapMb: number;
}

export interface ProjectionBenchResult {
  events: number;
  valueBytes: number;
  writeMs: number;
  bareStringsMs: number;
  bareStringsCpuMs: number;
  bareBytesMs: number;
  keyed: ProjectionRun;
  unkeyed: ProjectionRun;
  /** Whether every projection run's state equalled the bare loop's. */
  statesEqual: boolean;
}

function valueOf(i: number): string {
  const paid = i % 3 !== 0;
  const orderId = `ord_${i.toString().padStart(9, '0')}`;
  const customerId = `cus_${(i * 7919) % CUSTOMERS}`;
  return paid
    ? JSON.stringify({
        type: 'OrderPaid',
        orderId,
        customerId,
        paymentId: `pay_${i}`,
        amountCents: (i * 131) % 50_000,
        currency: 'EUR',
      })
    : JSON.stringify({
        type: 'OrderPlaced',
        orderId,
        customerId,
        items: [{ sku: `SKU-${i % 97}`, quantity: 1 + (i % 3), unitPriceCents: 500 + (i % 800) }],
        currency: 'EUR',
      });
}

/** 1 M events over the partitions, timestamps rising across them (so the merge interleaves record by record). */
/**
 * Appends the topic's records to a log partition by partition, each batch the span of offsets
 * after the one before (from 0), as a fetch stores them; `stored` counts what each partition holds.
 */
function spanAppender(log: ReplayLog, cluster: string) {
  const stored = new Array<number>(PARTITIONS).fill(0);
  const append = (p: number, records: KafkaRecord[]): void => {
    if (records.length === 0) return;
    const from = BigInt(stored[p]!);
    log.appendAll([
      { key: { cluster, topic: TOPIC, partition: p }, span: { from, to: from + BigInt(records.length) }, records },
    ]);
    stored[p]! += records.length;
  };
  return { stored, append };
}

function writeLog(path: string): { log: ReplayLog; valueBytes: number } {
  const log = new ReplayLog(path, { capBytesPerCluster: Number.MAX_SAFE_INTEGER });
  const enc = new TextEncoder();
  const pending: KafkaRecord[][] = Array.from({ length: PARTITIONS }, () => []);
  const { stored, append } = spanAppender(log, CLUSTER);
  let valueBytes = 0;
  const flush = (p: number): void => {
    append(p, pending[p]!);
    pending[p] = [];
  };
  for (let i = 0; i < PROJECTION_EVENTS; i++) {
    const p = i % PARTITIONS;
    const value = enc.encode(valueOf(i));
    valueBytes += value.length;
    pending[p]!.push({
      partition: p,
      offset: BigInt(stored[p]! + pending[p]!.length),
      timestampMs: 1_767_225_600_000 + i,
      key: enc.encode(`cus_${(i * 7919) % CUSTOMERS}`),
      value,
      headers: [],
    });
    if (pending[p]!.length >= ROW_RECORDS) flush(p);
  }
  for (let p = 0; p < PARTITIONS; p++) flush(p);
  return { log, valueBytes };
}

type Totals = Map<string, { orders: number; cents: number }>;

function bareLoop(values: string[]): Totals {
  const totals: Totals = new Map();
  for (let i = 0; i < values.length; i++) {
    const v = JSON.parse(values[i]!) as { type: string; customerId: string; amountCents: number };
    if (v.type !== 'OrderPaid') continue;
    let s = totals.get(v.customerId);
    if (s === undefined) totals.set(v.customerId, (s = { orders: 0, cents: 0 }));
    s.orders += 1;
    s.cents += v.amountCents;
  }
  return totals;
}

function bareLoopFromBytes(values: Uint8Array[]): Totals {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  const totals: Totals = new Map();
  for (let i = 0; i < values.length; i++) {
    const v = JSON.parse(decoder.decode(values[i]!)) as { type: string; customerId: string; amountCents: number };
    if (v.type !== 'OrderPaid') continue;
    let s = totals.get(v.customerId);
    if (s === undefined) totals.set(v.customerId, (s = { orders: 0, cents: 0 }));
    s.orders += 1;
    s.cents += v.amountCents;
  }
  return totals;
}

function sameTotals(outcome: ProjectionOutcome, expected: Totals): boolean {
  const got = new Map<string, unknown>(
    outcome.keyed ? outcome.states : Object.entries(outcome.state as Record<string, unknown>),
  );
  if (got.size !== expected.size) return false;
  for (const [k, v] of expected) {
    const s = got.get(k) as { orders: number; cents: number } | undefined;
    if (!s || s.orders !== v.orders || s.cents !== v.cents) return false;
  }
  return true;
}

async function runProjection(
  cluster: OfflineCluster,
  replayLog: ReplayLog,
  source: string,
): Promise<{ run: ProjectionRun; outcome: ProjectionOutcome }> {
  let worker: Worker | null = null;
  const peak = { hostHeap: 0, rss: 0, workerHeap: 0 };
  const sample = (): void => {
    const m = process.memoryUsage();
    peak.hostHeap = Math.max(peak.hostHeap, m.heapUsed);
    peak.rss = Math.max(peak.rss, m.rss);
    worker?.getHeapStatistics().then(
      (s) => (peak.workerHeap = Math.max(peak.workerHeap, s.used_heap_size)),
      () => undefined,
    );
  };
  const sampler = setInterval(sample, SAMPLE_MS);
  const started = performance.now();
  const cpu = process.cpuUsage();
  const hostCpu = process.threadCpuUsage();
  const runner = startProjectionSandbox({ fileName: 'bench.js', onWorker: (w) => (worker = w) });
  try {
    await runner.load(source);
    const { sources, close } = await logPartitionSources(cluster, replayLog, CLUSTER, [TOPIC], null, {
      from: { kind: 'earliest' },
    });
    try {
      const { outcome } = await replayIntoProjection(runner, sources);
      const ms = performance.now() - started;
      const used = process.cpuUsage(cpu);
      const hostUsed = process.threadCpuUsage(hostCpu);
      const workerUsed = worker === null ? { user: 0, system: 0 } : await (worker as Worker).cpuUsage();
      sample();
      return {
        outcome,
        run: {
          ms,
          cpuMs: (used.user + used.system) / 1000,
          workerCpuMs: (workerUsed.user + workerUsed.system) / 1000,
          hostCpuMs: (hostUsed.user + hostUsed.system) / 1000,
          eventsPerSec: PROJECTION_EVENTS / (ms / 1000),
          hostHeapMb: peak.hostHeap / 2 ** 20,
          processRssMb: peak.rss / 2 ** 20,
          workerHeapMb: peak.workerHeap / 2 ** 20,
        },
      };
    } finally {
      close();
    }
  } finally {
    clearInterval(sampler);
    runner.terminate();
  }
}

/** A full garbage collection, between the phases of a round (so the bare loops' values do not weigh on the projections). */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  // Twice: V8 frees what the first found dead on background threads (sweeping, 200-300 ms of
  // CPU after the bare loops' 1 M values) while the next phase runs, taking a core from it on a
  // two-core machine; the second collection finishes that sweeping here, before the clock starts.
  gc();
}

const median = (xs: number[]): number => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

function medianRun(runs: ProjectionRun[]): ProjectionRun {
  const ms = median(runs.map((r) => r.ms));
  return {
    ms,
    cpuMs: median(runs.map((r) => r.cpuMs)),
    workerCpuMs: median(runs.map((r) => r.workerCpuMs)),
    hostCpuMs: median(runs.map((r) => r.hostCpuMs)),
    eventsPerSec: PROJECTION_EVENTS / (ms / 1000),
    hostHeapMb: Math.max(...runs.map((r) => r.hostHeapMb)),
    processRssMb: Math.max(...runs.map((r) => r.processRssMb)),
    workerHeapMb: Math.max(...runs.map((r) => r.workerHeapMb)),
  };
}

export async function benchProjectionReplay(log: (line: string) => void): Promise<ProjectionBenchResult> {
  const dir = mkdtempSync(join(tmpdir(), 'es-bench-projection-'));
  try {
    const writeStarted = performance.now();
    const { log: replayLog, valueBytes } = writeLog(join(dir, 'log.sqlite'));
    const writeMs = performance.now() - writeStarted;
    collectGarbage();
    log(
      `wrote ${PROJECTION_EVENTS.toLocaleString()} events (${(valueBytes / 2 ** 20).toFixed(0)} MB of JSON values) to a replay log in ${(writeMs / 1000).toFixed(1)} s`,
    );
    const cluster = new OfflineCluster(replayLog, CLUSTER, 'bench log');
    /**
     * The bare loops' values, read from the same log (not timed). Read again each round and
     * dropped before the projections run: 1 M values held in memory would make the host's
     * garbage collections, and so the projections, slower than they are.
     */
    const bareValues = (): { bytes: Uint8Array[]; strings: string[] } => {
      const bytes: Uint8Array[] = [];
      for (const records of replayLog.scan(CLUSTER, TOPIC))
        for (const r of records) bytes.push(Uint8Array.from(r.value!));
      const decoder = new TextDecoder();
      return { bytes, strings: bytes.map((b) => decoder.decode(b)) };
    };
    const bareRound = (): { ms: number; cpuMs: number; bytesMs: number; totals: Totals; agree: boolean } => {
      const values = bareValues();
      let t = performance.now();
      const cpu = process.cpuUsage();
      const totals = bareLoop(values.strings);
      const ms = performance.now() - t;
      const used = process.cpuUsage(cpu);
      t = performance.now();
      const fromBytes = bareLoopFromBytes(values.bytes);
      const bytesMs = performance.now() - t;
      return { ms, cpuMs: (used.user + used.system) / 1000, bytesMs, totals, agree: fromBytes.size === totals.size };
    };
    const bare: number[] = [];
    const bareCpu: number[] = [];
    const bareBytes: number[] = [];
    const keyed: ProjectionRun[] = [];
    const unkeyed: ProjectionRun[] = [];
    let statesEqual = true;
    let expected: Totals | null = null;
    for (let round = 0; round < ROUNDS; round++) {
      // Interleaved, so that the machine's drift falls on all of them alike. The bare loops run in
      // a function of their own: their 1 M values die with its frame (an async function's frame
      // kept them alive across the awaits below, and their weight slowed the projections' host).
      const b = bareRound();
      bare.push(b.ms);
      bareCpu.push(b.cpuMs);
      bareBytes.push(b.bytesMs);
      expected = b.totals;
      if (!b.agree) statesEqual = false;
      collectGarbage();
      const k = await runProjection(cluster, replayLog, KEYED);
      keyed.push(k.run);
      if (!sameTotals(k.outcome, expected)) statesEqual = false;
      const u = await runProjection(cluster, replayLog, UNKEYED);
      unkeyed.push(u.run);
      if (!sameTotals(u.outcome, expected)) statesEqual = false;
      log(
        `round ${round + 1}: bare ${bare[round]!.toFixed(0)} ms (from bytes ${bareBytes[round]!.toFixed(0)} ms), keyed projection ${k.run.ms.toFixed(0)} ms (CPU ${k.run.cpuMs.toFixed(0)} ms: worker ${k.run.workerCpuMs.toFixed(0)}, host ${k.run.hostCpuMs.toFixed(0)}), unkeyed ${u.run.ms.toFixed(0)} ms (CPU ${u.run.cpuMs.toFixed(0)} ms: worker ${u.run.workerCpuMs.toFixed(0)}, host ${u.run.hostCpuMs.toFixed(0)})`,
      );
    }
    replayLog.close();
    return {
      events: PROJECTION_EVENTS,
      valueBytes,
      writeMs,
      bareStringsMs: median(bare),
      bareStringsCpuMs: median(bareCpu),
      bareBytesMs: median(bareBytes),
      keyed: medianRun(keyed),
      unkeyed: medianRun(unkeyed),
      statesEqual,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function projectionReplayReport(r: ProjectionBenchResult): string[] {
  const ratio = (projection: ProjectionRun, bareMs: number): string => (bareMs / projection.ms).toFixed(2);
  const goal = (projection: ProjectionRun): string => (r.bareStringsMs / projection.ms >= 0.8 ? 'met' : 'NOT met');
  const rate = (n: number): string => `${Math.round(n).toLocaleString('en-US')} events/s`;
  return [
    `bare loop (JSON.parse + reduce over the values as strings in memory): median ${r.bareStringsMs.toFixed(0)} ms = ${rate(r.events / (r.bareStringsMs / 1000))}; from their bytes (TextDecoder + JSON.parse + reduce): ${r.bareBytesMs.toFixed(0)} ms`,
    `keyed projection (10,000 keys) from the replay log, in its sandbox: median ${r.keyed.ms.toFixed(0)} ms = ${rate(r.keyed.eventsPerSec)}; ratio ${ratio(r.keyed, r.bareStringsMs)}× the bare loop over strings (goal ≥ 0.8×: ${goal(r.keyed)}), ${ratio(r.keyed, r.bareBytesMs)}× the loop over bytes`,
    `unkeyed projection (one state object):            median ${r.unkeyed.ms.toFixed(0)} ms = ${rate(r.unkeyed.eventsPerSec)}; ratio ${ratio(r.unkeyed, r.bareStringsMs)}× over strings (${goal(r.unkeyed)}), ${ratio(r.unkeyed, r.bareBytesMs)}× over bytes`,
    `peak memory during the projections: host heap ${r.keyed.hostHeapMb.toFixed(0)} MB (keyed) / ${r.unkeyed.hostHeapMb.toFixed(0)} MB (unkeyed); process RSS ${Math.max(r.keyed.processRssMb, r.unkeyed.processRssMb).toFixed(0)} MB (host and worker); worker heap ${r.keyed.workerHeapMb.toFixed(0)} MB (keyed) / ${r.unkeyed.workerHeapMb.toFixed(0)} MB (unkeyed)`,
    `CPU time (every thread of the process): bare loop ${r.bareStringsCpuMs.toFixed(0)} ms, keyed projection ${r.keyed.cpuMs.toFixed(0)} ms (${(r.keyed.cpuMs / r.bareStringsCpuMs).toFixed(1)}×), unkeyed ${r.unkeyed.cpuMs.toFixed(0)} ms (${(r.unkeyed.cpuMs / r.bareStringsCpuMs).toFixed(1)}×)`,
    `of which the sandbox worker's thread: keyed ${r.keyed.workerCpuMs.toFixed(0)} ms (${(r.keyed.workerCpuMs / r.bareStringsCpuMs).toFixed(2)}× the bare loop), unkeyed ${r.unkeyed.workerCpuMs.toFixed(0)} ms; the host's main thread: keyed ${r.keyed.hostCpuMs.toFixed(0)} ms, unkeyed ${r.unkeyed.hostCpuMs.toFixed(0)} ms; the rest (V8's background threads: garbage collection, compilers): keyed ${(r.keyed.cpuMs - r.keyed.workerCpuMs - r.keyed.hostCpuMs).toFixed(0)} ms, unkeyed ${(r.unkeyed.cpuMs - r.unkeyed.workerCpuMs - r.unkeyed.hostCpuMs).toFixed(0)} ms`,
    `states equal the bare loop's: ${r.statesEqual ? 'yes' : 'NO'}`,
  ];
}

export interface BigProjectionResult {
  events: number;
  writeMs: number;
  fileMb: number;
  ms: number;
  eventsPerSec: number;
  /** Host heap, worker heap and process RSS (MB) when each quarter of the events was fed: flat when memory does not grow with the range. */
  quarters: { events: number; hostHeapMb: number; workerHeapMb: number; rssMb: number }[];
  hostHeapMb: number;
  workerHeapMb: number;
  rssMb: number;
  stateEqual: boolean;
}

/**
 * A capture file of `events` JSON events over the partitions (the same shape as writeLog's),
 * written straight into the log (rows of ROW_RECORDS records, as a capture holds them), and the
 * totals per customer a correct projection must reach.
 */
function writeCapture(path: string, events: number): { totals: Totals } {
  const log = new ReplayLog(path, { capBytesPerCluster: Number.MAX_SAFE_INTEGER });
  const totals: Totals = new Map();
  try {
    log.setMeta('format', CAPTURE_FORMAT);
    log.setMeta(
      'info',
      JSON.stringify({
        name: 'bench',
        description: `${events} generated order events`,
        createdAt: Date.now(),
        source: 'generated',
      }),
    );
    const pending: KafkaRecord[][] = Array.from({ length: PARTITIONS }, () => []);
    const { stored, append } = spanAppender(log, CAPTURE_CLUSTER);
    // Each row's keys and values are written into one buffer (TextEncoder per value took a third of the build).
    const rowBytes = 4 * 1024 * 1024;
    const buffers = Array.from({ length: PARTITIONS }, () => Buffer.allocUnsafe(rowBytes));
    const used = new Array<number>(PARTITIONS).fill(0);
    const bytesOf = (p: number, text: string): Buffer => {
      const at = used[p]!;
      const n = buffers[p]!.write(text, at, 'latin1');
      used[p] = at + n;
      return buffers[p]!.subarray(at, at + n);
    };
    const flush = (p: number): void => {
      if (pending[p]!.length === 0) return;
      append(p, pending[p]!);
      pending[p] = [];
      buffers[p] = Buffer.allocUnsafe(rowBytes);
      used[p] = 0;
    };
    for (let i = 0; i < events; i++) {
      const p = i % PARTITIONS;
      const customerId = `cus_${(i * 7919) % CUSTOMERS}`;
      const paid = i % 3 !== 0;
      const amountCents = (i * 131) % 50_000;
      // Written as text directly (JSON.stringify of an object per event would double the build time).
      const orderId = `ord_${i.toString().padStart(9, '0')}`;
      const value = paid
        ? `{"type":"OrderPaid","orderId":"${orderId}","customerId":"${customerId}","paymentId":"pay_${i}","amountCents":${amountCents},"currency":"EUR"}`
        : `{"type":"OrderPlaced","orderId":"${orderId}","customerId":"${customerId}","items":[{"sku":"SKU-${i % 97}","quantity":${1 + (i % 3)},"unitPriceCents":${500 + (i % 800)}}],"currency":"EUR"}`;
      if (paid) {
        let s = totals.get(customerId);
        if (s === undefined) totals.set(customerId, (s = { orders: 0, cents: 0 }));
        s.orders += 1;
        s.cents += amountCents;
      }
      pending[p]!.push({
        partition: p,
        offset: BigInt(stored[p]! + pending[p]!.length),
        timestampMs: 1_767_225_600_000 + i,
        key: bytesOf(p, customerId),
        value: bytesOf(p, value),
        headers: [],
      });
      if (pending[p]!.length >= ROW_RECORDS) flush(p);
    }
    for (let p = 0; p < PARTITIONS; p++) flush(p);
    log.seal();
  } finally {
    log.close();
  }
  return { totals };
}

/** The keyed projection over a capture of `events` events, as `eventscope replay --capture` runs it, with its memory at each quarter. */
export async function benchBigProjection(events: number, log: (line: string) => void): Promise<BigProjectionResult> {
  const dir = mkdtempSync(join(tmpdir(), 'es-bench-projection-big-'));
  try {
    const path = join(dir, 'orders.capture');
    const writeStarted = performance.now();
    const { totals } = writeCapture(path, events);
    const writeMs = performance.now() - writeStarted;
    const fileMb = statSync(path).size / 2 ** 20;
    log(
      `wrote a capture of ${events.toLocaleString()} events (${fileMb.toFixed(0)} MB) in ${(writeMs / 1000).toFixed(1)} s`,
    );
    collectGarbage();
    const { log: capture } = openCapture(path);
    const cluster = new OfflineCluster(capture, CAPTURE_CLUSTER, 'bench capture');
    let worker: Worker | null = null;
    const peak = { hostHeap: 0, rss: 0, workerHeap: 0 };
    let workerHeapNow = 0;
    const sample = (): void => {
      const m = process.memoryUsage();
      peak.hostHeap = Math.max(peak.hostHeap, m.heapUsed);
      peak.rss = Math.max(peak.rss, m.rss);
      worker?.getHeapStatistics().then(
        (s) => {
          workerHeapNow = s.used_heap_size;
          peak.workerHeap = Math.max(peak.workerHeap, s.used_heap_size);
        },
        () => undefined,
      );
    };
    const quarters: BigProjectionResult['quarters'] = [];
    let nextQuarter = 1;
    const sampler = setInterval(sample, SAMPLE_MS);
    const runner = startProjectionSandbox({ fileName: 'bench.js', onWorker: (w) => (worker = w) });
    try {
      const started = performance.now();
      await runner.load(KEYED);
      const { sources, close } = await logPartitionSources(cluster, capture, CAPTURE_CLUSTER, [TOPIC], null, {
        from: { kind: 'earliest' },
      });
      try {
        const { outcome } = await replayIntoProjection(runner, sources, {
          onFed: (fed) => {
            if (fed < (nextQuarter * events) / 4) return;
            nextQuarter++;
            quarters.push({
              events: fed,
              hostHeapMb: process.memoryUsage().heapUsed / 2 ** 20,
              workerHeapMb: workerHeapNow / 2 ** 20,
              rssMb: process.memoryUsage().rss / 2 ** 20,
            });
          },
        });
        const ms = performance.now() - started;
        sample();
        return {
          events,
          writeMs,
          fileMb,
          ms,
          eventsPerSec: events / (ms / 1000),
          quarters,
          hostHeapMb: peak.hostHeap / 2 ** 20,
          workerHeapMb: peak.workerHeap / 2 ** 20,
          rssMb: peak.rss / 2 ** 20,
          stateEqual: sameTotals(outcome, totals),
        };
      } finally {
        close();
      }
    } finally {
      clearInterval(sampler);
      runner.terminate();
      capture.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function bigProjectionReport(r: BigProjectionResult): string[] {
  const mb = (n: number): string => n.toFixed(0);
  return [
    `keyed projection over ${r.events.toLocaleString('en-US')} events of a capture file (${mb(r.fileMb)} MB): ${(r.ms / 1000).toFixed(1)} s = ${Math.round(r.eventsPerSec).toLocaleString('en-US')} events/s; state equals the generator's totals: ${r.stateEqual ? 'yes' : 'NO'}`,
    `memory at each quarter of the events (host heap / worker heap / process RSS, MB): ${r.quarters.map((q) => `${mb(q.hostHeapMb)} / ${mb(q.workerHeapMb)} / ${mb(q.rssMb)}`).join(', ')}; peak host heap ${mb(r.hostHeapMb)} MB, worker heap ${mb(r.workerHeapMb)} MB, RSS ${mb(r.rssMb)} MB`,
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = await benchProjectionReplay((l) => process.stdout.write(`${l}\n`));
  process.stdout.write(projectionReplayReport(r).join('\n') + '\n');
  if (PROJECTION_BIG_EVENTS > 0) {
    const big = await benchBigProjection(PROJECTION_BIG_EVENTS, (l) => process.stdout.write(`${l}\n`));
    process.stdout.write(bigProjectionReport(big).join('\n') + '\n');
  }
}
