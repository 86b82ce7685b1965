// Records packed into one blob per stored batch, like Kafka's own record batches: the log
// stores and reads a batch with one row, not one row per record.
//
// A blob is one flags byte followed by the packed records. Flag 1: zstd level 1 (about 4×
// less to write for JSON, which is what bounds append speed), else as is. Flag 2: "wide"
// header counts and key lengths (u32); blobs written before it have u16 ones and are still read.
//
// Packed layout (little endian): u32 count, then per record: u32 offset delta from the batch's base,
// f64 timestamp (ms, exact up to 2^53), i32 key length (-1: null) + bytes, i32 value length
// (-1: null) + bytes, u32 header count, per header: u32 key length + UTF-8, i32 value length
// (-1: null) + bytes.
import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import type { KafkaRecord } from '../kafka/index.ts';

const ZSTD = 1;
/** u32 header counts and key lengths: a record may have more than 65,535 headers, or a longer key. */
const WIDE = 2;
const KNOWN_FLAGS = ZSTD | WIDE;
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
    if (compressed.length < packed.length) return Buffer.concat([Buffer.of(WIDE | ZSTD), compressed]);
  }
  return Buffer.concat([Buffer.of(WIDE), packed]);
}

function packPlain(baseOffset: bigint, records: readonly KafkaRecord[]): Buffer {
  let size = 4;
  const headerKeys: Buffer[][] = [];
  for (const r of records) {
    size += 4 + 8 + 4 + bytesLength(r.key) + 4 + bytesLength(r.value) + 4;
    const keys = r.headers.map((h) => Buffer.from(h.key, 'utf8'));
    headerKeys.push(keys);
    for (let i = 0; i < r.headers.length; i++) size += 4 + keys[i]!.length + 4 + bytesLength(r.headers[i]!.value);
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
    at = out.writeUInt32LE(r.headers.length, at);
    const keys = headerKeys[index]!;
    r.headers.forEach((h, i) => {
      at = out.writeUInt32LE(keys[i]!.length, at);
      out.set(keys[i]!, at);
      at += keys[i]!.length;
      writeBytes(h.value);
    });
  });
  return out;
}

export function unpackRecords(partition: number, baseOffset: bigint, blob: Uint8Array): KafkaRecord[] {
  const stored = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const flags = stored[0]!;
  const body = stored.subarray(1);
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new Error(`A replay log batch has unknown flags ${flags}.`);
  const buf = flags & ZSTD ? zstdDecompressSync(body) : body;
  const wide = (flags & WIDE) !== 0;
  const count = buf.readUInt32LE(0);
  let at = 4;
  const readCount = (): number => {
    const n = wide ? buf.readUInt32LE(at) : buf.readUInt16LE(at);
    at += wide ? 4 : 2;
    return n;
  };
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
    const headerCount = readCount();
    const headers: KafkaRecord['headers'] = new Array(headerCount);
    for (let h = 0; h < headerCount; h++) {
      const keyLength = readCount();
      const headerKey = buf.toString('utf8', at, at + keyLength);
      at += keyLength;
      headers[h] = { key: headerKey, value: readBytes() };
    }
    records[i] = { partition, offset, timestampMs, key, value, headers };
  }
  return records;
}
