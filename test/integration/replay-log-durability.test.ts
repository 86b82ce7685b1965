// The replay log under stress: WAL checkpoints on a worker thread while a tail-like writer
// commits, a log closed and reopened at once while its worker checkpoints, and a writer killed
// with SIGKILL a dozen times mid-write. Real files, a child process, seconds each: these run
// with the integration tests, not the unit loop.
import { spawn } from 'node:child_process';
import { statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ReplayLog } from '../../src/node/log/replay-log.ts';
import { offsets, records } from '../support/log-records.ts';
import { randomInt, seededRandom, testSeed } from '../support/seeded-random.ts';
import { testTempDir } from '../support/temp-dir.ts';

const key = (partition = 0) => ({ cluster: 'c1', topic: 'orders', partition });
/** The timings of the close and crash rounds vary per run; the seed in a test's name repeats them (EVENTSCOPE_TEST_SEED). */
const SEED = testSeed();

describe('the replay log under stress', () => {
  it('checkpoints its WAL in the background: the WAL stays far smaller than what was written', async () => {
    const path = join(testTempDir('es-wal-'), 'log.sqlite');
    const log = new ReplayLog(path, { checkpointInBackground: true });
    // 60 commits of about 1 MB (incompressible), paced like a fast tail's flushes. Without the
    // background checkpoints the WAL would hold all 60 MB (below the 64 MB a commit acts at).
    let written = 0;
    for (let i = 0; i < 60; i++) {
      written +=
        log.append(
          key(),
          { from: BigInt(i * 3_000), to: BigInt(i * 3_000 + 3_000) },
          records(0, i * 3_000, 3_000, 1, true),
        ) * 300;
      // About time passing: the pace of a tail's flushes, which is what leaves the worker room to checkpoint.
      await new Promise((r) => setTimeout(r, 40));
    }
    expect(written).toBeGreaterThan(50_000_000);
    expect(statSync(`${path}-wal`).size).toBeLessThan(30_000_000);
    expect(log.recordCount('c1', 'orders')).toBe(180_000);
    log.close();
  }, 60_000);

  it(`waits in close() for its checkpoint worker: the log reopened at once takes writes (seed ${SEED})`, async () => {
    // The worker's connection, closed after the log's own, was the last one: closing it
    // checkpointed and deleted the WAL under an exclusive lock, and a log reopened meanwhile
    // threw "database is locked". Repeated, since it depends on timing.
    const path = join(testTempDir('es-reopen-'), 'log.sqlite');
    const random = seededRandom(SEED);
    let next = 0;
    for (let round = 0; round < 15; round++) {
      const log = new ReplayLog(path, { checkpointInBackground: true });
      // A few MB in several commits, then long enough for the worker to checkpoint (every 100 ms).
      for (let i = 0; i < 4; i++) {
        expect(
          log.append(key(), { from: BigInt(next), to: BigInt(next + 2_000) }, records(0, next, 2_000, 1, true)),
        ).toBe(2_000);
        next += 2_000;
      }
      // About time passing: closing at varied moments of the worker's 100 ms cycle is the point.
      await new Promise((r) => setTimeout(r, randomInt(random, 100, 150)));
      log.close();
    }
    const log = new ReplayLog(path);
    expect(log.ranges(key())).toEqual([{ from: 0n, to: BigInt(next) }]);
    log.close();
  }, 60_000);

  it(`survives SIGKILL during writes: every acknowledged record is there, nothing duplicated, the file opens (seed ${SEED})`, async () => {
    const path = join(testTempDir('es-crash-'), 'log.sqlite');
    const random = seededRandom(SEED + 1);
    const acked = new Map<number, number>();
    const CHILD = new URL('../support/log-append-child.ts', import.meta.url).pathname;
    for (let round = 0; round < 12; round++) {
      const child = spawn(process.execPath, [CHILD, path], { stdio: ['ignore', 'pipe', 'pipe'] });
      let buffered = '';
      let stderr = '';
      let writing!: () => void;
      const firstAck = new Promise<void>((resolve) => (writing = resolve));
      child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
      child.stdout.on('data', (c: Buffer) => {
        writing();
        buffered += c.toString();
        const lines = buffered.split('\n');
        buffered = lines.pop()!;
        for (const line of lines) {
          const [, p, o] = line.split(' ');
          acked.set(Number(p), Math.max(acked.get(Number(p)) ?? -1, Number(o)));
        }
      });
      // Once it writes (not while Node is still starting), let it go on for a seeded while, then
      // kill it mid-flight. About time passing: where in a write the kill lands is the point.
      const exited = new Promise((r) => child.once('exit', r));
      await Promise.race([firstAck, exited]);
      await new Promise((r) => setTimeout(r, randomInt(random, 0, 400)));
      child.kill('SIGKILL');
      await exited;
      expect(stderr.replace(/\(node:\d+\) ExperimentalWarning.*\n.*\n?/g, '')).toBe('');
      const log = new ReplayLog(path);
      for (const [partition, last] of acked) {
        const got = offsets(log.read({ cluster: 'crash', topic: 'orders', partition }, 0n, 10_000_000));
        expect(got.length).toBeGreaterThanOrEqual(last + 1);
        expect(got.slice(0, last + 1)).toEqual(Array.from({ length: last + 1 }, (_, i) => i));
        expect(new Set(got).size).toBe(got.length);
      }
      log.close();
    }
    expect(acked.size).toBe(3);
  }, 120_000);
});
