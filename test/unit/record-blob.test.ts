// The replay log's blobs: compressed only when that pays (judged on a sample, remembered per
// stream), stored as they are otherwise, and every flag combination written so far still read.
import { randomBytes } from 'node:crypto';
import { zstdCompressSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { KafkaRecord } from '../../src/node/kafka/index.ts';
import { packRecords, RecordPacker, unpackRecords } from '../../src/node/log/record-blob.ts';
import { f64, i32, u16, u32 } from '../support/little-endian.ts';

const ZSTD = 1;
const WIDE = 2;

function records(from: number, count: number, value: (i: number) => Uint8Array | null): KafkaRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    partition: 0,
    offset: BigInt(from + i),
    timestampMs: 1_700_000_000_000 + from + i,
    key: i % 4 === 0 ? null : Buffer.from(`k${from + i}`),
    value: value(from + i),
    headers:
      i % 3 === 0
        ? [
            { key: 'trace-ü', value: Buffer.from(`t${i}`) },
            { key: '', value: null },
          ]
        : [],
  }));
}
const json = (i: number) =>
  Buffer.from(
    `{"type":"OrderPlaced","orderId":"ord_${String(i).padStart(9, '0')}","currency":"EUR","items":[{"sku":"SKU-${i % 97}","quantity":${1 + (i % 3)}}]}`,
  );
const random = () => randomBytes(200);

/** Records as plain data, to compare what went in with what came out. */
const plain = (rs: KafkaRecord[]) =>
  rs.map((r) => ({
    ...r,
    key: r.key && Buffer.from(r.key).toString('hex'),
    value: r.value && Buffer.from(r.value).toString('hex'),
    headers: r.headers.map((h) => [h.key, h.value && Buffer.from(h.value).toString('hex')]),
  }));

describe('record blobs: compressed when it pays', () => {
  it('compresses JSON and stores random values as they are, both read back exactly', () => {
    for (const pack of [
      (b: bigint, rs: KafkaRecord[]) => packRecords(b, rs),
      (b: bigint, rs: KafkaRecord[]) => Buffer.from(new RecordPacker().pack(1, b, rs)),
    ]) {
      const text = records(1_000, 2_000, json);
      const textBlob = pack(1_000n, text);
      expect(textBlob[0]).toBe(WIDE | ZSTD);
      expect(textBlob.length).toBeLessThan(packedLength(text) / 4);
      expect(plain(unpackRecords(0, 1_000n, textBlob))).toEqual(plain(text));

      const noise = records(5_000, 2_000, random);
      const noiseBlob = pack(5_000n, noise);
      expect(noiseBlob[0]).toBe(WIDE);
      expect(noiseBlob.length).toBe(packedLength(noise));
      expect(plain(unpackRecords(0, 5_000n, noiseBlob))).toEqual(plain(noise));
    }
  });

  it('remembers per stream, and a stream whose values turn compressible is compressed again within a few dozen blobs', () => {
    const packer = new RecordPacker();
    const flags: number[] = [];
    let offset = 0;
    const next = (value: (i: number) => Uint8Array | null, stream = 1) => {
      const rs = records(offset, 500, value);
      const blob = packer.pack(stream, BigInt(offset), rs);
      expect(plain(unpackRecords(0, BigInt(offset), blob))).toEqual(plain(rs));
      offset += 500;
      return blob[0]!;
    };
    for (let i = 0; i < 10; i++) flags.push(next(random));
    expect(flags.every((f) => f === WIDE)).toBe(true);
    // Another stream is judged on its own.
    expect(next(json, 2)).toBe(WIDE | ZSTD);
    const after: number[] = [];
    for (let i = 0; i < 40; i++) after.push(next(json));
    expect(after.slice(-5).every((f) => f === (WIDE | ZSTD))).toBe(true);
    // And back: a compressing stream whose values stop compressing is stored as is from the next blob on.
    next(random);
    expect(next(random)).toBe(WIDE);
  });

  it('hands out views of one reused buffer, each whole until the next pack', () => {
    const packer = new RecordPacker();
    const a = records(0, 300, random);
    const blobA = Buffer.from(packer.pack(1, 0n, a));
    const b = records(300, 300, random);
    const viewB = packer.pack(1, 300n, b);
    expect(plain(unpackRecords(0, 0n, blobA))).toEqual(plain(a));
    expect(plain(unpackRecords(0, 300n, viewB))).toEqual(plain(b));
  });

  it('still reads every blob written so far: zstd narrow (flag 1), raw wide (2), zstd wide (3)', () => {
    // One record at base+2: timestamp 7, key "k", value "v", headers [("ab", "x")].
    const body = (wide: boolean) =>
      Buffer.concat([
        u32(1),
        u32(2),
        f64(7),
        i32(1),
        Buffer.from('k'),
        i32(1),
        Buffer.from('v'),
        wide ? u32(1) : u16(1),
        wide ? u32(2) : u16(2),
        Buffer.from('ab'),
        i32(1),
        Buffer.from('x'),
      ]);
    for (const [flags, stored] of [
      [ZSTD, zstdCompressSync(body(false))],
      [WIDE, body(true)],
      [WIDE | ZSTD, zstdCompressSync(body(true))],
    ] as const) {
      const [r] = unpackRecords(4, 100n, Buffer.concat([Buffer.of(flags), stored]));
      expect(r).toMatchObject({ partition: 4, offset: 102n, timestampMs: 7 });
      expect([Buffer.from(r!.key!).toString(), Buffer.from(r!.value!).toString()]).toEqual(['k', 'v']);
      expect(r!.headers.map((h) => [h.key, Buffer.from(h.value!).toString()])).toEqual([['ab', 'x']]);
    }
  });
});

/** The flags byte and the packed records, uncompressed (the layout in src/node/log/record-blob.ts). */
function packedLength(rs: KafkaRecord[]): number {
  let n = 1 + 4;
  for (const r of rs) {
    n += 24 + (r.key?.length ?? 0) + (r.value?.length ?? 0);
    for (const h of r.headers) n += 8 + Buffer.byteLength(h.key) + (h.value?.length ?? 0);
  }
  return n;
}
