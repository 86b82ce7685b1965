// The partition fetcher against the real broker: bytes come back exactly as kcat (and a
// second client) wrote them, through the API and the CLI's JSON; every codec; aborted
// transactions skipped; offsets by time equal Kafka's; and no consumer group appears.
import { execFile, execFileSync } from 'node:child_process';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import { decodePayload } from '../../src/common/codecs/payload.ts';
import { ConnectionProfile, RecordDto } from '../../src/common/contract/dto.ts';
import {
  openClusterClient,
  type ClusterClient,
  type KafkaRecord,
  type ReadRequest,
} from '../../src/node/kafka/index.ts';
import {
  addPartitionsWithKafkaTool,
  createTopicWithKafkaTool,
  listGroupsWithKafkaTool,
  runGetOffsetShellAtTime,
} from '../harness/kafka-tools.ts';
import { produceNumberedWithKcat, produceValueWithKcat, produceWithKcat } from '../harness/kcat.ts';
import { uniqueName } from '../support/unique.ts';

const BIN = new URL('../../bin/eventscope.js', import.meta.url).pathname;
const TEN_MB = 10 * 1024 * 1024;

describe('partition fetcher', () => {
  const kafka = inject('kafka');
  let client: ClusterClient;
  let producer: kafkajs.Producer;

  const readAll = async (topic: string, extra: Partial<ReadRequest> = {}): Promise<KafkaRecord[]> => {
    const records: KafkaRecord[] = [];
    await client.read({
      topic,
      from: { kind: 'earliest' },
      follow: false,
      onRecords: (batch) => void records.push(...batch),
      ...extra,
    });
    return records.sort((a, b) => a.partition - b.partition || Number(a.offset - b.offset));
  };

  /**
   * Starts following `topic` from its latest offsets and waits until "latest" is resolved to
   * offsets: records produced after it returns are new ones, never taken for old ones.
   */
  const followFromLatest = async (
    topic: string,
    request: Pick<ReadRequest, 'onRecords'> & Partial<ReadRequest>,
  ): Promise<{ controller: AbortController; reading: ReturnType<ClusterClient['read']> }> => {
    const controller = new AbortController();
    let started!: () => void;
    const hasStarted = new Promise<void>((resolve) => (started = resolve));
    const reading = client.read({
      topic,
      from: { kind: 'latest' },
      follow: true,
      signal: controller.signal,
      onStart: () => started(),
      ...request,
    });
    await hasStarted;
    return { controller, reading };
  };

  beforeAll(async () => {
    client = await openClusterClient(
      ConnectionProfile.parse({ id: 'fetch', name: 'fetch', bootstrap: kafka.bootstrap }),
      {},
    );
    producer = new kafkajs.Kafka({ brokers: [kafka.bootstrap], logLevel: kafkajs.logLevel.NOTHING }).producer({
      maxInFlightRequests: 1,
      idempotent: true,
    });
    await producer.connect();
  });
  afterAll(async () => {
    await producer?.disconnect();
    await client?.close();
  });

  it('returns keys, values and headers byte for byte: invalid UTF-8, empty, null, 10 MB, many headers', async () => {
    const topic = uniqueName('bytes');
    createTopicWithKafkaTool(kafka.bootstrap, topic, {
      partitions: 1,
      configs: { 'max.message.bytes': String(TEN_MB + 1024 * 1024) },
    });
    const invalidUtf8 = Buffer.from([0xff, 0xfe, 0x00, 0xc3, 0x28, 0x80]);
    const big = Buffer.alloc(TEN_MB, 0);
    for (let i = 0; i < big.length; i += 4096) big[i] = i % 251;
    const manyHeaders = Object.fromEntries(
      Array.from({ length: 200 }, (_, i) => [`h${i}`, Buffer.from([i % 256, 0xff])]),
    );
    const sent = [
      {
        key: invalidUtf8,
        value: Buffer.from('{"type":"OrderPlaced"}'),
        headers: { 'content-type': Buffer.from('application/json'), bin: invalidUtf8 },
      },
      { key: Buffer.alloc(0), value: Buffer.alloc(0) },
      { key: null, value: null },
      { key: Buffer.from('big'), value: big },
      { key: Buffer.from('headers'), value: invalidUtf8, headers: manyHeaders },
    ];
    const bigProducer = new kafkajs.Kafka({
      brokers: [kafka.bootstrap],
      logLevel: kafkajs.logLevel.NOTHING,
    }).producer();
    await bigProducer.connect();
    for (const m of sent) await bigProducer.send({ topic, messages: [{ partition: 0, ...m }] as kafkajs.Message[] });
    await bigProducer.disconnect();
    // …and some from kcat, an independent client (librdkafka).
    produceValueWithKcat(kafka.bootstrap, topic, invalidUtf8, {
      partition: 0,
      key: 'kcat-key',
      headers: [
        ['source', 'kcat'],
        ['source', 'again'],
      ],
    });

    const records = await readAll(topic);
    expect(records).toHaveLength(6);
    for (let i = 0; i < sent.length; i++) {
      const r = records[i]!;
      const m = sent[i]!;
      expect(r.offset).toBe(BigInt(i));
      expect(r.key === null ? null : Buffer.from(r.key)).toEqual(m.key);
      expect(r.value === null ? null : Buffer.from(r.value).equals(m.value!)).toBe(m.value === null ? null : true);
      const headers = Object.fromEntries(r.headers.map((h) => [h.key, h.value === null ? null : Buffer.from(h.value)]));
      expect(headers).toEqual(m.headers ?? {});
    }
    const fromKcat = records[5]!;
    expect(Buffer.from(fromKcat.key!).toString()).toBe('kcat-key');
    expect(Buffer.from(fromKcat.value!).equals(invalidUtf8)).toBe(true);
    expect(fromKcat.headers.map((h) => [h.key, Buffer.from(h.value!).toString()])).toEqual([
      ['source', 'kcat'],
      ['source', 'again'],
    ]);

    // kcat reads the same bytes as we do.
    const kcatValue = execFileSync(
      'kcat',
      ['-b', kafka.bootstrap, '-C', '-t', topic, '-p', '0', '-o', '0', '-c', '1', '-e', '-q', '-f', '%k'],
      { maxBuffer: 1 << 26 },
    );
    expect(kcatValue.equals(invalidUtf8)).toBe(true);

    // The CLI's JSON carries the same bytes, flagged base64 where not UTF-8.
    const { stdout } = await promisify(execFile)(
      process.execPath,
      [BIN, 'tail', topic, '--bootstrap', kafka.bootstrap, '--from', 'earliest', '--end', '--json'],
      { maxBuffer: 1 << 27 },
    );
    const lines = stdout
      .trim()
      .split('\n')
      .map((l) => RecordDto.parse(JSON.parse(l)));
    expect(lines).toHaveLength(6);
    expect(lines[0]!.key).toMatchObject({ encoding: 'base64' });
    expect(lines[0]!.value).toMatchObject({ encoding: 'utf8', text: '{"type":"OrderPlaced"}' });
    expect(lines[2]).toMatchObject({ key: null, value: null });
    expect(lines[1]).toMatchObject({
      key: { encoding: 'utf8', text: '', size: 0 },
      value: { encoding: 'utf8', text: '', size: 0 },
    });
    for (let i = 0; i < sent.length; i++) {
      const key = decodePayload(lines[i]!.key);
      const value = decodePayload(lines[i]!.value);
      expect(key === null ? null : Buffer.from(key)).toEqual(sent[i]!.key);
      expect(value === null ? null : Buffer.from(value).equals(sent[i]!.value!)).toBe(
        sent[i]!.value === null ? null : true,
      );
    }
    expect(lines[3]!.value?.size).toBe(TEN_MB);
  });

  it.each(['gzip', 'snappy', 'lz4', 'zstd'])('reads %s batches written by kcat', async (codec) => {
    const topic = uniqueName(`codec-${codec}`);
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
    const lines = Array.from({ length: 300 }, (_, i) => `{"codec":"${codec}","n":${i},"pad":"${'x'.repeat(i % 50)}"}`);
    const args = [
      '-b',
      kafka.bootstrap,
      '-P',
      '-t',
      topic,
      '-p',
      '1',
      '-X',
      `compression.codec=${codec}`,
      '-X',
      'linger.ms=50',
    ];
    execFileSync('kcat', args, { input: lines.join('\n') + '\n' });
    const records = await readAll(topic);
    expect(records.map((r) => Buffer.from(r.value!).toString())).toEqual(lines);
    expect(records.every((r) => r.partition === 1)).toBe(true);
    expect(records.map((r) => r.offset)).toEqual(lines.map((_, i) => BigInt(i)));
  });

  it('skips aborted transactions and control records (read_committed)', async () => {
    const topic = uniqueName('txn');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    const tx = new kafkajs.Kafka({ brokers: [kafka.bootstrap], logLevel: kafkajs.logLevel.NOTHING }).producer({
      transactionalId: uniqueName('tx'),
      maxInFlightRequests: 1,
      idempotent: true,
    });
    await tx.connect();
    const batch = async (label: string, commit: boolean): Promise<void> => {
      const t = await tx.transaction();
      await t.send({ topic, messages: [0, 1, 2].map((i) => ({ value: `${label}-${i}`, partition: 0 })) });
      if (commit) await t.commit();
      else await t.abort();
    };
    await batch('a', true);
    await batch('b', false);
    await batch('c', true);
    await batch('d', false);
    await tx.disconnect();
    const records = await readAll(topic);
    expect(records.map((r) => Buffer.from(r.value!).toString())).toEqual(['a-0', 'a-1', 'a-2', 'c-0', 'c-1', 'c-2']);
    // Commit/abort markers take offsets too: the committed records are not contiguous.
    expect(records.map((r) => r.offset)).toEqual([0n, 1n, 2n, 8n, 9n, 10n]);
  });

  it('starts at the offsets Kafka answers for a timestamp', async () => {
    const topic = uniqueName('time');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
    const base = Date.now() - 60 * 60 * 1000;
    await producer.send({
      topic,
      messages: Array.from({ length: 20 }, (_, i) => ({
        partition: i % 2,
        value: `t${i}`,
        timestamp: String(base + i * 1000),
      })),
    });
    for (const at of [base - 1, base + 4500, base + 11_000, base + 50_000]) {
      const ours = (await client.startOffsets(topic, undefined, { kind: 'timestamp', timestampMs: at })).start;
      const kafkas = runGetOffsetShellAtTime(kafka.bootstrap, topic, at);
      // Both partitions have records up to base + 19 s: Kafka answers for both before that.
      if (at < base + 19_000) expect(kafkas.size).toBe(2);
      for (const partition of [0, 1]) {
        // GetOffsetShell prints no offset (or -1) when no record is that late; we start at the end then.
        const offset = kafkas.get(partition) ?? '-1';
        const latest = (await client.startOffsets(topic, [partition], { kind: 'latest' })).start.get(partition)!;
        expect(ours.get(partition), `partition ${partition} at ${at}`).toBe(offset === '-1' ? latest : BigInt(offset));
      }
    }
    const fromTime = await readAll(topic, { from: { kind: 'timestamp', timestampMs: base + 15_500 } });
    expect(fromTime.map((r) => Buffer.from(r.value!).toString()).sort()).toEqual(['t16', 't17', 't18', 't19']);
  });

  it('reads chosen partitions, the last N per partition, at most max records', async () => {
    const topic = uniqueName('choose');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 3 });
    for (let p = 0; p < 3; p++) produceNumberedWithKcat(kafka.bootstrap, topic, `p${p}-`, 10, { partition: p });
    expect((await readAll(topic, { partitions: [1] })).map((r) => Buffer.from(r.value!).toString())).toEqual(
      Array.from({ length: 10 }, (_, i) => `p1-${i}`),
    );
    const last = await readAll(topic, { from: { kind: 'last', count: 2n } });
    expect(last.map((r) => Buffer.from(r.value!).toString())).toEqual(['p0-8', 'p0-9', 'p1-8', 'p1-9', 'p2-8', 'p2-9']);
    expect(await readAll(topic, { maxRecords: 7 })).toHaveLength(7);
    expect(await readAll(topic, { from: { kind: 'offset', offset: 8n }, partitions: [2] })).toHaveLength(2);
    expect(await readAll(topic, { from: { kind: 'latest' } })).toHaveLength(0);
  });

  it('follows new records until stopped', async () => {
    const topic = uniqueName('follow');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
    const seen: string[] = [];
    const { controller, reading } = await followFromLatest(topic, {
      onRecords: (batch) => void seen.push(...batch.map((r) => Buffer.from(r.value!).toString())),
    });
    produceWithKcat(kafka.bootstrap, topic, ['x1', 'x2'], { partition: 0 });
    produceWithKcat(kafka.bootstrap, topic, ['y1'], { partition: 1 });
    const deadline = Date.now() + 15_000;
    while (seen.length < 3 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    controller.abort();
    const summary = await reading;
    expect(seen.sort()).toEqual(['x1', 'x2', 'y1']);
    expect(summary.nextOffsets).toEqual(
      new Map([
        [0, 2n],
        [1, 1n],
      ]),
    );
  });

  it('while following, picks up partitions added to the topic at the metadata refresh interval asked for', async () => {
    const topic = uniqueName('follow-grow');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    const seen: string[] = [];
    const notices: string[] = [];
    const { controller, reading } = await followFromLatest(topic, {
      // 100 ms instead of the 5 s default: the test waits for the new partition, not the interval.
      metadataRefreshMs: 100,
      onStatus: (s) => void notices.push(s.message),
      onRecords: (batch) => void seen.push(...batch.map((r) => `${r.partition}:${Buffer.from(r.value!).toString()}`)),
    });
    try {
      addPartitionsWithKafkaTool(kafka.bootstrap, topic, 2);
      await vi.waitFor(
        () => expect(notices).toContain(`Partition 1 was added to ${topic}; reading it from its start.`),
        { timeout: 30_000, interval: 50 },
      );
      produceWithKcat(kafka.bootstrap, topic, ['new'], { partition: 1 });
      await vi.waitFor(() => expect(seen).toEqual(['1:new']), { timeout: 30_000, interval: 50 });
    } finally {
      controller.abort();
    }
    expect((await reading).nextOffsets).toEqual(
      new Map([
        [0, 0n],
        [1, 1n],
      ]),
    );
  });

  it('says clearly when the topic or partition does not exist', async () => {
    const missing = uniqueName('missing');
    await expect(readAll(missing)).rejects.toMatchObject({
      code: 'UNKNOWN_TOPIC',
      message: expect.stringContaining(missing),
    });
    const topic = uniqueName('two');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
    await expect(readAll(topic, { partitions: [5] })).rejects.toMatchObject({
      code: 'BAD_CONFIG',
      message: expect.stringMatching(/Partition 5 does not exist.*0–1/),
    });
  });

  it('reading leaves no consumer group behind', async () => {
    const before = listGroupsWithKafkaTool(kafka.bootstrap);
    const topic = uniqueName('nogroup');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    produceWithKcat(kafka.bootstrap, topic, ['a', 'b']);
    expect(await readAll(topic)).toHaveLength(2);
    await promisify(execFile)(process.execPath, [
      BIN,
      'tail',
      topic,
      '--bootstrap',
      kafka.bootstrap,
      '--from',
      'earliest',
      '--max',
      '2',
    ]);
    expect(listGroupsWithKafkaTool(kafka.bootstrap)).toEqual(before);
  });
});
