// Fetch response (versions 4–11, the ones kafkajs negotiates) decoded into per-partition
// results with their raw record sets, so errors are handled per partition and records are
// decoded by src/node/kafka/protocol/record-batch.ts. Every read is checked against the payload:
// a response that is shorter than what it declares, has a negative count or length, or has
// bytes left over (a version misread) raises a ProtocolDecodeError naming the topic and
// partition it had reached, never a RangeError.
import { ProtocolDecodeError } from './protocol-decode-error.ts';
import type { AbortedTransaction } from './record-batch.ts';

export interface FetchedPartition {
  partition: number;
  errorCode: number;
  highWatermark: bigint;
  lastStableOffset: bigint;
  logStartOffset: bigint;
  aborted: AbortedTransaction[];
  records: Buffer;
}

export interface FetchResponseData {
  /** How long a quota-throttled broker asks the client to wait before the next request (0: not throttled). */
  throttleTimeMs: number;
  errorCode: number;
  topics: { topic: string; partitions: FetchedPartition[] }[];
}

const MIN_VERSION = 4;
const MAX_VERSION = 11;
// The fewest bytes an array element can take, to refuse a count the payload cannot hold
// before looping over it.
const MIN_TOPIC_BYTES = 2 + 4; // name length, partition count
const MIN_ABORTED_BYTES = 8 + 8;

export function decodeFetchResponse(payload: Buffer, version: number): FetchResponseData {
  let at = 0;
  let topic: string | null = null;
  let partition: number | null = null;
  const fail = (reason: string): never => {
    throw new ProtocolDecodeError(
      { topic, partition, offset: null },
      `${reason} (Fetch v${version}, byte ${at} of ${payload.length})`,
    );
  };
  if (!Number.isInteger(version) || version < MIN_VERSION || version > MAX_VERSION)
    throw new ProtocolDecodeError(
      { topic, partition, offset: null },
      `Fetch v${version} is not a version this decoder reads (v${MIN_VERSION}–v${MAX_VERSION})`,
    );
  const need = (bytes: number, what: string): void => {
    if (at + bytes > payload.length) fail(`the response ends inside ${what}`);
  };
  const int16 = (what: string): number => {
    need(2, what);
    const v = payload.readInt16BE(at);
    at += 2;
    return v;
  };
  const int32 = (what: string): number => {
    need(4, what);
    const v = payload.readInt32BE(at);
    at += 4;
    return v;
  };
  const int64 = (what: string): bigint => {
    need(8, what);
    const v = payload.readBigInt64BE(at);
    at += 8;
    return v;
  };
  const count = (what: string, minElementBytes: number, nullable: boolean): number => {
    const n = int32(`the ${what} count`);
    if (n === -1 && nullable) return 0;
    if (n < 0) fail(`the ${what} count is ${n}`);
    if (n * minElementBytes > payload.length - at)
      fail(`${n} ${what} cannot fit in the ${payload.length - at} bytes left`);
    return n;
  };
  const throttleTimeMs = int32('throttle_time_ms');
  const errorCode = version >= 7 ? int16('error_code') : 0;
  if (version >= 7) int32('session_id');
  const partitionBytes = 4 + 2 + 8 + 8 + (version >= 5 ? 8 : 0) + 4 + (version >= 11 ? 4 : 0) + 4;
  const topics: FetchResponseData['topics'] = [];
  const topicCount = count('topics', MIN_TOPIC_BYTES, false);
  for (let t = 0; t < topicCount; t++) {
    partition = null;
    const nameLength = int16('a topic name length');
    if (nameLength < 0) fail(`a topic name has a length of ${nameLength}`);
    need(nameLength, 'a topic name');
    topic = payload.toString('utf8', at, at + nameLength);
    at += nameLength;
    const partitions: FetchedPartition[] = [];
    const partitionCount = count('partitions', partitionBytes, false);
    for (let p = 0; p < partitionCount; p++) {
      partition = int32('a partition index');
      const partitionError = int16('a partition error code');
      const highWatermark = int64('high_watermark');
      const lastStableOffset = int64('last_stable_offset');
      const logStartOffset = version >= 5 ? int64('log_start_offset') : -1n;
      const abortedCount = count('aborted transactions', MIN_ABORTED_BYTES, true);
      const aborted: AbortedTransaction[] = [];
      for (let a = 0; a < abortedCount; a++)
        aborted.push({ producerId: int64('an aborted producer id'), firstOffset: int64('an aborted first offset') });
      if (version >= 11) int32('preferred_read_replica');
      const size = int32('the record set size');
      if (size < -1) fail(`the record set has a size of ${size}`);
      const bytes = Math.max(0, size); // -1: null, no records
      need(bytes, `a record set of ${bytes} bytes`);
      const records = payload.subarray(at, at + bytes);
      at += bytes;
      partitions.push({
        partition,
        errorCode: partitionError,
        highWatermark,
        lastStableOffset,
        logStartOffset,
        aborted,
        records,
      });
    }
    topics.push({ topic, partitions });
  }
  if (at !== payload.length) {
    topic = null;
    partition = null;
    fail(`${payload.length - at} bytes are left over after the response`);
  }
  return { throttleTimeMs, errorCode, topics };
}
