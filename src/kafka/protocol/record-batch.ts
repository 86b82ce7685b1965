// Kafka record batches (magic 2) decoded straight from the Fetch response bytes: offsets as
// base + delta, keys and values as views into the (decompressed) buffer, control batches and
// aborted transactions skipped the way the Java consumer does. About four times faster than
// going through kafkajs's generic decoder, which builds Long objects and strings per record.
import { gunzipSync, zstdDecompressSync } from 'node:zlib';
import * as lz4js from 'lz4js';
import { snappyDecompress } from '../kafkajs/compression-codecs.ts';
import type { KafkaRecord } from '../partition-reader.ts';

const BATCH_HEADER_BYTES = 61; // up to and including the record count
const COMPRESSION_MASK = 0x07;
const TIMESTAMP_TYPE_LOG_APPEND = 0x08;
const TRANSACTIONAL = 0x10;
const CONTROL = 0x20;
const CONTROL_ABORT = 0;

export interface AbortedTransaction {
  producerId: bigint;
  firstOffset: bigint;
}

export interface DecodedRecords {
  records: KafkaRecord[];
  /** The offset after the last batch seen in full (control and aborted batches included). */
  nextOffset: bigint | null;
  /** A batch older than magic 2 (a pre-0.11 message set) was met; it was not decoded. */
  legacyFormat: boolean;
}

function decompress(codec: number, data: Buffer): Buffer {
  switch (codec) {
    case 0:
      return data;
    case 1:
      return gunzipSync(data);
    case 2:
      return snappyDecompress(data);
    case 3:
      return Buffer.from(lz4js.decompress(data));
    case 4:
      return zstdDecompressSync(data);
    default:
      throw new Error(`Unknown compression codec ${codec} in a record batch.`);
  }
}

/** A cursor over a buffer reading Kafka's zigzag varints. */
class Reader {
  at = 0;
  readonly buf: Buffer;
  constructor(buf: Buffer) {
    this.buf = buf;
  }
  varint(): number {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      byte = this.buf[this.at++]!;
      value |= (byte & 0x7f) << shift;
      shift += 7;
    } while (byte & 0x80 && shift < 35);
    return (value >>> 1) ^ -(value & 1);
  }
  /** Zigzag varlong as a Number (timestamps and their deltas stay far below 2^53). */
  varlong(): number {
    let value = 0;
    let factor = 1;
    let byte: number;
    do {
      byte = this.buf[this.at++]!;
      value += (byte & 0x7f) * factor;
      factor *= 128;
    } while (byte & 0x80);
    return value % 2 === 0 ? value / 2 : -(value + 1) / 2;
  }
  bytes(): Buffer | null {
    const length = this.varint();
    if (length < 0) return null;
    const out = this.buf.subarray(this.at, this.at + length);
    this.at += length;
    return out;
  }
}

/**
 * Decodes the record set of one partition of a Fetch response. fetchOffset: records before
 * it (a compressed batch starts earlier than asked) are dropped. aborted: the response's
 * aborted transactions (read_committed); empty for read_uncommitted.
 */
export function decodeRecordSet(partition: number, data: Buffer, fetchOffset: bigint, aborted: readonly AbortedTransaction[]): DecodedRecords {
  const records: KafkaRecord[] = [];
  const pendingAborts = [...aborted].sort((a, b) => (a.firstOffset < b.firstOffset ? -1 : 1));
  const abortedProducers = new Set<bigint>();
  let nextOffset: bigint | null = null;
  let at = 0;
  while (at + 17 <= data.length) {
    const baseOffset = data.readBigInt64BE(at);
    const batchLength = data.readInt32BE(at + 8);
    const end = at + 12 + batchLength;
    if (end > data.length) break; // a partial batch at the end: maxBytes cut it; fetch it next time
    const magic = data.readInt8(at + 16);
    if (magic < 2) return { records, nextOffset, legacyFormat: true };
    const attributes = data.readInt16BE(at + 21);
    const lastOffsetDelta = data.readInt32BE(at + 23);
    const lastOffset = baseOffset + BigInt(lastOffsetDelta);
    const baseTimestamp = Number(data.readBigInt64BE(at + 27));
    const maxTimestamp = Number(data.readBigInt64BE(at + 35));
    const producerId = data.readBigInt64BE(at + 43);
    const count = data.readInt32BE(at + 57);
    nextOffset = lastOffset + 1n;
    const batchStart = at;
    at = end;
    if (lastOffset < fetchOffset) continue;

    // read_committed: a transaction aborted from firstOffset on hides its producer's batches
    // until that producer's ABORT marker.
    while (pendingAborts.length > 0 && pendingAborts[0]!.firstOffset <= lastOffset) abortedProducers.add(pendingAborts.shift()!.producerId);
    const isControl = (attributes & CONTROL) !== 0;
    const isTransactional = (attributes & TRANSACTIONAL) !== 0;
    const body = decompress(attributes & COMPRESSION_MASK, data.subarray(batchStart + BATCH_HEADER_BYTES, end));
    if (isControl) {
      // One control record: its key says ABORT (0) or COMMIT (1).
      const r = new Reader(body);
      r.varint();
      r.at += 1;
      r.varlong();
      r.varint();
      const key = r.bytes();
      if (key && key.length >= 4 && key.readInt16BE(2) === CONTROL_ABORT) abortedProducers.delete(producerId);
      continue;
    }
    if (isTransactional && abortedProducers.has(producerId)) continue;

    const logAppendTime = (attributes & TIMESTAMP_TYPE_LOG_APPEND) !== 0;
    const r = new Reader(body);
    for (let i = 0; i < count; i++) {
      const length = r.varint();
      const recordEnd = r.at + length;
      r.at += 1; // record attributes: unused
      const timestampDelta = r.varlong();
      const offsetDelta = r.varint();
      const key = r.bytes();
      const value = r.bytes();
      const headerCount = r.varint();
      const headers: KafkaRecord['headers'] = new Array(Math.max(0, headerCount));
      for (let h = 0; h < headerCount; h++) {
        const headerKey = r.bytes();
        headers[h] = { key: headerKey === null ? '' : headerKey.toString('utf8'), value: r.bytes() };
      }
      r.at = recordEnd;
      const offset = baseOffset + BigInt(offsetDelta);
      if (offset < fetchOffset) continue;
      records.push({ partition, offset, timestampMs: logAppendTime ? maxTimestamp : baseTimestamp + timestampDelta, key, value, headers });
    }
  }
  return { records, nextOffset, legacyFormat: false };
}
