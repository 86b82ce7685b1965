// Benchmark: a live tail in the real renderer (Chromium, browser mode) while a producer
// writes RATE records/s. Measures, black-box from the page: every record reaches the UI
// (the "received" count), produce→visible latency of the rows that appear (p50/p95, from
// the record's CreateTime to the moment its row enters the DOM), and the renderer's JS heap
// over the run (it must stay flat: the list keeps a bounded window). The broker is warmed up
// first with kcat alone (see warmUpBroker); Eventscope starts cold.
import { spawn, type ChildProcessByStdio } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { chromium, type Page } from 'playwright-core';
import { ConnectionProfile } from '../../src/common/contract/dto.ts';
import { openClusterClient } from '../../src/node/kafka/index.ts';
import { createTopicWithKafkaTool, deleteTopicWithKafkaTool } from '../harness/kafka-tools.ts';

export const TAIL_RATE = Number(process.env['BENCH_TAIL_RATE'] ?? 50_000);
export const TAIL_RECORDS = Number(process.env['BENCH_TAIL_RECORDS'] ?? 2_000_000);
const BROKER_WARM_UP_S = Number(process.env['BENCH_TAIL_BROKER_WARMUP_S'] ?? 30);
// A fresh topic per run: the bench may run again against the same (external) cluster.
const TOPIC = `bench-tail-${Date.now().toString(36)}`;
const TICK_MS = 20;
const BIN = new URL('../../bin/eventscope.js', import.meta.url).pathname;
const MAX_RECORDS_PER_SEND = 4_000;
const WARM_UP_RECORDS = 2_000;
const PAD = 'x'.repeat(60);
/** The UI is given up on when its received count has not moved for this long. */
const STALL_MS = 30_000;

// Runs in the page (a string: this file is type-checked for Node, not the DOM).
// Rows are keyed by slot, so a record "enters" the DOM as a new row element or as new text
// in a reused one: both are watched, and each record is counted once, when it first shows.
const OBSERVE_ROWS_IN_PAGE = `(() => {
  window.__latencies = [];
  window.__seenAt = [];
  window.__heap = [];
  const seen = new Set();
  const list = document.querySelector('[data-testid=message-list]');
  new MutationObserver((mutations) => {
    const now = performance.timeOrigin + performance.now();
    const rows = new Set();
    for (const m of mutations) {
      const target = m.target.nodeType === 1 ? m.target : m.target.parentElement;
      const row = target && target.closest('[role=row]');
      if (row) rows.add(row);
      for (const n of m.addedNodes) if (n.nodeType === 1) for (const r of n.matches('[role=row]') ? [n] : n.querySelectorAll('[role=row]')) rows.add(r);
    }
    for (const row of rows) {
      const id = row.dataset.partition + ':' + row.dataset.offset;
      const time = row.querySelector('span:nth-child(3)');
      if (!time || seen.has(id)) continue;
      seen.add(id);
      window.__latencies.push(now - Date.parse(time.textContent.replace(' ', 'T') + 'Z'));
      window.__seenAt.push(now);
    }
  }).observe(list, { childList: true, subtree: true, characterData: true, attributes: true, attributeFilter: ['data-offset'] });
  setInterval(() => window.__heap.push(performance.memory.usedJSHeapSize), 1000);
})()`;

export interface LiveTailResult {
  produced: number;
  received: number;
  producedRate: number;
  latencyP50: number;
  latencyP95: number;
  latencySamples: number;
  heapMb: number[];
}

/** The "received" count the messages view shows. */
async function receivedInPage(page: Page): Promise<number> {
  const text = (await page.getByTestId('row-count').textContent()) ?? '';
  return Number(/([\d,]+) received/.exec(text)?.[1]?.replace(/,/g, '') ?? 0);
}

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

// kcat produces (librdkafka stamps each record's CreateTime as it takes the line): a
// JavaScript producer would eat a core of this 2-core machine and measure itself.
function startKcatProducer(bootstrap: string, topic: string): ChildProcessByStdio<Writable, null, null> {
  return spawn(
    'kcat',
    [
      '-b',
      bootstrap,
      '-P',
      '-t',
      topic,
      '-p',
      '-1',
      '-K',
      '\t',
      '-X',
      'linger.ms=5',
      '-X',
      'queue.buffering.max.messages=1000000',
    ],
    { stdio: ['pipe', 'ignore', 'inherit'] },
  );
}

/** Feeds kcat records number from … to-1 at TAIL_RATE per second; onTick runs between sends. Returns `to`. */
async function produceAtRate(
  producer: ChildProcessByStdio<Writable, null, null>,
  from: number,
  to: number,
  onTick?: (sent: number) => Promise<void>,
): Promise<number> {
  const started = Date.now();
  const perTick = Math.max(1, Math.round((TAIL_RATE * TICK_MS) / 1000));
  let produced = from;
  while (produced < to) {
    const due = Math.min(to, from + Math.floor(((Date.now() - started) / 1000) * TAIL_RATE) + perTick);
    if (due > produced) {
      const count = Math.min(due - produced, MAX_RECORDS_PER_SEND);
      let lines = '';
      for (let i = 0; i < count; i++)
        lines += `k${(produced + i) % 1000}\t{"type":"Tick","n":${produced + i},"pad":"${PAD}"}\n`;
      if (!producer.stdin.write(lines))
        await new Promise<void>((resolve) => producer.stdin.once('drain', () => resolve()));
      produced += count;
    } else {
      await new Promise((r) => setTimeout(r, TICK_MS / 2));
    }
    await onTick?.(produced);
  }
  return produced;
}

/**
 * The same load through the broker with kcat alone (a producer and a consumer, no Eventscope)
 * before the measured run. The harness broker is a fresh JVM on the same two cores as
 * everything else: for its first minute under load its JIT took 50–70% of a core (a warm one
 * about 30%), and the tail measured that instead of Eventscope. A production cluster is warm.
 */
async function warmUpBroker(bootstrap: string, log: (line: string) => void): Promise<void> {
  if (BROKER_WARM_UP_S <= 0) return;
  const topic = `${TOPIC}-broker-warm-up`;
  createTopicWithKafkaTool(bootstrap, topic, { partitions: 6 });
  const consumer = spawn('kcat', ['-b', bootstrap, '-C', '-t', topic, '-o', 'end', '-q'], {
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const producer = startKcatProducer(bootstrap, topic);
  const started = Date.now();
  const produced = await produceAtRate(producer, 0, TAIL_RATE * BROKER_WARM_UP_S);
  producer.stdin.end();
  await new Promise<void>((resolve) => producer.once('exit', () => resolve()));
  consumer.kill('SIGTERM');
  deleteTopicWithKafkaTool(bootstrap, topic);
  log(
    `broker warmed up first with kcat alone: ${produced.toLocaleString()} records produced and consumed in ${((Date.now() - started) / 1000).toFixed(0)} s (BENCH_TAIL_BROKER_WARMUP_S=0 skips this)`,
  );
}

export async function benchLiveTail(bootstrap: string, log: (line: string) => void): Promise<LiveTailResult> {
  await warmUpBroker(bootstrap, log);
  createTopicWithKafkaTool(bootstrap, TOPIC, { partitions: 6 });
  const dataDir = mkdtempSync(join(tmpdir(), 'es-bench-tail-'));
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(
    join(dataDir, 'connections.json'),
    JSON.stringify({
      version: 1,
      connections: [{ id: 'bench', name: 'bench', bootstrap, writable: false, connectTimeoutMs: 10_000 }],
    }),
  );
  // BENCH_TAIL_PROFILE=DIR: CPU profiles of the serve process and the page, to find where time goes.
  const profileDir = process.env['BENCH_TAIL_PROFILE'];
  const nodeFlags = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`] : [];
  const server = spawn(process.execPath, [...nodeFlags, BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    server.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Open (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    server.once('exit', () => reject(new Error(`eventscope serve exited: ${out}`)));
  });
  const browser = await chromium.launch({
    executablePath: process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium',
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--enable-precise-memory-info',
    ],
  });
  const producer = startKcatProducer(bootstrap, TOPIC);
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

    await page.goto(url);
    await page.getByTestId('topic-filter').fill(TOPIC);
    await page.locator(`[data-testid=topic-row][data-topic="${TOPIC}"]`).click();
    await page.getByTestId('open-messages').click();
    await page.getByTestId('from-kind').selectOption('latest');
    await page.getByTestId('start-tail').click();
    await page
      .getByTestId('tail-phase')
      .filter({ hasText: /live|caught-up/ })
      .waitFor();
    // kcat stamps a record when it reads the line, before it has connected to the broker: some
    // records first, seen in the UI, so its connection set-up is not counted as latency. (kcat
    // reads its input in blocks: not all of them come through until more input follows.)
    producer.stdin.write(
      Array.from({ length: WARM_UP_RECORDS }, (_, i) => `warm-up\t{"type":"WarmUp","n":${i}}\n`).join(''),
    );
    const warmUpDeadline = Date.now() + 30_000;
    while ((await receivedInPage(page)) < WARM_UP_RECORDS / 2) {
      if (Date.now() > warmUpDeadline) throw new Error('The warm-up records did not reach the UI within 30 s.');
      await new Promise((r) => setTimeout(r, 100));
    }
    // Watch rows enter the DOM: latency = now − the record's timestamp shown in its row.
    await page.evaluate(OBSERVE_ROWS_IN_PAGE);
    const cdp = profileDir ? await page.context().newCDPSession(page) : null;
    if (cdp) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.start');
    }

    const started = Date.now();
    let traced = false;
    let produced = await produceAtRate(producer, WARM_UP_RECORDS, TAIL_RECORDS, async (sent) => {
      // A 3 s performance trace of the page halfway through (style, layout, paint, scripting).
      if (profileDir && !traced && sent >= TAIL_RECORDS / 2) {
        traced = true;
        await browser.startTracing(page, {
          path: join(profileDir, 'renderer-trace.json'),
          categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'v8.execute', 'blink'],
        });
        setTimeout(() => void browser.stopTracing(), 3_000);
      }
    });
    if (process.env['BENCH_TAIL_SCREENSHOT']) await page.screenshot({ path: process.env['BENCH_TAIL_SCREENSHOT'] });
    const producedRate = produced / ((Date.now() - started) / 1000);
    // What kcat had accepted is not yet what the broker holds: wait for it, then count that.
    producer.stdin.end();
    await new Promise<void>((resolve) => producer.once('exit', () => resolve()));
    const client = await openClusterClient(ConnectionProfile.parse({ id: 'count', name: 'count', bootstrap }), {});
    const inTopic = Number(
      (await client.listTopics({ includeInternal: false })).find((t) => t.name === TOPIC)?.messageCount ?? 0,
    );
    await client.close();
    if (inTopic !== produced)
      log(`note: the topic holds ${inTopic.toLocaleString()} records, kcat was given ${produced.toLocaleString()}`);
    produced = inTopic;
    log(
      `produced ${produced.toLocaleString()} records in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for the UI to show them all`,
    );
    // Wait for the UI to show everything that was produced, as long as it keeps making progress.
    let received = 0;
    let progressAt = Date.now();
    while (Date.now() - progressAt < STALL_MS) {
      const now = await receivedInPage(page);
      if (now > received) progressAt = Date.now();
      received = now;
      if (received >= produced) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    log(`the UI had everything ${((Date.now() - started) / 1000).toFixed(1)} s after producing started`);
    if (cdp && profileDir) {
      const { profile } = await cdp.send('Profiler.stop');
      writeFileSync(join(profileDir, 'renderer.cpuprofile'), JSON.stringify(profile));
    }
    const { latencies, heap, seenAt } = (await page.evaluate(
      '({ latencies: window.__latencies, heap: window.__heap, seenAt: window.__seenAt })',
    )) as { latencies: number[]; heap: number[]; seenAt: number[] };
    // Where in the run the slow rows were: p95 per second.
    const buckets = new Map<number, number[]>();
    seenAt.forEach((at, i) => {
      const bucket = Math.floor((at - started) / 1_000);
      buckets.set(bucket, [...(buckets.get(bucket) ?? []), latencies[i]!]);
    });
    log(
      `p95 per second of the run: ${[...buckets].map(([b, l]) => `${b}s ${Math.round(percentile(l, 95))}`).join(', ')} ms`,
    );
    const heapMb = heap.map((b) => Math.round(b / 1024 / 1024));
    return {
      produced,
      received,
      producedRate,
      latencyP50: percentile(latencies, 50),
      latencyP95: percentile(latencies, 95),
      latencySamples: latencies.length,
      heapMb,
    };
  } finally {
    if (producer.exitCode === null) producer.kill('SIGTERM');
    await browser.close();
    server.kill('SIGTERM');
    // The CPU profile is written as the process exits.
    if (server.exitCode === null) await new Promise<void>((resolve) => server.once('exit', () => resolve()));
    rmSync(dataDir, { recursive: true, force: true });
  }
}
