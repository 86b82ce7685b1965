// Partitions to replay, read straight from a replay log (a capture file): where reading starts
// and ends comes from the log's offline cluster (the same positions as browsing it), the records
// from the log in pages of several stored rows. A cluster's reader hands a partition over in
// pages of 5,000 records, which cuts most of the log's rows (4,096 records, compressed) in two
// and decompresses them twice; pages of whole rows decompress each once (measured on 1 M
// events: the host read half as much). Reading the log is synchronous, so nothing is read ahead.
// A replay reads pages of columns instead (nextPage: a row at a time, no object, view or BigInt
// per record; event-batch.ts copies them whole); next() stays for readers that want records.
import type { ClusterClient } from '../kafka/index.ts';
import type { ReplayLog } from '../log/replay-log.ts';
import type { RecordColumns } from '../log/record-blob.ts';
import { pageOffset, type RecordPage } from '../../common/projections/event-batch.ts';
import type { PartitionSource } from '../../common/projections/event-order.ts';
import { cutAtStop, type ClusterSourceOptions, type ReplayStop } from './cluster-sources.ts';
import { EventscopeError } from '../../common/contract/errors.ts';

/** Records per page: four rows of the log as it stores them. */
const PAGE_RECORDS = 4_096;

export async function logPartitionSources(
  offline: ClusterClient,
  log: ReplayLog,
  logCluster: string,
  topics: string[],
  partitions: number[] | null,
  options: Pick<ClusterSourceOptions, 'from' | 'to'>,
): Promise<{ sources: PartitionSource[]; close(): void }> {
  const sources: PartitionSource[] = [];
  const stop = options.to ?? null;
  for (const topic of topics) {
    const held = (await offline.describeTopic(topic)).partitions.map((p) => p.partition).sort((a, b) => a - b);
    const chosen = partitions ?? held;
    const missing = chosen.filter((p) => !held.includes(p));
    if (missing.length > 0)
      throw new EventscopeError(
        'NOT_FOUND',
        `"${topic}" has no partition ${missing.join(', ')} (it has ${held.length === 0 ? 'none' : `${held[0]}–${held[held.length - 1]}`}).`,
        'partition',
      );
    const { start, end } = await offline.startOffsets(topic, chosen, options.from);
    for (const partition of chosen) {
      let at = start.get(partition)!;
      const until = end.get(partition)!;
      let done = false;
      const key = { cluster: logCluster, topic, partition };
      sources.push({
        topic,
        partition,
        nextPage: async () => {
          // A row at a time, as columns: no object per record (replay.ts packs batches from them).
          if (done || at >= until) return null;
          const row = log.readRowColumns(key, at);
          if (row === null) {
            done = true;
            return null;
          }
          const from = at;
          at = row.lastOffset + 1n;
          const page = pageOf(partition, row.baseOffset, row.columns);
          let start = 0;
          const fromN = Number(from);
          while (
            start < page.end &&
            (page.offset !== null ? page.offset[start]! < fromN : pageOffset(page, start) < from)
          )
            start++;
          const cut = pageEnd(page, start, until, stop);
          page.start = start;
          page.end = cut.end;
          if (cut.reachedStop) done = true;
          return page;
        },
        next: async () => {
          if (done || at >= until) return null;
          let page = log.read({ cluster: logCluster, topic, partition }, at, PAGE_RECORDS);
          if (page.length === 0) {
            done = true;
            return null;
          }
          at = page[page.length - 1]!.offset + 1n;
          if (page[page.length - 1]!.offset >= until) page = page.filter((r) => r.offset < until);
          const { keep, reachedStop } = cutAtStop(page, stop);
          if (reachedStop) done = true;
          return keep === page.length ? page : page.slice(0, keep);
        },
      });
    }
  }
  return { sources, close: () => undefined };
}

/**
 * A stored row's columns as a page (all of its records) for a replay: offsets as numbers when
 * they are safe integers, and the bytes between keys, values and header values (lengths,
 * offsets, timestamps, header names) overwritten with spaces: a batch copies a page's region
 * whole, and the sandbox then finds it ASCII (or UTF-8) with one check (event-batch.ts).
 */
function pageOf(partition: number, baseOffset: bigint, c: RecordColumns): RecordPage {
  const n = c.count;
  const base = Number(baseOffset);
  let offset: Float64Array | null = null;
  if (Number.isSafeInteger(base) && (n === 0 || Number.isSafeInteger(base + c.offsetDelta[n - 1]!))) {
    offset = new Float64Array(n);
    for (let i = 0; i < n; i++) offset[i] = base + c.offsetDelta[i]!;
  }
  const b = c.bytes;
  const view = new DataView(b.buffer, b.byteOffset, b.byteLength);
  let at = 0;
  // Four spaces at a time: the gaps are 4-24 bytes (a byte at a time cost 5% of the host's time).
  const keep = (start: number, length: number): void => {
    if (length <= 0) return;
    for (; at + 4 <= start; at += 4) view.setUint32(at, 0x20202020);
    for (; at < start; at++) b[at] = 32;
    at = start + length;
  };
  for (let i = 0; i < n; i++) {
    keep(c.key[2 * i]!, c.key[2 * i + 1]!);
    keep(c.value[2 * i]!, c.value[2 * i + 1]!);
    for (let h = c.headerIndex[i]!; h < c.headerIndex[i + 1]!; h++)
      keep(c.headerValue[2 * h]!, c.headerValue[2 * h + 1]!);
  }
  for (; at < b.length; at++) b[at] = 32;
  return {
    partition,
    start: 0,
    end: n,
    bytes: b,
    offset,
    baseOffset,
    offsetDelta: c.offsetDelta,
    timestamp: c.timestamp,
    key: c.key,
    value: c.value,
    recordStart: c.recordStart,
    headerIndex: c.headerIndex,
    headerKey: c.headerKey,
    headerValue: c.headerValue,
  };
}

/** Where a page's records from `start` on end: at `until` (exclusive), or at the stop (cutAtStop's rule). */
function pageEnd(
  page: RecordPage,
  start: number,
  until: bigint,
  stop: ReplayStop | null,
): { end: number; reachedStop: boolean } {
  // Compared as numbers when the page's offsets are (a BigInt per record otherwise): a bound past
  // 2^53 rounds, yet stays above every safe offset, as it should.
  const offsets = page.offset;
  const untilN = Number(until);
  const stopN = stop?.kind === 'offset' ? Number(stop.offset) : NaN;
  for (let i = start; i < page.end; i++) {
    const n = offsets === null ? NaN : offsets[i]!;
    const offset = offsets === null ? pageOffset(page, i) : null;
    if (offset === null ? n >= untilN : offset >= until) return { end: i, reachedStop: false };
    if (!stop) continue;
    if (stop.kind === 'time') {
      if (page.timestamp[i]! > stop.timestampMs) return { end: i, reachedStop: true };
      continue;
    }
    if (offset === null ? n > stopN : offset > stop.offset) return { end: i, reachedStop: true };
    if (offset === null ? n === stopN : offset === stop.offset) return { end: i + 1, reachedStop: true };
  }
  return { end: page.end, reachedStop: false };
}
