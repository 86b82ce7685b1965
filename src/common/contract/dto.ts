// JSON-safe data transfer objects. Everything here survives JSON.parse(JSON.stringify(x)):
// offsets and counts that can exceed 2^53 are decimal strings, times are epoch milliseconds.
import { z } from 'zod';
import { parseBootstrap } from './bootstrap.ts';
import { FilePath, Int64String, OffsetsByPartition } from './fields.ts';

export { Int64String } from './fields.ts';

export const Bootstrap = z.string().superRefine((value, ctx) => {
  const parsed = parseBootstrap(value);
  if (!parsed.ok) ctx.addIssue({ code: 'custom', message: parsed.error });
});

export const SaslMechanism = z.enum(['plain', 'scram-sha-256', 'scram-sha-512']);
export type SaslMechanism = z.infer<typeof SaslMechanism>;

/** A connection as saved, without its secrets. */
export const ConnectionProfile = z.strictObject({
  id: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/, 'must be 1–64 letters, digits, _ or -'),
  name: z.string().trim().min(1, 'must not be empty').max(200),
  bootstrap: Bootstrap,
  clientId: z.string().max(255).optional(),
  sasl: z
    .strictObject({
      mechanism: SaslMechanism,
      username: z.string().min(1, 'must not be empty').max(1024),
    })
    .optional(),
  tls: z
    .strictObject({
      caFile: FilePath.optional(),
      certFile: FilePath.optional(),
      keyFile: FilePath.optional(),
      servername: z.string().max(253).optional(),
      /** Skip certificate verification. The UI shows a warning next to it. */
      insecureSkipVerify: z.boolean().default(false),
    })
    .optional(),
  /** Writes (produce, offset reset) are refused unless the user marked the connection writable. */
  writable: z.boolean().default(false),
  connectTimeoutMs: z.number().int().min(500).max(120_000).default(10_000),
});
export type ConnectionProfile = z.infer<typeof ConnectionProfile>;
export type ConnectionProfileInput = z.input<typeof ConnectionProfile>;

/** Secrets travel only renderer → host, never back. */
export const ConnectionSecrets = z.strictObject({
  saslPassword: z.string().max(4096).optional(),
  tlsKeyPassword: z.string().max(4096).optional(),
});
export type ConnectionSecrets = z.infer<typeof ConnectionSecrets>;

export const ConnectionSummary = z.object({
  profile: ConnectionProfile,
  hasSaslPassword: z.boolean(),
  hasTlsKeyPassword: z.boolean(),
});
export type ConnectionSummary = z.infer<typeof ConnectionSummary>;

export const SecretStorageInfo = z.object({
  kind: z.enum(['os-keychain', 'plaintext-file']),
  /** Shown to the user verbatim where they type a password. */
  description: z.string(),
  /** True where storing needs the user's explicit consent (no OS keychain). */
  requiresConsent: z.boolean(),
});
export type SecretStorageInfo = z.infer<typeof SecretStorageInfo>;

export const AppInfo = z.object({
  version: z.string(),
  mode: z.enum(['desktop', 'browser', 'test']),
  dataDir: z.string(),
  secretStorage: SecretStorageInfo,
});
export type AppInfo = z.infer<typeof AppInfo>;

export const BrokerInfo = z.object({
  nodeId: z.number().int(),
  host: z.string(),
  port: z.number().int(),
  rack: z.string().nullable(),
  isController: z.boolean(),
});
export type BrokerInfo = z.infer<typeof BrokerInfo>;

export const ClusterOverview = z.object({
  clusterId: z.string().nullable(),
  controllerId: z.number().int().nullable(),
  brokers: z.array(BrokerInfo),
  /** Inferred from the API versions the broker supports, e.g. "≥ 4.0"; null when unknown. */
  kafkaVersion: z.string().nullable(),
});
export type ClusterOverview = z.infer<typeof ClusterOverview>;

export const TopicSummary = z.object({
  name: z.string(),
  internal: z.boolean(),
  partitionCount: z.number().int(),
  replicationFactor: z.number().int(),
  /** Σ (latest − earliest) over partitions; exact for plain topics, an upper bound for compacted or transactional ones. */
  messageCount: Int64String.nullable(),
  underReplicatedPartitions: z.number().int(),
  offlinePartitions: z.number().int(),
});
export type TopicSummary = z.infer<typeof TopicSummary>;

export const PartitionInfo = z.object({
  partition: z.number().int(),
  leader: z.number().int(),
  replicas: z.array(z.number().int()),
  isr: z.array(z.number().int()),
  offlineReplicas: z.array(z.number().int()),
  /** null when the partition is offline or its leader did not answer. */
  earliestOffset: Int64String.nullable(),
  latestOffset: Int64String.nullable(),
  underReplicated: z.boolean(),
});
export type PartitionInfo = z.infer<typeof PartitionInfo>;

export const ConfigEntry = z.object({
  name: z.string(),
  value: z.string().nullable(),
  isDefault: z.boolean(),
  source: z.string(),
  readOnly: z.boolean(),
  sensitive: z.boolean(),
});
export type ConfigEntry = z.infer<typeof ConfigEntry>;

export const TopicDetail = z.object({
  name: z.string(),
  internal: z.boolean(),
  partitions: z.array(PartitionInfo),
  configs: z.array(ConfigEntry),
});
export type TopicDetail = z.infer<typeof TopicDetail>;

export const ConnectionTestResult = z.object({
  clusterId: z.string().nullable(),
  brokerCount: z.number().int(),
  controllerId: z.number().int().nullable(),
  kafkaVersion: z.string().nullable(),
  elapsedMs: z.number(),
});
export type ConnectionTestResult = z.infer<typeof ConnectionTestResult>;

export const ImportedConnection = z.object({
  profile: ConnectionProfile.omit({ id: true }),
  secrets: ConnectionSecrets,
  /** Things in the file that were understood but cannot be used as they are, said plainly. */
  warnings: z.array(z.string()),
});
export type ImportedConnection = z.infer<typeof ImportedConnection>;

export const TopicListUpdate = z.object({
  topics: z.array(TopicSummary),
  refreshedAt: z.number(),
});
export type TopicListUpdate = z.infer<typeof TopicListUpdate>;

/** Record bytes: text when valid UTF-8, else base64 (the encoding says which); null for a null key or value. */
export const Payload = z.discriminatedUnion('encoding', [
  z.object({
    encoding: z.literal('utf8'),
    text: z.string(),
    size: z.number().int(),
    truncated: z.boolean().optional(),
  }),
  z.object({
    encoding: z.literal('base64'),
    base64: z.string(),
    size: z.number().int(),
    truncated: z.boolean().optional(),
  }),
]);
/** The one payload type: src/common/codecs/payload.ts encodes and decodes it. */
export type PayloadDto = z.infer<typeof Payload>;

/** Who set a record's timestamp: the producer (CreateTime) or the broker (LogAppendTime). */
export const TimestampType = z.enum(['CreateTime', 'LogAppendTime']);
export type TimestampType = z.infer<typeof TimestampType>;

export const RecordHeaderDto = z.object({ key: z.string(), value: Payload.nullable() });
export type RecordHeaderDto = z.infer<typeof RecordHeaderDto>;

export const RecordDto = z.object({
  partition: z.number().int(),
  offset: Int64String,
  /** Epoch milliseconds. */
  timestamp: z.number(),
  /** Absent where not known (records from the replay log). */
  timestampType: TimestampType.optional(),
  key: Payload.nullable(),
  value: Payload.nullable(),
  headers: z.array(RecordHeaderDto),
});
export type RecordDto = z.infer<typeof RecordDto>;

/** Where reading starts. "offsets" resumes each partition at a given offset (pause/resume). */
export const Position = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('earliest') }),
  z.strictObject({ kind: z.literal('latest') }),
  z.strictObject({ kind: z.literal('offset'), offset: Int64String }),
  z.strictObject({ kind: z.literal('timestamp'), timestamp: z.number() }),
  z.strictObject({ kind: z.literal('last'), count: Int64String }),
  z.strictObject({ kind: z.literal('offsets'), offsets: OffsetsByPartition }),
]);
export type Position = z.infer<typeof Position>;

/** Records packed by encodeRecordFrame; read with decodeRecordFrame. */
export const RecordFrame = z.instanceof(Uint8Array);

export const TailEvent = z.discriminatedUnion('type', [
  /** startOffsets: where each partition starts; the resume point until the first flush. */
  z.object({
    type: z.literal('started'),
    sessionId: z.string(),
    partitions: z.array(z.number().int()),
    startOffsets: z.record(z.string(), Int64String),
    endOffsets: z.record(z.string(), Int64String),
  }),
  /**
   * One flush: `count` records in arrival order, packed in one record frame (src/common/codecs/record-frame.ts;
   * keys, values and headers cut to a preview). flush counts from 1 and is acknowledged with tail.ack.
   * Nothing is ever dropped: a slow subscriber slows the tail down instead (backpressure).
   * nextOffsets: for every partition of the session (those that delivered nothing too), where a
   * read resumes to continue exactly after this flush: the first record the host still holds
   * back, else how far it has fetched (gaps from compaction and transaction markers included).
   * Resuming with `{kind: 'offsets', offsets: nextOffsets}` repeats and skips nothing.
   */
  z.object({
    type: z.literal('records'),
    flush: z.number().int(),
    count: z.number().int(),
    frame: RecordFrame,
    nextOffsets: z.record(z.string(), Int64String),
  }),
  /** Something the reader should know that changes no phase: a start moved (records deleted), a partition new to the tail, a log truncated. */
  z.object({ type: z.literal('notice'), message: z.string() }),
  z.object({
    type: z.literal('status'),
    phase: z.enum(['live', 'caught-up', 'outage', 'done']),
    message: z.string(),
    /** Set once writing to the replay log failed (e.g. disk full); the tail goes on in memory. */
    logStopped: z.string().nullable(),
    /** Computed as a records event's: through the last flush sent, not what is fetched but held back. */
    nextOffsets: z.record(z.string(), Int64String),
  }),
]);
export type TailEvent = z.infer<typeof TailEvent>;

/** An opened capture file: an offline cluster. Its id is used where a connectionId is. */
export const CaptureSummary = z.object({
  id: z.string(),
  name: z.string(),
  description: z.string(),
  path: z.string(),
  source: z.string(),
  createdAt: z.number(),
  topics: z.number().int(),
  records: z.number().int(),
});
export type CaptureSummary = z.infer<typeof CaptureSummary>;

/** The replay log's size cap per cluster may be set from 64 MB to 1 TB. */
export const LOG_CAP_MIN_MB = 64;
export const LOG_CAP_MAX_MB = 1_048_576;
/** Watched consumer groups are sampled every 10 s by default; from 1 s to 1 h. */
export const LAG_SAMPLE_DEFAULT_SEC = 10;
export const LAG_SAMPLE_MIN_SEC = 1;
export const LAG_SAMPLE_MAX_SEC = 3_600;

export const Settings = z.object({
  /** The replay log's size cap per cluster, in MB of stored (compressed) records; the oldest go first. */
  logCapMb: z.number().int(),
  /** The cap comes from EVENTSCOPE_LOG_CAP_MB for this run; it cannot be changed here then. */
  logCapFromEnvironment: z.boolean(),
  /** How often the lag of watched consumer groups is sampled, in seconds. */
  lagSampleIntervalSec: z.number().int(),
  /** The time zone record timestamps are shown in (list and detail): the machine's own, or UTC. */
  timeZone: z.enum(['local', 'utc']),
  /** The saved settings file could not be used (the defaults are in use), and why. */
  problem: z.string().nullable(),
});
export type Settings = z.infer<typeof Settings>;

/** What the replay log holds, per connection (cluster). */
export const LogUsage = z.object({
  capBytes: z.number(),
  clusters: z.array(z.object({ connectionId: z.string(), bytes: z.number(), records: z.number(), topics: z.number() })),
});
export type LogUsage = z.infer<typeof LogUsage>;
