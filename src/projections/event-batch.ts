// Host side: records → one EventBatch (projection-engine.ts) per message to the sandbox.
// Numbers go in typed columns and every key, value and header value into one buffer, all
// transferred with the message: thousands of events cost one postMessage and no per-event
// structured clone. The sandbox decodes text and JSON itself.
//
// The buffers come back with the sandbox's answer and are used again (recycle): a new 4 MB
// buffer per batch is memory outside V8's heap that V8 answers with full garbage collections —
// measured on 1 M events, allocating the batches' buffers cost more than packing them.
import type { EventBatch } from './projection-engine.ts';

/** A record as the readers deliver it (the shape of src/kafka's KafkaRecord, which this universal folder may not import). */
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

export class EventBatchBuilder {
  private readonly topics: string[] = [];
  private readonly topicIds = new Map<string, number>();
  private lastTopic: string | null = null;
  private lastTopicId = 0;
  private readonly records: SourceRecord[] = [];
  private readonly recordTopics: number[] = [];
  private byteCount = 0;
  private headerCount = 0;
  private readonly pool: BatchBuffers[] = [];
  /** Where each event of a batch in flight is (topic index, partition, offset), kept here: the batch's own columns go to the sandbox. */
  private readonly positionPool: Float64Array[] = [];

  get count(): number {
    return this.records.length;
  }

  /** Whether the batch is as large as a batch gets. */
  get full(): boolean {
    return this.records.length >= BATCH_EVENTS || this.byteCount >= BATCH_BYTES;
  }

  add(topic: string, record: SourceRecord): void {
    let t = topic === this.lastTopic ? this.lastTopicId : this.topicIds.get(topic);
    if (t === undefined) {
      t = this.topics.length;
      this.topics.push(topic);
      this.topicIds.set(topic, t);
    }
    this.lastTopic = topic;
    this.lastTopicId = t;
    this.records.push(record);
    this.recordTopics.push(t);
    this.byteCount += (record.key === null ? 0 : record.key.length) + (record.value === null ? 0 : record.value.length);
    const headers = record.headers;
    if (headers.length > 0) {
      for (const h of headers) this.byteCount += h.value === null ? 0 : h.value.length;
      this.headerCount += headers.length;
    }
  }


  /** A set of buffers with room for n events, h headers and this many bytes: from the pool when one is large enough. */
  private acquire(n: number, h: number, bytes: number): BatchBuffers {
    const ints = 4 * (5 * n + 1 + 2 * h);
    const floats = 8 * 2 * n;
    const shorts = 2 * (n + h);
    const i = this.pool.findIndex((s) => s.bytes.byteLength >= bytes && s.ints.byteLength >= ints && s.floats.byteLength >= floats && s.shorts.byteLength >= shorts);
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
    const recordTopics = this.recordTopics;
    const n = records.length;
    const h = this.headerCount;
    const set = this.acquire(n, h, this.byteCount);
    const partition = new Int32Array(set.ints, 0, n);
    const key = new Int32Array(set.ints, 4 * n, 2 * n);
    const value = new Int32Array(set.ints, 4 * 3 * n, 2 * n);
    const headerIndex = new Int32Array(set.ints, 4 * 5 * n, n + 1);
    const headerValue = new Int32Array(set.ints, 4 * (6 * n + 1), 2 * h);
    const timestamp = new Float64Array(set.floats, 0, n);
    let offset: Float64Array | null = new Float64Array(set.floats, 8 * n, n);
    let offsetText: string[] | null = null;
    const topic = new Uint16Array(set.shorts, 0, n);
    const headerName = new Uint16Array(set.shorts, 2 * n, h);
    const bytes = new Uint8Array(set.bytes, 0, this.byteCount);
    // Positions are kept as numbers, not the records: records held until the sandbox answers
    // outlive the young generation, and copying them there cost more than everything else.
    const positions = this.positionPool.pop() ?? new Float64Array(3 * Math.max(n, BATCH_EVENTS));
    const positionsOf = positions.length >= 3 * n ? positions : new Float64Array(3 * n);
    const headerNames: string[] = [];
    const headerIds = new Map<string, number>();
    let at = 0;
    let hi = 0;
    for (let i = 0; i < n; i++) {
      const r = records[i]!;
      const t = recordTopics[i]!;
      topic[i] = t;
      partition[i] = r.partition;
      timestamp[i] = r.timestampMs;
      const o = Number(r.offset);
      if (offset !== null) {
        if (Number.isSafeInteger(o)) offset[i] = o;
        else {
          // Never seen in practice (2^53 records): every offset as text then.
          offsetText = records.map((x) => x.offset.toString());
          offset = null;
        }
      }
      positionsOf[3 * i] = t;
      positionsOf[3 * i + 1] = r.partition;
      positionsOf[3 * i + 2] = o;
      const k = r.key;
      if (k === null) {
        key[2 * i] = 0;
        key[2 * i + 1] = -1;
      } else {
        key[2 * i] = at;
        key[2 * i + 1] = k.length;
        bytes.set(k, at);
        at += k.length;
      }
      const v = r.value;
      if (v === null) {
        value[2 * i] = 0;
        value[2 * i + 1] = -1;
      } else {
        value[2 * i] = at;
        value[2 * i + 1] = v.length;
        bytes.set(v, at);
        at += v.length;
      }
      headerIndex[i] = hi;
      for (const header of r.headers) {
        let id = headerIds.get(header.key);
        if (id === undefined) {
          id = headerNames.length;
          headerNames.push(header.key);
          headerIds.set(header.key, id);
        }
        headerName[hi] = id;
        const hv = header.value;
        if (hv === null) {
          headerValue[2 * hi] = 0;
          headerValue[2 * hi + 1] = -1;
        } else {
          headerValue[2 * hi] = at;
          headerValue[2 * hi + 1] = hv.length;
          bytes.set(hv, at);
          at += hv.length;
        }
        hi++;
      }
    }
    headerIndex[n] = hi;
    const topics = [...this.topics];
    const texts = offsetText;
    records.length = 0;
    recordTopics.length = 0;
    this.byteCount = 0;
    this.headerCount = 0;
    const batch: EventBatch = { count: n, topics, topic, partition, offset, offsetText, timestamp, bytes, key, value, headerIndex, headerNames, headerName, headerValue };
    let recycled = false;
    return {
      batch,
      transfer: [set.bytes, set.ints, set.floats, set.shorts],
      positionOf: (index) => {
        const i = Math.min(Math.max(index, 0), n - 1);
        return { topic: topics[positionsOf[3 * i]!]!, partition: positionsOf[3 * i + 1]!, offset: texts ? texts[i]! : String(positionsOf[3 * i + 2]) };
      },
      recycle: (buffers) => {
        if (recycled) return;
        recycled = true;
        if (this.pool.length < POOL_SETS) this.pool.push(buffers);
        if (positionsOf === positions && this.positionPool.length < POOL_SETS) this.positionPool.push(positions);
      },
    };
  }
}
