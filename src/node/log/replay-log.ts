// The embedded replay log: what was fetched, kept on disk so it can be browsed, searched
// and replayed without the cluster. node:sqlite (built into Node and Electron's Node, no
// native addon), WAL mode, one row per fetched batch per partition with the records packed
// in a blob (src/node/log/record-blob.ts).
//
// Each row covers an offset span [base_offset, last_offset] exactly as fetched, gaps
// (compaction, transaction markers) included, so the log knows which ranges it holds and an
// overlapping fetch stores only what is new. append() returns after COMMIT: what it
// acknowledged survives a crash of the process (SQLite's WAL truncates a torn tail itself).
import { DatabaseSync, type StatementSync } from 'node:sqlite';
import { mkdirSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import type { KafkaRecord } from '../kafka/index.ts';
import { RecordPacker, unpackColumns, unpackRecords, type RecordColumns } from './record-blob.ts';
import { WalCheckpointer } from './wal-checkpointer.ts';

export const DEFAULT_CAP_BYTES_PER_CLUSTER = 2 * 1024 * 1024 * 1024;
const MAX_RECORDS_PER_ROW = 4_096;

export interface StreamKey {
  cluster: string;
  topic: string;
  partition: number;
}

/** A span of offsets held: from (inclusive) to (exclusive). */
export interface OffsetRange {
  from: bigint;
  to: bigint;
}

/** A fetched span of one partition and its records, to store. */
export interface SpanToStore {
  key: StreamKey;
  span: OffsetRange;
  records: readonly KafkaRecord[];
}

export interface ReplayLogOptions {
  capBytesPerCluster?: number | undefined;
  readOnly?: boolean;
  /** Tests: limit the file size (SQLite max_page_count) to provoke "disk full". */
  maxPageCount?: number;
  /**
   * Checkpoint the WAL on a worker thread (WalCheckpointer) rather than inside commits: the
   * app's own log, written by live tails. Not for a file that will be sealed.
   */
  checkpointInBackground?: boolean;
}

/**
 * Past this much WAL a commit checkpoints (RESTART) itself after all: a background checkpoint
 * only lets the WAL start over when it finishes between two commits, and a steady stream of
 * commits can keep beating it. By then nearly every frame is copied already, so this is short.
 */
const WAL_LIMIT_BYTES = 64 * 1024 * 1024;
/** How often (in commits) the WAL's size is looked at. */
const WAL_CHECK_EVERY_COMMITS = 16;

export class LogFullError extends Error {
  constructor(cause: unknown) {
    super(`The replay log's disk is full: ${(cause as Error).message}`, { cause });
    this.name = 'LogFullError';
  }
}

/**
 * The base offset of the row that holds offset ?2 of stream ?1, or ?2 itself: where a range
 * query starts. Rows of a stream never overlap, so only this row can begin before ?2 and reach
 * into it; a condition on last_offset instead would scan every row before it (a query per
 * append that grew with the log).
 */
const STARTING_ROW = 'COALESCE((SELECT MAX(base_offset) FROM batches WHERE stream = ?1 AND base_offset <= ?2), ?2)';

/**
 * batches is a rowid table with its primary key as an index beside it. In a WITHOUT ROWID
 * table, as logs and captures made before hold it, the whole row is the b-tree key, and SQLite
 * compares a key that spills into overflow pages by reading all of it: every lookup by
 * (stream, base_offset) — an insert's, the check for spans already held — read whole blobs,
 * ~1.3 ms per append with 500 KB rows, a quarter of what a bulk read of incompressible values
 * spent in the log. Keyed by rowid, a blob is read only when its column is. Files made before
 * open and are written as they are (same columns, same SQL), with the slower lookups; older
 * versions of the app read files made now.
 */
const SCHEMA = `
CREATE TABLE IF NOT EXISTS streams (
  id INTEGER PRIMARY KEY,
  cluster TEXT NOT NULL,
  topic TEXT NOT NULL,
  partition INTEGER NOT NULL,
  UNIQUE (cluster, topic, partition)
);
CREATE TABLE IF NOT EXISTS batches (
  stream INTEGER NOT NULL REFERENCES streams(id),
  base_offset INTEGER NOT NULL,
  last_offset INTEGER NOT NULL,
  min_ts REAL,
  max_ts REAL,
  count INTEGER NOT NULL,
  bytes INTEGER NOT NULL,
  seq INTEGER NOT NULL,
  records BLOB NOT NULL,
  PRIMARY KEY (stream, base_offset)
);
CREATE INDEX IF NOT EXISTS batches_by_seq ON batches (seq);
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS topic_identity (cluster TEXT NOT NULL, topic TEXT NOT NULL, topic_id TEXT NOT NULL, PRIMARY KEY (cluster, topic));
`;

export class ReplayLog {
  readonly path: string;
  private readonly db: DatabaseSync;
  private cap: number;
  private readonly statements: Record<string, StatementSync> = {};
  private readonly streamIds = new Map<string, number>();
  private readonly clusterBytes = new Map<string, number>();
  private seq = 0;
  private readonly checkpointer: WalCheckpointer | null = null;
  private commitsSinceWalCheck = 0;
  private readonly packer = new RecordPacker();

  constructor(path: string, options: ReplayLogOptions = {}) {
    this.path = path;
    if (!options.readOnly && path !== ':memory:') mkdirSync(dirname(path), { recursive: true });
    this.db = new DatabaseSync(path, { readOnly: options.readOnly ?? false });
    this.cap = options.capBytesPerCluster ?? DEFAULT_CAP_BYTES_PER_CLUSTER;
    if (!options.readOnly) {
      // Large pages: a batch blob spans far fewer overflow pages (measured: about 3× faster
      // appends than the 4 KB default). page_size only takes effect on a new database.
      this.db.exec(
        'PRAGMA page_size = 65536; PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; PRAGMA wal_autocheckpoint = 1000;',
      );
      if (options.maxPageCount) this.db.exec(`PRAGMA max_page_count = ${Math.floor(options.maxPageCount)}`);
      this.db.exec(SCHEMA);
      if (options.checkpointInBackground && path !== ':memory:') {
        this.db.exec('PRAGMA wal_autocheckpoint = 0');
        this.checkpointer = new WalCheckpointer(path);
      }
    }
    const integrity = this.db.prepare('PRAGMA quick_check').get() as { quick_check: string };
    if (integrity.quick_check !== 'ok') throw new Error(`The replay log ${path} is damaged: ${integrity.quick_check}`);
    this.seq = Number((this.db.prepare('SELECT COALESCE(MAX(seq), 0) AS s FROM batches').get() as { s: number }).s);
    for (const row of this.db
      .prepare(
        'SELECT s.cluster AS cluster, SUM(b.bytes) AS bytes FROM batches b JOIN streams s ON s.id = b.stream GROUP BY s.cluster',
      )
      .all() as { cluster: string; bytes: number }[]) {
      this.clusterBytes.set(row.cluster, row.bytes);
    }
  }

  private stmt(sql: string, bigints = false): StatementSync {
    const key = `${bigints}:${sql}`;
    let s = this.statements[key];
    if (!s) {
      s = this.db.prepare(sql);
      s.setReadBigInts(bigints);
      this.statements[key] = s;
    }
    return s;
  }

  private streamId(key: StreamKey, create: boolean): number | null {
    const k = `${key.cluster}\u0000${key.topic}\u0000${key.partition}`;
    const known = this.streamIds.get(k);
    if (known !== undefined) return known;
    let row = this.stmt('SELECT id FROM streams WHERE cluster = ? AND topic = ? AND partition = ?').get(
      key.cluster,
      key.topic,
      key.partition,
    ) as { id: number } | undefined;
    if (!row && create) {
      this.stmt('INSERT INTO streams (cluster, topic, partition) VALUES (?, ?, ?)').run(
        key.cluster,
        key.topic,
        key.partition,
      );
      row = this.stmt('SELECT id FROM streams WHERE cluster = ? AND topic = ? AND partition = ?').get(
        key.cluster,
        key.topic,
        key.partition,
      ) as { id: number };
    }
    if (!row) return null;
    this.streamIds.set(k, row.id);
    return row.id;
  }

  /**
   * Stores a fetched span [from, to) of one partition with its records (offsets within the
   * span, ascending). Parts already held are skipped. Returns how many records were new.
   */
  append(key: StreamKey, span: OffsetRange, records: readonly KafkaRecord[]): number {
    return this.appendAll([{ key, span, records }]);
  }

  /** Stores several spans (of one cluster or more) in one transaction: one commit, not one per span. */
  appendAll(spans: readonly SpanToStore[]): number {
    let stored = 0;
    const added = new Map<string, number>();
    try {
      this.db.exec('BEGIN IMMEDIATE');
      for (const { key, span, records } of spans) {
        if (span.to <= span.from) continue;
        const stream = this.streamId(key, true)!;
        const held = (
          this.stmt(
            `SELECT base_offset AS b, last_offset AS l FROM batches WHERE stream = ?1 AND base_offset >= ${STARTING_ROW} AND base_offset < ?3 AND last_offset >= ?2 ORDER BY base_offset`,
            true,
          ).all(stream, span.from, span.to) as { b: bigint; l: bigint }[]
        ).map((r) => ({ from: r.b, to: r.l + 1n }));
        for (const gap of subtract(span, held)) {
          const inGap =
            gap.from === span.from && gap.to === span.to
              ? records
              : records.filter((r) => r.offset >= gap.from && r.offset < gap.to);
          for (const row of rows(gap, inGap)) {
            // A view of the packer's buffer, valid until the next pack: stored right here.
            const blob = this.packer.pack(stream, row.span.from, row.records);
            let minTs: number | null = null;
            let maxTs: number | null = null;
            for (const r of row.records) {
              if (minTs === null || r.timestampMs < minTs) minTs = r.timestampMs;
              if (maxTs === null || r.timestampMs > maxTs) maxTs = r.timestampMs;
            }
            this.stmt(
              'INSERT INTO batches (stream, base_offset, last_offset, min_ts, max_ts, count, bytes, seq, records) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
            ).run(
              stream,
              row.span.from,
              row.span.to - 1n,
              minTs,
              maxTs,
              row.records.length,
              blob.length,
              ++this.seq,
              blob,
            );
            stored += row.records.length;
            added.set(key.cluster, (added.get(key.cluster) ?? 0) + blob.length);
          }
        }
      }
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      if (/full/i.test((err as Error).message)) throw new LogFullError(err);
      throw err;
    }
    if (this.checkpointer && ++this.commitsSinceWalCheck >= WAL_CHECK_EVERY_COMMITS) {
      this.commitsSinceWalCheck = 0;
      if (walBytes(this.path) > WAL_LIMIT_BYTES) this.db.exec('PRAGMA wal_checkpoint(RESTART)');
    }
    for (const [cluster, bytes] of added) {
      this.clusterBytes.set(cluster, (this.clusterBytes.get(cluster) ?? 0) + bytes);
      if ((this.clusterBytes.get(cluster) ?? 0) > this.cap) this.evict(cluster);
    }
    return stored;
  }

  /** Drops the oldest stored batches of a cluster until it is under its cap. */
  private evict(cluster: string): void {
    let bytes = this.clusterBytes.get(cluster) ?? 0;
    const oldest = this.stmt(
      'SELECT b.stream AS stream, b.base_offset AS base, b.bytes AS bytes FROM batches b JOIN streams s ON s.id = b.stream WHERE s.cluster = ? ORDER BY b.seq LIMIT 256',
      true,
    );
    const remove = this.stmt('DELETE FROM batches WHERE stream = ? AND base_offset = ?');
    while (bytes > this.cap) {
      const rows = oldest.all(cluster) as { stream: bigint; base: bigint; bytes: bigint }[];
      if (rows.length === 0) break;
      this.db.exec('BEGIN');
      for (const row of rows) {
        if (bytes <= this.cap) break;
        remove.run(row.stream, row.base);
        bytes -= Number(row.bytes);
      }
      this.db.exec('COMMIT');
    }
    this.clusterBytes.set(cluster, bytes);
  }

  /** The offset ranges held for a partition, adjacent spans merged. */
  ranges(key: StreamKey): OffsetRange[] {
    const stream = this.streamId(key, false);
    if (stream === null) return [];
    const rows = this.stmt(
      'SELECT base_offset AS b, last_offset AS l FROM batches WHERE stream = ? ORDER BY base_offset',
      true,
    ).all(stream) as { b: bigint; l: bigint }[];
    const merged: OffsetRange[] = [];
    for (const r of rows) {
      const last = merged[merged.length - 1];
      if (last && last.to === r.b) last.to = r.l + 1n;
      else merged.push({ from: r.b, to: r.l + 1n });
    }
    return merged;
  }

  /** Up to `limit` stored records at or after `from` (forward) or before `from` (backward), in offset order. */
  read(key: StreamKey, from: bigint, limit: number, direction: 'forward' | 'backward' = 'forward'): KafkaRecord[] {
    const stream = this.streamId(key, false);
    if (stream === null || limit <= 0) return [];
    const out: KafkaRecord[] = [];
    if (direction === 'forward') {
      const rows = this.stmt(
        `SELECT base_offset AS b, records AS r FROM batches WHERE stream = ?1 AND base_offset >= ${STARTING_ROW} AND count > 0 ORDER BY base_offset`,
        true,
      ).iterate(stream, from) as Iterable<{ b: bigint; r: Uint8Array }>;
      for (const row of rows) {
        for (const rec of unpackRecords(key.partition, row.b, row.r)) {
          if (rec.offset < from) continue;
          out.push(rec);
          if (out.length >= limit) return out;
        }
      }
      return out;
    }
    const rows = this.stmt(
      'SELECT base_offset AS b, records AS r FROM batches WHERE stream = ? AND base_offset < ? AND count > 0 ORDER BY base_offset DESC',
      true,
    ).iterate(stream, from) as Iterable<{ b: bigint; r: Uint8Array }>;
    for (const row of rows) {
      const records = unpackRecords(key.partition, row.b, row.r).filter((r) => r.offset < from);
      out.unshift(...records.slice(Math.max(0, records.length - (limit - out.length))));
      if (out.length >= limit) break;
    }
    return out;
  }

  /**
   * The stored row that holds `from`, or the first after it, as columns (record-blob.ts
   * unpackColumns: no object per record), or null past the last. A projection replay reads a
   * capture this way; its first row may begin before `from`.
   */
  readRowColumns(
    key: StreamKey,
    from: bigint,
  ): { baseOffset: bigint; lastOffset: bigint; columns: RecordColumns } | null {
    const stream = this.streamId(key, false);
    if (stream === null) return null;
    const row = this.stmt(
      `SELECT base_offset AS b, last_offset AS l, records AS r FROM batches WHERE stream = ?1 AND base_offset >= ${STARTING_ROW} AND last_offset >= ?2 AND count > 0 ORDER BY base_offset LIMIT 1`,
      true,
    ).get(stream, from) as { b: bigint; l: bigint; r: Uint8Array } | undefined;
    return row ? { baseOffset: row.b, lastOffset: row.l, columns: unpackColumns(row.r) } : null;
  }

  /** The first stored offset whose timestamp is at or after ts, or null. */
  offsetForTime(key: StreamKey, timestampMs: number): bigint | null {
    const stream = this.streamId(key, false);
    if (stream === null) return null;
    const rows = this.stmt(
      'SELECT base_offset AS b, records AS r FROM batches WHERE stream = ? AND max_ts >= ? ORDER BY base_offset',
      true,
    ).iterate(stream, timestampMs) as Iterable<{ b: bigint; r: Uint8Array }>;
    for (const row of rows) {
      for (const rec of unpackRecords(key.partition, row.b, row.r))
        if (rec.timestampMs >= timestampMs) return rec.offset;
    }
    return null;
  }

  /** Every stored record of the chosen partitions, batch by batch, in offset order per partition. */
  *scan(cluster: string, topic: string, partitions?: number[]): Generator<KafkaRecord[]> {
    const streams = this.stmt(
      'SELECT id, partition FROM streams WHERE cluster = ? AND topic = ? ORDER BY partition',
    ).all(cluster, topic) as { id: number; partition: number }[];
    for (const s of streams) {
      if (partitions && !partitions.includes(s.partition)) continue;
      const rows = this.stmt(
        'SELECT base_offset AS b, records AS r FROM batches WHERE stream = ? AND count > 0 ORDER BY base_offset',
        true,
      ).iterate(s.id) as Iterable<{ b: bigint; r: Uint8Array }>;
      for (const row of rows) yield unpackRecords(s.partition, row.b, row.r);
    }
  }

  /** Topics (and their partitions) held for a cluster. */
  topics(cluster: string): { topic: string; partitions: number[] }[] {
    const rows = this.stmt(
      'SELECT topic, partition FROM streams s WHERE cluster = ? AND EXISTS (SELECT 1 FROM batches b WHERE b.stream = s.id) ORDER BY topic, partition',
    ).all(cluster) as { topic: string; partition: number }[];
    const byTopic = new Map<string, number[]>();
    for (const r of rows) byTopic.set(r.topic, [...(byTopic.get(r.topic) ?? []), r.partition]);
    return [...byTopic].map(([topic, partitions]) => ({ topic, partitions }));
  }

  /** Records held for a topic (all partitions). */
  recordCount(cluster: string, topic: string): number {
    const row = this.stmt(
      'SELECT COALESCE(SUM(b.count), 0) AS n FROM batches b JOIN streams s ON s.id = b.stream WHERE s.cluster = ? AND s.topic = ?',
    ).get(cluster, topic) as { n: number };
    return row.n;
  }

  clusters(): string[] {
    return (this.stmt('SELECT DISTINCT cluster FROM streams ORDER BY cluster').all() as { cluster: string }[]).map(
      (r) => r.cluster,
    );
  }

  sizeBytes(cluster: string): number {
    return this.clusterBytes.get(cluster) ?? 0;
  }

  /** The size cap per cluster, in bytes of stored (compressed) batches. */
  get capBytes(): number {
    return this.cap;
  }

  /** A new cap; a cluster above it loses its oldest batches at once. */
  setCap(bytes: number): void {
    this.cap = bytes;
    for (const [cluster, held] of this.clusterBytes) if (held > bytes) this.evict(cluster);
  }

  /** Per cluster held: stored bytes, records, topics. */
  usage(): { cluster: string; bytes: number; records: number; topics: number }[] {
    return this.stmt(
      'SELECT s.cluster AS cluster, SUM(b.bytes) AS bytes, SUM(b.count) AS records, COUNT(DISTINCT s.topic) AS topics FROM batches b JOIN streams s ON s.id = b.stream GROUP BY s.cluster ORDER BY s.cluster',
    ).all() as { cluster: string; bytes: number; records: number; topics: number }[];
  }

  /** Forgets everything held for a cluster; returns the stored bytes that freed (the file keeps its size and reuses them). */
  clear(cluster: string): number {
    const freed = this.clusterBytes.get(cluster) ?? 0;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.stmt('DELETE FROM batches WHERE stream IN (SELECT id FROM streams WHERE cluster = ?)').run(cluster);
      this.stmt('DELETE FROM streams WHERE cluster = ?').run(cluster);
      if (this.hasTable('topic_identity')) this.stmt('DELETE FROM topic_identity WHERE cluster = ?').run(cluster);
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
    this.clusterBytes.delete(cluster);
    for (const key of this.streamIds.keys()) if (key.startsWith(`${cluster}\u0000`)) this.streamIds.delete(key);
    return freed;
  }

  /** The Kafka topic ID that what the log holds of this topic was fetched from; null if never recorded (older logs, old brokers). */
  topicId(cluster: string, topic: string): string | null {
    if (!this.hasTable('topic_identity')) return null;
    const row = this.stmt('SELECT topic_id FROM topic_identity WHERE cluster = ? AND topic = ?').get(cluster, topic) as
      { topic_id: string } | undefined;
    return row?.topic_id ?? null;
  }

  setTopicId(cluster: string, topic: string, topicId: string): void {
    this.stmt(
      'INSERT INTO topic_identity (cluster, topic, topic_id) VALUES (?, ?, ?) ON CONFLICT (cluster, topic) DO UPDATE SET topic_id = excluded.topic_id',
    ).run(cluster, topic, topicId);
  }

  /**
   * Forgets what is held of a partition at and past `offset` (a log truncated below what was
   * fetched: those offsets now hold other records, or none). A row that straddles `offset`
   * keeps its records below it. Returns how many records were forgotten.
   */
  forgetFrom(key: StreamKey, offset: bigint): number {
    const stream = this.streamId(key, false);
    if (stream === null) return 0;
    let forgotten = 0;
    let freed = 0;
    try {
      this.db.exec('BEGIN IMMEDIATE');
      const rows = this.stmt(
        'SELECT base_offset AS b, last_offset AS l, count AS c, bytes AS n, records AS r FROM batches WHERE stream = ? AND last_offset >= ? ORDER BY base_offset',
        true,
      ).all(stream, offset) as { b: bigint; l: bigint; c: bigint; n: bigint; r: Uint8Array }[];
      const remove = this.stmt('DELETE FROM batches WHERE stream = ? AND base_offset = ?');
      const keep: SpanToStore[] = [];
      for (const row of rows) {
        remove.run(stream, row.b);
        freed += Number(row.n);
        if (row.b < offset) {
          const below = unpackRecords(key.partition, row.b, row.r).filter((r) => r.offset < offset);
          forgotten += Number(row.c) - below.length;
          keep.push({ key, span: { from: row.b, to: offset }, records: below });
        } else {
          forgotten += Number(row.c);
        }
      }
      this.db.exec('COMMIT');
      this.clusterBytes.set(key.cluster, (this.clusterBytes.get(key.cluster) ?? 0) - freed);
      if (keep.length > 0) this.appendAll(keep);
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
    return forgotten;
  }

  /** Forgets everything held of a topic (every partition); returns how many records that was. */
  forgetTopic(cluster: string, topic: string): number {
    const records = this.recordCount(cluster, topic);
    const freed = (
      this.stmt(
        'SELECT COALESCE(SUM(b.bytes), 0) AS n FROM batches b JOIN streams s ON s.id = b.stream WHERE s.cluster = ? AND s.topic = ?',
      ).get(cluster, topic) as { n: number }
    ).n;
    this.db.exec('BEGIN IMMEDIATE');
    try {
      this.stmt('DELETE FROM batches WHERE stream IN (SELECT id FROM streams WHERE cluster = ? AND topic = ?)').run(
        cluster,
        topic,
      );
      this.stmt('DELETE FROM topic_identity WHERE cluster = ? AND topic = ?').run(cluster, topic);
      this.db.exec('COMMIT');
    } catch (err) {
      if (this.db.isTransaction) this.db.exec('ROLLBACK');
      throw err;
    }
    this.clusterBytes.set(cluster, (this.clusterBytes.get(cluster) ?? 0) - freed);
    return records;
  }

  private hasTable(name: string): boolean {
    return this.stmt("SELECT 1 AS x FROM sqlite_schema WHERE type = 'table' AND name = ?").get(name) !== undefined;
  }

  getMeta(key: string): string | null {
    const row = this.stmt('SELECT value FROM meta WHERE key = ?').get(key) as { value: string } | undefined;
    return row?.value ?? null;
  }

  setMeta(key: string, value: string): void {
    this.stmt('INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value').run(
      key,
      value,
    );
  }

  /**
   * Turns the file into a self-contained, single-file database (rollback journal, compacted),
   * so it can be copied, shipped and opened read-only where its folder is not writable.
   */
  seal(): void {
    this.db.exec('PRAGMA journal_mode = DELETE; VACUUM;');
  }

  /**
   * Closes the log; returns once no connection to the file is left, so it can be opened again
   * at once. The checkpoint worker's connection closes first: the log's own, closed last, then
   * checkpoints what is left of the WAL and deletes it, here and now.
   */
  close(): void {
    this.checkpointer?.stop();
    if (this.db.isOpen) this.db.close();
  }
}

function walBytes(path: string): number {
  try {
    return statSync(`${path}-wal`).size;
  } catch {
    return 0;
  }
}

/** A fetched span cut into rows of at most MAX_RECORDS_PER_ROW records, so reading a few records back never unpacks a huge blob. */
function rows(
  span: OffsetRange,
  records: readonly KafkaRecord[],
): { span: OffsetRange; records: readonly KafkaRecord[] }[] {
  if (records.length <= MAX_RECORDS_PER_ROW) return [{ span, records }];
  const out: { span: OffsetRange; records: readonly KafkaRecord[] }[] = [];
  for (let i = 0; i < records.length; i += MAX_RECORDS_PER_ROW) {
    const slice = records.slice(i, i + MAX_RECORDS_PER_ROW);
    const from = i === 0 ? span.from : slice[0]!.offset;
    const to = i + MAX_RECORDS_PER_ROW >= records.length ? span.to : records[i + MAX_RECORDS_PER_ROW]!.offset;
    out.push({ span: { from, to }, records: slice });
  }
  return out;
}

/** The parts of span not covered by the (sorted, non-overlapping) held ranges. */
export function subtract(span: OffsetRange, held: readonly OffsetRange[]): OffsetRange[] {
  const gaps: OffsetRange[] = [];
  let cursor = span.from;
  for (const h of held) {
    if (h.to <= cursor) continue;
    if (h.from >= span.to) break;
    if (h.from > cursor) gaps.push({ from: cursor, to: h.from });
    cursor = h.to > cursor ? h.to : cursor;
    if (cursor >= span.to) break;
  }
  if (cursor < span.to) gaps.push({ from: cursor, to: span.to });
  return gaps;
}
