// Records packed into one blob per stored batch, like Kafka's own record batches: the log
// stores and reads a batch with one row, not one row per record.
//
// A blob is one codec byte (0: as is, 1: zstd level 1 — about 4× less to write for JSON,
// which is what bounds append speed) followed by the packed records.
//
// Packed layout (little endian): u32 count, then per record: u32 offset delta from the batch's base,
// f64 timestamp (ms, exact up to 2^53), i32 key length (-1: null) + bytes, i32 value length
// (-1: null) + bytes, u16 header count, per header: u16 key length + UTF-8, i32 value length
// (-1: null) + bytes.
import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import type { KafkaRecord } from '../kafka/index.ts';

const RAW = 0;
const ZSTD = 1;
/** Below this a blob is stored as is: compression would not pay. */
const COMPRESS_MIN_BYTES = 512;
const ZSTD_FAST = { params: { [constants.ZSTD_c_compressionLevel]: 1 } };

const NULL_LENGTH = -1;

function bytesLength(b: Uint8Array | null): number {
  return b === null ? 0 : b.length;
}

export function packRecords(baseOffset: bigint, records: readonly KafkaRecord[]): Buffer {
  const packed = packPlain(baseOffset, records);
  if (packed.length >= COMPRESS_MIN_BYTES) {
    const compressed = zstdCompressSync(packed, ZSTD_FAST);
    if (compressed.length < packed.length) return Buffer.concat([Buffer.of(ZSTD), compressed]);
  }
  return Buffer.concat([Buffer.of(RAW), packed]);
}

function packPlain(baseOffset: bigint, records: readonly KafkaRecord[]): Buffer {
  let size = 4;
  const headerKeys: Buffer[][] = [];
  for (const r of records) {
    size += 4 + 8 + 4 + bytesLength(r.key) + 4 + bytesLength(r.value) + 2;
    const keys = r.headers.map((h) => Buffer.from(h.key, 'utf8'));
    headerKeys.push(keys);
    for (let i = 0; i < r.headers.length; i++) size += 2 + keys[i]!.length + 4 + bytesLength(r.headers[i]!.value);
  }
  const out = Buffer.allocUnsafe(size);
  let at = out.writeUInt32LE(records.length, 0);
  const writeBytes = (b: Uint8Array | null): void => {
    if (b === null) {
      at = out.writeInt32LE(NULL_LENGTH, at);
      return;
    }
    at = out.writeInt32LE(b.length, at);
    out.set(b, at);
    at += b.length;
  };
  records.forEach((r, index) => {
    at = out.writeUInt32LE(Number(r.offset - baseOffset), at);
    at = out.writeDoubleLE(r.timestampMs, at);
    writeBytes(r.key);
    writeBytes(r.value);
    at = out.writeUInt16LE(r.headers.length, at);
    const keys = headerKeys[index]!;
    r.headers.forEach((h, i) => {
      at = out.writeUInt16LE(keys[i]!.length, at);
      out.set(keys[i]!, at);
      at += keys[i]!.length;
      writeBytes(h.value);
    });
  });
  return out;
}

export function unpackRecords(partition: number, baseOffset: bigint, blob: Uint8Array): KafkaRecord[] {
  const stored = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const codec = stored[0];
  const body = stored.subarray(1);
  if (codec !== RAW && codec !== ZSTD) throw new Error(`A replay log batch has an unknown codec ${codec}.`);
  const buf = codec === ZSTD ? zstdDecompressSync(body) : body;
  const count = buf.readUInt32LE(0);
  let at = 4;
  const readBytes = (): Uint8Array | null => {
    const length = buf.readInt32LE(at);
    at += 4;
    if (length === NULL_LENGTH) return null;
    const bytes = buf.subarray(at, at + length);
    at += length;
    return bytes;
  };
  const records: KafkaRecord[] = new Array(count);
  for (let i = 0; i < count; i++) {
    const offset = baseOffset + BigInt(buf.readUInt32LE(at));
    const timestampMs = buf.readDoubleLE(at + 4);
    at += 12;
    const key = readBytes();
    const value = readBytes();
    const headerCount = buf.readUInt16LE(at);
    at += 2;
    const headers: KafkaRecord['headers'] = new Array(headerCount);
    for (let h = 0; h < headerCount; h++) {
      const keyLength = buf.readUInt16LE(at);
      at += 2;
      const headerKey = buf.toString('utf8', at, at + keyLength);
      at += keyLength;
      headers[h] = { key: headerKey, value: readBytes() };
    }
    records[i] = { partition, offset, timestampMs, key, value, headers };
  }
  return records;
}
