// Lag history: which groups the user watches, and the samples taken of them (committed and
// log-end offset of every partition, every interval), kept on disk so that a group's status
// and its lag chart survive a restart. node:sqlite in its own file (default
// <dataDir>/lag-history.sqlite), WAL, one transaction per sample.
//
// Compact: a group is stored once (lag_groups) and referred to by number, topic names are
// interned (lag_topics); a sample is one row in lag_points (group, at) and one row per
// partition in lag_samples, a WITHOUT ROWID table keyed (group, at, topic, partition): the
// key itself serves "samples of group G of cluster C since T", and the pruning of one group's
// old samples. Every table is named lag_*, so that the same tables can live inside another
// database (a capture file: copyGroupsTo) and be read from there (readOnly).
//
// Retention: samples older than retentionMs (default 7 days) are deleted by addSample, at most
// once an hour (measured in sample time), or by prune().
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import type { GroupLagHistory } from '../../common/contract/group-dto.ts';
import { DEFAULT_TREND_POINTS, estimateCatchUp, ratesBetween } from './catch-up-estimate.ts';
import { DEFAULT_WINDOW_SAMPLES, type PartitionWindow } from './lag-status.ts';
import { DEFAULT_SAMPLE_INTERVAL_MS } from './lag-sampler.ts';
import { byTopicPartition, partitionLag, totalLag } from './partition-lag.ts';

export const LAG_HISTORY_FILE = 'lag-history.sqlite';
export const DEFAULT_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;
/** addSample prunes at most this often (in sample time). */
const PRUNE_EVERY_MS = 60 * 60 * 1000;

export function defaultLagHistoryPath(dataDir: string): string {
  return join(dataDir, LAG_HISTORY_FILE);
}

/** One partition of one sample. */
export interface PartitionSample {
  topic: string;
  partition: number;
  /** null: the group has no committed offset here. */
  committed: bigint | null;
  end: bigint;
  /** Age of the record at the committed offset (ms); null where not known. */
  timeLagMs: number | null;
}

export interface GroupSample {
  at: number;
  partitions: PartitionSample[];
}

export interface LagHistoryStoreOptions {
  /** Open for reading only (a capture file): every write throws a LagHistoryError. */
  readOnly?: boolean;
  /** Default DEFAULT_RETENTION_MS. */
  retentionMs?: number;
  /** Reported as history().intervalMs while there are too few points to measure it. Default 10 s. */
  intervalMs?: number;
  /** Points of the catch-up trend. Default DEFAULT_TREND_POINTS. */
  trendPoints?: number;
  /**
   * Switch the file to WAL (default true). False leaves the journal mode as the file has it:
   * for writing into a database that will be (or was) sealed as a single file.
   */
  wal?: boolean;
}

export class LagHistoryError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'LagHistoryError';
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS lag_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lag_watched (
  cluster TEXT NOT NULL,
  group_id TEXT NOT NULL,
  since INTEGER NOT NULL,
  PRIMARY KEY (cluster, group_id)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lag_groups (
  id INTEGER PRIMARY KEY,
  cluster TEXT NOT NULL,
  group_id TEXT NOT NULL,
  UNIQUE (cluster, group_id)
);
CREATE TABLE IF NOT EXISTS lag_topics (id INTEGER PRIMARY KEY, name TEXT NOT NULL UNIQUE);
CREATE TABLE IF NOT EXISTS lag_points (
  grp INTEGER NOT NULL,
  at INTEGER NOT NULL,
  PRIMARY KEY (grp, at)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS lag_samples (
  grp INTEGER NOT NULL,
  at INTEGER NOT NULL,
  topic INTEGER NOT NULL,
  partition INTEGER NOT NULL,
  committed INTEGER,
  end_offset INTEGER NOT NULL,
  time_lag_ms INTEGER,
  PRIMARY KEY (grp, at, topic, partition)
) WITHOUT ROWID;
`;
const FORMAT = 'eventscope-lag-history/1';

interface SampleRow {
  at: bigint;
  topic: string;
  partition: bigint;
  committed: bigint | null;
  end_offset: bigint;
  time_lag_ms: bigint | null;
}

export class LagHistoryStore {
  readonly path: string;
  readonly readOnly: boolean;
  readonly retentionMs: number;
  private readonly db: DatabaseSync;
  private readonly intervalMs: number;
  private readonly trendPoints: number;
  /** Read-only over a file that has no lag tables (a capture made without history): everything reads as empty. */
  private readonly empty: boolean;
  private readonly statements = new Map<string, StatementSync>();
  private readonly groupIds = new Map<string, number>();
  private readonly topicIds = new Map<string, number>();
  private lastPruneAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(path: string, options: LagHistoryStoreOptions = {}) {
    this.path = path;
    this.readOnly = options.readOnly ?? false;
    this.retentionMs = options.retentionMs ?? DEFAULT_RETENTION_MS;
    this.intervalMs = options.intervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS;
    this.trendPoints = options.trendPoints ?? DEFAULT_TREND_POINTS;
    try {
      if (!this.readOnly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
      this.db = new DatabaseSync(path, { readOnly: this.readOnly });
    } catch (err) {
      throw new LagHistoryError(`Cannot open the lag history ${path}: ${(err as Error).message}`, { cause: err });
    }
    try {
      // The first read of the file: a file that is not SQLite fails here ("file is not a database").
      const tables = this.db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name = 'lag_samples'")
        .all();
      this.db.exec('PRAGMA busy_timeout = 5000');
      if (!this.readOnly) {
        if (options.wal ?? true) this.db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL;');
        this.db.exec(SCHEMA);
        this.db.prepare('INSERT OR IGNORE INTO lag_meta (key, value) VALUES (?, ?)').run('format', FORMAT);
      }
      this.empty = this.readOnly && tables.length === 0;
    } catch (err) {
      this.db.close();
      const message = (err as Error).message;
      if (/full/i.test(message))
        throw new LagHistoryError(
          `Cannot write the lag history ${path}: the disk is full. Free some space; watched groups are sampled again once there is room.`,
          { cause: err },
        );
      throw new LagHistoryError(`${path} is not a lag history database: ${message}`, { cause: err });
    }
  }

  // ---- watched groups ----

  /** Remembers that the user watches this group of this cluster (again: nothing changes). */
  watch(cluster: string, groupId: string, since: number = Date.now()): void {
    this.writable('watch a group');
    this.stmt('INSERT OR IGNORE INTO lag_watched (cluster, group_id, since) VALUES (?, ?, ?)').run(
      cluster,
      groupId,
      Math.round(since),
    );
  }

  /** Stops watching; the group's samples stay until they age out (or prune). */
  unwatch(cluster: string, groupId: string): void {
    this.writable('unwatch a group');
    this.stmt('DELETE FROM lag_watched WHERE cluster = ? AND group_id = ?').run(cluster, groupId);
  }

  /** The groups watched on this cluster, sorted. */
  watched(cluster: string): string[] {
    this.open();
    if (this.empty) return [];
    return (
      this.stmt('SELECT group_id FROM lag_watched WHERE cluster = ? ORDER BY group_id').all(cluster) as {
        group_id: string;
      }[]
    ).map((r) => r.group_id);
  }

  /** The groups of this cluster that have samples, sorted. */
  groupsWithHistory(cluster: string): string[] {
    this.open();
    if (this.empty) return [];
    return (
      this.stmt(
        'SELECT g.group_id FROM lag_groups g WHERE g.cluster = ? AND EXISTS (SELECT 1 FROM lag_points p WHERE p.grp = g.id) ORDER BY g.group_id',
      ).all(cluster) as { group_id: string }[]
    ).map((r) => r.group_id);
  }

  // ---- samples ----

  /** Stores one sample of a group (all its partitions) in one transaction; a sample at the same time replaces it. */
  addSample(cluster: string, groupId: string, at: number, partitions: readonly PartitionSample[]): void {
    this.writable('add a sample');
    this.transaction(() => this.insertSample(cluster, groupId, Math.round(at), partitions));
    if (at - this.lastPruneAt >= PRUNE_EVERY_MS) {
      this.lastPruneAt = at;
      this.prune(at - this.retentionMs);
    }
  }

  /** Deletes every sample taken before olderThanMs; returns how many samples (points) went. */
  prune(olderThanMs: number): number {
    this.writable('prune');
    let removed = 0;
    this.transaction(() => {
      for (const { id } of this.stmt('SELECT id FROM lag_groups').all() as { id: number }[]) {
        this.stmt('DELETE FROM lag_samples WHERE grp = ? AND at < ?').run(id, olderThanMs);
        removed += Number(this.stmt('DELETE FROM lag_points WHERE grp = ? AND at < ?').run(id, olderThanMs).changes);
      }
    });
    return removed;
  }

  /** The latest sample of a group; null when it has none. */
  latest(cluster: string, groupId: string): GroupSample | null {
    const grp = this.groupRef(cluster, groupId);
    if (grp === null) return null;
    const row = this.stmt('SELECT MAX(at) AS at FROM lag_points WHERE grp = ?').get(grp) as { at: number | null };
    if (row.at === null) return null;
    return this.samplesFrom(grp, row.at)[0] ?? { at: row.at, partitions: [] };
  }

  /** Each partition's last n samples (fewer where it is missing from some), for the status evaluation (lag-status.ts). */
  window(cluster: string, groupId: string, n: number = DEFAULT_WINDOW_SAMPLES): PartitionWindow[] {
    const grp = this.groupRef(cluster, groupId);
    if (grp === null || n <= 0) return [];
    const oldest = this.stmt(
      'SELECT MIN(at) AS at FROM (SELECT at FROM lag_points WHERE grp = ? ORDER BY at DESC LIMIT ?)',
    ).get(grp, Math.floor(n)) as { at: number | null };
    if (oldest.at === null) return [];
    const windows = new Map<
      string,
      PartitionWindow & { samples: { at: number; committed: bigint | null; end: bigint }[] }
    >();
    for (const sample of this.samplesFrom(grp, oldest.at)) {
      for (const p of sample.partitions) {
        const key = `${p.topic}\u0000${p.partition}`;
        let w = windows.get(key);
        if (!w) windows.set(key, (w = { topic: p.topic, partition: p.partition, samples: [] }));
        w.samples.push({ at: sample.at, committed: p.committed, end: p.end });
      }
    }
    return [...windows.values()].sort(byTopicPartition);
  }

  /** A group's lag since sinceMs, as the contract carries it: points with total lag and rates, per partition series, catch-up estimate. */
  history(cluster: string, groupId: string, sinceMs: number): GroupLagHistory {
    const grp = this.groupRef(cluster, groupId);
    const samples = grp === null ? [] : this.samplesFrom(grp, sinceMs);
    const points = samples.map((sample, i) => {
      const lags = sample.partitions.map((p) => partitionLag(p.committed, p.end));
      const total = totalLag(lags);
      const rates = i === 0 ? { consumeRate: null, produceRate: null } : ratesBetween(samples[i - 1]!, sample);
      return { at: sample.at, totalLag: total === null ? null : Number(total), ...rates };
    });
    const series = new Map<string, { topic: string; partition: number; lags: (number | null)[] }>();
    samples.forEach((sample, i) => {
      for (const p of sample.partitions) {
        const key = `${p.topic}\u0000${p.partition}`;
        let s = series.get(key);
        if (!s)
          series.set(
            key,
            (s = { topic: p.topic, partition: p.partition, lags: new Array<number | null>(samples.length).fill(null) }),
          );
        const lag = partitionLag(p.committed, p.end);
        s.lags[i] = lag === null ? null : Number(lag);
      }
    });
    return {
      groupId,
      intervalMs: medianGap(samples.map((s) => s.at)) ?? this.intervalMs,
      points,
      partitions: [...series.values()].sort(byTopicPartition),
      catchUp: estimateCatchUp(points, { window: this.trendPoints }),
    };
  }

  // ---- copy ----

  /**
   * Copies these groups' samples of `cluster` into another store (or the store file at a path,
   * e.g. a capture file being written), under `targetClusterKey`, and marks them watched there
   * (in a capture, the groups whose history it carries). One transaction in the target.
   * A path is opened without switching it to WAL. Returns how many samples were copied.
   */
  copyGroupsTo(
    target: string | LagHistoryStore,
    cluster: string,
    groups: readonly string[],
    targetClusterKey: string,
  ): { groups: number; points: number } {
    this.open();
    const into = typeof target === 'string' ? this.openCopyTarget(target) : target;
    if (into === this || (into.path !== ':memory:' && resolve(into.path) === resolve(this.path)))
      throw new LagHistoryError(`Cannot copy the lag history ${this.path} into itself.`);
    into.writable('receive copied history');
    try {
      let points = 0;
      into.transaction(() => {
        for (const groupId of groups) {
          into
            .stmt('INSERT OR IGNORE INTO lag_watched (cluster, group_id, since) VALUES (?, ?, ?)')
            .run(targetClusterKey, groupId, Date.now());
          const grp = this.groupRef(cluster, groupId);
          if (grp === null) continue;
          for (const sample of this.samplesFrom(grp, Number.MIN_SAFE_INTEGER)) {
            into.insertSample(targetClusterKey, groupId, sample.at, sample.partitions);
            points++;
          }
        }
      });
      return { groups: groups.length, points };
    } finally {
      if (typeof target === 'string') into.close();
    }
  }

  /** Closes the file. Closing twice, or using a closed store, throws a LagHistoryError. */
  close(): void {
    if (this.closed) throw new LagHistoryError(`The lag history ${this.path} is closed already.`);
    this.closed = true;
    this.statements.clear();
    this.db.close();
  }

  // ---- internals ----

  private openCopyTarget(path: string): LagHistoryStore {
    if (path !== ':memory:' && resolve(path) === resolve(this.path))
      throw new LagHistoryError(`Cannot copy the lag history ${this.path} into itself.`);
    return new LagHistoryStore(path, { wal: false, retentionMs: this.retentionMs });
  }

  private open(): void {
    if (this.closed) throw new LagHistoryError(`The lag history ${this.path} is closed.`);
  }

  private writable(what: string): void {
    this.open();
    if (this.readOnly) throw new LagHistoryError(`Cannot ${what}: the lag history ${this.path} is open read-only.`);
  }

  private stmt(sql: string, bigints = false): StatementSync {
    const key = `${bigints}:${sql}`;
    let s = this.statements.get(key);
    if (!s) {
      s = this.db.prepare(sql);
      s.setReadBigInts(bigints);
      this.statements.set(key, s);
    }
    return s;
  }

  private transaction(work: () => void): void {
    if (this.db.isTransaction) {
      work();
      return;
    }
    this.db.exec('BEGIN IMMEDIATE');
    try {
      work();
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
  }

  /** The group's number, or null when it has never been sampled (reading) — created when `create`. */
  private groupRef(cluster: string, groupId: string, create = false): number | null {
    this.open();
    if (this.empty) return null;
    const key = `${cluster}\u0000${groupId}`;
    const known = this.groupIds.get(key);
    if (known !== undefined) return known;
    let row = this.stmt('SELECT id FROM lag_groups WHERE cluster = ? AND group_id = ?').get(cluster, groupId) as
      { id: number } | undefined;
    if (!row && create)
      row = this.stmt('INSERT INTO lag_groups (cluster, group_id) VALUES (?, ?) RETURNING id').get(
        cluster,
        groupId,
      ) as { id: number };
    if (!row) return null;
    this.groupIds.set(key, row.id);
    return row.id;
  }

  private topicRef(name: string): number {
    const known = this.topicIds.get(name);
    if (known !== undefined) return known;
    let row = this.stmt('SELECT id FROM lag_topics WHERE name = ?').get(name) as { id: number } | undefined;
    if (!row) row = this.stmt('INSERT INTO lag_topics (name) VALUES (?) RETURNING id').get(name) as { id: number };
    this.topicIds.set(name, row.id);
    return row.id;
  }

  /** Inside a transaction. */
  private insertSample(cluster: string, groupId: string, at: number, partitions: readonly PartitionSample[]): void {
    const grp = this.groupRef(cluster, groupId, true)!;
    this.stmt('DELETE FROM lag_samples WHERE grp = ? AND at = ?').run(grp, at);
    this.stmt('INSERT OR REPLACE INTO lag_points (grp, at) VALUES (?, ?)').run(grp, at);
    const insert = this.stmt(
      'INSERT OR REPLACE INTO lag_samples (grp, at, topic, partition, committed, end_offset, time_lag_ms) VALUES (?, ?, ?, ?, ?, ?, ?)',
    );
    for (const p of partitions) {
      insert.run(
        grp,
        at,
        this.topicRef(p.topic),
        p.partition,
        p.committed,
        p.end,
        p.timeLagMs === null ? null : Math.round(p.timeLagMs),
      );
    }
  }

  /** Every sample of a group from `since` on, oldest first, partitions sorted. */
  private samplesFrom(grp: number, since: number): GroupSample[] {
    const byAt = new Map<number, GroupSample>();
    for (const { at } of this.stmt('SELECT at FROM lag_points WHERE grp = ? AND at >= ? ORDER BY at').all(
      grp,
      since,
    ) as { at: number }[])
      byAt.set(at, { at, partitions: [] });
    const rows = this.stmt(
      'SELECT s.at, t.name AS topic, s.partition, s.committed, s.end_offset, s.time_lag_ms FROM lag_samples s JOIN lag_topics t ON t.id = s.topic WHERE s.grp = ? AND s.at >= ?',
      true,
    ).all(grp, since) as unknown as SampleRow[];
    for (const r of rows) {
      byAt.get(Number(r.at))?.partitions.push({
        topic: r.topic,
        partition: Number(r.partition),
        committed: r.committed,
        end: r.end_offset,
        timeLagMs: r.time_lag_ms === null ? null : Number(r.time_lag_ms),
      });
    }
    const samples = [...byAt.values()];
    for (const s of samples) s.partitions.sort(byTopicPartition);
    return samples;
  }
}

/** The median gap between consecutive times; null with fewer than two. */
function medianGap(times: readonly number[]): number | null {
  if (times.length < 2) return null;
  const gaps: number[] = [];
  for (let i = 1; i < times.length; i++) gaps.push(times[i]! - times[i - 1]!);
  gaps.sort((a, b) => a - b);
  const mid = gaps.length >> 1;
  return Math.round(gaps.length % 2 === 1 ? gaps[mid]! : (gaps[mid - 1]! + gaps[mid]!) / 2);
}
