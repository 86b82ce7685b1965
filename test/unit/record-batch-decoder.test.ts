// The record-batch decoder against record sets a real broker sent (test/fixtures/fetch/, one
// per codec, transactions, a batch cut short), checked record by record against what kcat
// read; against batches built here with one thing wrong each (their CRC right, so the check
// under test is the one that fires); and under fast-check: every truncation decodes a prefix
// or reports the cut batch, and no mutation or random input raises anything but a
// ProtocolDecodeError or makes the decoder loop longer than the bytes allow.
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import * as lz4js from 'lz4js';
import * as snappyjs from 'snappyjs';
import { describe, expect, it } from 'vitest';
import type { KafkaRecord } from '../../src/node/kafka/partition-reader.ts';
import { crc32c } from '../../src/node/kafka/protocol/crc32c.ts';
import { decodeFetchResponse, type FetchedPartition } from '../../src/node/kafka/protocol/fetch-response.ts';
import { lz4DecompressFrame } from '../../src/node/kafka/protocol/lz4-frame.ts';
import { ProtocolDecodeError } from '../../src/node/kafka/protocol/protocol-decode-error.ts';
import {
  decodeRecordSet,
  type AbortedTransaction,
  type DecodedRecords,
} from '../../src/node/kafka/protocol/record-batch.ts';
import {
  snappyCompress,
  snappyDecompress,
  snappyUncompressBlock,
} from '../../src/node/kafka/protocol/snappy-framing.ts';
import {
  CODECS,
  decodeError,
  FIXTURE_NAMES,
  loadFixture,
  type FixturePartition,
  type FixtureRecord,
} from '../fixtures/fetch/fixtures.ts';

interface RecordSetCase {
  name: string;
  topic: string;
  expected: FixturePartition;
  answer: FetchedPartition;
}

/** Every partition's record set in every fixture, with what a consumer reads from it. */
const CASES: RecordSetCase[] = FIXTURE_NAMES.flatMap((name) => {
  const { payload, fixture } = loadFixture(name);
  const response = decodeFetchResponse(payload, fixture.fetchVersion);
  return fixture.partitions.map((expected) => ({
    name: `${name} p${expected.partition}`,
    topic: fixture.topic,
    expected,
    answer: response.topics[0]!.partitions.find((p) => p.partition === expected.partition)!,
  }));
});
const caseNamed = (name: string): RecordSetCase => CASES.find((c) => c.name === name)!;
const nonEmpty = CASES.filter((c) => c.answer.records.length > 0);

function decodeCase(
  c: RecordSetCase,
  data: Buffer = c.answer.records,
  aborted: readonly AbortedTransaction[] = c.answer.aborted,
): DecodedRecords {
  return decodeRecordSet(
    { topic: c.topic, partition: c.answer.partition },
    data,
    BigInt(c.expected.fetchOffset),
    aborted,
  );
}

const text = (b: Uint8Array | null): string | null => (b === null ? null : Buffer.from(b).toString('utf8'));
function plain(r: KafkaRecord): FixtureRecord {
  return {
    offset: String(r.offset),
    timestampMs: r.timestampMs,
    key: text(r.key),
    value: text(r.value),
    headers: r.headers.map((h) => [h.key, text(h.value)]),
  };
}

/** The batches of a record set, read with nothing but their length fields. */
function batchesOf(data: Buffer): { start: number; size: number; baseOffset: bigint }[] {
  const batches = [];
  for (let at = 0; at + 12 <= data.length;) {
    const size = 12 + data.readInt32BE(at + 8);
    if (at + size > data.length) break;
    batches.push({ start: at, size, baseOffset: data.readBigInt64BE(at) });
    at += size;
  }
  return batches;
}

/** Where each batch starts and the size its length declares, the last one possibly cut short. */
function layoutOf(data: Buffer): { start: number; size: number }[] {
  const batches = [];
  for (let at = 0; at + 12 <= data.length; at += 12 + data.readInt32BE(at + 8))
    batches.push({ start: at, size: 12 + data.readInt32BE(at + 8) });
  return batches;
}

/** Writes a batch's CRC-32C for its (changed) bytes, so a check other than the CRC's is what fires. */
function restamp(data: Buffer, start: number): Buffer {
  data.writeUInt32BE(crc32c(data, start + 21, start + 12 + data.readInt32BE(start + 8)), start + 17);
  return data;
}

function zigzag(n: number): number[] {
  let z = ((n << 1) ^ (n >> 31)) >>> 0;
  const out: number[] = [];
  while (z >= 0x80) {
    out.push((z & 0x7f) | 0x80);
    z >>>= 7;
  }
  out.push(z);
  return out;
}
const field = (b: Buffer | null): number[] => (b === null ? zigzag(-1) : [...zigzag(b.length), ...b]);

/** One record as Kafka writes it (magic 2). */
function record(
  offsetDelta: number,
  key: string | null,
  value: string | null,
  headers: [string, string | null][] = [],
  timestampDelta = 0,
): Buffer {
  const buf = (s: string | null): Buffer | null => (s === null ? null : Buffer.from(s));
  const body = [
    0,
    ...zigzag(timestampDelta),
    ...zigzag(offsetDelta),
    ...field(buf(key)),
    ...field(buf(value)),
    ...zigzag(headers.length),
    ...headers.flatMap(([k, v]) => [...field(Buffer.from(k)), ...field(buf(v))]),
  ];
  return Buffer.from([...zigzag(body.length), ...body]);
}

interface BatchSpec {
  baseOffset?: bigint;
  magic?: number;
  attributes?: number;
  lastOffsetDelta: number;
  count: number;
  baseTimestamp?: number;
  producerId?: bigint;
  /** The records, already compressed if attributes say so. */
  body: Buffer;
}

/** A record batch (magic 2) with a correct CRC. */
function batch(spec: BatchSpec): Buffer {
  const header = Buffer.alloc(61);
  header.writeBigInt64BE(spec.baseOffset ?? 0n, 0);
  header.writeInt32BE(49 + spec.body.length, 8);
  header.writeInt8(spec.magic ?? 2, 16);
  header.writeInt16BE(spec.attributes ?? 0, 21);
  header.writeInt32BE(spec.lastOffsetDelta, 23);
  header.writeBigInt64BE(BigInt(spec.baseTimestamp ?? 1_700_000_000_000), 27);
  header.writeBigInt64BE(BigInt(spec.baseTimestamp ?? 1_700_000_000_000), 35);
  header.writeBigInt64BE(spec.producerId ?? -1n, 43);
  header.writeInt16BE(spec.producerId === undefined ? -1 : 0, 51);
  header.writeInt32BE(spec.producerId === undefined ? -1 : 0, 53);
  header.writeInt32BE(spec.count, 57);
  return restamp(Buffer.concat([header, spec.body]), 0);
}

const WHERE = { topic: 'orders', partition: 3 };
const decodeSynthetic = (data: Buffer, fetchOffset = 0n, aborted: AbortedTransaction[] = []): DecodedRecords =>
  decodeRecordSet(WHERE, data, fetchOffset, aborted);

/** Decodes, allowing only success or a ProtocolDecodeError. */
function decodesOrRefuses(run: () => unknown): void {
  try {
    run();
  } catch (err) {
    if (!(err instanceof ProtocolDecodeError))
      throw new Error(`threw ${(err as Error)?.name}: ${String(err)}`, { cause: err });
  }
}

describe('decodeRecordSet on record sets a real broker sent', () => {
  it.each(CASES.map((c) => [c.name, c] as const))(
    '%s: exactly the records kcat read, next offset and cut batch as fetched',
    (_name, c) => {
      const decoded = decodeCase(c);
      expect(decoded.records.map(plain)).toEqual(c.expected.records);
      expect(decoded.records.every((r) => r.partition === c.answer.partition)).toBe(true);
      expect(decoded.nextOffset).toBe(c.expected.nextOffset === null ? null : BigInt(c.expected.nextOffset));
      expect(decoded.truncatedBatchBytes).toBe(c.expected.truncatedBatchBytes);
      expect(decoded.legacyFormat).toBe(false);
    },
  );

  it('covers every codec, in more than one batch each', () => {
    for (const codec of CODECS) {
      const c = caseNamed(`codec-${codec} p0`);
      const batches = batchesOf(c.answer.records);
      expect(batches.length, codec).toBeGreaterThanOrEqual(2);
      for (const b of batches)
        expect(c.answer.records.readInt16BE(b.start + 21) & 7, codec).toBe(CODECS.indexOf(codec));
      expect(decodeCase(c).records.length).toBe(21);
    }
  });

  it('drops the records before the fetch offset of a compressed batch fetched from its middle', () => {
    const c = caseNamed('gzip-mid-batch p0');
    expect(batchesOf(c.answer.records)[0]!.baseOffset).toBe(0n);
    expect(decodeCase(c).records.map((r) => r.offset)).toEqual(Array.from({ length: 16 }, (_, i) => BigInt(5 + i)));
  });

  it('read_committed: skips aborted transactions and control batches, which still move the next offset', () => {
    const c = caseNamed('transactions p0');
    expect(c.answer.aborted.length).toBe(3);
    const committed = decodeCase(c);
    expect(committed.records.map((r) => text(r.value))).toEqual([
      'a-0',
      'a-1',
      'a-2',
      'c-0',
      'c-1',
      'c-2',
      'f-committed-0',
      'f-committed-1',
      'g-plain-0',
      'f-committed-again-0',
    ]);
    // The last batch is producer B's COMMIT marker: the next offset is past it.
    const batches = batchesOf(c.answer.records);
    const last = batches[batches.length - 1]!;
    expect(c.answer.records.readInt16BE(last.start + 21) & 0x20).toBe(0x20);
    expect(committed.nextOffset).toBe(last.baseOffset + 1n);
    expect(committed.nextOffset).toBe(c.answer.highWatermark);

    // read_uncommitted (no aborted list): the aborted records too, never a control record.
    const everything = decodeCase(c, c.answer.records, []);
    expect(everything.records.map((r) => text(r.value))).toEqual([
      'a-0',
      'a-1',
      'a-2',
      'b-0',
      'b-1',
      'b-2',
      'c-0',
      'c-1',
      'c-2',
      'd-0',
      'd-1',
      'd-2',
      'e-aborted-0',
      'e-aborted-1',
      'f-committed-0',
      'f-committed-1',
      'g-plain-0',
      'e-aborted-again-0',
      'f-committed-again-0',
    ]);
    const controlOffsets = batches
      .filter((b) => c.answer.records.readInt16BE(b.start + 21) & 0x20)
      .map((b) => b.baseOffset);
    expect(controlOffsets).toHaveLength(6);
    for (const r of everything.records) expect(controlOffsets).not.toContain(r.offset);
    expect(everything.nextOffset).toBe(committed.nextOffset);

    // A record set of nothing but a control batch: no records, and the offset moves past it.
    const onlyMarker = decodeCase(c, c.answer.records.subarray(last.start));
    expect(onlyMarker.records).toEqual([]);
    expect(onlyMarker.nextOffset).toBe(last.baseOffset + 1n);
  });

  it('a batch cut short at the end is skipped quietly and its full size reported', () => {
    const c = caseNamed('partial-batch p0');
    const batches = batchesOf(c.answer.records);
    expect(batches).toHaveLength(1);
    const decoded = decodeCase(c);
    expect(decoded.truncatedBatchBytes).toBe(c.expected.truncatedBatchBytes);
    expect(decoded.truncatedBatchBytes).toBe(c.answer.records.readInt32BE(batches[0]!.size + 8) + 12);
    // The broker answers a partition it cannot give a whole first batch with no bytes at all.
    expect(caseNamed('partial-batch p1').answer.records.length).toBe(0);
    expect(decodeCase(caseNamed('partial-batch p1'))).toEqual({
      records: [],
      nextOffset: null,
      legacyFormat: false,
      truncatedBatchBytes: null,
    });
  });

  it('a record set holding only part of a batch: no records, and the size that batch needs once 12 bytes are there', () => {
    const c = caseNamed('codec-none p0');
    const first = batchesOf(c.answer.records)[0]!;
    for (let length = 0; length < first.size; length++) {
      const decoded = decodeCase(c, c.answer.records.subarray(0, length));
      expect(decoded.records).toEqual([]);
      expect(decoded.nextOffset).toBeNull();
      expect(decoded.truncatedBatchBytes, `${length} bytes`).toBe(length === 0 || length < 12 ? null : first.size);
    }
  });

  it('a damaged byte fails the CRC check with the topic, partition and offset of its batch', () => {
    for (const codec of CODECS) {
      const c = caseNamed(`codec-${codec} p0`);
      const [, second] = batchesOf(c.answer.records);
      for (const at of [17, 21, 40, 61, second!.size - 1]) {
        const damaged = Buffer.from(c.answer.records);
        damaged[second!.start + at]! ^= 0x10;
        const err = decodeError(() => decodeCase(c, damaged));
        expect(err.topic).toBe(c.topic);
        expect(err.partition).toBe(0);
        expect(err.offset).toBe(12n);
        expect(err.reason).toMatch(/CRC-32C/);
        expect(err.message).toContain(`topic ${c.topic} partition 0 at offset 12`);
        expect(err).toBeInstanceOf(Error);
        expect(err.name).toBe('ProtocolDecodeError');
      }
    }
  });

  it('without the CRC check the same damage reads as a different value: the check is what catches it', () => {
    const c = caseNamed('codec-none p0');
    const damaged = Buffer.from(c.answer.records);
    const at = damaged.indexOf('"n":13');
    damaged[at + 5] = '7'.charCodeAt(0);
    const unchecked = decodeRecordSet({ topic: c.topic, partition: 0 }, damaged, 0n, [], { verifyCrc: false });
    expect(text(unchecked.records[13]!.value)).toContain('"n":17');
    expect(() => decodeCase(c, damaged)).toThrow(ProtocolDecodeError);
  });
});

describe('decodeRecordSet on batches with one thing wrong (their CRC right)', () => {
  const three = Buffer.concat([record(0, 'k0', 'v0'), record(1, 'k1', 'v1', [['h', 'x']]), record(2, null, null)]);

  it('decodes the well-formed batch these are made from', () => {
    const decoded = decodeSynthetic(batch({ baseOffset: 100n, lastOffsetDelta: 2, count: 3, body: three }));
    expect(decoded.records.map(plain)).toEqual([
      { offset: '100', timestampMs: 1_700_000_000_000, key: 'k0', value: 'v0', headers: [] },
      { offset: '101', timestampMs: 1_700_000_000_000, key: 'k1', value: 'v1', headers: [['h', 'x']] },
      { offset: '102', timestampMs: 1_700_000_000_000, key: null, value: null, headers: [] },
    ]);
    expect(decoded.nextOffset).toBe(103n);
  });

  it.each([
    [
      'a record count of 2^31 - 1 in a 70-byte batch',
      batch({ lastOffsetDelta: 0, count: 0x7fffffff, body: record(0, 'k', 'v') }),
      /declares 2147483647 records/,
    ],
    [
      'a negative record count',
      batch({ lastOffsetDelta: 0, count: -1, body: record(0, 'k', 'v') }),
      /declares -1 records/,
    ],
    [
      'more records declared than present',
      batch({ lastOffsetDelta: 2, count: 4, body: Buffer.concat([three, Buffer.from([0])]) }),
      /record 3 .*length of 0|ends inside/,
    ],
    [
      'fewer records declared than present',
      batch({ lastOffsetDelta: 2, count: 2, body: three }),
      /bytes follow the batch's 2 records/,
    ],
    [
      'a varint longer than 5 bytes',
      batch({
        lastOffsetDelta: 0,
        count: 1,
        body: Buffer.from([0xff, 0xff, 0xff, 0xff, 0xff, 0x01, 0, 0, 0, 0, 0, 0, 0]),
      }),
      /longer than 5 bytes/,
    ],
    [
      'a varlong longer than 10 bytes',
      batch({
        lastOffsetDelta: 0,
        count: 1,
        body: Buffer.from([...zigzag(16), 0, ...Array(11).fill(0xff), 0, 1, 1, 0]),
      }),
      /longer than 10 bytes/,
    ],
    [
      'a key length of -2',
      batch({ lastOffsetDelta: 0, count: 1, body: Buffer.from([...zigzag(6), 0, 0, 0, ...zigzag(-2), 1, 0]) }),
      /key has a length of -2/,
    ],
    [
      'a key running past its record',
      batch({
        lastOffsetDelta: 0,
        count: 1,
        body: Buffer.from([...zigzag(7), 0, 0, 0, ...zigzag(20), 0x61, 1, 0, 0x61, 0x61]),
      }),
      /key \(20 bytes\) runs past the end of its record/,
    ],
    [
      'a record shorter than its fields',
      batch({ lastOffsetDelta: 0, count: 1, body: Buffer.from([...zigzag(3), 0, 0, 0, 1, 1, 0]) }),
      /declares a length of 3 bytes/,
    ],
    [
      'a record longer than its batch',
      batch({ lastOffsetDelta: 0, count: 1, body: Buffer.from([...zigzag(40), 0, 0, 0, 1, 1, 0]) }),
      /runs past the end of the batch/,
    ],
    [
      'a record longer than its fields',
      batch({ lastOffsetDelta: 0, count: 1, body: Buffer.from([...zigzag(7), 0, 0, 0, 1, 1, 0, 0]) }),
      /declares 7 bytes but its fields take 6/,
    ],
    [
      'a negative header count',
      batch({ lastOffsetDelta: 0, count: 1, body: Buffer.from([...zigzag(6), 0, 0, 0, 1, 1, ...zigzag(-3)]) }),
      /declares -3 headers/,
    ],
    [
      'a header count the record cannot hold',
      batch({
        lastOffsetDelta: 0,
        count: 1,
        body: Buffer.from([...zigzag(10), 0, 0, 0, 1, 1, ...zigzag(1_000_000), 0, 0]),
      }),
      /declares 1000000 headers/,
    ],
    [
      'a null header key',
      batch({ lastOffsetDelta: 0, count: 1, body: Buffer.from([...zigzag(8), 0, 0, 0, 1, 1, ...zigzag(1), 1, 1]) }),
      /header 0 has a null key/,
    ],
    [
      'an offset delta past the last offset delta',
      batch({ lastOffsetDelta: 1, count: 1, body: record(5, 'k', 'v') }),
      /offset delta 5, outside the batch's 0..1/,
    ],
    [
      'a negative last offset delta',
      batch({ lastOffsetDelta: -1, count: 1, body: record(0, 'k', 'v') }),
      /last offset delta is -1/,
    ],
    [
      'an unknown compression codec',
      batch({ attributes: 5, lastOffsetDelta: 0, count: 1, body: record(0, 'k', 'v') }),
      /unknown compression codec 5/,
    ],
    [
      'gzip data that does not decompress',
      batch({ attributes: 1, lastOffsetDelta: 0, count: 1, body: randomBytes(40) }),
      /gzip data does not decompress/,
    ],
    [
      'snappy data that does not decompress',
      batch({ attributes: 2, lastOffsetDelta: 0, count: 1, body: Buffer.from([0x10, 0x0c, 0x61]) }),
      /snappy data does not decompress/,
    ],
    [
      'lz4 data that does not decompress',
      batch({ attributes: 3, lastOffsetDelta: 0, count: 1, body: randomBytes(40) }),
      /lz4 data does not decompress/,
    ],
    [
      'zstd data that does not decompress',
      batch({ attributes: 4, lastOffsetDelta: 0, count: 1, body: randomBytes(40) }),
      /zstd data does not decompress/,
    ],
    [
      'compressed records that are not what the count says',
      batch({ attributes: 1, lastOffsetDelta: 2, count: 3, body: gzipSync(three.subarray(0, 20)) }),
      /record|varint/,
    ],
    [
      'a control record whose key is too short',
      batch({ attributes: 0x30, producerId: 7n, lastOffsetDelta: 0, count: 1, body: record(0, 'x', '') }),
      /control record's key has 1 bytes/,
    ],
  ])('%s', (_what, data, reason) => {
    const started = performance.now();
    const err = decodeError(() =>
      decodeSynthetic(
        Buffer.concat([
          batch({ baseOffset: 0n, lastOffsetDelta: 0, count: 1, body: record(0, 'ok', 'ok') }),
          rebase(data, 1n),
        ]),
      ),
    );
    expect(err.reason).toMatch(reason);
    expect(err).toMatchObject({ topic: 'orders', partition: 3 });
    expect(err.offset).toBe(1n);
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('names the offset of the record at fault once it is known', () => {
    const body = Buffer.concat([
      record(0, 'k', 'v'),
      Buffer.from([...zigzag(7), 0, 0, ...zigzag(1), ...zigzag(20), 0x61, 1, 0]),
    ]);
    const err = decodeError(() => decodeSynthetic(batch({ baseOffset: 50n, lastOffsetDelta: 1, count: 2, body })));
    expect(err.offset).toBe(51n);
    expect(err.message).toBe(`Malformed Kafka data in topic orders partition 3 at offset 51: ${err.reason}`);
  });

  it.each([
    ['less than any batch (10)', 10, /length of 10 bytes, less than the smallest batch/],
    ['negative', -5, /length of -5 bytes/],
    ['less than a magic-2 header (30)', 30, /length of 30 bytes, less than a magic-2 header/],
    ['more than any fetch returns', 0x7ffffff5, /more than any fetch returns/],
  ])('refuses a declared batch length that is %s', (_what, length, reason) => {
    const data = batch({ lastOffsetDelta: 0, count: 1, body: record(0, 'k', 'v') });
    data.writeInt32BE(length, 8);
    expect(decodeError(() => decodeSynthetic(data)).reason).toMatch(reason);
  });

  it('refuses an unknown magic, and stops at a legacy (pre-0.11) message set saying so', () => {
    const v3 = batch({ magic: 3, lastOffsetDelta: 0, count: 1, body: record(0, 'k', 'v') });
    expect(decodeError(() => decodeSynthetic(v3)).reason).toMatch(/magic 3/);
    // A magic-1 message: offset, size, crc, magic, attributes, timestamp, null key, 4-byte value.
    const legacy = Buffer.alloc(12 + 26);
    legacy.writeBigInt64BE(1n, 0);
    legacy.writeInt32BE(26, 8);
    legacy.writeInt8(1, 16);
    legacy.writeInt32BE(-1, 26);
    legacy.writeInt32BE(4, 30);
    legacy.write('abcd', 34);
    const decoded = decodeSynthetic(
      Buffer.concat([batch({ lastOffsetDelta: 0, count: 1, body: record(0, 'k', 'v') }), legacy]),
    );
    expect(decoded.legacyFormat).toBe(true);
    expect(decoded.records.map((r) => r.offset)).toEqual([0n]);
    expect(decoded.nextOffset).toBe(1n);
  });

  it('a plausible length running past the data is a batch cut short, not damage', () => {
    const data = batch({ lastOffsetDelta: 0, count: 1, body: record(0, 'k', 'v') });
    data.writeInt32BE(1 << 20, 8);
    expect(decodeSynthetic(data)).toEqual({
      records: [],
      nextOffset: null,
      legacyFormat: false,
      truncatedBatchBytes: (1 << 20) + 12,
    });
  });

  it('skips an empty batch (left by compaction) but moves past it', () => {
    const decoded = decodeSynthetic(
      Buffer.concat([
        batch({ baseOffset: 0n, lastOffsetDelta: 4, count: 0, body: Buffer.alloc(0) }),
        batch({ baseOffset: 5n, lastOffsetDelta: 0, count: 1, body: record(0, 'k', 'v') }),
      ]),
    );
    expect(decoded.records.map((r) => r.offset)).toEqual([5n]);
    expect(decoded.nextOffset).toBe(6n);
  });
});

/** A copy of a single batch with another base offset (not covered by its CRC). */
function rebase(data: Buffer, baseOffset: bigint): Buffer {
  const copy = Buffer.from(data);
  copy.writeBigInt64BE(baseOffset, 0);
  return copy;
}

describe('decodeRecordSet under fast-check', () => {
  it('every truncation of every record set decodes a prefix of its records, or reports the batch it cut', () => {
    for (const c of nonEmpty) {
      const full = decodeCase(c);
      const batches = batchesOf(c.answer.records);
      for (let length = 0; length <= c.answer.records.length; length++) {
        const decoded = decodeCase(c, c.answer.records.subarray(0, length));
        const whole = batches.filter((b) => b.start + b.size <= length);
        const cut = layoutOf(c.answer.records).find((b) => b.start < length && b.start + b.size > length);
        const nextOffset =
          whole.length === 0
            ? null
            : decodeCase(
                c,
                c.answer.records.subarray(0, whole[whole.length - 1]!.start + whole[whole.length - 1]!.size),
              ).nextOffset;
        expect(decoded.nextOffset, `${c.name} cut at ${length}`).toBe(nextOffset);
        expect(decoded.records).toEqual(full.records.filter((r) => nextOffset !== null && r.offset < nextOffset));
        expect(decoded.truncatedBatchBytes, `${c.name} cut at ${length}`).toBe(
          cut && length - cut.start >= 12 ? cut.size : null,
        );
      }
    }
  });

  it('a damaged byte anywhere a CRC covers is always refused; elsewhere only a ProtocolDecodeError, if anything', () => {
    for (const c of nonEmpty) {
      const batches = batchesOf(c.answer.records);
      for (let at = 0; at < c.answer.records.length; at++) {
        const damaged = Buffer.from(c.answer.records);
        damaged[at]! ^= 1 + (at % 255);
        const inBatch = batches.find((b) => at >= b.start && at < b.start + b.size);
        if (inBatch && at - inBatch.start >= 17)
          expect(() => decodeCase(c, damaged), `${c.name} byte ${at}`).toThrow(ProtocolDecodeError);
        else decodesOrRefuses(() => decodeCase(c, damaged));
      }
    }
  });

  it('damage with the CRC rewritten to match reaches the record decoder: a ProtocolDecodeError at most, quickly', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...nonEmpty),
        fc.nat(),
        fc.integer({ min: 1, max: 255 }),
        fc.boolean(),
        (c, position, xor, twice) => {
          const damaged = Buffer.from(c.answer.records);
          const batches = batchesOf(damaged);
          const target = batches[position % batches.length]!;
          const at = target.start + 21 + (position % (target.size - 21));
          damaged[at]! ^= xor;
          if (twice) damaged[target.start + 21 + ((position * 7919) % (target.size - 21))]! ^= xor;
          restamp(damaged, target.start);
          const started = performance.now();
          decodesOrRefuses(() => decodeCase(c, damaged));
          expect(performance.now() - started).toBeLessThan(500);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('random batches of every codec with a correct CRC: a ProtocolDecodeError at most', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 7 }),
        fc.oneof(fc.integer({ min: -2, max: 40 }), fc.integer()),
        fc.integer({ min: -1, max: 40 }),
        fc.uint8Array({ maxLength: 200 }),
        fc.boolean(),
        (codec, count, lastOffsetDelta, body, control) => {
          const data = batch({
            attributes: codec | (control ? 0x30 : 0),
            producerId: control ? 1n : undefined,
            lastOffsetDelta,
            count,
            body: Buffer.from(body),
          });
          decodesOrRefuses(() => decodeSynthetic(data, 0n, control ? [{ producerId: 1n, firstOffset: 0n }] : []));
        },
      ),
      { numRuns: 3000 },
    );
  });

  it('random bytes: a ProtocolDecodeError at most', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 400 }), (bytes) =>
        decodesOrRefuses(() => decodeSynthetic(Buffer.from(bytes))),
      ),
      { numRuns: 3000 },
    );
  });
});

describe('compressed bodies, decoded strictly', () => {
  const compressible = fc
    .array(
      fc.oneof(
        fc.uint8Array({ maxLength: 40 }),
        fc.constantFrom(Buffer.from('{"type":"OrderPlaced","id":'), Buffer.alloc(300, 0x78)),
      ),
      { maxLength: 60 },
    )
    .map((parts) => Buffer.concat(parts));

  it('lz4 frames from lz4js, and from librdkafka (the fixture), decode to their input', () => {
    fc.assert(
      fc.property(compressible, (data) => {
        expect(lz4DecompressFrame(Buffer.from(lz4js.compress(data))).equals(data)).toBe(true);
      }),
      { numRuns: 300 },
    );
    const big = Buffer.concat([randomBytes(100_000), Buffer.alloc(200_000, 7), randomBytes(50_000)]);
    expect(lz4DecompressFrame(Buffer.from(lz4js.compress(big))).equals(big)).toBe(true);
    expect(decodeCase(caseNamed('codec-lz4 p0')).records).toHaveLength(21);
  });

  it('lz4: uncompressed blocks, declared content size and checksums are read', () => {
    const data = Buffer.from('uncompressed block');
    // Magic, FLG (version 01, independent blocks, block checksums, content size, content checksum), BD (64 KB).
    const header = Buffer.from([
      0x04,
      0x22,
      0x4d,
      0x18,
      0x40 | 0x20 | 0x10 | 0x08 | 0x04,
      0x40,
      ...[data.length, 0, 0, 0, 0, 0, 0, 0],
      0x00,
    ]);
    const size = Buffer.alloc(4);
    size.writeUInt32LE((0x80000000 | data.length) >>> 0);
    const frame = Buffer.concat([header, size, data, Buffer.alloc(4), Buffer.alloc(4), Buffer.alloc(4)]);
    expect(lz4DecompressFrame(frame).equals(data)).toBe(true);
    frame[6] = data.length + 1;
    expect(() => lz4DecompressFrame(frame)).toThrow(/declares/);
  });

  it('snappy: xerial framing and raw blocks decode to their input', () => {
    fc.assert(
      fc.property(compressible, (data) => {
        expect(snappyDecompress(snappyCompress(data)).equals(data)).toBe(true);
        expect(snappyUncompressBlock(Buffer.from(snappyjs.compress(data))).equals(data)).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('garbage makes the lz4 and snappy decoders throw, never hang or read past the end', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), (bytes, asLz4) => {
        const input = Buffer.from(bytes);
        if (asLz4) Buffer.from([0x04, 0x22, 0x4d, 0x18, 0x40, 0x40, 0]).copy(input); // a valid header, garbage after
        const started = performance.now();
        try {
          (asLz4 ? lz4DecompressFrame : snappyDecompress)(input);
        } catch (err) {
          expect(err).toBeInstanceOf(Error);
        }
        expect(performance.now() - started).toBeLessThan(500);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses what lz4js and snappyjs would decode to zeros', () => {
    // An lz4 match 9 bytes back when only 4 are written.
    const lz4 = Buffer.from([
      0x04, 0x22, 0x4d, 0x18, 0x40, 0x40, 0x00, 7, 0, 0, 0, 0x40, 0x61, 0x62, 0x63, 0x64, 9, 0, 0, 0, 0, 0,
    ]);
    expect(() => lz4DecompressFrame(lz4)).toThrow(/refers 9 bytes back/);
    // A snappy block declaring 10 bytes that holds 3.
    expect(() => snappyUncompressBlock(Buffer.from([10, 0x08, 0x61, 0x62, 0x63]))).toThrow(
      /decodes to 3 bytes but declares 10/,
    );
  });
});
