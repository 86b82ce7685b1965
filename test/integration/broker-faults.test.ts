// What a reader sees when its broker misbehaves, on a harness broker of this file's own (it
// is frozen, stopped and damaged here). In order: a broker frozen (SIGSTOP) under a tail is
// reported as "waiting for the broker" within seconds, not after kafkajs's 30 s request
// timeout, and the tail goes on when it answers; with the broker stopped, repeated reconnects
// add no event listeners (kafkajs kept one per attempt on a dead socket); a tail started while
// the broker is down waits, says why, and starts when it is back, as an outage mid-tail does;
// an export that stops on damaged data keeps what it wrote as FILE.partial and says so.
import { execFile } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { TailEvent } from '../../src/common/contract/dto.ts';
import { startBroker, type RunningBroker } from '../harness/broker.ts';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { startInProcessHost, type TestHost } from '../support/in-process-host.ts';
import { startTail, type TailProbe } from '../support/tail-probe.ts';
import { testTempDir } from '../support/temp-dir.ts';

const BIN = new URL('../../bin/eventscope.js', import.meta.url).pathname;

const lines = (prefix: string, n: number): string[] => Array.from({ length: n }, (_, i) => `${prefix}-${i}`);
const statuses = (tail: TailProbe): Extract<TailEvent, { type: 'status' }>[] =>
  tail.events.filter((e): e is Extract<TailEvent, { type: 'status' }> => e.type === 'status');

describe('a broker that freezes, stops, or serves damaged data', () => {
  let broker: RunningBroker;
  let host: TestHost;
  /** Follows topic "frozen" from the first test on: its connections are the ones that go dead. */
  let tail: TailProbe;

  beforeAll(async () => {
    broker = await startBroker();
    host = await startInProcessHost();
    await host.client.call('connections.save', {
      profile: { id: 'main', name: 'main', bootstrap: broker.bootstrap, connectTimeoutMs: 2_000 },
    });
    createTopicWithKafkaTool(broker.bootstrap, 'frozen', { partitions: 1 });
    produceWithKcat(broker.bootstrap, 'frozen', lines('before', 100), { partition: 0 });
  }, 180_000);
  afterAll(async () => {
    tail?.subscription.close();
    await host?.close();
    await broker?.stop();
  });

  it('a frozen broker is "waiting for the broker" within seconds, then live again, nothing lost or doubled', async () => {
    tail = startTail(host.client, { connectionId: 'main', topic: 'frozen', from: { kind: 'earliest' } });
    await tail.until(() => tail.records.length === 100 && statuses(tail).some((s) => s.phase === 'caught-up'));

    // Frozen, not stopped: the connection stays open and the fetch in flight gets no answer.
    // Thawed well within the broker's 9 s session timeout, so the broker is not fenced.
    const pid = broker.pid!;
    process.kill(pid, 'SIGSTOP');
    try {
      await tail.until(() => statuses(tail).some((s) => s.phase === 'outage'), 15_000);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
    const outage = statuses(tail).find((s) => s.phase === 'outage')!;
    expect(outage.message).toMatch(
      new RegExp(
        `^Waiting for the broker: ${broker.bootstrap} has not answered for \\d+(\\.\\d+)? s while reading frozen\\.$`,
      ),
    );
    const outageAt = tail.events.indexOf(outage);
    await tail.until(
      () =>
        tail.events
          .slice(outageAt)
          .some((e) => e.type === 'status' && e.phase === 'live' && /Reading frozen again/.test(e.message)),
      30_000,
    );

    produceWithKcat(broker.bootstrap, 'frozen', lines('after', 50), { partition: 0 });
    await tail.until(() => tail.records.length >= 150, 30_000);
    // About time passing: a record delivered twice after the thaw would show within half a second.
    await new Promise((r) => setTimeout(r, 500));
    expect(tail.records.map((r) => Number(r.offset))).toEqual(Array.from({ length: 150 }, (_, i) => i));
  }, 90_000);

  it('with the broker stopped, reconnecting again and again adds no listeners (no MaxListenersExceededWarning)', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error): void => void warnings.push(w);
    process.on('warning', onWarning);
    // Tails on one connection: each retries, reconnecting to the same broker.
    const tails = [0, 1, 2].map(() =>
      startTail(host.client, { connectionId: 'main', topic: 'frozen', from: { kind: 'earliest' } }),
    );
    try {
      for (const t of tails) await t.until(() => t.records.length >= 100);
      await broker.pause();
      // Their fetch connection is now a dead socket, which kafkajs keeps (and "disconnects" at
      // every failed reconnect) while the tails retry, each round a little later (up to 5 s).
      for (const t of tails)
        await t.until(
          () => statuses(t).some((s) => s.phase === 'outage' && /Cannot read frozen right now/.test(s.message)),
          60_000,
        );
      const until = Date.now() + 15_000;
      while (Date.now() < until && warnings.length === 0) {
        await expect(host.client.call('connections.test', { connectionId: 'main' })).rejects.toMatchObject({
          code: 'CONNECTION_REFUSED',
        });
        await new Promise((r) => setTimeout(r, 500));
      }
      expect(warnings.map((w) => `${w.name}: ${w.message}`)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
      for (const t of tails) t.subscription.close();
    }
  }, 120_000);

  it('a tail started while the broker is down waits, says why, and starts when the broker is back', async () => {
    // The broker is still stopped (previous test). "late" has never connected; "main" has.
    await host.client.call('connections.save', {
      profile: { id: 'late', name: 'late', bootstrap: broker.bootstrap, connectTimeoutMs: 2_000 },
    });
    const fresh = startTail(host.client, { connectionId: 'late', topic: 'frozen', from: { kind: 'earliest' } });
    const pooled = startTail(host.client, { connectionId: 'main', topic: 'frozen', from: { kind: 'earliest' } });
    let ended = false;
    void Promise.allSettled([fresh.subscription.done, pooled.subscription.done]).then(() => (ended = true));
    try {
      for (const t of [fresh, pooled]) await t.until(() => statuses(t).some((s) => s.phase === 'outage'), 30_000);
      for (const t of [fresh, pooled]) {
        expect(statuses(t)[0]!.message).toMatch(
          new RegExp(
            `^Cannot start reading frozen yet: Connection refused by ${broker.bootstrap}: nothing is listening there\\..* Retrying until it answers\\.$`,
          ),
        );
        expect(t.events.some((e) => e.type === 'started')).toBe(false);
      }
      // Still waiting a few retries later, not ended. About time passing: the tails must not
      // give up, which only time can show (retries come at 250 ms, 500 ms, 1 s, 2 s).
      await new Promise((r) => setTimeout(r, 3_000));
      expect(ended).toBe(false);

      await broker.resume();
      for (const t of [fresh, pooled]) {
        await t.until(() => t.records.length === 150, 60_000);
        expect(
          t.events.some(
            (e) => e.type === 'status' && e.phase === 'live' && /answers again: reading frozen/.test(e.message),
          ),
        ).toBe(true);
        expect(t.records.map((r) => Number(r.offset))).toEqual(Array.from({ length: 150 }, (_, i) => i));
      }
      // The tail that was running when the broker stopped goes on too.
      produceWithKcat(broker.bootstrap, 'frozen', lines('back', 10), { partition: 0 });
      for (const t of [tail, fresh, pooled]) await t.until(() => t.records.length === 160, 60_000);
      expect(ended).toBe(false);
    } finally {
      fresh.subscription.close();
      pooled.subscription.close();
    }
  }, 180_000);

  it('an export that stops on damaged data keeps what it wrote as FILE.partial, says so, and leaves FILE as it was', async () => {
    createTopicWithKafkaTool(broker.bootstrap, 'damaged', { partitions: 1 });
    // Three produce calls: several record batches (kcat chooses how many).
    for (const part of ['one', 'two', 'three'])
      produceWithKcat(broker.bootstrap, 'damaged', lines(`${part}-${'x'.repeat(120)}`, 20), { partition: 0 });
    // Damage the last batch on disk (the broker serves segment bytes as they are: the reader's CRC check must catch it).
    const segment = join(broker.dataDir, 'data', 'damaged-0', '00000000000000000000.log');
    const batches = batchSpans(segment);
    expect(batches.length).toBeGreaterThanOrEqual(3);
    const last = batches[batches.length - 1]!;
    const damagedAt = Number(readFileSync(segment).readBigInt64BE(last.start));
    expect(damagedAt).toBeGreaterThan(0);
    flipByte(segment, last.start + Math.floor((last.end - last.start) / 2));

    const dir = testTempDir('es-damaged-export-');
    const file = join(dir, 'out.ndjson');
    writeFileSync(file, 'the previous export\n');
    // One batch per fetch, so the good batches are written before the damaged one is read.
    const env = { ...process.env, EVENTSCOPE_PARTITION_FETCH_MAX_BYTES: '1024', EVENTSCOPE_FETCH_MAX_BYTES: '1024' };
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [BIN, 'export', 'damaged', '--bootstrap', broker.bootstrap, '--output', file],
        { env, timeout: 60_000 },
        (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`partition 0.*offset ${damagedAt}`, 'i'));
    expect(result.stderr).toMatch(
      new RegExp(
        `The export stopped there\\. The \\d+ bytes written so far are in ${file}\\.partial; ${file} was not written\\. \\[\\w+\\]\\n$`,
      ),
    );
    expect(readFileSync(file, 'utf8')).toBe('the previous export\n');
    expect(existsSync(`${file}.partial`)).toBe(true);
    const written = readFileSync(`${file}.partial`, 'utf8')
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { offset: string });
    expect(written.map((r) => Number(r.offset))).toEqual(Array.from({ length: damagedAt }, (_, i) => i));
  }, 90_000);
});

/** The byte ranges of the record batches in a Kafka log segment (base offset: 8 bytes, then the batch length). */
function batchSpans(segment: string): { start: number; end: number }[] {
  const bytes = readFileSync(segment);
  const spans: { start: number; end: number }[] = [];
  for (let at = 0; at + 12 <= bytes.length;) {
    const end = at + 12 + bytes.readInt32BE(at + 8);
    spans.push({ start: at, end });
    at = end;
  }
  expect(spans[spans.length - 1]?.end).toBe(statSync(segment).size);
  return spans;
}

function flipByte(path: string, position: number): void {
  const fd = openSync(path, 'r+');
  try {
    const one = Buffer.alloc(1);
    readSync(fd, one, 0, 1, position);
    one[0] = one[0]! ^ 0xff;
    writeSync(fd, one, 0, 1, position);
  } finally {
    closeSync(fd);
  }
}
