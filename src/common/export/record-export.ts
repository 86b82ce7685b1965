// Records as NDJSON (one RecordDto per line: what `eventscope tail --json` prints) or CSV
// (RFC 4180; text where the bytes are UTF-8, else base64 with the encoding column saying so).
// Universal: the CLI, the host and the renderer write the same files.
import type { RecordDto } from '../contract/dto.ts';

export type ExportFormat = 'ndjson' | 'csv';

export const CSV_HEADER = 'partition,offset,timestamp,key_encoding,key,value_encoding,value,headers';

function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function payloadColumns(p: RecordDto['value']): [string, string] {
  if (p === null) return ['null', ''];
  return p.encoding === 'utf8' ? ['utf8', p.text] : ['base64', p.base64];
}

export function toNdjsonLine(record: RecordDto): string {
  return JSON.stringify(record);
}

export function toCsvRow(record: RecordDto): string {
  const [keyEncoding, key] = payloadColumns(record.key);
  const [valueEncoding, value] = payloadColumns(record.value);
  const headers = JSON.stringify(record.headers);
  return [
    String(record.partition),
    record.offset,
    new Date(record.timestamp).toISOString(),
    keyEncoding,
    key,
    valueEncoding,
    value,
    headers,
  ]
    .map(csvField)
    .join(',');
}

export function exportRecords(records: readonly RecordDto[], format: ExportFormat): string {
  if (format === 'ndjson') return records.map((r) => toNdjsonLine(r) + '\n').join('');
  return [CSV_HEADER, ...records.map(toCsvRow)].join('\r\n') + '\r\n';
}

/** Reads the CSV this module writes (for round-trip tests and re-import). */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(field);
      rows.push(row);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  if (field !== '' || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}
