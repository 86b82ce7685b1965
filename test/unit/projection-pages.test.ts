// The replay log's column path for projections (record-blob.ts unpackColumns, log-sources.ts
// pages, event-batch.ts addPage): what a projection sees through it must be exactly what it
// sees through records (the cluster path), for any records: null keys and values, headers,
// non-ASCII and invalid UTF-8 bytes, gaps in offsets, ranges that start and stop inside a row,
// offsets past 2^53.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import type { KafkaRecord } from '../../src/node/kafka/index.ts';
import { OfflineCluster } from '../../src/node/log/offline-cluster.ts';
import { packRecords, unpackColumns, unpackRecords } from '../../src/node/log/record-blob.ts';
import { ReplayLog } from '../../src/node/log/replay-log.ts';
import { EventBatchBuilder } from '../../src/common/projections/event-batch.ts';
import { clusterPartitionSources, type ClusterSourceOptions } from '../../src/node/projections/cluster-sources.ts';
import { logPartitionSources } from '../../src/node/projections/log-sources.ts';
import { startProjectionSandbox } from '../../src/node/projections/node-sandbox.ts';
import { textDecoderFor } from '../../src/common/projections/projection-worker.ts';
import { replayIntoProjection, type ReplayResult } from '../../src/common/projections/replay.ts';

const enc = new TextEncoder();
const bytes = fc.oneof(
  fc.constant(null),
  fc.string().map((s) => enc.encode(s)),
  fc.json().map((s) => enc.encode(s)),
  fc.uint8Array({ maxLength: 40 }),
);
const recordsArb = fc.array(
  fc.record({
    timestampMs: fc.integer({ min: 0, max: 2 ** 40 }),
    key: bytes,
    value: bytes,
    headers: fc.array(fc.record({ key: fc.string({ maxLength: 8 }), value: bytes }), { maxLength: 3 }),
    gap: fc.integer({ min: 1, max: 3 }),
  }),
  { minLength: 1, maxLength: 60 },
);

function toRecords(
  partition: number,
  base: bigint,
  specs: {
    timestampMs: number;
    key: Uint8Array | null;
    value: Uint8Array | null;
    headers: { key: string; value: Uint8Array | null }[];
    gap: number;
  }[],
): KafkaRecord[] {
  let offset = base;
  return specs.map((s) => {
    const r = { partition, offset, timestampMs: s.timestampMs, key: s.key, value: s.value, headers: s.headers };
    offset += BigInt(s.gap);
    return r;
  });
}

describe('unpackColumns', () => {
  it('reads what unpackRecords reads, compressed or not, for any records', () => {
    fc.assert(
      fc.property(recordsArb, fc.boolean(), (specs, compressible) => {
        // 100 copies of a JSON text compress; random bytes alone do not.
        const records = toRecords(
          0,
          7n,
          compressible
            ? [
                ...specs,
                ...Array.from({ length: 100 }, () => ({ ...specs[0]!, value: enc.encode('{"type":"Same","n":1}') })),
              ]
            : specs,
        );
        const blob = packRecords(7n, records);
        const expected = unpackRecords(0, 7n, blob);
        const c = unpackColumns(blob);
        expect(c.count).toBe(expected.length);
        const span = (spans: Int32Array, i: number): Uint8Array | null =>
          spans[2 * i + 1]! < 0
            ? null
            : Uint8Array.from(c.bytes.subarray(spans[2 * i]!, spans[2 * i]! + spans[2 * i + 1]!));
        expected.forEach((r, i) => {
          expect(7n + BigInt(c.offsetDelta[i]!)).toBe(r.offset);
          expect(c.timestamp[i]).toBe(r.timestampMs);
          expect(span(c.key, i)).toEqual(r.key === null ? null : new Uint8Array(r.key));
          expect(span(c.value, i)).toEqual(r.value === null ? null : new Uint8Array(r.value));
          const headers = [];
          for (let h = c.headerIndex[i]!; h < c.headerIndex[i + 1]!; h++)
            headers.push({ key: c.headerKey[h]!, value: span(c.headerValue, h) });
          expect(headers).toEqual(
            r.headers.map((x) => ({ key: x.key, value: x.value === null ? null : new Uint8Array(x.value) })),
          );
          expect(c.recordStart[i]).toBeLessThan(c.recordStart[i + 1]!);
        });
        expect(c.recordStart[c.count]).toBe(c.bytes.length);
      }),
      { numRuns: 150 },
    );
  });

  it('refuses a blob with flags it does not know', () => {
    const blob = packRecords(0n, toRecords(0, 0n, [{ timestampMs: 1, key: null, value: null, headers: [], gap: 1 }]));
    blob[0] = 0x80;
    expect(() => unpackColumns(blob)).toThrow('A replay log batch has unknown flags 128.');
  });
});

/** Every field of every event, as JSON (bytes as arrays): what the two paths must agree on. */
const SEEN = `export default {
  init: () => [],
  any(s, e) {
    s.push({ ...e, value: e.value instanceof Uint8Array ? { bytes: [...e.value] } : e.value === undefined ? '(undefined)' : e.value, headers: Object.entries(e.headers) });
    return s;
  },
};`;

describe('replay from a replay log in pages', () => {
  const dir = mkdtempSync(join(tmpdir(), 'es-projection-pages-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  async function replay(
    sources: Promise<{ sources: Parameters<typeof replayIntoProjection>[1]; close(): void }>,
  ): Promise<ReplayResult> {
    const runner = startProjectionSandbox({ fileName: 'seen.js' });
    try {
      await runner.load(SEEN);
      const { sources: s, close } = await sources;
      try {
        return await replayIntoProjection(runner, s);
      } finally {
        close();
      }
    } finally {
      runner.terminate();
    }
  }

  let n = 0;
  /** A log of the partitions' records (rows of `row` records), and the same replayed through pages and through records. */
  async function bothWays(
    partitions: KafkaRecord[][],
    row: number,
    options: Pick<ClusterSourceOptions, 'from' | 'to'>,
  ): Promise<{ pages: ReplayResult; records: ReplayResult }> {
    const log = new ReplayLog(join(dir, `log-${++n}.sqlite`), { capBytesPerCluster: Number.MAX_SAFE_INTEGER });
    try {
      partitions.forEach((records, p) => {
        for (let i = 0; i < records.length; i += row) {
          const part = records.slice(i, i + row);
          const next = i + row < records.length ? records[i + row]!.offset : part[part.length - 1]!.offset + 1n;
          log.append({ cluster: 'c', topic: 't', partition: p }, { from: part[0]!.offset, to: next }, part);
        }
      });
      const cluster = new OfflineCluster(log, 'c', 'test log');
      const pages = await replay(logPartitionSources(cluster, log, 'c', ['t'], null, options));
      const records = await replay(clusterPartitionSources(cluster, ['t'], null, options));
      return { pages, records };
    } finally {
      log.close();
    }
  }

  it('feeds exactly what the record path feeds, for any records, rows and range', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(recordsArb, { minLength: 1, maxLength: 3 }),
        fc.integer({ min: 1, max: 25 }),
        fc.oneof(
          fc.constant({ from: { kind: 'earliest' as const } }),
          fc.integer({ min: 0, max: 60 }).map((o) => ({ from: { kind: 'offset' as const, offset: BigInt(o) } })),
          fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: 0, max: 90 })).map(([a, b]) => ({
            from: { kind: 'offset' as const, offset: BigInt(a) },
            to: { kind: 'offset' as const, offset: BigInt(a + b) },
          })),
          fc
            .integer({ min: 0, max: 2 ** 40 })
            .map((t) => ({ from: { kind: 'earliest' as const }, to: { kind: 'time' as const, timestampMs: t } })),
        ),
        async (specs, row, options) => {
          // Timestamps rise within a partition here (a log's time positions assume so); the merge interleaves partitions.
          const partitions = specs.map((s, p) =>
            toRecords(
              p,
              0n,
              [...s].sort((a, b) => a.timestampMs - b.timestampMs),
            ),
          );
          const { pages, records } = await bothWays(partitions, row, options);
          expect(pages.outcome).toEqual(records.outcome);
          expect(pages.ranges).toEqual(records.ranges);
        },
      ),
      { numRuns: 15 },
    );
  }, 120_000);

  it('feeds non-ASCII and invalid UTF-8 values as the record path does, in one batch with ASCII ones', async () => {
    const values = ['{"a":"plain"}', '{"a":"größe €"}', 'just text', '"a JSON string"', '  [1, 2]', '{broken'].map(
      (s) => enc.encode(s),
    );
    const records = toRecords(
      0,
      0n,
      [...values, Uint8Array.of(0x7b, 0xff, 0x7d), Uint8Array.of(0xc3)].map((value, i) => ({
        timestampMs: i,
        key: enc.encode(`ключ-${i}`),
        value,
        headers: [{ key: 'h', value: Uint8Array.of(0xe2, 0x82) }],
        gap: 1,
      })),
    );
    const { pages, records: viaRecords } = await bothWays([records], 3, { from: { kind: 'earliest' } });
    expect(pages.outcome).toEqual(viaRecords.outcome);
    const state = (pages.outcome as { state: { key: string; value: unknown; headers: [string, string][] }[] }).state;
    expect(state.map((e) => e.value)).toEqual([
      { a: 'plain' },
      { a: 'größe €' },
      'just text',
      'a JSON string',
      [1, 2],
      '{broken',
      { bytes: [0x7b, 0xff, 0x7d] },
      { bytes: [0xc3] },
    ]);
    expect(state[1]!.key).toBe('ключ-1');
    expect(state[0]!.headers).toEqual([['h', '\ufffd']]);
  });

  it('names offsets past 2^53 exactly', async () => {
    const base = 2n ** 53n + 5n;
    const records = toRecords(
      0,
      base,
      Array.from({ length: 5 }, (_, i) => ({
        timestampMs: i,
        key: null,
        value: enc.encode(`{"i":${i}}`),
        headers: [],
        gap: 1,
      })),
    );
    const { pages, records: viaRecords } = await bothWays([records], 2, { from: { kind: 'earliest' } });
    expect(pages.outcome).toEqual(viaRecords.outcome);
    expect((pages.outcome as { state: { offset: string }[] }).state.map((e) => e.offset)).toEqual([
      '9007199254740997',
      '9007199254740998',
      '9007199254740999',
      '9007199254741000',
      '9007199254741001',
    ]);
    expect(pages.ranges).toEqual([
      { topic: 't', partition: 0, firstOffset: '9007199254740997', lastOffset: '9007199254741001', events: 5 },
    ]);
  });

  it('feeds large ASCII values, long keys and header values whole, as JSON or as text of their own', async () => {
    // The ASCII path hands out views of a batch's text (node-sandbox.ts): sizes on both sides of
    // 64 KB powers, so that a decoder cutting that text in pieces is caught at their edges.
    const sizes = [10, 65_530, 3, 65_536, 20, 140_000, 7, 70_000, 64_000, 2_000, 131_072, 5];
    const texts = sizes.map((n, i) =>
      i % 3 === 0
        ? JSON.stringify({ i, pad: 'x'.repeat(n) })
        : i % 3 === 1
          ? `text ${i} ${'y'.repeat(n)}`
          : JSON.stringify('z'.repeat(n)),
    );
    const specs = texts.map((t, i) => ({
      timestampMs: i,
      key: enc.encode(`a key longer than a short string ${i}`),
      value: enc.encode(t),
      headers: [{ key: 'h', value: enc.encode(`header value ${i} ${'h'.repeat(i * 997)}`) }],
      gap: 1,
    }));
    const { pages, records: viaRecords } = await bothWays([toRecords(0, 0n, specs)], 4, { from: { kind: 'earliest' } });
    expect(pages.outcome).toEqual(viaRecords.outcome);
    const state = (pages.outcome as { state: { key: string; value: unknown; headers: [string, string][] }[] }).state;
    expect(state.map((e) => e.value)).toEqual(texts.map((t, i) => (i % 3 === 1 ? t : JSON.parse(t))));
    expect(state.map((e) => e.key)).toEqual(specs.map((_, i) => `a key longer than a short string ${i}`));
    expect(state.map((e) => e.headers[0]![1])).toEqual(specs.map((_, i) => `header value ${i} ${'h'.repeat(i * 997)}`));
  });
});

describe('a batch of pages and records', () => {
  it('holds both, each event with its own bytes, in the order added', () => {
    const records = toRecords(
      0,
      10n,
      ['{"p":0}', '{"p":1}', '{"p":2}'].map((v, i) => ({
        timestampMs: i,
        key: enc.encode(`k${i}`),
        value: enc.encode(v),
        headers: [{ key: 'x', value: enc.encode(`h${i}`) }],
        gap: 1,
      })),
    );
    const c = unpackColumns(packRecords(10n, records));
    const page = {
      partition: 0,
      start: 0,
      end: 3,
      bytes: c.bytes,
      offset: Float64Array.from(c.offsetDelta, (d) => 10 + d),
      baseOffset: 10n,
      offsetDelta: c.offsetDelta,
      timestamp: c.timestamp,
      key: c.key,
      value: c.value,
      recordStart: c.recordStart,
      headerIndex: c.headerIndex,
      headerKey: c.headerKey,
      headerValue: c.headerValue,
    };
    const builder = new EventBatchBuilder();
    expect(builder.addPage('a', page, 0, 2)).toBe(2);
    builder.add('b', { ...records[0]!, partition: 5, value: enc.encode('{"r":0}') });
    expect(builder.addPage('a', page, 2, 3)).toBe(1);
    const { batch, positionOf } = builder.take();
    const dec = textDecoderFor(batch.bytes);
    const text = (spans: Int32Array, i: number): string | null =>
      spans[2 * i + 1]! < 0 ? null : dec.text(spans[2 * i]!, spans[2 * i]! + spans[2 * i + 1]!);
    expect(Array.from({ length: batch.count }, (_, i) => text(batch.value, i))).toEqual([
      '{"p":0}',
      '{"p":1}',
      '{"r":0}',
      '{"p":2}',
    ]);
    expect(Array.from({ length: batch.count }, (_, i) => text(batch.key, i))).toEqual(['k0', 'k1', 'k0', 'k2']);
    expect(
      Array.from(
        { length: batch.count },
        (_, i) => `${batch.topics[batch.topic[i]!]}/${batch.partition[i]}@${batch.offset![i]}`,
      ),
    ).toEqual(['a/0@10', 'a/0@11', 'b/5@10', 'a/0@12']);
    expect(
      Array.from(
        { length: batch.headerIndex[batch.count]! },
        (_, h) => `${batch.headerNames[batch.headerName[h]!]}=${text(batch.headerValue, h)}`,
      ),
    ).toEqual(['x=h0', 'x=h1', 'x=h0', 'x=h2']);
    expect(positionOf(3)).toEqual({ topic: 'a', partition: 0, offset: '12' });
  });
});
