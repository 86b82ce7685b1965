// Reading records from chosen partitions at chosen positions, without ever joining a
// consumer group or committing. The interface the tail, the replay log and the CLI use.
import type { TimestampType } from '../../common/contract/dto.ts';
import type { RecordBytes } from '../../common/codecs/record-dto.ts';

export type StartPosition =
  | { kind: 'earliest' }
  | { kind: 'latest' }
  | { kind: 'offset'; offset: bigint }
  | { kind: 'timestamp'; timestampMs: number }
  /** The last N records of each partition. */
  | { kind: 'last'; count: bigint };

/** A header of a record: its key, and its value's bytes (null for none). */
export type RecordHeader = RecordBytes['headers'][number];

/** Who set a record's timestamp: the producer (CreateTime) or the broker on append (LogAppendTime), as the topic's message.timestamp.type says. The contract's type. */
export type { TimestampType };

/**
 * A record as read: the universal record with its bytes (src/common/codecs/record-dto.ts), which
 * the replay log gives too. Its timestampType is known for records read from Kafka and not kept
 * by the replay log (absent there).
 */
export type KafkaRecord = RecordBytes;

/**
 * read_committed (the default, as Kafka's tools): records of aborted transactions are skipped and
 * reading to the end stops at the last stable offset. read_uncommitted: every record, open and
 * aborted transactions included, up to the high watermark.
 */
export type Isolation = 'read_committed' | 'read_uncommitted';

export interface ReadRequest {
  topic: string;
  isolation?: Isolation;
  /** Default: every partition of the topic. */
  partitions?: number[];
  from: StartPosition;
  /** Exact start offsets for some partitions (resuming a paused tail); they win over `from`. */
  startAt?: Map<number, bigint>;
  /** false: stop at the end offsets seen when reading starts; true: keep reading new records. */
  follow: boolean;
  /** Stop after this many records in all. */
  maxRecords?: number;
  signal?: AbortSignal;
  /**
   * Called per fetched partition batch, in offset order within a partition; awaited
   * (backpressure). span is the offset range [from, to) the fetch covered, gaps (compaction,
   * transaction markers, aborted records) included; records may be empty when only gaps moved.
   */
  onRecords(records: KafkaRecord[], span: FetchedSpan): void | Promise<void>;
  /** Where reading starts and (read_committed) where the partitions end, once known, before any record. */
  onStart?(offsets: StartOffsets): void;
  /**
   * Outages (the cluster cannot be read; retrying), recoveries, and notices (something the
   * reader should know, e.g. a partition's log was truncated under it), with a message in words.
   */
  onStatus?(status: { phase: 'outage' | 'recovered' | 'notice'; message: string }): void;
  /**
   * A partition's end offset as the broker's latest Fetch answer gave it (read_committed: the
   * last stable offset, else the high watermark): how far there is to read right now. Called
   * per answer, before the records of that answer are handed over (so it may run ahead of
   * onRecords). Readers that cannot know it (a capture) do not call it.
   */
  onEndOffset?(partition: number, endOffset: bigint): void;
  /**
   * While following: how often (ms) the topic's partitions and leaders are looked up again, so
   * that partitions added to the topic are picked up; default 5 s. Tests shorten it rather than
   * sleep past the default. Readers without a cluster (a capture) ignore it.
   */
  metadataRefreshMs?: number;
}

export interface FetchedSpan {
  partition: number;
  from: bigint;
  to: bigint;
}

export interface ReadSummary {
  records: number;
  /** Per partition, the offset the next read would start at. */
  nextOffsets: Map<number, bigint>;
}

/** The offsets where reading starts for a position, per partition (ListOffsets by time for timestamps). */
export interface StartOffsets {
  start: Map<number, bigint>;
  /** End offsets (read_committed: the last stable offset) at the time of the call. */
  end: Map<number, bigint>;
  /** Where a start was moved from what was asked (below the log start, past the end, no record that late), in words. */
  notices?: string[];
}
