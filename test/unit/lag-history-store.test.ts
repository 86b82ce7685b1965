import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_RETENTION_MS,
  LagHistoryError,
  LagHistoryStore,
  defaultLagHistoryPath,
  type PartitionSample,
} from '../../src/node/lag/lag-history-store.ts';
import { evaluateGroupWindows } from '../../src/node/lag/lag-status.ts';
import { testTempDir } from '../support/temp-dir.ts';

const tempDir = () => testTempDir('es-lag-history-');
const T0 = 1_700_000_000_000;

function p(
  topic: string,
  partition: number,
  committed: number | null,
  end: number,
  timeLagMs: number | null = null,
): PartitionSample {
  return { topic, partition, committed: committed === null ? null : BigInt(committed), end: BigInt(end), timeLagMs };
}

/** Three samples 10 s apart: orders/0 consumes 100/s of 150/s produced, orders/1 catches up, payments/0 has no commit. */
function fill(store: LagHistoryStore, cluster = 'c1', group = 'billing'): void {
  store.addSample(cluster, group, T0, [
    p('orders', 0, 1_000, 2_000, 5_000),
    p('orders', 1, 500, 900),
    p('payments', 0, null, 70),
  ]);
  store.addSample(cluster, group, T0 + 10_000, [
    p('orders', 0, 2_000, 3_500),
    p('orders', 1, 900, 900),
    p('payments', 0, null, 80),
  ]);
  store.addSample(cluster, group, T0 + 20_000, [p('orders', 0, 3_000, 5_000), p('orders', 1, 900, 900)]);
}

describe('LagHistoryStore', () => {
  it('lives in <dataDir>/lag-history.sqlite by default', () => {
    expect(defaultLagHistoryPath('/data')).toBe(join('/data', 'lag-history.sqlite'));
  });

  it('keeps samples and watched groups across close and reopen', () => {
    const path = defaultLagHistoryPath(join(tempDir(), 'nested'));
    const store = new LagHistoryStore(path);
    store.watch('c1', 'billing');
    store.watch('c1', 'audit');
    store.watch('c1', 'billing');
    store.watch('c2', 'other');
    fill(store);
    store.close();
    expect(existsSync(path)).toBe(true);

    const again = new LagHistoryStore(path);
    expect(again.watched('c1')).toEqual(['audit', 'billing']);
    expect(again.watched('c2')).toEqual(['other']);
    expect(again.watched('c3')).toEqual([]);
    expect(again.latest('c1', 'billing')).toEqual({
      at: T0 + 20_000,
      partitions: [p('orders', 0, 3_000, 5_000), p('orders', 1, 900, 900)],
    });
    expect(again.groupsWithHistory('c1')).toEqual(['billing']);
    again.unwatch('c1', 'audit');
    again.close();
    const third = new LagHistoryStore(path);
    expect(third.watched('c1')).toEqual(['billing']);
    expect(third.history('c1', 'billing', 0).points).toHaveLength(3);
    third.close();
  });

  it('gives the history DTO: total lag, rates, per-partition series aligned to the points, catch-up', () => {
    const store = new LagHistoryStore(join(tempDir(), 'h.sqlite'));
    fill(store);
    const history = store.history('c1', 'billing', 0);
    expect(history.groupId).toBe('billing');
    expect(history.intervalMs).toBe(10_000);
    expect(history.points).toEqual([
      { at: T0, totalLag: 1_400, consumeRate: null, produceRate: null },
      // consumed 1,000 + 400 in 10 s; produced 1,500 + 0 + 10 (payments has an end offset, no commit).
      { at: T0 + 10_000, totalLag: 1_500, consumeRate: 140, produceRate: 151 },
      { at: T0 + 20_000, totalLag: 2_000, consumeRate: 100, produceRate: 150 },
    ]);
    expect(history.partitions).toEqual([
      { topic: 'orders', partition: 0, lags: [1_000, 1_500, 2_000] },
      { topic: 'orders', partition: 1, lags: [400, 0, 0] },
      { topic: 'payments', partition: 0, lags: [null, null, null] },
    ]);
    expect(history.catchUp).toEqual({
      seconds: null,
      reason: 'lag is growing by 30 records/s: it will not catch up at this rate',
    });
    // Since a time: only the points from then on (the first has no rates).
    const recent = store.history('c1', 'billing', T0 + 10_000);
    expect(recent.points.map((pt) => [pt.totalLag, pt.consumeRate])).toEqual([
      [1_500, null],
      [2_000, 100],
    ]);
    expect(recent.partitions[0]!.lags).toEqual([1_500, 2_000]);
    // Unknown group, other cluster: empty, with the configured interval.
    expect(store.history('c2', 'billing', 0)).toEqual({
      groupId: 'billing',
      intervalMs: 10_000,
      points: [],
      partitions: [],
      catchUp: { seconds: null, reason: 'no lag known yet' },
    });
    store.close();
  });

  it('a partition that appears later is null before it; a sample at the same time replaces the one before', () => {
    const store = new LagHistoryStore(join(tempDir(), 'h.sqlite'));
    store.addSample('c1', 'g', T0, [p('a', 0, 0, 10)]);
    store.addSample('c1', 'g', T0 + 5_000, [p('a', 0, 5, 10), p('b', 0, 1, 2)]);
    store.addSample('c1', 'g', T0 + 5_000, [p('a', 0, 6, 10), p('b', 0, 1, 4)]);
    const history = store.history('c1', 'g', 0);
    expect(history.partitions).toEqual([
      { topic: 'a', partition: 0, lags: [10, 4] },
      { topic: 'b', partition: 0, lags: [null, 3] },
    ]);
    expect(history.intervalMs).toBe(5_000);
    // A group with no committed offsets still has its points (total lag unknown).
    store.addSample('c1', 'empty', T0, []);
    expect(store.history('c1', 'empty', 0).points).toEqual([
      { at: T0, totalLag: null, consumeRate: null, produceRate: null },
    ]);
    expect(store.latest('c1', 'empty')).toEqual({ at: T0, partitions: [] });
    expect(store.latest('c1', 'nobody')).toBeNull();
    store.close();
  });

  it('gives each partition its last n samples for the status evaluation', () => {
    const store = new LagHistoryStore(join(tempDir(), 'h.sqlite'));
    for (let i = 0; i < 15; i++)
      store.addSample('c1', 'g', T0 + i * 10_000, [
        p('orders', 0, 1_204, 6_514),
        p('orders', 1, i * 100, i * 100 + 50),
      ]);
    const windows = store.window('c1', 'g', 10);
    expect(windows.map((w) => [w.topic, w.partition, w.samples.length])).toEqual([
      ['orders', 0, 10],
      ['orders', 1, 10],
    ]);
    expect(windows[0]!.samples[0]).toEqual({ at: T0 + 50_000, committed: 1_204n, end: 6_514n });
    const { status } = evaluateGroupWindows(windows);
    expect(status).toEqual({
      level: 'ERR',
      reason: 'partition 0 of orders: offset 1,204 unchanged for 1 min 30 s while 5,310 behind',
    });
    expect(store.window('c1', 'g', 3)[0]!.samples).toHaveLength(3);
    expect(store.window('c1', 'nobody')).toEqual([]);
    store.close();
  });

  it('prunes samples older than a time, and by retention when samples are added', () => {
    const store = new LagHistoryStore(join(tempDir(), 'h.sqlite'), { retentionMs: 60 * 60 * 1000 });
    fill(store);
    expect(store.prune(T0 + 10_000)).toBe(1);
    expect(store.history('c1', 'billing', 0).points.map((pt) => pt.at)).toEqual([T0 + 10_000, T0 + 20_000]);
    expect(store.prune(T0)).toBe(0);
    // Two hours later a sample comes: the retention (1 h) removes the rest.
    store.addSample('c1', 'billing', T0 + 2 * 60 * 60 * 1000, [p('orders', 0, 9_000, 9_000)]);
    expect(store.history('c1', 'billing', 0).points.map((pt) => pt.at)).toEqual([T0 + 2 * 60 * 60 * 1000]);
    store.close();
    expect(DEFAULT_RETENTION_MS).toBe(7 * 24 * 60 * 60 * 1000);
  });

  it('copies groups into another file (a capture) under another cluster key, which reads them read-only', () => {
    const dir = tempDir();
    const store = new LagHistoryStore(join(dir, 'h.sqlite'));
    fill(store, 'c1', 'billing');
    fill(store, 'c1', 'audit');
    fill(store, 'c2', 'billing');
    // The target already holds other tables, as a capture file does.
    const capturePath = join(dir, 'capture.sqlite');
    const capture = new DatabaseSync(capturePath);
    capture.exec(
      "CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL); INSERT INTO meta VALUES ('format', 'eventscope-capture/1');",
    );
    capture.close();
    expect(store.copyGroupsTo(capturePath, 'c1', ['billing', 'missing'], 'capture')).toEqual({ groups: 2, points: 3 });

    const copy = new LagHistoryStore(capturePath, { readOnly: true });
    expect(copy.watched('capture')).toEqual(['billing', 'missing']);
    expect(copy.history('capture', 'billing', 0)).toEqual(store.history('c1', 'billing', 0));
    expect(copy.history('capture', 'audit', 0).points).toEqual([]);
    expect(copy.latest('capture', 'billing')?.partitions[0]).toEqual(p('orders', 0, 3_000, 5_000));
    copy.close();
    // The capture's own tables are untouched, and it was not switched to WAL.
    const raw = new DatabaseSync(capturePath, { readOnly: true });
    expect(raw.prepare("SELECT value FROM meta WHERE key = 'format'").get()).toEqual({ value: 'eventscope-capture/1' });
    expect(raw.prepare('PRAGMA journal_mode').get()).toEqual({ journal_mode: 'delete' });
    raw.close();

    // Into an open store too.
    const other = new LagHistoryStore(join(dir, 'other.sqlite'));
    expect(store.copyGroupsTo(other, 'c2', ['billing'], 'x')).toEqual({ groups: 1, points: 3 });
    expect(other.history('x', 'billing', 0).points).toHaveLength(3);
    expect(() => store.copyGroupsTo(join(dir, 'h.sqlite'), 'c1', ['billing'], 'c1')).toThrow(/into itself/);
    other.close();
    store.close();
  });

  it('read-only refuses every write with a clear error; a file with no lag tables reads as empty', () => {
    const dir = tempDir();
    const path = join(dir, 'h.sqlite');
    const writer = new LagHistoryStore(path);
    fill(writer);
    writer.close();
    const reader = new LagHistoryStore(path, { readOnly: true });
    expect(reader.readOnly).toBe(true);
    expect(() => reader.addSample('c1', 'billing', T0 + 30_000, [])).toThrow(
      new LagHistoryError(`Cannot add a sample: the lag history ${path} is open read-only.`),
    );
    expect(() => reader.watch('c1', 'x')).toThrow(/Cannot watch a group: .* is open read-only/);
    expect(() => reader.unwatch('c1', 'x')).toThrow(/read-only/);
    expect(() => reader.prune(T0 + 100_000)).toThrow(/read-only/);
    expect(() => new LagHistoryStore(join(dir, 'other.sqlite')).copyGroupsTo(reader, 'c1', ['billing'], 'c1')).toThrow(
      /Cannot receive copied history: .* read-only/,
    );
    expect(reader.history('c1', 'billing', 0).points).toHaveLength(3);
    reader.close();

    const plain = join(dir, 'plain.sqlite');
    const db = new DatabaseSync(plain);
    db.exec('CREATE TABLE something (x)');
    db.close();
    const empty = new LagHistoryStore(plain, { readOnly: true });
    expect(empty.watched('c1')).toEqual([]);
    expect(empty.history('c1', 'g', 0).points).toEqual([]);
    expect(empty.window('c1', 'g')).toEqual([]);
    expect(empty.latest('c1', 'g')).toBeNull();
    empty.close();
  });

  it('a file that is not SQLite, a missing file read-only, a closed store: clear errors', () => {
    const dir = tempDir();
    const notDb = join(dir, 'notes.txt');
    writeFileSync(notDb, 'these are some notes, not a database at all; long enough to have a header\n'.repeat(10));
    expect(() => new LagHistoryStore(notDb)).toThrow(
      new LagHistoryError(`${notDb} is not a lag history database: file is not a database`),
    );
    expect(() => new LagHistoryStore(notDb, { readOnly: true })).toThrow(LagHistoryError);
    expect(() => new LagHistoryStore(join(dir, 'missing.sqlite'), { readOnly: true })).toThrow(
      /Cannot open the lag history .*missing\.sqlite/,
    );

    const path = join(dir, 'h.sqlite');
    const store = new LagHistoryStore(path);
    store.close();
    expect(() => store.close()).toThrow(new LagHistoryError(`The lag history ${path} is closed already.`));
    expect(() => store.watched('c1')).toThrow(`The lag history ${path} is closed.`);
    expect(() => store.addSample('c1', 'g', T0, [])).toThrow(/is closed/);
    expect(() => store.history('c1', 'g', 0)).toThrow(/is closed/);
  });
});
