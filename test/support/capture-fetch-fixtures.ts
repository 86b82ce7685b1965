// Captures the Fetch response fixtures in test/fixtures/fetch/ from a real broker, once (they
// are committed; the tests that read them need no broker). Each case produces to a fresh
// topic — kcat (librdkafka) for every codec, kafkajs's producer for transactions — then
// sends a Fetch through rawFetch (kafkajs's connection, the app's own path) and keeps the
// response payload exactly as kafkajs handed it to the decoder. The expected records come
// from kcat reading the same partition (an independent decoder), never from ours.
//
//   source /tmp/devbroker/env.sh   # or any KAFKA_BOOTSTRAP_SERVERS
//   node test/support/capture-fetch-fixtures.ts
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import kafkajs from 'kafkajs';
import { registerCompressionCodecs } from '../../src/node/kafka/kafkajs/compression-codecs.ts';
import {
  createInternalCluster,
  ISOLATION,
  rawFetch,
  type FetchRequest,
  type InternalBroker,
} from '../../src/node/kafka/kafkajs/internals.ts';
import type { FetchFixture, FixturePartition, FixtureRecord } from '../fixtures/fetch/fixtures.ts';

const OUT = new URL('../fixtures/fetch/', import.meta.url);
const SEND_REQUEST_SYMBOL = 'private:Broker:sendRequest';

const bootstrap = process.env['KAFKA_BOOTSTRAP_SERVERS']?.split(',')[0];
if (!bootstrap)
  throw new Error('Set KAFKA_BOOTSTRAP_SERVERS (source /tmp/devbroker/env.sh) to the broker to capture from.');
const run = Date.now().toString(36);
const kafka = new kafkajs.Kafka({ brokers: [bootstrap], logLevel: kafkajs.logLevel.NOTHING });
const admin = kafka.admin();

const created: string[] = [];

async function createTopic(name: string, partitions = 1): Promise<string> {
  const topic = `fixture-${name}-${run}`;
  await admin.createTopics({ topics: [{ topic, numPartitions: partitions }], waitForLeaders: true });
  created.push(topic);
  return topic;
}

function kcatProduce(topic: string, partition: number, lines: string[], extra: string[]): void {
  execFileSync(
    'kcat',
    ['-b', bootstrap!, '-P', '-t', topic, '-p', String(partition), '-K', '\t', '-Z', '-X', 'linger.ms=100', ...extra],
    { input: lines.join('\n') + '\n', stdio: ['pipe', 'ignore', 'inherit'] },
  );
}

interface KcatMessage {
  offset: number;
  ts: number;
  key: string | null;
  payload: string | null;
  headers?: (string | null)[];
}

/** The records a read_committed (or uncommitted) consumer sees, read by kcat. */
function kcatRead(topic: string, partition: number, isolation: FetchFixture['isolationLevel']): FixtureRecord[] {
  const out = execFileSync(
    'kcat',
    [
      '-b',
      bootstrap!,
      '-C',
      '-t',
      topic,
      '-p',
      String(partition),
      '-o',
      'beginning',
      '-e',
      '-q',
      '-J',
      '-X',
      `isolation.level=${isolation}`,
    ],
    { encoding: 'utf8' },
  );
  return out
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => JSON.parse(l) as KcatMessage)
    .map((m) => {
      const h = m.headers ?? [];
      const headers: [string, string | null][] = [];
      for (let i = 0; i < h.length; i += 2) headers.push([h[i]!, h[i + 1] ?? null]);
      return { offset: String(m.offset), timestampMs: m.ts, key: m.key, value: m.payload, headers };
    });
}

let broker: InternalBroker;

/** rawFetch, with the broker's send wrapped to keep the response payload before our decoder sees it. */
async function captureFetch(
  request: FetchRequest,
): Promise<{ payload: Buffer; version: number; response: Awaited<ReturnType<typeof rawFetch>> }> {
  const raw = broker as unknown as Record<symbol, unknown>;
  const symbol = Object.getOwnPropertySymbols(Object.getPrototypeOf(broker)).find(
    (s) => s.description === SEND_REQUEST_SYMBOL,
  )!;
  const send = raw[symbol] as (r: {
    request: { apiVersion: number };
    response: { decode(p: Buffer): Promise<unknown> };
  }) => Promise<unknown>;
  let payload: Buffer | null = null;
  let version = -1;
  raw[symbol] = function (
    this: unknown,
    r: { request: { apiVersion: number }; response: { decode(p: Buffer): Promise<unknown> } },
  ) {
    version = r.request.apiVersion;
    return send.call(this, {
      ...r,
      response: { ...r.response, decode: (p: Buffer) => ((payload = Buffer.from(p)), r.response.decode(p)) },
    });
  };
  try {
    const response = await rawFetch(broker, request);
    return { payload: payload!, version, response };
  } finally {
    delete raw[symbol];
  }
}

/** The sizes of the complete batches at the start of a record set (base offset, 12 + length). */
function batchSizes(records: Buffer): number[] {
  const sizes: number[] = [];
  for (let at = 0; at + 12 <= records.length;) {
    const size = 12 + records.readInt32BE(at + 8);
    if (at + size > records.length) break;
    sizes.push(size);
    at += size;
  }
  return sizes;
}

interface CaseSpec {
  name: string;
  description: string;
  topic: string;
  isolation: FetchFixture['isolationLevel'];
  partitions: {
    partition: number;
    fetchOffset: bigint;
    maxBytes: number;
    expect: (
      records: FixtureRecord[],
      hw: bigint,
    ) => Pick<FixturePartition, 'records' | 'nextOffset' | 'truncatedBatchBytes'>;
  }[];
}

/** A whole partition in one response: every record kcat reads, next offset the high watermark. */
const whole =
  (fromOffset = 0n) =>
  (records: FixtureRecord[], hw: bigint): Pick<FixturePartition, 'records' | 'nextOffset' | 'truncatedBatchBytes'> => ({
    records: records.filter((r) => BigInt(r.offset) >= fromOffset),
    nextOffset: String(hw),
    truncatedBatchBytes: null,
  });

async function capture(spec: CaseSpec): Promise<void> {
  const isolationLevel = spec.isolation === 'read_committed' ? ISOLATION.READ_COMMITTED : ISOLATION.READ_UNCOMMITTED;
  const request: FetchRequest = {
    isolationLevel,
    maxWaitTime: 100,
    minBytes: 1,
    maxBytes: 1 << 20,
    topics: [
      {
        topic: spec.topic,
        partitions: spec.partitions.map((p) => ({
          partition: p.partition,
          fetchOffset: String(p.fetchOffset),
          maxBytes: p.maxBytes,
        })),
      },
    ],
  };
  let captured = await captureFetch(request);
  // A commit returns before the coordinator's markers reach the partition: until they do, the
  // last stable offset lags and read_committed answers stop there.
  for (
    let tries = 0;
    captured.response.topics[0]!.partitions.some((p) => p.lastStableOffset !== p.highWatermark);
    tries++
  ) {
    if (tries === 50) throw new Error(`${spec.name}: the last stable offset never reached the high watermark`);
    await new Promise((resolve) => setTimeout(resolve, 200));
    captured = await captureFetch(request);
  }
  const { payload, version, response } = captured;
  const partitions = spec.partitions.map((p): FixturePartition => {
    const answer = response.topics[0]!.partitions.find((x) => x.partition === p.partition)!;
    if (answer.errorCode !== 0)
      throw new Error(`${spec.name}: partition ${p.partition} answered error ${answer.errorCode}`);
    return {
      partition: p.partition,
      fetchOffset: String(p.fetchOffset),
      maxBytes: p.maxBytes,
      highWatermark: String(answer.highWatermark),
      abortedTransactions: answer.aborted.length,
      ...p.expect(kcatRead(spec.topic, p.partition, spec.isolation), answer.highWatermark),
    };
  });
  const fixture: FetchFixture = {
    description: spec.description,
    fetchVersion: version,
    isolationLevel: spec.isolation,
    topic: spec.topic,
    partitions,
  };
  writeFileSync(new URL(`${spec.name}.bin`, OUT), payload);
  writeFileSync(new URL(`${spec.name}.json`, OUT), JSON.stringify(fixture, null, 2) + '\n');
  process.stdout.write(
    `${spec.name}: ${payload.length} bytes, Fetch v${version}, ${partitions.map((p) => `p${p.partition} ${p.records.length} records`).join(', ')}\n`,
  );
}

/** Order events as kcat input lines (key TAB value); kcat -Z sends the empty keys and values as null. */
function orderLines(codec: string, from: number, n: number): string[] {
  return Array.from({ length: n }, (_, i) => {
    const k = from + i;
    const value = k % 7 === 3 ? '' : `{"type":"OrderPlaced","codec":"${codec}","n":${k},"pad":"${'x'.repeat(k % 13)}"}`;
    return k % 5 === 4 ? `\t${value}` : `ord_${k}\t${value}`;
  });
}

async function main(): Promise<void> {
  mkdirSync(OUT, { recursive: true });
  registerCompressionCodecs();
  await admin.connect();
  const cluster = createInternalCluster(kafka, ISOLATION.READ_COMMITTED);
  await cluster.connect();
  try {
    const md = await cluster.metadata();
    broker = await cluster.findBroker({ nodeId: md.brokers[0]!.nodeId });

    for (const codec of ['none', 'gzip', 'snappy', 'lz4', 'zstd']) {
      const topic = await createTopic(`codec-${codec}`);
      // Two kcat runs: two batches, the second with headers (one empty, one null).
      kcatProduce(topic, 0, orderLines(codec, 0, 12), ['-X', `compression.codec=${codec}`]);
      kcatProduce(topic, 0, orderLines(codec, 12, 9), [
        '-X',
        `compression.codec=${codec}`,
        '-H',
        'event-type=OrderPlaced',
        '-H',
        'trace=',
        '-H',
        'absent',
        '-H',
        `codec=${codec}`,
      ]);
      await capture({
        name: `codec-${codec}`,
        description: `21 records in two batches written by kcat with compression.codec=${codec}; some null keys and null values; headers on the second batch (one empty, one null)`,
        topic,
        isolation: 'read_uncommitted',
        partitions: [{ partition: 0, fetchOffset: 0n, maxBytes: 1 << 20, expect: whole() }],
      });
      if (codec === 'gzip') {
        // Fetching from inside a compressed batch: the broker returns the whole batch.
        await capture({
          name: 'gzip-mid-batch',
          description:
            'the gzip topic fetched from offset 5, inside its first batch: the broker returns the whole batch, records before 5 are dropped',
          topic,
          isolation: 'read_uncommitted',
          partitions: [{ partition: 0, fetchOffset: 5n, maxBytes: 1 << 20, expect: whole(5n) }],
        });
      }
    }

    // Transactions: committed and aborted ones in turn, then two producers interleaved, one
    // aborting while the other commits; a non-transactional record among them.
    const topic = await createTopic('transactions');
    const txA = kafka.producer({ transactionalId: `fixture-tx-a-${run}`, maxInFlightRequests: 1, idempotent: true });
    const txB = kafka.producer({ transactionalId: `fixture-tx-b-${run}`, maxInFlightRequests: 1, idempotent: true });
    const plain = kafka.producer();
    await Promise.all([txA.connect(), txB.connect(), plain.connect()]);
    // Timestamps near now: the broker stamps the transaction markers with its own clock, and a
    // gap over segment.ms (7 days) would roll the segment, and a Fetch reads one segment only.
    const base = Math.floor(Date.now() / 1000) * 1000;
    const messages = (label: string, n: number, compressed = false) => ({
      topic,
      compression: compressed ? kafkajs.CompressionTypes.GZIP : kafkajs.CompressionTypes.None,
      messages: Array.from({ length: n }, (_, i) => ({
        partition: 0,
        key: `${label}-key-${i}`,
        value: `${label}-${i}`,
        timestamp: String(base + i),
        headers: { label, i: String(i) },
      })),
    });
    for (const [label, commit] of [
      ['a', true],
      ['b', false],
      ['c', true],
      ['d', false],
    ] as const) {
      const t = await txA.transaction();
      await t.send(messages(label, 3, label === 'c'));
      await (commit ? t.commit() : t.abort());
    }
    const ta = await txA.transaction();
    const tb = await txB.transaction();
    await ta.send(messages('e-aborted', 2));
    await tb.send(messages('f-committed', 2));
    await plain.send(messages('g-plain', 1));
    await ta.send(messages('e-aborted-again', 1));
    await ta.abort();
    await tb.send(messages('f-committed-again', 1));
    await tb.commit();
    await Promise.all([txA.disconnect(), txB.disconnect(), plain.disconnect()]);
    await capture({
      name: 'transactions',
      description:
        'read_committed: transactions committed and aborted in turn (one gzip), then two transactional producers interleaved (one aborts, one commits) with a plain record among them; control batches take offsets',
      topic,
      isolation: 'read_committed',
      partitions: [{ partition: 0, fetchOffset: 0n, maxBytes: 1 << 20, expect: whole() }],
    });

    // A batch cut short: three batches; the partition's maxBytes ends inside the second. A
    // second partition, read after the first in the same request (so the broker no longer
    // returns at least one batch whole), is limited to half its first batch: the broker
    // answers with no bytes at all rather than part of a first batch (Fetch v3+, KIP-74), so a
    // record set never holds only a cut batch.
    const partial = await createTopic('partial', 2);
    for (let b = 0; b < 3; b++) for (let p = 0; p < 2; p++) kcatProduce(partial, p, orderLines('none', b * 6, 6), []);
    const full = await captureFetch({
      isolationLevel: ISOLATION.READ_UNCOMMITTED,
      maxWaitTime: 100,
      minBytes: 1,
      maxBytes: 1 << 20,
      topics: [
        { topic: partial, partitions: [0, 1].map((partition) => ({ partition, fetchOffset: '0', maxBytes: 1 << 20 })) },
      ],
    });
    const sizesOf = (p: number) =>
      batchSizes(full.response.topics[0]!.partitions.find((x) => x.partition === p)!.records);
    const [first0, second0] = sizesOf(0);
    const [first1] = sizesOf(1);
    await capture({
      name: 'partial-batch',
      description:
        'partition 0: maxBytes ends inside the second of three batches; partition 1 (after a partition with data, so not given one batch whole): maxBytes half its first batch, answered with an empty record set',
      topic: partial,
      isolation: 'read_uncommitted',
      partitions: [
        {
          partition: 0,
          fetchOffset: 0n,
          maxBytes: first0! + Math.floor(second0! / 2),
          expect: (records) => ({
            records: records.filter((r) => BigInt(r.offset) < 6n),
            nextOffset: '6',
            truncatedBatchBytes: second0!,
          }),
        },
        {
          partition: 1,
          fetchOffset: 0n,
          maxBytes: Math.floor(first1! / 2),
          expect: () => ({ records: [], nextOffset: null, truncatedBatchBytes: null }),
        },
      ],
    });
  } finally {
    await cluster.disconnect();
    await admin.deleteTopics({ topics: created }).catch(() => undefined);
    await admin.disconnect();
  }
}

await main();
