// Reading everything the replay log holds of a topic, for the two ways it is searched: page by
// page with a cursor the caller passes back (log.scanPage: filters that run in the page, e.g. a
// JavaScript expression), and a whole scan with a filter on the host (log.search), which hands
// out matches and progress as it goes and yields after every stored batch.
import type { RecordDto } from '../../common/contract/dto.ts';
import { toRecordDto } from '../../common/codecs/record-dto.ts';
import type { ReplayLog } from './replay-log.ts';

/** In a scan cursor: this partition has been read to its end. */
export const END_OF_PARTITION = '9223372036854775807';
/** Matches are handed out at least this many at a time (the last ones at the end). */
const SEARCH_FLUSH_RECORDS = 2_000;
const SEARCH_PROGRESS_MS = 100;

export interface ScanPage {
  records: RecordDto[];
  /** Per partition the next offset to read, or END_OF_PARTITION: pass it back as `after`. */
  after: Record<string, string>;
  done: boolean;
  /** Records the log holds of the topic. */
  total: number;
}

/**
 * Up to `limit` records after the cursor `after` ({} to start), partition by partition in
 * offset order; keys, values and headers cut to previewBytes.
 */
export function scanPage(
  log: ReplayLog,
  cluster: string,
  topic: string,
  after: Readonly<Record<string, string>>,
  limit: number,
  previewBytes: number,
): ScanPage {
  const held = log.topics(cluster).find((t) => t.topic === topic)?.partitions ?? [];
  const next = { ...after };
  const records: RecordDto[] = [];
  for (const partition of held) {
    if (records.length >= limit) break;
    const wanted = limit - records.length;
    const page = log.read({ cluster, topic, partition }, BigInt(next[partition] ?? '0'), wanted);
    for (const r of page) records.push(toRecordDto(r, previewBytes));
    // A partition that gave less than asked is finished: mark it past its end.
    next[partition] = page.length < wanted ? END_OF_PARTITION : (page[page.length - 1]!.offset + 1n).toString();
  }
  return {
    records,
    after: next,
    done: held.every((p) => next[p] === END_OF_PARTITION),
    total: log.recordCount(cluster, topic),
  };
}

export type SearchEvent =
  { type: 'progress'; scanned: number; total: number; matched: number } | { type: 'matches'; records: RecordDto[] };

/**
 * Tests every record the log holds of a topic against `matches` (on its DTO, values cut to
 * previewBytes, as shown in a list). Emits matches in groups and progress at most every
 * 100 ms, then a last progress; stops quietly once `signal` aborts.
 */
export async function searchLog(
  log: ReplayLog,
  cluster: string,
  topic: string,
  matches: (record: RecordDto) => boolean,
  previewBytes: number,
  emit: (event: SearchEvent) => void,
  signal: AbortSignal,
): Promise<void> {
  const total = log.recordCount(cluster, topic);
  let scanned = 0;
  let matched = 0;
  let pending: RecordDto[] = [];
  let lastProgress = 0;
  for (const batch of log.scan(cluster, topic)) {
    if (signal.aborted) return;
    for (const r of batch) {
      const dto = toRecordDto(r, previewBytes);
      if (matches(dto)) pending.push(dto);
    }
    scanned += batch.length;
    if (pending.length >= SEARCH_FLUSH_RECORDS) {
      matched += pending.length;
      emit({ type: 'matches', records: pending });
      pending = [];
    }
    if (Date.now() - lastProgress > SEARCH_PROGRESS_MS) {
      lastProgress = Date.now();
      emit({ type: 'progress', scanned, total, matched: matched + pending.length });
    }
    // Let other calls (and the cancel) through after every stored batch (up to 4,096
    // records; a filter costs at most a few µs a record, regexes included: RE2).
    await new Promise((resolve) => setImmediate(resolve));
  }
  matched += pending.length;
  if (pending.length > 0) emit({ type: 'matches', records: pending });
  emit({ type: 'progress', scanned, total, matched });
}
