// Records packed into one blob per stored batch, like Kafka's own record batches: the log
// stores and reads a batch with one row, not one row per record.
//
// A blob is one flags byte followed by the packed records. Flag 1: zstd level 1 (4–12× less to
// write for JSON), else as is. A blob is compressed only when that saves a quarter or more
// (COMPRESS_IF_RATIO): random, encrypted or already compressed values are stored as they are,
// with flag 1 clear, as blobs too small to compress always were — no new flag, so every log
// and capture file reads as before. Flag 2: "wide" header counts and key lengths (u32); blobs
// written before it have u16 ones and are still read.
//
// Packed layout (little endian): u32 count, then per record: u32 offset delta from the batch's base,
// f64 timestamp (ms, exact up to 2^53), i32 key length (-1: null) + bytes, i32 value length
// (-1: null) + bytes, u32 header count, per header: u32 key length + UTF-8, i32 value length
// (-1: null) + bytes.
import type { RecordColumns } from '../../common/projections/event-batch.ts';
import { constants, zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import type { KafkaRecord } from '../kafka/index.ts';

const ZSTD = 1;
/** u32 header counts and key lengths: a record may have more than 65,535 headers, or a longer key. */
const WIDE = 2;
const KNOWN_FLAGS = ZSTD | WIDE;
/** Below this a blob is stored as is: compression would not pay. */
const COMPRESS_MIN_BYTES = 512;
const ZSTD_LEVEL = { [constants.ZSTD_c_compressionLevel]: 1 };
/**
 * Compress when that loses at least a quarter of the bytes. zstd level 1 runs at ~400 MB/s on
 * incompressible bytes, more than the log spends storing them: on random or encrypted values
 * it cost a bulk read half its speed to save 8% (random 200 B values with their packed record
 * headers come to ~0.92: the headers compress, the values do not). JSON comes to ~0.1, binary
 * formats with text in them to ~0.5–0.7.
 */
const COMPRESS_IF_RATIO = 0.75;
/**
 * Whether a blob compresses is judged on this much of its middle first (a blob smaller than
 * twice this is simply compressed): 16 KB predicts the whole blob's ratio within a few
 * hundredths (measured on JSON, random and mixed values) and costs 1/30 of compressing 500 KB.
 */
const SAMPLE_BYTES = 16 * 1024;
/** A stream whose blobs did not compress has every this-many-th one sampled again. */
const RESAMPLE_EVERY = 32;
/** The packer's reused buffer grows to this at most; a larger blob gets a buffer of its own. */
const SCRATCH_MAX_BYTES = 8 * 1024 * 1024;

const NULL_LENGTH = -1;

function bytesLength(b: Uint8Array | null): number {
  return b === null ? 0 : b.length;
}

/** What a stream's last blobs showed: compress the next one, or store it as is (until the next sample). */
interface Verdict {
  compress: boolean;
  blobsUntilSample: number;
}

/**
 * Packs the log's blobs, remembering per stream whether they compress: after its first blob
 * (sampled), a stream of JSON is compressed with no more samples (each blob's own ratio keeps
 * the verdict up to date), a stream of random bytes is sampled again every RESAMPLE_EVERY
 * blobs. It packs into one reused buffer, so a blob stored as is costs no allocation: a bulk
 * read packs hundreds of MB, and as fresh buffers they cost 5–10% more CPU (measured), most of
 * it garbage collection.
 */
export class RecordPacker {
  private scratch = Buffer.allocUnsafeSlow(0);
  private readonly verdicts = new Map<number, Verdict>();

  /**
   * The blob for records of stream `stream` from baseOffset on. It may be a view of the
   * packer's buffer: valid until the next call, so store it (bind it to an insert) first.
   */
  pack(stream: number, baseOffset: bigint, records: readonly KafkaRecord[]): Buffer {
    const size = packedSize(records);
    if (size > this.scratch.length && size <= SCRATCH_MAX_BYTES)
      this.scratch = Buffer.allocUnsafeSlow(Math.min(SCRATCH_MAX_BYTES, Math.max(size, 2 * this.scratch.length)));
    const out = packPlain(
      size <= this.scratch.length ? this.scratch.subarray(0, size) : Buffer.allocUnsafe(size),
      baseOffset,
      records,
    );
    const body = out.subarray(1);
    if (body.length < COMPRESS_MIN_BYTES) return raw(out);
    let verdict = this.verdicts.get(stream);
    // A stream's first blob is sampled.
    if (!verdict) this.verdicts.set(stream, (verdict = { compress: false, blobsUntilSample: 0 }));
    if (!verdict.compress) {
      if (verdict.blobsUntilSample-- > 0) return raw(out);
      verdict.compress = sampleCompresses(body);
      verdict.blobsUntilSample = RESAMPLE_EVERY;
      if (!verdict.compress) return raw(out);
    }
    const compressed = compress(body);
    if (compressed.length > body.length * COMPRESS_IF_RATIO) {
      verdict.compress = false;
      verdict.blobsUntilSample = RESAMPLE_EVERY;
    }
    return compressed.length < body.length ? withFlags(compressed) : raw(out);
  }
}

/**
 * The blob for a stored batch: flags byte, then the packed records, zstd-compressed when that
 * pays (judged on a sample). A buffer of its own; the log packs with a RecordPacker.
 */
export function packRecords(baseOffset: bigint, records: readonly KafkaRecord[]): Buffer {
  const out = packPlain(Buffer.allocUnsafe(packedSize(records)), baseOffset, records);
  const body = out.subarray(1);
  if (body.length >= COMPRESS_MIN_BYTES && sampleCompresses(body)) {
    const compressed = compress(body);
    if (compressed.length < body.length) return withFlags(compressed);
  }
  return raw(out);
}

function compress(body: Buffer): Buffer {
  // The size up front lets zstd size its tables to the input: ~10% faster on 450 KB blobs.
  return zstdCompressSync(body, { pledgedSrcSize: body.length, params: ZSTD_LEVEL });
}

/** Whether the middle SAMPLE_BYTES of body compress well enough; true for a body too small to sample. */
function sampleCompresses(body: Buffer): boolean {
  if (body.length <= 2 * SAMPLE_BYTES) return true;
  const from = (body.length - SAMPLE_BYTES) >> 1;
  return compress(body.subarray(from, from + SAMPLE_BYTES)).length <= SAMPLE_BYTES * COMPRESS_IF_RATIO;
}

/** The packed records as they are: the flags byte left free by packPlain says so. */
function raw(out: Buffer): Buffer {
  out[0] = WIDE;
  return out;
}

function withFlags(compressed: Buffer): Buffer {
  const blob = Buffer.allocUnsafe(1 + compressed.length);
  blob[0] = WIDE | ZSTD;
  blob.set(compressed, 1);
  return blob;
}

/** The bytes packPlain writes: the flags byte and the packed records. */
function packedSize(records: readonly KafkaRecord[]): number {
  // Indexed loops, no iterators: this and packPlain run per record, a million times a second.
  let size = 1 + 4 + records.length * (4 + 8 + 4 + 4 + 4);
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    if (r.key !== null) size += r.key.length;
    if (r.value !== null) size += r.value.length;
    const headers = r.headers;
    for (let h = 0; h < headers.length; h++)
      size += 4 + Buffer.byteLength(headers[h]!.key, 'utf8') + 4 + bytesLength(headers[h]!.value);
  }
  return size;
}

/** The packed records into out (packedSize bytes), after one byte left for the flags. */
function packPlain(out: Buffer, baseOffset: bigint, records: readonly KafkaRecord[]): Buffer {
  const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
  view.setUint32(1, records.length, true);
  let at = 5;
  const writeBytes = (b: Uint8Array | null): void => {
    if (b === null) {
      view.setInt32(at, NULL_LENGTH, true);
      at += 4;
      return;
    }
    view.setInt32(at, b.length, true);
    out.set(b, at + 4);
    at += 4 + b.length;
  };
  for (let i = 0; i < records.length; i++) {
    const r = records[i]!;
    view.setUint32(at, Number(r.offset - baseOffset), true);
    view.setFloat64(at + 4, r.timestampMs, true);
    at += 12;
    writeBytes(r.key);
    writeBytes(r.value);
    const headers = r.headers;
    view.setUint32(at, headers.length, true);
    at += 4;
    for (let h = 0; h < headers.length; h++) {
      // The key is written straight into the blob; its length goes before it once known.
      const length = out.write(headers[h]!.key, at + 4, 'utf8');
      view.setUint32(at, length, true);
      at += 4 + length;
      writeBytes(headers[h]!.value);
    }
  }
  return out;
}

export function unpackRecords(partition: number, baseOffset: bigint, blob: Uint8Array): KafkaRecord[] {
  const { buf, wide } = openBlob(blob);
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

export type { RecordColumns } from '../../common/projections/event-batch.ts';

/** Above this, a frame's declared size is not trusted to size the output buffer (a damaged file). */
const DECLARED_SIZE_MAX = 256 * 1024 * 1024;

/**
 * The size a zstd frame says it decompresses to (compress() pledges it, so the log's frames
 * carry it), or null. Decompressing into one buffer of that size skips zlib's 64 KB chunks and
 * their concatenation: a third less time on 1 M JSON records.
 */
function zstdContentSize(frame: Uint8Array): number | null {
  if (frame.length < 6 || frame[0] !== 0x28 || frame[1] !== 0xb5 || frame[2] !== 0x2f || frame[3] !== 0xfd) return null;
  const descriptor = frame[4]!;
  const single = (descriptor >> 5) & 1;
  const fieldSize = descriptor >> 6;
  const at = 5 + (single ? 0 : 1) + [0, 1, 2, 4][descriptor & 3]!;
  const size = fieldSize === 0 ? single : 1 << fieldSize;
  if (size === 0 || at + size > frame.length) return null;
  const view = new DataView(frame.buffer, frame.byteOffset + at, size);
  return size === 1
    ? view.getUint8(0)
    : size === 2
      ? view.getUint16(0, true) + 256
      : size === 4
        ? view.getUint32(0, true)
        : Number(view.getBigUint64(0, true));
}

/**
 * A stored blob's packed records (unpackRecords and unpackColumns alike): its flags checked
 * (unknown ones are a newer or damaged file), decompressed when stored so, and whether its
 * counts are wide. A blob stored as is gives a view of the row SQLite handed over.
 */
function openBlob(blob: Uint8Array): { buf: Buffer; wide: boolean } {
  const stored = Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength);
  const flags = stored[0]!;
  if ((flags & ~KNOWN_FLAGS) !== 0) throw new Error(`A replay log batch has unknown flags ${flags}.`);
  const body = stored.subarray(1);
  if ((flags & ZSTD) === 0) return { buf: body, wide: (flags & WIDE) !== 0 };
  const declared = zstdContentSize(body);
  // One byte more than declared: a full buffer makes zlib try for more output in a second chunk.
  const buf = zstdDecompressSync(
    body,
    declared !== null && declared <= DECLARED_SIZE_MAX ? { chunkSize: Math.max(64, declared + 1) } : {},
  );
  return { buf, wide: (flags & WIDE) !== 0 };
}

export function unpackColumns(blob: Uint8Array): RecordColumns {
  const { buf, wide } = openBlob(blob);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const count = view.getUint32(0, true);
  const offsetDelta = new Uint32Array(count);
  const timestamp = new Float64Array(count);
  const key = new Int32Array(2 * count);
  const value = new Int32Array(2 * count);
  const recordStart = new Int32Array(count + 1);
  const headerIndex = new Int32Array(count + 1);
  const headerKey: string[] = [];
  const headerSpans: number[] = [];
  let at = 4;
  for (let i = 0; i < count; i++) {
    recordStart[i] = at;
    offsetDelta[i] = view.getUint32(at, true);
    timestamp[i] = view.getFloat64(at + 4, true);
    at += 12;
    let length = view.getInt32(at, true);
    key[2 * i] = at + 4;
    key[2 * i + 1] = length;
    at += 4 + (length > 0 ? length : 0);
    length = view.getInt32(at, true);
    value[2 * i] = at + 4;
    value[2 * i + 1] = length;
    at += 4 + (length > 0 ? length : 0);
    headerIndex[i] = headerKey.length;
    const headers = wide ? view.getUint32(at, true) : view.getUint16(at, true);
    at += wide ? 4 : 2;
    for (let h = 0; h < headers; h++) {
      const keyLength = wide ? view.getUint32(at, true) : view.getUint16(at, true);
      at += wide ? 4 : 2;
      headerKey.push(buf.toString('utf8', at, at + keyLength));
      at += keyLength;
      length = view.getInt32(at, true);
      headerSpans.push(at + 4, length);
      at += 4 + (length > 0 ? length : 0);
    }
  }
  recordStart[count] = at;
  headerIndex[count] = headerKey.length;
  // A blob stored as is is a view of the row SQLite handed over: ours too (a copy per read).
  return {
    count,
    bytes: buf,
    offsetDelta,
    timestamp,
    key,
    value,
    recordStart,
    headerIndex,
    headerKey,
    headerValue: Int32Array.from(headerSpans),
  };
}
