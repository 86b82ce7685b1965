// Benchmark: a live tail in the real renderer (Chromium, browser mode) while a producer
// writes RATE records/s. Measures, black-box from the page: every record reaches the UI
// (the "received" count), produce→visible latency of the rows that appear (p50/p95, from
// the record's CreateTime to the moment its row enters the DOM), and the renderer's JS heap
// over the run (it must stay flat: the list keeps a bounded window).
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { ConnectionProfile } from '../../src/contract/dto.ts';
import { openClusterClient } from '../../src/kafka/index.ts';
import { createTopicWithKafkaTool } from '../kafka/kafka-tools.ts';

export const TAIL_RATE = Number(process.env['BENCH_TAIL_RATE'] ?? 50_000);
export const TAIL_RECORDS = Number(process.env['BENCH_TAIL_RECORDS'] ?? 2_000_000);
const TOPIC = 'bench-tail';
const TICK_MS = 20;
const BIN = new URL('../../bin/eventscope.js', import.meta.url).pathname;
const MAX_RECORDS_PER_SEND = 4_000;
const PAD = 'x'.repeat(60);
/** The UI is given up on when its received count has not moved for this long. */
const STALL_MS = 30_000;

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
  // kcat produces (librdkafka stamps each record's CreateTime as it takes the line): a
  // JavaScript producer would eat a core of this 2-core machine and measure itself.
  const producer = spawn('kcat', ['-b', bootstrap, '-P', '-t', TOPIC, '-p', '-1', '-K', '\t', '-X', 'linger.ms=5', '-X', 'queue.buffering.max.messages=1000000'], { stdio: ['pipe', 'ignore', 'inherit'] });
  try {
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
        let lines = '';
        for (let i = 0; i < count; i++) lines += `k${(produced + i) % 1000}\t{"type":"Tick","n":${produced + i},"pad":"${PAD}"}\n`;
        if (!producer.stdin.write(lines)) await new Promise<void>((resolve) => producer.stdin.once('drain', () => resolve()));
        produced += count;
      } else {
        await new Promise((r) => setTimeout(r, TICK_MS / 2));
      }
    }
    if (process.env['BENCH_TAIL_SCREENSHOT']) await page.screenshot({ path: process.env['BENCH_TAIL_SCREENSHOT'] });
    const producedRate = produced / ((Date.now() - started) / 1000);
    // What kcat had accepted is not yet what the broker holds: wait for it, then count that.
    producer.stdin.end();
    await new Promise<void>((resolve) => producer.once('exit', () => resolve()));
    const client = await openClusterClient(ConnectionProfile.parse({ id: 'count', name: 'count', bootstrap }), {});
    const inTopic = Number((await client.listTopics({ includeInternal: false })).find((t) => t.name === TOPIC)?.messageCount ?? 0);
    await client.close();
    if (inTopic !== produced) log(`note: the topic holds ${inTopic.toLocaleString()} records, kcat was given ${produced.toLocaleString()}`);
    produced = inTopic;
    log(`produced ${produced.toLocaleString()} records in ${((Date.now() - started) / 1000).toFixed(1)} s; waiting for the UI to show them all`);
    // Wait for the UI to show everything that was produced, as long as it keeps making progress.
    let received = 0;
    let progressAt = Date.now();
    while (Date.now() - progressAt < STALL_MS) {
      const text = (await page.getByTestId('row-count').textContent()) ?? '';
      const now = Number(/([\d,]+) received/.exec(text)?.[1]?.replace(/,/g, '') ?? 0);
      if (now > received) progressAt = Date.now();
      received = now;
      if (received >= produced) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    log(`the UI had everything ${((Date.now() - started) / 1000).toFixed(1)} s after producing started`);
    const { latencies, heap } = (await page.evaluate('({ latencies: window.__latencies, heap: window.__heap })')) as { latencies: number[]; heap: number[] };
    const heapMb = heap.map((b) => Math.round(b / 1024 / 1024));
    return { produced, received, producedRate, latencyP50: percentile(latencies, 50), latencyP95: percentile(latencies, 95), latencySamples: latencies.length, heapMb };
  } finally {
    if (producer.exitCode === null) producer.kill('SIGTERM');
    await browser.close();
    server.kill('SIGTERM');
    rmSync(dataDir, { recursive: true, force: true });
  }
}
