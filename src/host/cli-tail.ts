// `eventscope tail`: records of a topic, one per line, from a chosen position. Reads with
// the partition fetcher (no consumer group, no commits). Follows new records unless --end
// or --max says when to stop.
import type { RecordDto } from '../contract/dto.ts';
import { toRecordDto } from '../codecs/record-dto.ts';
import { CSV_HEADER, toCsvRow, toNdjsonLine, type ExportFormat } from '../export/record-export.ts';
import type { ClusterClient, StartPosition } from '../kafka/index.ts';

export class TailUsageError extends Error {}

export function parseFrom(text: string): StartPosition {
  if (text === 'earliest' || text === 'beginning') return { kind: 'earliest' };
  if (text === 'latest' || text === 'end') return { kind: 'latest' };
  const [kind, ...restParts] = text.split(':');
  const rest = restParts.join(':');
  if (kind === 'offset' && /^\d{1,19}$/.test(rest)) return { kind: 'offset', offset: BigInt(rest) };
  if (kind === 'last' && /^\d{1,19}$/.test(rest)) return { kind: 'last', count: BigInt(rest) };
  if (kind === 'time') {
    const ms = /^\d+$/.test(rest) ? Number(rest) : Date.parse(rest);
    if (Number.isFinite(ms) && rest !== '') return { kind: 'timestamp', timestampMs: ms };
    throw new TailUsageError(`--from time:${rest}: not an ISO-8601 time (e.g. time:2026-11-26T10:00:00Z) or epoch milliseconds.`);
  }
  throw new TailUsageError(`--from ${text}: use earliest, latest, offset:N, time:ISO-8601 or last:N.`);
}

function payloadText(p: RecordDto['value']): string {
  if (p === null) return 'NULL';
  return p.encoding === 'utf8' ? p.text : `base64:${p.base64}`;
}

/** text: "partition:offset<TAB>key<TAB>value" for people; ndjson and csv as exported files. */
export type LineFormat = 'text' | ExportFormat;

export function formatRecordLine(dto: RecordDto, format: LineFormat): string {
  if (format === 'ndjson') return toNdjsonLine(dto);
  if (format === 'csv') return toCsvRow(dto);
  return `${dto.partition}:${dto.offset}\t${payloadText(dto.key)}\t${payloadText(dto.value)}`;
}

export interface TailOptions {
  topic: string;
  from: StartPosition;
  partitions?: number[];
  maxRecords?: number;
  stopAtEnd: boolean;
  format: LineFormat;
}

export async function runTail(client: ClusterClient, options: TailOptions, out: NodeJS.WritableStream, err: NodeJS.WritableStream): Promise<number> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  // `eventscope tail … | head` closes our stdout: stop reading, quietly.
  out.on('error', stop);
  // CSV rows end in CRLF (RFC 4180) and start with a header row.
  const newline = options.format === 'csv' ? '\r\n' : '\n';
  if (options.format === 'csv') out.write(CSV_HEADER + newline);
  try {
    await client.read({
      topic: options.topic,
      ...(options.partitions ? { partitions: options.partitions } : {}),
      from: options.from,
      follow: !options.stopAtEnd,
      ...(options.maxRecords !== undefined ? { maxRecords: options.maxRecords } : {}),
      signal: controller.signal,
      onStatus: (status) => err.write(`eventscope: ${status.message}\n`),
      onRecords: async (records) => {
        if (records.length === 0) return;
        let chunk = '';
        for (const r of records) chunk += formatRecordLine(toRecordDto(r), options.format) + newline;
        if (!out.write(chunk) && !controller.signal.aborted) await new Promise<void>((resolve) => out.once('drain', resolve));
      },
    });
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    out.off('error', stop);
  }
}
