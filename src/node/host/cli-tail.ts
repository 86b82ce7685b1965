// `eventscope tail`: records of a topic, one per line, from a chosen position. Reads with
// the partition fetcher (no consumer group, no commits). Follows new records unless --end
// or --max says when to stop. Text and NDJSON lines go from the fetched bytes straight into one
// output buffer per fetched batch (src/common/export/record-lines.ts); CSV still goes through RecordDto.
import { isUtf8 } from 'node:buffer';
import type { RecordDto } from '../../common/contract/dto.ts';
import { toRecordDto } from '../../common/codecs/record-dto.ts';
import { CSV_HEADER, toCsvRow, toNdjsonLine, type ExportFormat } from '../../common/export/record-export.ts';
import { createRecordLineEncoder } from '../../common/export/record-lines.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import type { ClusterClient, Isolation, StartPosition } from '../kafka/index.ts';
import type { StartOffsets } from '../kafka/partition-reader.ts';
import { createProgressLine } from './cli-progress.ts';

export class TailUsageError extends Error {}

export function parseFrom(text: string): StartPosition {
  if (text === 'earliest' || text === 'beginning') return { kind: 'earliest' };
  if (text === 'latest' || text === 'end') return { kind: 'latest' };
  const [kind, ...restParts] = text.split(':');
  const rest = restParts.join(':');
  if (kind === 'offset' && /^\d{1,19}$/.test(rest)) return { kind: 'offset', offset: BigInt(rest) };
  if (kind === 'last' && /^\d{1,19}$/.test(rest)) return { kind: 'last', count: BigInt(rest) };
  if (kind === 'time') {
    // Date.parse takes almost anything ("-5" is a day in 2001): the text form must start
    // with an ISO-8601 date. Kafka's timestamps start at 1970 (negative ones are its special
    // values, answered with an unrelated error), so an earlier time is said here.
    const ms = /^\d{1,16}$/.test(rest) ? Number(rest) : /^[+-]?\d{4,6}-\d\d-\d\d/.test(rest) ? Date.parse(rest) : NaN;
    if (!Number.isSafeInteger(ms))
      throw new TailUsageError(
        `--from time:${rest}: not an ISO-8601 time (e.g. time:2026-11-26T10:00:00Z) or epoch milliseconds.`,
      );
    if (ms < 0)
      throw new TailUsageError(
        `--from time:${rest}: that is before 1970-01-01T00:00:00Z, where Kafka's timestamps start. Use --from earliest to read from the start.`,
      );
    return { kind: 'timestamp', timestampMs: ms };
  }
  throw new TailUsageError(`--from ${text}: use earliest, latest, offset:N, time:ISO-8601 or last:N.`);
}

function payloadText(p: RecordDto['value']): string {
  if (p === null) return 'NULL';
  return p.encoding === 'utf8' ? p.text : `base64:${p.base64}`;
}

/** text: "partition:offset<TAB>key<TAB>value" for people; ndjson and csv as exported files. */
export type LineFormat = 'text' | ExportFormat;

/** One record's line (without the newline). The reference for the byte encoder, which must write the same. */
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
  /** Default read_committed. */
  isolation?: Isolation;
  /**
   * Show a progress line on `err` when it is a terminal (cli-progress.ts); never when it is not.
   * For reads whose records go elsewhere than the terminal (a file, a pipe).
   */
  progress?: boolean;
}

const lateErrorsIgnored = new WeakSet<object>();

/**
 * An error the output raises after runTail has judged it (a stream that failed once may report
 * again on its way down) would otherwise be an unhandled 'error' event: a stack trace and exit 1
 * after a quiet `| head`. One listener per stream, however many reads it serves.
 */
function ignoreLateWriteErrors(out: NodeJS.WritableStream): void {
  if (lateErrorsIgnored.has(out)) return;
  lateErrorsIgnored.add(out);
  out.on('error', () => undefined);
}

export async function runTail(
  client: ClusterClient,
  options: TailOptions,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
): Promise<number> {
  const controller = new AbortController();
  const stop = (): void => controller.abort();
  /** A write that failed: a closed pipe (`… | head`) ends the read quietly, as kcat does; anything else is an error. */
  let writeError: NodeJS.ErrnoException | null = null;
  const onWriteError = (error: NodeJS.ErrnoException): void => {
    writeError ??= error;
    stop();
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  out.on('error', onWriteError);
  ignoreLateWriteErrors(out);
  /**
   * Waits until the output takes more, or can never take more (closed, failed) or the read is
   * stopped: waiting for 'drain' alone hung forever once the reader of a pipe had gone.
   */
  const writable = (): Promise<void> =>
    new Promise<void>((resolve) => {
      const done = (): void => {
        out.off('drain', done);
        out.off('close', done);
        out.off('error', done);
        controller.signal.removeEventListener('abort', done);
        resolve();
      };
      if (controller.signal.aborted) return resolve();
      out.once('drain', done);
      out.once('close', done);
      out.once('error', done);
      controller.signal.addEventListener('abort', done, { once: true });
    });
  // CSV rows end in CRLF (RFC 4180) and start with a header row.
  const newline = options.format === 'csv' ? '\r\n' : '\n';
  if (options.format === 'csv') out.write(CSV_HEADER + newline);
  // Native UTF-8 check and no zero-filling: the encoder's two costs that Node can take over.
  const encoder =
    options.format === 'csv'
      ? null
      : createRecordLineEncoder(options.format, { isUtf8, allocate: (size) => Buffer.allocUnsafe(size) });
  const progress = options.progress
    ? createProgressLine(err, { topic: options.topic, toEnd: options.stopAtEnd })
    : null;
  try {
    await client.read({
      topic: options.topic,
      ...(options.isolation ? { isolation: options.isolation } : {}),
      ...(options.partitions ? { partitions: options.partitions } : {}),
      from: options.from,
      follow: !options.stopAtEnd,
      ...(options.maxRecords !== undefined ? { maxRecords: options.maxRecords } : {}),
      signal: controller.signal,
      ...(progress ? { onStart: (offsets: StartOffsets) => progress.started(offsets) } : {}),
      onStatus: (status) =>
        progress ? progress.say(`eventscope: ${status.message}\n`) : err.write(`eventscope: ${status.message}\n`),
      onRecords: async (records, span) => {
        if (controller.signal.aborted) return;
        progress?.read(records, span);
        if (records.length === 0) return;
        if (encoder) {
          const bytes = encoder.encode(records);
          // The buffer goes back to the encoder once written: at once when nothing is left
          // buffered (stdout to a file or /dev/null writes synchronously), else on the callback.
          const ready = out.write(bytes, () => encoder.release(bytes));
          if ((out as { writableLength?: number }).writableLength === 0) encoder.release(bytes);
          if (!ready) await writable();
          return;
        }
        let chunk = '';
        for (const r of records) chunk += formatRecordLine(toRecordDto(r), options.format) + newline;
        if (!out.write(chunk)) await writable();
      },
    });
    // Judge the output only once what was written has gone out: a write error (a pipe whose
    // reader has gone) surfaces a tick after the write, possibly after the read has ended.
    await new Promise<void>((resolve) =>
      (out as { destroyed?: boolean }).destroyed ? resolve() : out.write('', () => resolve()),
    );
    const failed = writeError as NodeJS.ErrnoException | null;
    if (failed && failed.code !== 'EPIPE')
      throw new EventscopeError(
        'INTERNAL',
        `Cannot write the output: ${failed.message}. Nothing after that point was written.`,
      );
    return 0;
  } finally {
    progress?.finish();
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    out.off('error', onWriteError);
  }
}
