// Fetch response (versions 4–11, the ones kafkajs negotiates) decoded into per-partition
// results with their raw record sets, so errors are handled per partition and records are
// decoded by src/kafka/protocol/record-batch.ts.
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
  errorCode: number;
  topics: { topic: string; partitions: FetchedPartition[] }[];
}

export function decodeFetchResponse(payload: Buffer, version: number): FetchResponseData {
  let at = 0;
  const int16 = (): number => {
    const v = payload.readInt16BE(at);
    at += 2;
    return v;
  };
  const int32 = (): number => {
    const v = payload.readInt32BE(at);
    at += 4;
    return v;
  };
  const int64 = (): bigint => {
    const v = payload.readBigInt64BE(at);
    at += 8;
    return v;
  };
  const string = (): string => {
    const length = int16();
    const s = payload.toString('utf8', at, at + length);
    at += length;
    return s;
  };
  int32(); // throttle_time_ms
  const errorCode = version >= 7 ? int16() : 0;
  if (version >= 7) int32(); // session_id
  const topics: FetchResponseData['topics'] = [];
  const topicCount = int32();
  for (let t = 0; t < topicCount; t++) {
    const topic = string();
    const partitions: FetchedPartition[] = [];
    const partitionCount = int32();
    for (let p = 0; p < partitionCount; p++) {
      const partition = int32();
      const partitionError = int16();
      const highWatermark = int64();
      const lastStableOffset = int64();
      const logStartOffset = version >= 5 ? int64() : -1n;
      const abortedCount = int32();
      const aborted: AbortedTransaction[] = [];
      for (let a = 0; a < abortedCount; a++) aborted.push({ producerId: int64(), firstOffset: int64() });
      if (version >= 11) int32(); // preferred_read_replica
      const size = int32();
      const records = size > 0 ? payload.subarray(at, at + size) : Buffer.alloc(0);
      at += Math.max(0, size);
      partitions.push({ partition, errorCode: partitionError, highWatermark, lastStableOffset, logStartOffset, aborted, records });
    }
    topics.push({ topic, partitions });
  }
  return { errorCode, topics };
}
