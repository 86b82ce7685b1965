// Benchmark: a live tail in the real renderer (Chromium, browser mode) while a producer
// writes RATE records/s. Measures, black-box from the page: every record reaches the UI
// (the "received" count), produce→visible latency of the rows that appear (p50/p95, from
// the record's CreateTime to the moment its row enters the DOM), and the renderer's JS heap
// over the run (it must stay flat: the list keeps a bounded window).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import kafkajs from 'kafkajs';
import { chromium } from 'playwright-core';
import { createTopicWithKafkaTool } from '../kafka/kafka-tools.ts';

export const TAIL_RATE = Number(process.env['BENCH_TAIL_RATE'] ?? 50_000);
export const TAIL_RECORDS = Number(process.env['BENCH_TAIL_RECORDS'] ?? 2_000_000);
const TOPIC = 'bench-tail';
const TICK_MS = 20;
const BIN = new URL('../../bin/eventscope.js', import.meta.url).pathname;
/** Kafka refuses a produce request over 1 MB by default: keep each send well below. */
const MAX_RECORDS_PER_SEND = 4_000;

// Runs in the page (a string: this file is type-checked for Node, not the DOM).
const OBSERVE_ROWS_IN_PAGE = `(() => {
  window.__latencies = [];
  window.__heap = [];
  const list = document.querySelector('[data-testid=message-list]');
  new MutationObserver((mutations) => {
    const now = performance.timeOrigin + performance.now();
    for (const m of mutations) for (const n of m.addedNodes) {
      const time = n.querySelector && n.querySelector('span:nth-child(3)');
      if (time) window.__latencies.push(now - Date.parse(time.textContent.replace(' ', 'T') + 'Z'));
    }
  }).observe(list, { childList: true, subtree: true });
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

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

export async function benchLiveTail(bootstrap: string, log: (line: string) => void): Promise<LiveTailResult> {
  createTopicWithKafkaTool(bootstrap, TOPIC, { partitions: 6 });
  const dataDir = mkdtempSync(join(tmpdir(), 'es-bench-tail-'));
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(join(dataDir, 'connections.json'), JSON.stringify({ version: 1, connections: [{ id: 'bench', name: 'bench', bootstrap, writable: false, connectTimeoutMs: 10_000 }] }));
  const server = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'inherit'] });
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
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--enable-precise-memory-info'],
  });
  const producer = new kafkajs.Kafka({ brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING }).producer({ allowAutoTopicCreation: false, createPartitioner: kafkajs.Partitioners.DefaultPartitioner });
  try {
    await producer.connect();
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });

    await page.goto(url);
    await page.getByTestId('topic-filter').fill(TOPIC);
    await page.locator(`[data-testid=topic-row][data-topic="${TOPIC}"]`).click();
    await page.getByTestId('open-messages').click();
    await page.getByTestId('from-kind').selectOption('latest');
    await page.getByTestId('start-tail').click();
    await page.getByTestId('tail-phase').filter({ hasText: /live|caught-up/ }).waitFor();
    // Watch rows enter the DOM: latency = now − the record's timestamp shown in its row.
    await page.evaluate(OBSERVE_ROWS_IN_PAGE);

    const started = Date.now();
    let produced = 0;
    const perTick = Math.max(1, Math.round((TAIL_RATE * TICK_MS) / 1000));
    while (produced < TAIL_RECORDS) {
      const due = Math.min(TAIL_RECORDS, Math.floor(((Date.now() - started) / 1000) * TAIL_RATE) + perTick);
      if (due > produced) {
        const count = Math.min(due - produced, MAX_RECORDS_PER_SEND);
        const now = Date.now();
        await producer.send({ topic: TOPIC, acks: 1, messages: Array.from({ length: count }, (_, i) => ({ key: `k${(produced + i) % 1000}`, value: `{"type":"Tick","n":${produced + i},"pad":"${'x'.repeat(60)}"}`, timestamp: String(now) })) });
        produced += count;
      } else {
        await new Promise((r) => setTimeout(r, TICK_MS / 2));
      }
    }
    if (process.env['BENCH_TAIL_SCREENSHOT']) await page.screenshot({ path: process.env['BENCH_TAIL_SCREENSHOT'] });
    const producedRate = produced / ((Date.now() - started) / 1000);
    log(`produced ${produced.toLocaleString()} records in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for the UI to show them all`);
    // Wait for the UI to show everything that was produced.
    const deadline = Date.now() + 120_000;
    let received = 0;
    while (Date.now() < deadline) {
      const text = (await page.getByTestId('row-count').textContent()) ?? '';
      received = Number(/([\d,]+) received/.exec(text)?.[1]?.replace(/,/g, '') ?? 0);
      if (received >= produced) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    const { latencies, heap } = (await page.evaluate('({ latencies: window.__latencies, heap: window.__heap })')) as { latencies: number[]; heap: number[] };
    const heapMb = heap.map((b) => Math.round(b / 1024 / 1024));
    return { produced, received, producedRate, latencyP50: percentile(latencies, 50), latencyP95: percentile(latencies, 95), latencySamples: latencies.length, heapMb };
  } finally {
    await producer.disconnect().catch(() => undefined);
    await browser.close();
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
