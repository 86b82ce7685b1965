// A fetched record as the JSON-safe RecordDto: offsets as decimal strings, bytes as text or
// flagged base64. Universal, so the renderer decodes what the host sends with the same code.
import type { RecordDto, TimestampType } from '../contract/dto.ts';
import { encodePayload } from './payload.ts';

/** A record with its bytes as read: src/node/kafka's KafkaRecord is this type, and the replay log gives it too. */
export interface RecordBytes {
  partition: number;
  offset: bigint;
  timestampMs: number;
  timestampType?: TimestampType;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: { key: string; value: Uint8Array | null }[];
}

/** previewBytes: cut keys, values and header values to this many bytes (flagged truncated). */
export function toRecordDto(record: RecordBytes, previewBytes?: number): RecordDto {
  return {
    partition: record.partition,
    offset: record.offset.toString(),
    timestamp: record.timestampMs,
    ...(record.timestampType !== undefined ? { timestampType: record.timestampType } : {}),
    key: encodePayload(record.key, previewBytes),
    value: encodePayload(record.value, previewBytes),
    headers: record.headers.map((h) => ({ key: h.key, value: encodePayload(h.value, previewBytes) })),
  };
}
