// Records packed into one binary frame: how a tail flush travels from the host to the page.
// One JSON object per record cost more than everything else in a fast tail (about 6 µs a
// record to stringify on the host and as much again to parse in the page, for rows nobody
// will ever look at). A frame is packed once; the page reads partition, offset and
// timestamp of every record, and decodes a key, value or headers only when something reads
// them (a row scrolled into view, a filter). Universal: no Buffer, no DOM.
//
// Layout, little endian: u32 count, then per record: u32 partition, u32 offset high word,
// u32 offset low word, f64 timestamp (ms), payload key, payload value, u32 header count and
// per header: u32 key length + UTF-8 key, payload value.
// A payload is i32 full size (-1: null) and, when not null, u32 kept length + the kept bytes
// (fewer than the full size when cut to a preview).
import type { PayloadDto, RecordDto, RecordHeaderDto } from '../contract/dto.ts';
import { payloadOfPrefix } from './payload.ts';
import type { RecordBytes } from './record-dto.ts';

const NULL_SIZE = -1;
const TWO_POW_32 = 2 ** 32;
/** Partition, offset, timestamp, two null payloads, no headers. */
const MIN_RECORD_BYTES = 20 + 4 + 4 + 4;
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder();

function keptLength(b: Uint8Array, previewBytes: number): number {
  return Math.min(b.length, previewBytes);
}

/** previewBytes: keys, values and header values are cut to this (the frame keeps their full size). */
export function encodeRecordFrame(records: readonly RecordBytes[], previewBytes = Infinity): Uint8Array<ArrayBuffer> {
  let size = 4;
  const headerKeys: Uint8Array[][] = new Array(records.length);
  for (let r = 0; r < records.length; r++) {
    const record = records[r]!;
    size += 4 + 8 + 8 + 4 + 4;
    if (record.key) size += 4 + keptLength(record.key, previewBytes);
    if (record.value) size += 4 + keptLength(record.value, previewBytes);
    size += 4;
    if (record.headers.length === 0) continue;
    const keys = (headerKeys[r] = record.headers.map((h) => utf8.encode(h.key)));
    record.headers.forEach(
      (h, i) => (size += 4 + keys[i]!.length + 4 + (h.value ? 4 + keptLength(h.value, previewBytes) : 0)),
    );
  }
  const out = new Uint8Array(size);
  const view = new DataView(out.buffer);
  let at = 0;
  const writePayload = (b: Uint8Array | null): void => {
    if (b === null) {
      view.setInt32(at, NULL_SIZE, true);
      at += 4;
      return;
    }
    const kept = keptLength(b, previewBytes);
    view.setInt32(at, b.length, true);
    view.setUint32(at + 4, kept, true);
    out.set(kept === b.length ? b : b.subarray(0, kept), at + 8);
    at += 8 + kept;
  };
  view.setUint32(at, records.length, true);
  at += 4;
  for (let r = 0; r < records.length; r++) {
    const record = records[r]!;
    view.setUint32(at, record.partition, true);
    view.setUint32(at + 4, Number(record.offset >> 32n), true);
    view.setUint32(at + 8, Number(record.offset & 0xffffffffn), true);
    view.setFloat64(at + 12, record.timestampMs, true);
    at += 20;
    writePayload(record.key);
    writePayload(record.value);
    view.setUint32(at, record.headers.length, true);
    at += 4;
    const keys = headerKeys[r];
    for (let i = 0; keys && i < keys.length; i++) {
      view.setUint32(at, keys[i]!.length, true);
      out.set(keys[i]!, at + 4);
      at += 4 + keys[i]!.length;
      writePayload(record.headers[i]!.value);
    }
  }
  return out;
}

/** A record read from a frame: partition, offset and timestamp at once, the rest on first read. */
class FrameRecord implements RecordDto {
  readonly partition: number;
  readonly offset: string;
  readonly timestamp: number;
  private readonly frame: Uint8Array;
  private readonly view: DataView;
  /** Where the key payload starts. */
  private readonly keyAt: number;
  private decoded: { key: PayloadDto | null; value: PayloadDto | null; headers: RecordHeaderDto[] } | null = null;

  constructor(frame: Uint8Array, view: DataView, partition: number, offset: string, timestamp: number, keyAt: number) {
    this.frame = frame;
    this.view = view;
    this.partition = partition;
    this.offset = offset;
    this.timestamp = timestamp;
    this.keyAt = keyAt;
  }

  get key(): PayloadDto | null {
    return this.decode().key;
  }

  get value(): PayloadDto | null {
    return this.decode().value;
  }

  get headers(): RecordHeaderDto[] {
    return this.decode().headers;
  }

  private decode(): NonNullable<FrameRecord['decoded']> {
    if (this.decoded) return this.decoded;
    let at = this.keyAt;
    const readPayload = (): PayloadDto | null => {
      const size = this.view.getInt32(at, true);
      if (size === NULL_SIZE) {
        at += 4;
        return null;
      }
      const kept = this.view.getUint32(at + 4, true);
      const bytes = this.frame.subarray(at + 8, at + 8 + kept);
      at += 8 + kept;
      return payloadOfPrefix(bytes, size);
    };
    const key = readPayload();
    const value = readPayload();
    const count = this.view.getUint32(at, true);
    at += 4;
    const headers: RecordHeaderDto[] = new Array(count);
    for (let i = 0; i < count; i++) {
      const length = this.view.getUint32(at, true);
      const headerKey = utf8Decoder.decode(this.frame.subarray(at + 4, at + 4 + length));
      at += 4 + length;
      headers[i] = { key: headerKey, value: readPayload() };
    }
    this.decoded = { key, value, headers };
    return this.decoded;
  }
}

export class RecordFrameError extends Error {}

/** The records of a frame, in order. Throws RecordFrameError when the frame is cut or malformed. */
export function decodeRecordFrame(frame: Uint8Array): RecordDto[] {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const fail = (): never => {
    throw new RecordFrameError(`A record frame of ${frame.byteLength} bytes is cut short or malformed.`);
  };
  if (frame.byteLength < 4) fail();
  const count = view.getUint32(0, true);
  if (count > (frame.byteLength - 4) / MIN_RECORD_BYTES) fail();
  const records: RecordDto[] = new Array(count);
  let at = 4;
  // Steps over a payload without decoding it.
  const skipPayload = (): void => {
    if (at + 4 > frame.byteLength) fail();
    if (view.getInt32(at, true) === NULL_SIZE) {
      at += 4;
      return;
    }
    if (at + 8 > frame.byteLength) fail();
    at += 8 + view.getUint32(at + 4, true);
  };
  for (let r = 0; r < count; r++) {
    if (at + 20 > frame.byteLength) fail();
    const partition = view.getUint32(at, true);
    const high = view.getUint32(at + 4, true);
    const low = view.getUint32(at + 8, true);
    // Offsets below 2^53 (all real ones) take the fast path; larger ones stay exact.
    const offset = high < 0x200000 ? String(high * TWO_POW_32 + low) : ((BigInt(high) << 32n) | BigInt(low)).toString();
    const timestamp = view.getFloat64(at + 12, true);
    const keyAt = at + 20;
    at = keyAt;
    skipPayload();
    skipPayload();
    if (at + 4 > frame.byteLength) fail();
    const headerCount = view.getUint32(at, true);
    at += 4;
    for (let h = 0; h < headerCount; h++) {
      if (at + 4 > frame.byteLength) fail();
      at += 4 + view.getUint32(at, true);
      skipPayload();
    }
    if (at > frame.byteLength) fail();
    records[r] = new FrameRecord(frame, view, partition, offset, timestamp, keyAt);
  }
  return records;
}

/** A plain copy of a record (what structured clone, JSON and deep equality see: own properties). */
export function plainRecord(record: RecordDto): RecordDto {
  return {
    partition: record.partition,
    offset: record.offset,
    timestamp: record.timestamp,
    key: record.key,
    value: record.value,
    headers: record.headers,
  };
}

/**
 * The records of a frame with their bytes as sent (views into the frame, no copy), for code
 * that needs the bytes themselves: a projection run packs them into batches for its sandbox
 * (renderer/src/features/projections/host-range-reader.ts). Throws RecordFrameError when the
 * frame is cut or malformed, or holds a payload cut to a preview (its bytes are not all there).
 */
export function decodeRecordFrameBytes(frame: Uint8Array): RecordBytes[] {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const fail = (why: string): never => {
    throw new RecordFrameError(`A record frame of ${frame.byteLength} bytes ${why}.`);
  };
  if (frame.byteLength < 4) fail('is cut short or malformed');
  const count = view.getUint32(0, true);
  if (count > (frame.byteLength - 4) / MIN_RECORD_BYTES) fail('is cut short or malformed');
  let at = 4;
  const need = (n: number): void => {
    if (at + n > frame.byteLength) fail('is cut short or malformed');
  };
  const readPayload = (): Uint8Array | null => {
    need(4);
    const size = view.getInt32(at, true);
    if (size === NULL_SIZE) {
      at += 4;
      return null;
    }
    need(8);
    const kept = view.getUint32(at + 4, true);
    if (kept !== size) fail('holds a value cut to a preview');
    need(8 + kept);
    const bytes = frame.subarray(at + 8, at + 8 + kept);
    at += 8 + kept;
    return bytes;
  };
  const records: RecordBytes[] = new Array(count);
  for (let r = 0; r < count; r++) {
    need(20);
    const partition = view.getUint32(at, true);
    const offset = (BigInt(view.getUint32(at + 4, true)) << 32n) | BigInt(view.getUint32(at + 8, true));
    const timestampMs = view.getFloat64(at + 12, true);
    at += 20;
    const key = readPayload();
    const value = readPayload();
    need(4);
    const headerCount = view.getUint32(at, true);
    at += 4;
    const headers: RecordBytes['headers'] = [];
    for (let h = 0; h < headerCount; h++) {
      need(4);
      const length = view.getUint32(at, true);
      need(4 + length);
      const headerKey = utf8Decoder.decode(frame.subarray(at + 4, at + 4 + length));
      at += 4 + length;
      headers.push({ key: headerKey, value: readPayload() });
    }
    records[r] = { partition, offset, timestampMs, key, value, headers };
  }
  return records;
}
