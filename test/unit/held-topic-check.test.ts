// What the replay log holds of a topic is forgotten when it no longer matches the cluster's
// topic: another topic ID (deleted and re-created) or a partition that now ends below what
// was held (truncated). What still matches is kept, record for record.
import { DatabaseSync } from 'node:sqlite';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { KafkaRecord } from '../../src/node/kafka/index.ts';
import { checkHeldTopic } from '../../src/node/log/held-topic-check.ts';
import { ReplayLog } from '../../src/node/log/replay-log.ts';
import { testTempDir } from '../support/temp-dir.ts';

const tempLog = () => new ReplayLog(join(testTempDir('es-held-'), 'log.sqlite'));
const records = (partition: number, from: number, count: number, tag = 'v'): KafkaRecord[] =>
  Array.from({ length: count }, (_, i) => ({
    partition,
    offset: BigInt(from + i),
    timestampMs: 1_000 + i,
    key: null,
    value: Buffer.from(`${tag}${from + i}`),
    headers: [],
  }));
const key = (partition: number) => ({ cluster: 'c', topic: 'orders', partition });
const values = (log: ReplayLog, partition: number) =>
  log.read(key(partition), 0n, 100_000).map((r) => Buffer.from(r.value!).toString());

describe('checking what the replay log holds of a topic', () => {
  it('records the topic ID before anything is stored, and keeps what matches', () => {
    const log = tempLog();
    expect(checkHeldTopic(log, 'c', 'orders', { topicId: 'id-1', endOffsets: new Map([[0, 10n]]) })).toEqual([]);
    expect(log.topicId('c', 'orders')).toBe('id-1');
    log.append(key(0), { from: 0n, to: 10n }, records(0, 0, 10));
    expect(checkHeldTopic(log, 'c', 'orders', { topicId: 'id-1', endOffsets: new Map([[0, 12n]]) })).toEqual([]);
    expect(values(log, 0)).toHaveLength(10);
    log.close();
  });

  it('sets aside everything held of a topic that was re-created (another topic ID), so a new read stores the new records', () => {
    const log = tempLog();
    checkHeldTopic(log, 'c', 'orders', { topicId: 'id-1', endOffsets: new Map() });
    log.append(key(0), { from: 0n, to: 1100n }, records(0, 0, 1100, 'old'));
    log.append(key(1), { from: 0n, to: 5n }, records(1, 0, 5, 'old'));
    const notices = checkHeldTopic(log, 'c', 'orders', { topicId: 'id-2', endOffsets: new Map([[0, 4n]]) });
    expect(notices).toEqual([
      'The replay log held 1,105 records of an earlier topic named orders (deleted and re-created since, topic ID id-1); they were set aside and are read again from the cluster.',
    ]);
    expect(log.ranges(key(0))).toEqual([]);
    expect(log.topicId('c', 'orders')).toBe('id-2');
    expect(log.append(key(0), { from: 0n, to: 4n }, records(0, 0, 4, 'new'))).toBe(4);
    expect(values(log, 0)).toEqual(['new0', 'new1', 'new2', 'new3']);
    expect(log.sizeBytes('c')).toBeGreaterThan(0);
    log.close();
  });

  it('forgets what a partition held past its new end (truncated), keeping the records below it, even inside one stored row', () => {
    const log = tempLog();
    log.append(key(0), { from: 0n, to: 100n }, records(0, 0, 100));
    log.append(key(0), { from: 100n, to: 200n }, records(0, 100, 100));
    log.append(key(1), { from: 0n, to: 50n }, records(1, 0, 50));
    const before = log.sizeBytes('c');
    const notices = checkHeldTopic(log, 'c', 'orders', {
      topicId: null,
      endOffsets: new Map([
        [0, 150n],
        [1, 50n],
      ]),
    });
    expect(notices).toEqual([
      'Partition 0 of orders now ends at offset 150, below the 200 the replay log held: 50 held records past its end were set aside.',
    ]);
    expect(log.ranges(key(0))).toEqual([{ from: 0n, to: 150n }]);
    expect(values(log, 0)).toEqual(Array.from({ length: 150 }, (_, i) => `v${i}`));
    expect(values(log, 1)).toHaveLength(50);
    expect(log.sizeBytes('c')).toBeLessThan(before);
    // Refetched past 150: the new records are stored, not skipped as held.
    expect(log.append(key(0), { from: 150n, to: 160n }, records(0, 150, 10, 'again'))).toBe(10);
    log.close();
  });

  it('treats a partition the topic no longer has as ending at 0, and a missing topic ID (old broker) as no evidence', () => {
    const log = tempLog();
    log.setTopicId('c', 'orders', 'id-1');
    log.append(key(0), { from: 0n, to: 3n }, records(0, 0, 3));
    log.append(key(3), { from: 0n, to: 3n }, records(3, 0, 3));
    const notices = checkHeldTopic(log, 'c', 'orders', { topicId: null, endOffsets: new Map([[0, 3n]]) });
    expect(notices).toHaveLength(1);
    expect(notices[0]).toMatch(/^Partition 3 of orders now ends at offset 0/);
    expect(log.ranges(key(3))).toEqual([]);
    expect(log.ranges(key(0))).toEqual([{ from: 0n, to: 3n }]);
    expect(log.topicId('c', 'orders')).toBe('id-1');
    log.close();
  });

  it('opens a log made before topic IDs were kept (no topic_identity table) read-only and answers "not recorded"', () => {
    const dir = testTempDir('es-held-old-');
    const path = join(dir, 'old.sqlite');
    const writable = new ReplayLog(path);
    writable.append(key(0), { from: 0n, to: 2n }, records(0, 0, 2));
    writable.close();
    // Simulate the older layout.
    const db = new DatabaseSync(path);
    db.exec('DROP TABLE topic_identity');
    db.close();
    const readOnly = new ReplayLog(path, { readOnly: true });
    expect(readOnly.topicId('c', 'orders')).toBeNull();
    expect(readOnly.read(key(0), 0n, 10)).toHaveLength(2);
    readOnly.close();
  });
});
