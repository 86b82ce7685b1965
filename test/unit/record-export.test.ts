import { describe, expect, it } from 'vitest';
import { decodePayload, encodePayload } from '../../src/common/codecs/payload.ts';
import { RecordDto } from '../../src/common/contract/dto.ts';
import { CSV_HEADER, exportRecords, parseCsv } from '../../src/common/export/record-export.ts';

const records: RecordDto[] = [
  {
    partition: 0,
    offset: '9007199254740993',
    timestamp: 1764150000123,
    key: encodePayload(new TextEncoder().encode('k,"1"')),
    value: encodePayload(new TextEncoder().encode('line1\r\nline2, "quoted"')),
    headers: [{ key: 'h', value: null }],
  },
  {
    partition: 2,
    offset: '5',
    timestamp: 0,
    key: null,
    value: encodePayload(new Uint8Array([0xff, 0x00, 0x7f])),
    headers: [],
  },
];

describe('record export', () => {
  it('NDJSON: one RecordDto per line, round-trips exactly', () => {
    const lines = exportRecords(records, 'ndjson').trimEnd().split('\n');
    expect(lines.map((l) => RecordDto.parse(JSON.parse(l)))).toEqual(records);
  });

  it('CSV: quoted where needed, binary as flagged base64, int64 offsets intact', () => {
    const rows = parseCsv(exportRecords(records, 'csv'));
    expect(rows[0]!.join(',')).toBe(CSV_HEADER);
    expect(rows[1]).toEqual([
      '0',
      '9007199254740993',
      '2025-11-26T09:40:00.123Z',
      'utf8',
      'k,"1"',
      'utf8',
      'line1\r\nline2, "quoted"',
      '[{"key":"h","value":null}]',
    ]);
    expect(rows[2]!.slice(3, 7)).toEqual(['null', '', 'base64', '/wB/']);
    expect(decodePayload({ encoding: 'base64', base64: rows[2]![6]!, size: 3 })).toEqual(
      new Uint8Array([0xff, 0x00, 0x7f]),
    );
  });
});
