// Host side: records → one EventBatch (projection-engine.ts) per message to the sandbox.
// Numbers go in typed columns and every key, value and header value into one buffer, all
// transferred with the message: thousands of events cost one postMessage and no per-event
// structured clone. The sandbox decodes text and JSON itself.
//
// The buffers come back with the sandbox's answer and are used again (recycle): a new 4 MB
// buffer per batch is memory outside V8's heap that V8 answers with full garbage collections —
// measured on 1 M events, allocating the batches' buffers cost more than packing them.
//
// Records come one by one (add: the cluster's readers), or as pages of columns (addPage: the
// replay log's rows, unpacked with no object per record). A page's records in a batch are
// copied with one copy of their region, lengths and timestamps between them blanked to spaces
// by the page's maker: on 1 M events the host's share went from 0.8 s to 0.4 s.
import type { EventBatch } from './projection-engine.ts';

/** A record as the readers deliver it (the shape of src/node/kafka's KafkaRecord, which this universal folder may not import). */
export interface SourceRecord {
  partition: number;
  offset: bigint;
  timestampMs: number;
  key: Uint8Array | null;
  value: Uint8Array | null;
  headers: { key: string; value: Uint8Array | null }[];
}

/** Events per batch, and bytes per batch: whichever comes first ends it. */
export const BATCH_EVENTS = 8_192;
export const BATCH_BYTES = 4 * 1024 * 1024;

/**
 * The four buffers a batch's columns are views of: bytes (keys, values, header values), 32-bit
 * integers (partition, key and value spans, header index, header value spans), 64-bit floats
 * (timestamps, offsets) and 16-bit integers (topic and header name indexes).
 */
export interface BatchBuffers {
  bytes: ArrayBuffer;
  ints: ArrayBuffer;
  floats: ArrayBuffer;
  shorts: ArrayBuffer;
}

/** Sets of buffers kept for reuse: the batches in flight, and one being filled. */
const POOL_SETS = 6;
/** Header slots a pooled buffer set has room for, per event. */
const HEADERS_PER_EVENT = 4;

export interface BuiltBatch {
  batch: EventBatch;
  transfer: ArrayBuffer[];
  /** Who is at an index of the batch (for messages about a batch that did not finish). */
  positionOf(index: number): { topic: string; partition: number; offset: string };
  /** Hands the batch's buffers back for reuse, once the sandbox has returned them. */
  recycle(buffers: BatchBuffers): void;
}

/**
 * A stored batch's records (src/node/log/record-blob.ts) as columns over its unpacked bytes: no object, view or BigInt per
 * record (a projection replay reads the log this way: unpacking a million records into
 * KafkaRecords cost as much as decompressing them). Byte spans are [start, length] pairs into
 * `bytes` (length -1: null); record i's packed bytes are [recordStart[i], recordStart[i + 1]).
 */
export interface RecordColumns {
  count: number;
  /** The packed records (decompressed when they were stored compressed): a buffer of its own. */
  bytes: Uint8Array;
  offsetDelta: Uint32Array;
  timestamp: Float64Array;
  key: Int32Array;
  value: Int32Array;
  recordStart: Int32Array;
  /** Headers of record i: [headerIndex[i], headerIndex[i + 1]). */
  headerIndex: Int32Array;
  headerKey: string[];
  headerValue: Int32Array;
}

/**
 * A page of one partition's records as columns over its bytes: the replay log's read path
 * (node/log-sources.ts), no object, view or BigInt per record. Records [start, end) of the
 * columns are the page's. Spans are [start, length] pairs into bytes (length -1: null); record
 * i's bytes are [recordStart[i], recordStart[i + 1]). A batch copies a page's records with one
 * copy of their whole region, so every byte of it outside the spans of keys, values and header
 * values must be a space (the sandbox checks a batch's bytes for ASCII or UTF-8 at once).
 */
export interface RecordPage extends Omit<RecordColumns, 'count'> {
  partition: number;
  start: number;
  end: number;
  /** Offsets as numbers when every one is a safe integer, else null (then baseOffset + offsetDelta). */
  offset: Float64Array | null;
  baseOffset: bigint;
}

/** Offset i of a page, exactly. */
export function pageOffset(page: RecordPage, i: number): bigint {
  return page.offset !== null ? BigInt(page.offset[i]!) : page.baseOffset + BigInt(page.offsetDelta[i]!);
}

// A batch's byte spans (keys, values and header values alike) are [start, length] pairs, slot j
// at [2j, 2j + 1], with [0, -1] for null. One writer for each way a span gets there, so that
// the three kinds of span cannot drift apart: plain functions, no closure per batch or record.

/** Copies src (a key, value or header value; null: none) to bytes at `at`, writes its span to slot j of spans; answers where the next one goes. */
function putBytes(bytes: Uint8Array, at: number, spans: Int32Array, j: number, src: Uint8Array | null): number {
  if (src === null) {
    spans[2 * j] = 0;
    spans[2 * j + 1] = -1;
    return at;
  }
  spans[2 * j] = at;
  spans[2 * j + 1] = src.length;
  bytes.set(src, at);
  return at + src.length;
}

/** Slot i of a page's spans, moved by d (where the page's region landed in the batch), into slot j of spans. */
function putMovedSpan(spans: Int32Array, j: number, from: Int32Array, i: number, d: number): void {
  const length = from[2 * i + 1]!;
  spans[2 * j] = length < 0 ? 0 : from[2 * i]! + d;
  spans[2 * j + 1] = length;
}

export class EventBatchBuilder {
  private readonly topics: string[] = [];
  private readonly topicIds = new Map<string, number>();
  private lastTopic: string | null = null;
  private lastTopicId = 0;
  private events = 0;
  /** Records added one by one (add), copied into the batch one by one. */
  private readonly records: SourceRecord[] = [];
  /**
   * The batch's runs in order: records [from, to) of a page (addPage), or of `records` (page
   * null). A run of records added one by one grows while their topic stays the same.
   */
  private readonly runPage: (RecordPage | null)[] = [];
  private readonly runTopic: number[] = [];
  private readonly runFrom: number[] = [];
  private readonly runTo: number[] = [];
  /** The pages in the batch and the region of each that it holds: copied with one copy each. */
  private readonly pages: RecordPage[] = [];
  private readonly pageFrom: number[] = [];
  private readonly pageTo: number[] = [];
  private byteCount = 0;
  private headerCount = 0;
  private readonly pool: BatchBuffers[] = [];
  /** Where each event of a batch in flight is (topic index, partition, offset), kept here: the batch's own columns go to the sandbox. */
  private readonly positionPool: Float64Array[] = [];

  get count(): number {
    return this.events;
  }

  /** Whether the batch is as large as a batch gets. */
  get full(): boolean {
    return this.events >= BATCH_EVENTS || this.byteCount >= BATCH_BYTES;
  }

  private topicId(topic: string): number {
    let t = topic === this.lastTopic ? this.lastTopicId : this.topicIds.get(topic);
    if (t === undefined) {
      t = this.topics.length;
      this.topics.push(topic);
      this.topicIds.set(topic, t);
    }
    this.lastTopic = topic;
    this.lastTopicId = t;
    return t;
  }

  add(topic: string, record: SourceRecord): void {
    const t = this.topicId(topic);
    const r = this.runPage.length - 1;
    if (r >= 0 && this.runPage[r] === null && this.runTopic[r] === t) this.runTo[r]!++;
    else {
      this.runPage.push(null);
      this.runTopic.push(t);
      this.runFrom.push(this.records.length);
      this.runTo.push(this.records.length + 1);
    }
    this.records.push(record);
    this.events++;
    this.byteCount += (record.key === null ? 0 : record.key.length) + (record.value === null ? 0 : record.value.length);
    const headers = record.headers;
    if (headers.length > 0) {
      for (const h of headers) this.byteCount += h.value === null ? 0 : h.value.length;
      this.headerCount += headers.length;
    }
  }

  /**
   * Adds records [from, to) of a page, as many as fit (at least one); answers how many. A page's
   * records must come in order, each run where the last one of that page ended.
   */
  addPage(topic: string, page: RecordPage, from: number, to: number): number {
    const t = this.topicId(topic);
    const starts = page.recordStart;
    let p = this.pages.length - 1;
    while (p >= 0 && this.pages[p] !== page) p--;
    if (p < 0) {
      p = this.pages.length;
      this.pages.push(page);
      this.pageFrom.push(starts[from]!);
      this.pageTo.push(starts[from]!);
    }
    // What fits: BATCH_EVENTS events, and bytes until BATCH_BYTES is passed.
    const last = Math.min(to, from + Math.max(1, BATCH_EVENTS - this.events));
    let end = from + 1;
    while (end < last && this.byteCount + starts[end]! - starts[from]! < BATCH_BYTES) end++;
    this.runPage.push(page);
    this.runTopic.push(t);
    this.runFrom.push(from);
    this.runTo.push(end);
    this.pageTo[p] = starts[end]!;
    this.events += end - from;
    this.byteCount += starts[end]! - starts[from]!;
    this.headerCount += page.headerIndex[end]! - page.headerIndex[from]!;
    return end - from;
  }

  /** A set of buffers with room for n events, h headers and this many bytes: from the pool when one is large enough. */
  private acquire(n: number, h: number, bytes: number): BatchBuffers {
    const ints = 4 * (5 * n + 1 + 2 * h);
    const floats = 8 * 2 * n;
    const shorts = 2 * (n + h);
    const i = this.pool.findIndex(
      (s) =>
        s.bytes.byteLength >= bytes &&
        s.ints.byteLength >= ints &&
        s.floats.byteLength >= floats &&
        s.shorts.byteLength >= shorts,
    );
    if (i >= 0) return this.pool.splice(i, 1)[0]!;
    const events = Math.max(n, BATCH_EVENTS);
    const headers = Math.max(h, HEADERS_PER_EVENT * BATCH_EVENTS);
    return {
      bytes: new ArrayBuffer(Math.max(bytes, BATCH_BYTES + 256 * 1024)),
      ints: new ArrayBuffer(4 * (5 * events + 1 + 2 * headers)),
      floats: new ArrayBuffer(8 * 2 * events),
      shorts: new ArrayBuffer(2 * (events + headers)),
    };
  }

  /** The batch (its buffers to transfer) and who is in it; empties the builder. */
  take(): BuiltBatch {
    const records = this.records;
    const n = this.events;
    const h = this.headerCount;
    const set = this.acquire(n, h, this.byteCount);
    const partition = new Int32Array(set.ints, 0, n);
    const key = new Int32Array(set.ints, 4 * n, 2 * n);
    const value = new Int32Array(set.ints, 4 * 3 * n, 2 * n);
    const headerIndex = new Int32Array(set.ints, 4 * 5 * n, n + 1);
    const headerValue = new Int32Array(set.ints, 4 * (6 * n + 1), 2 * h);
    const timestamp = new Float64Array(set.floats, 0, n);
    let offset: Float64Array | null = new Float64Array(set.floats, 8 * n, n);
    const topic = new Uint16Array(set.shorts, 0, n);
    const headerName = new Uint16Array(set.shorts, 2 * n, h);
    const bytes = new Uint8Array(set.bytes, 0, this.byteCount);
    // Positions are kept as numbers, not the records: records held until the sandbox answers
    // outlive the young generation, and copying them there cost more than everything else.
    const positions = this.positionPool.pop() ?? new Float64Array(3 * Math.max(n, BATCH_EVENTS));
    const positionsOf = positions.length >= 3 * n ? positions : new Float64Array(3 * n);
    const headerNames: string[] = [];
    const headerIds = new Map<string, number>();
    const headerId = (name: string): number => {
      let id = headerIds.get(name);
      if (id === undefined) {
        id = headerNames.length;
        headerNames.push(name);
        headerIds.set(name, id);
      }
      return id;
    };
    // Each page's region in one copy; its spans move by where the region lands.
    let at = 0;
    const pages = this.pages;
    const shift: number[] = [];
    for (let p = 0; p < pages.length; p++) {
      const from = this.pageFrom[p]!;
      const to = this.pageTo[p]!;
      bytes.set(pages[p]!.bytes.subarray(from, to), at);
      shift.push(at - from);
      at += to - from;
    }
    let e = 0;
    let hi = 0;
    for (let run = 0; run < this.runPage.length; run++) {
      const t = this.runTopic[run]!;
      const page = this.runPage[run]!;
      const to = this.runTo[run]!;
      if (page !== null) {
        const d = shift[pages.indexOf(page)]!;
        const pageOffsets = page.offset;
        if (pageOffsets === null) offset = null;
        const pKey = page.key;
        const pValue = page.value;
        const pHeaders = page.headerIndex;
        const pTimestamp = page.timestamp;
        const pPartition = page.partition;
        for (let i = this.runFrom[run]!; i < to; i++, e++) {
          topic[e] = t;
          partition[e] = pPartition;
          timestamp[e] = pTimestamp[i]!;
          const o = pageOffsets === null ? -1 : pageOffsets[i]!;
          if (offset !== null) offset[e] = o;
          positionsOf[3 * e] = t;
          positionsOf[3 * e + 1] = pPartition;
          positionsOf[3 * e + 2] = o;
          putMovedSpan(key, e, pKey, i, d);
          putMovedSpan(value, e, pValue, i, d);
          headerIndex[e] = hi;
          for (let ph = pHeaders[i]!, end = pHeaders[i + 1]!; ph < end; ph++, hi++) {
            headerName[hi] = headerId(page.headerKey[ph]!);
            putMovedSpan(headerValue, hi, page.headerValue, ph, d);
          }
        }
        continue;
      }
      for (let i = this.runFrom[run]!; i < to; i++, e++) {
        const r = records[i]!;
        topic[e] = t;
        partition[e] = r.partition;
        timestamp[e] = r.timestampMs;
        const o = Number(r.offset);
        // Never seen in practice (2^53 records): every offset as text then (below).
        if (!Number.isSafeInteger(o)) offset = null;
        else if (offset !== null) offset[e] = o;
        positionsOf[3 * e] = t;
        positionsOf[3 * e + 1] = r.partition;
        positionsOf[3 * e + 2] = o;
        at = putBytes(bytes, at, key, e, r.key);
        at = putBytes(bytes, at, value, e, r.value);
        headerIndex[e] = hi;
        for (const header of r.headers) {
          headerName[hi] = headerId(header.key);
          at = putBytes(bytes, at, headerValue, hi, header.value);
          hi++;
        }
      }
    }
    headerIndex[n] = hi;
    const offsetText = offset === null ? this.offsetTexts() : null;
    const topics = [...this.topics];
    const texts = offsetText;
    this.clear();
    const batch: EventBatch = {
      count: n,
      topics,
      topic,
      partition,
      offset,
      offsetText,
      timestamp,
      bytes,
      key,
      value,
      headerIndex,
      headerNames,
      headerName,
      headerValue,
    };
    let recycled = false;
    return {
      batch,
      transfer: [set.bytes, set.ints, set.floats, set.shorts],
      positionOf: (index) => {
        const i = Math.min(Math.max(index, 0), n - 1);
        return {
          topic: topics[positionsOf[3 * i]!]!,
          partition: positionsOf[3 * i + 1]!,
          offset: texts ? texts[i]! : String(positionsOf[3 * i + 2]),
        };
      },
      recycle: (buffers) => {
        if (recycled) return;
        recycled = true;
        if (this.pool.length < POOL_SETS) this.pool.push(buffers);
        if (positionsOf === positions && this.positionPool.length < POOL_SETS) this.positionPool.push(positions);
      },
    };
  }

  /** Every event's offset as text, in batch order (when one is not a safe integer). */
  private offsetTexts(): string[] {
    const out: string[] = [];
    for (let run = 0; run < this.runPage.length; run++) {
      const page = this.runPage[run]!;
      for (let i = this.runFrom[run]!; i < this.runTo[run]!; i++)
        out.push(page === null ? this.records[i]!.offset.toString() : pageOffset(page, i).toString());
    }
    return out;
  }

  private clear(): void {
    this.records.length = 0;
    this.runPage.length = 0;
    this.runTopic.length = 0;
    this.runFrom.length = 0;
    this.runTo.length = 0;
    this.pages.length = 0;
    this.pageFrom.length = 0;
    this.pageTo.length = 0;
    this.events = 0;
    this.byteCount = 0;
    this.headerCount = 0;
  }
}
