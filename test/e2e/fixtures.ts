// Fixtures: a fresh `eventscope serve` per test (its own data dir, so each starts as a
// first start), opened in Chromium with the printed URL.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base, expect } from '@playwright/test';
import { endpointsFromEnv, type KafkaEndpoints } from '../harness/broker.ts';

const BIN = new URL('../../bin/eventscope.js', import.meta.url).pathname;

export interface ServedApp {
  url: string;
  origin: string;
  dataDir: string;
}

export const test = base.extend<{ app: ServedApp; kafka: KafkaEndpoints }>({
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  kafka: async ({}, use) => {
    const endpoints = endpointsFromEnv();
    if (!endpoints)
      throw new Error('KAFKA_BOOTSTRAP_SERVERS is not set: the global setup should have started a broker.');
    await use(endpoints);
  },
  // eslint-disable-next-line no-empty-pattern -- as above
  app: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'eventscope-e2e-'));
    // The server is stopped and its data folder removed however the test (or the start) ends.
    try {
      const child = spawn(process.execPath, [BIN, 'serve', '--port', '0', '--data-dir', dataDir], {
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        let output = '';
        const url = await new Promise<string>((resolve, reject) => {
          const timer = setTimeout(() => reject(new Error(`eventscope serve printed no URL:\n${output}`)), 20_000);
          const onData = (chunk: Buffer): void => {
            output += chunk.toString();
            const match = /Open (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/.exec(output);
            if (match?.[1]) {
              clearTimeout(timer);
              resolve(match[1]);
            }
          };
          child.stdout.on('data', onData);
          child.stderr.on('data', onData);
          child.once('exit', (code) => reject(new Error(`eventscope serve exited with ${code}:\n${output}`)));
        });
        await use({ url, origin: new URL(url).origin, dataDir });
      } finally {
        child.kill('SIGTERM');
        await exited;
      }
    } finally {
      rmSync(dataDir, { recursive: true, force: true });
    }
  },
});

export { expect };
