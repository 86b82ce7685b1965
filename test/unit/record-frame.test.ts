import { describe, expect, it } from 'vitest';
import { encodePayload } from '../../src/common/codecs/payload.ts';
import { toRecordDto, type RecordBytes } from '../../src/common/codecs/record-dto.ts';
import {
  decodeRecordFrame,
  encodeRecordFrame,
  plainRecord,
  RecordFrameError,
} from '../../src/common/codecs/record-frame.ts';

const bytes = (...values: number[]) => new Uint8Array(values);
const text = (s: string) => new TextEncoder().encode(s);

const records: RecordBytes[] = [
  {
    partition: 0,
    offset: 0n,
    timestampMs: 1_700_000_000_123,
    key: text('k1'),
    value: text('{"type":"OrderPlaced"}'),
    headers: [],
  },
  {
    partition: 5,
    offset: 41n,
    timestampMs: -1,
    key: null,
    value: null,
    headers: [{ key: 'type', value: text('Tombstone') }],
  },
  {
    partition: 2,
    offset: 2n ** 53n + 7n,
    timestampMs: 0,
    key: bytes(),
    value: bytes(0xff, 0x00, 0xc3),
    headers: [
      { key: 'a', value: null },
      { key: 'a', value: bytes() },
      { key: 'ü', value: bytes(0x80) },
    ],
  },
  {
    partition: 1,
    offset: 2n ** 63n - 1n,
    timestampMs: 8.64e15,
    key: text('ключ'),
    value: text('€'.repeat(10)),
    headers: [],
  },
];

describe('record frames', () => {
  it('carry every field exactly as the JSON records did: nulls, empties, invalid UTF-8, repeated headers, 64-bit offsets', () => {
    const decoded = decodeRecordFrame(encodeRecordFrame(records));
    expect(decoded.map(plainRecord)).toEqual(records.map((r) => toRecordDto(r)));
  });

  it('cut keys, values and header values to the preview the same way the JSON records did', () => {
    const long = {
      partition: 0,
      offset: 9n,
      timestampMs: 1,
      key: text('k'.repeat(100)),
      value: text('€'.repeat(100)),
      headers: [{ key: 'h', value: bytes(...Array.from({ length: 50 }, (_, i) => 0x80 + (i % 10))) }],
    };
    const [decoded] = decodeRecordFrame(encodeRecordFrame([long], 31));
    expect(plainRecord(decoded!)).toEqual(toRecordDto(long, 31));
    // A cut through a multi-byte character drops the partial character; the full size is kept.
    expect(decoded!.value).toEqual({ encoding: 'utf8', text: '€'.repeat(10), size: 300, truncated: true });
    expect(decoded!.headers[0]!.value).toEqual(encodePayload(long.headers[0]!.value, 31));
  });

  it('decode the partition, offset and timestamp of every record, and the rest only when read', () => {
    const frame = encodeRecordFrame(records);
    const decoded = decodeRecordFrame(frame);
    expect(decoded.map((r) => [r.partition, r.offset, r.timestamp])).toEqual(
      records.map((r) => [r.partition, r.offset.toString(), r.timestampMs]),
    );
    // Reading a value twice gives the same object (decoded once).
    expect(decoded[0]!.value).toBe(decoded[0]!.value);
    // A frame that is a view into a larger buffer (as a WebSocket message part is) decodes the same.
    const padded = new Uint8Array(frame.length + 10);
    padded.set(frame, 7);
    expect(decodeRecordFrame(padded.subarray(7, 7 + frame.length)).map(plainRecord)).toEqual(decoded.map(plainRecord));
  });

  it('carry more headers and longer header keys than 16-bit lengths could', () => {
    const many = {
      partition: 0,
      offset: 1n,
      timestampMs: 1,
      key: null,
      value: null,
      headers: Array.from({ length: 70_000 }, (_, i) => ({ key: i === 0 ? 'k'.repeat(70_000) : 'h', value: null })),
    };
    const [decoded] = decodeRecordFrame(encodeRecordFrame([many]));
    expect(decoded!.headers).toHaveLength(70_000);
    expect(decoded!.headers[0]!.key).toHaveLength(70_000);
  });

  it('an empty flush is an empty frame', () => {
    expect(decodeRecordFrame(encodeRecordFrame([]))).toEqual([]);
  });

  it('refuse a cut or malformed frame with an error that says so, rather than reading past it', () => {
    const frame = encodeRecordFrame(records);
    for (const cut of [0, 3, 4, 10, 24, frame.length - 1])
      expect(() => decodeRecordFrame(frame.subarray(0, cut)), `cut at ${cut}`).toThrow(RecordFrameError);
    const huge = frame.slice();
    new DataView(huge.buffer).setUint32(0, 0xffffffff, true);
    expect(() => decodeRecordFrame(huge)).toThrow(/cut short or malformed/);
  });
});
