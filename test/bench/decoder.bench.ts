// Benchmark: what verifying record-batch CRCs costs the decoder, the hot path of bulk reads.
// Builds 1 M records of ~200-byte JSON values in batches of 1,000 (uncompressed, and zstd as
// a producer would send them), then measures in the same run (a) our pure-TypeScript
// CRC-32C against Node's native zlib.crc32 (CRC-32 IEEE: a different polynomial, the same
// work, the fastest checksum Node has) over the same bytes, and (b) decodeRecordSet with the
// check on and off. Prints figures and ratios; asserts nothing (timings are noisy here).
// BENCH_ONLY=decode npm run bench, or on its own: node test/bench/decoder.bench.ts
import { crc32, zstdCompressSync } from 'node:zlib';
import { crc32c } from '../../src/node/kafka/protocol/crc32c.ts';
import { decodeRecordSet } from '../../src/node/kafka/protocol/record-batch.ts';

export const DECODE_RECORDS = Number(process.env['BENCH_DECODE_RECORDS'] ?? 1_000_000);
const RECORDS_PER_BATCH = 1_000;
/** About what one partition's answer to a Fetch holds. */
const RECORD_SET_BYTES = 1 << 20;
const ROUNDS = 3;

function zigzag(out: number[], n: number): void {
  let z = ((n << 1) ^ (n >> 31)) >>> 0;
  while (z >= 0x80) {
    out.push((z & 0x7f) | 0x80);
    z >>>= 7;
  }
  out.push(z);
}

/** One batch of order events (magic 2, CreateTime, no headers), compressed with zstd or not. */
function buildBatch(baseOffset: number, count: number, zstd: boolean): Buffer {
  const records: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const n = baseOffset + i;
    const key = Buffer.from(`ord_${n.toString().padStart(9, '0')}`);
    const value = Buffer.from(
      `{"type":"OrderPlaced","orderId":"ord_${n.toString().padStart(9, '0')}","customerId":"cus_${(n % 9973).toString(36)}","totalCents":${(n * 7919) % 100000},"currency":"EUR","items":[{"sku":"SKU-${n % 997}","quantity":${1 + (n % 3)}}],"pad":"xxxxxxxxxxxxxxxxx"}`,
    );
    const fields: number[] = [0];
    zigzag(fields, i); // timestamp delta
    zigzag(fields, i); // offset delta
    zigzag(fields, key.length);
    const tail: number[] = [];
    zigzag(tail, value.length);
    const after = [0]; // no headers
    const length: number[] = [];
    zigzag(length, fields.length + key.length + tail.length + value.length + after.length);
    records.push(Buffer.from([...length, ...fields]), key, Buffer.from(tail), value, Buffer.from(after));
  }
  const plain = Buffer.concat(records);
  const body = zstd ? zstdCompressSync(plain) : plain;
  const header = Buffer.alloc(61);
  header.writeBigInt64BE(BigInt(baseOffset), 0);
  header.writeInt32BE(49 + body.length, 8);
  header.writeInt8(2, 16);
  header.writeInt16BE(zstd ? 4 : 0, 21);
  header.writeInt32BE(count - 1, 23);
  header.writeBigInt64BE(1_767_225_600_000n, 27);
  header.writeBigInt64BE(BigInt(1_767_225_600_000 + count - 1), 35);
  header.writeBigInt64BE(-1n, 43);
  header.writeInt16BE(-1, 51);
  header.writeInt32BE(-1, 53);
  header.writeInt32BE(count, 57);
  const batch = Buffer.concat([header, body]);
  batch.writeUInt32BE(crc32c(batch, 21), 17);
  return batch;
}

/** The batches grouped into record sets of about RECORD_SET_BYTES, as fetches would return them. */
function buildRecordSets(zstd: boolean): { sets: Buffer[]; bytes: number } {
  const sets: Buffer[] = [];
  let pending: Buffer[] = [];
  let pendingBytes = 0;
  let bytes = 0;
  for (let base = 0; base < DECODE_RECORDS; base += RECORDS_PER_BATCH) {
    const batch = buildBatch(base, Math.min(RECORDS_PER_BATCH, DECODE_RECORDS - base), zstd);
    bytes += batch.length;
    pending.push(batch);
    pendingBytes += batch.length;
    if (pendingBytes >= RECORD_SET_BYTES) {
      sets.push(Buffer.concat(pending));
      pending = [];
      pendingBytes = 0;
    }
  }
  if (pending.length > 0) sets.push(Buffer.concat(pending));
  return { sets, bytes };
}

function decodeAll(sets: Buffer[], verifyCrc: boolean): number {
  let records = 0;
  let next = 0n;
  for (const set of sets) {
    const decoded = decodeRecordSet({ topic: 'bench', partition: 0 }, set, next, [], { verifyCrc });
    records += decoded.records.length;
    next = decoded.nextOffset ?? next;
  }
  if (records !== DECODE_RECORDS) throw new Error(`decoded ${records} of ${DECODE_RECORDS} records`);
  return records;
}

/** The fastest of ROUNDS runs, in ms; the contenders alternate so drift hits both alike. */
function fastest(runs: Record<string, () => unknown>): Record<string, number> {
  const best: Record<string, number> = {};
  for (let round = 0; round < ROUNDS; round++) {
    for (const [name, run] of Object.entries(runs)) {
      const started = performance.now();
      run();
      best[name] = Math.min(best[name] ?? Infinity, performance.now() - started);
    }
  }
  return best;
}

export interface DecoderBenchResult {
  records: number;
  plainBytes: number;
  zstdBytes: number;
  crc32cMbPerS: number;
  zlibCrc32MbPerS: number;
  plain: { withCrcRecordsPerS: number; withoutCrcRecordsPerS: number };
  zstd: { withCrcRecordsPerS: number; withoutCrcRecordsPerS: number };
}

export async function benchDecoder(log: (line: string) => void): Promise<DecoderBenchResult> {
  const started = performance.now();
  const plain = buildRecordSets(false);
  const zstd = buildRecordSets(true);
  log(
    `built ${DECODE_RECORDS.toLocaleString()} records: ${(plain.bytes / 1e6).toFixed(0)} MB of batches uncompressed, ${(zstd.bytes / 1e6).toFixed(1)} MB with zstd, in ${((performance.now() - started) / 1000).toFixed(1)} s`,
  );

  let sink = 0;
  const checksums = fastest({
    crc32c: () => plain.sets.forEach((s) => (sink ^= crc32c(s))),
    zlib: () => plain.sets.forEach((s) => (sink ^= crc32(s))),
  });
  const mbPerS = (bytes: number, ms: number) => bytes / 1e6 / (ms / 1000);
  const perS = (ms: number) => DECODE_RECORDS / (ms / 1000);
  const decodePlain = fastest({ with: () => decodeAll(plain.sets, true), without: () => decodeAll(plain.sets, false) });
  const decodeZstd = fastest({ with: () => decodeAll(zstd.sets, true), without: () => decodeAll(zstd.sets, false) });
  if (sink === 0.5) log(''); // keeps the checksums from being optimised away
  return {
    records: DECODE_RECORDS,
    plainBytes: plain.bytes,
    zstdBytes: zstd.bytes,
    crc32cMbPerS: mbPerS(plain.bytes, checksums['crc32c']!),
    zlibCrc32MbPerS: mbPerS(plain.bytes, checksums['zlib']!),
    plain: { withCrcRecordsPerS: perS(decodePlain['with']!), withoutCrcRecordsPerS: perS(decodePlain['without']!) },
    zstd: { withCrcRecordsPerS: perS(decodeZstd['with']!), withoutCrcRecordsPerS: perS(decodeZstd['without']!) },
  };
}

/** The lines npm run bench prints. */
export function describeDecoderBench(r: DecoderBenchResult): string[] {
  const n = (x: number) => Math.round(x).toLocaleString();
  const cost = (c: { withCrcRecordsPerS: number; withoutCrcRecordsPerS: number }) =>
    `checked takes ${(c.withoutCrcRecordsPerS / c.withCrcRecordsPerS).toFixed(2)}× the time of unchecked`;
  return [
    `CRC-32C, ours (pure TypeScript):        ${n(r.crc32cMbPerS)} MB/s over ${n(r.plainBytes / 1e6)} MB of batches`,
    `reference zlib.crc32 (CRC-32, native):  ${n(r.zlibCrc32MbPerS)} MB/s — ours is ${(r.crc32cMbPerS / r.zlibCrc32MbPerS).toFixed(2)}× native`,
    `decode uncompressed, CRC checked:       ${n(r.plain.withCrcRecordsPerS)} records/s; unchecked ${n(r.plain.withoutCrcRecordsPerS)} — ${cost(r.plain)}`,
    `decode zstd, CRC checked:               ${n(r.zstd.withCrcRecordsPerS)} records/s; unchecked ${n(r.zstd.withoutCrcRecordsPerS)} — ${cost(r.zstd)}`,
  ];
}

if (import.meta.main) {
  const result = await benchDecoder((line) => process.stdout.write(`${line}\n`));
  process.stdout.write(describeDecoderBench(result).join('\n') + '\n');
}
