// Every record, exactly once, at any size: a topic that holds far more than one Fetch
// response can carry (the budgets are lowered so a few MB reach that edge; the same rules
// serve the defaults at 2 M records), in many uneven partitions, read to the end by each
// reader — the CLI tail, export, a tail session into the replay log, a search over that log,
// and a capture made from that log. Each partition's count equals GetOffsetShell's and every offset appears once.
// Then the shapes that end early or late if the end is guessed: one huge partition beside
// tiny ones, and a transaction left open at the end.
import { execFile, execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { ConnectionProfile, RecordDto } from '../../src/common/contract/dto.ts';
import { openClusterClient, type ClusterClient, type KafkaRecord } from '../../src/node/kafka/index.ts';
import {
  createTopicWithKafkaTool,
  deleteRecordsWithKafkaTool,
  offsetsFromGetOffsetShell,
} from '../harness/kafka-tools.ts';
import { startInProcessHost, type TestHost } from '../support/in-process-host.ts';
import { startTail } from '../support/tail-probe.ts';
import { uniqueName } from '../support/unique.ts';

const BIN = new URL('../../bin/eventscope.js', import.meta.url).pathname;
/** A response holds 64 KB and each partition's share 16 KB: 8 partitions' shares do not fit in one response. */
const LOW_BUDGET = { EVENTSCOPE_FETCH_MAX_BYTES: '65536', EVENTSCOPE_PARTITION_FETCH_MAX_BYTES: '16384' };
/** Records per partition: one huge, one of three records, the rest in between; ~4.5 MB in all. */
const SHAPE = [20_000, 1_500, 1_500, 1_500, 1_500, 1_500, 1_500, 3];
const VALUE_BYTES = 200;

function value(partition: number, i: number): string {
  const head = `p${partition}-${i}-`;
  return head + 'x'.repeat(VALUE_BYTES - head.length);
}

/** Fills each partition with kcat (librdkafka), an independent producer. */
function fill(bootstrap: string, topic: string, shape: number[]): void {
  shape.forEach((count, partition) => {
    const lines = Array.from({ length: count }, (_, i) => `k${i}\t${value(partition, i)}`).join('\n') + '\n';
    execFileSync(
      'kcat',
      ['-b', bootstrap, '-P', '-t', topic, '-p', String(partition), '-K', '\t', '-X', 'linger.ms=20'],
      { input: lines, maxBuffer: 1 << 26 },
    );
  });
}

/** What Kafka's own GetOffsetShell says each partition holds: [earliest, latest). */
function kafkaRanges(bootstrap: string, topic: string): Map<number, [bigint, bigint]> {
  const earliest = offsetsFromGetOffsetShell(bootstrap, topic, 'earliest');
  const latest = offsetsFromGetOffsetShell(bootstrap, topic, 'latest');
  return new Map([...latest].map(([p, hi]) => [p, [BigInt(earliest.get(p)!), BigInt(hi)]]));
}

/** Each partition's offsets, in arrival order, must be exactly earliest … latest-1, once each. */
function expectEveryOffsetOnce(
  reader: string,
  seen: { partition: number; offset: string | bigint }[],
  ranges: Map<number, [bigint, bigint]>,
): void {
  const byPartition = new Map<number, bigint[]>();
  for (const r of seen)
    (byPartition.get(r.partition) ?? byPartition.set(r.partition, []).get(r.partition)!).push(BigInt(r.offset));
  for (const [partition, [lo, hi]] of ranges) {
    const offsets = byPartition.get(partition) ?? [];
    expect(offsets.length, `${reader}: partition ${partition} count (GetOffsetShell: ${hi - lo})`).toBe(
      Number(hi - lo),
    );
    const sorted = [...offsets].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    expect(sorted[0], `${reader}: partition ${partition} first offset`).toBe(hi > lo ? lo : undefined);
    expect(new Set(sorted.map(String)).size, `${reader}: partition ${partition} has no duplicate`).toBe(sorted.length);
    expect(sorted[sorted.length - 1], `${reader}: partition ${partition} last offset`).toBe(
      hi > lo ? hi - 1n : undefined,
    );
  }
  expect(
    [...byPartition.keys()].filter((p) => !ranges.has(p)),
    `${reader}: no partition that does not exist`,
  ).toEqual([]);
}

async function cli(args: string[]): Promise<string> {
  const { stdout } = await promisify(execFile)(process.execPath, [BIN, ...args], {
    env: { ...process.env, ...LOW_BUDGET },
    maxBuffer: 1 << 28,
    timeout: 120_000,
  });
  return stdout;
}

describe('reading to the end: every record exactly once, at any size', () => {
  const kafka = inject('kafka');
  const topic = uniqueName('big');
  let ranges: Map<number, [bigint, bigint]>;
  const saved: Record<string, string | undefined> = {};

  beforeAll(() => {
    // In-process readers take their budgets from the environment when their client opens.
    for (const [k, v] of Object.entries(LOW_BUDGET)) {
      saved[k] = process.env[k];
      process.env[k] = v;
    }
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: SHAPE.length });
    fill(kafka.bootstrap, topic, SHAPE);
    ranges = kafkaRanges(kafka.bootstrap, topic);
    expect([...ranges.values()].map(([lo, hi]) => Number(hi - lo))).toEqual(SHAPE);
  }, 120_000);
  afterAll(() => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  });

  it('the CLI tail --end --json prints every record once, and the values are the ones written', async () => {
    const lines = (await cli(['tail', topic, '--bootstrap', kafka.bootstrap, '--from', 'earliest', '--end', '--json']))
      .trim()
      .split('\n');
    const records = lines.map((l) => RecordDto.parse(JSON.parse(l)));
    expectEveryOffsetOnce('tail --json', records, ranges);
    for (const r of records.filter((_, i) => i % 997 === 0)) {
      expect(r.value).toMatchObject({ encoding: 'utf8', text: value(r.partition, Number(r.offset)) });
    }
  }, 120_000);

  it('the CLI export (NDJSON to a file) holds every record once', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'es-export-'));
    try {
      const file = join(dir, 'out.ndjson');
      await cli(['export', topic, '--bootstrap', kafka.bootstrap, '--output', file]);
      const records = readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => RecordDto.parse(JSON.parse(l)));
      expectEveryOffsetOnce('export', records, ranges);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);

  describe('through the host', () => {
    let host: TestHost;
    beforeAll(async () => {
      host = await startInProcessHost();
      await host.client.call('connections.save', { profile: { id: 'big', name: 'big', bootstrap: kafka.bootstrap } });
    });
    afterAll(async () => host?.close());

    it('a tail session to the end delivers every record once, stores them all in the replay log, and a capture made from the log holds them all', async () => {
      const tail = startTail(host.client, { connectionId: 'big', topic, from: { kind: 'earliest' }, follow: false });
      await tail.until(() => tail.events.some((e) => e.type === 'status' && e.phase === 'done'), 120_000);
      tail.subscription.close();
      expectEveryOffsetOnce('tail session', tail.records, ranges);

      // A search over the replay log finds every record of the smallest partitions (uncapped).
      const matches: RecordDto[] = [];
      const search = host.client.subscribe(
        'log.search',
        { connectionId: 'big', topic, filter: { kind: 'regex', pattern: '^p[5-7]-', flags: '' } },
        { onEvent: (e) => void (e.type === 'matches' && matches.push(...e.records)) },
      );
      await search.done;
      expectEveryOffsetOnce('log search', matches, new Map([5, 6, 7].map((p) => [p, ranges.get(p)!])));

      // The replay log holds exactly what the session delivered: a capture made from it holds it all.
      const { path } = await host.client.call('captures.export', { connectionId: 'big', topic });
      const capture = await host.client.call('captures.open', { path });
      const detail = await host.client.call('topics.describe', { connectionId: capture.id, topic });
      for (const p of detail.partitions) {
        expect([p.earliestOffset, p.latestOffset], `capture partition ${p.partition} bounds`).toEqual(
          ranges.get(p.partition)!.map(String),
        );
      }
      const fromCapture = startTail(host.client, {
        connectionId: capture.id,
        topic,
        from: { kind: 'earliest' },
        follow: false,
      });
      await fromCapture.until(() => fromCapture.events.some((e) => e.type === 'status' && e.phase === 'done'), 120_000);
      fromCapture.subscription.close();
      expectEveryOffsetOnce('capture', fromCapture.records, ranges);
      await host.client.call('captures.close', { id: capture.id });
    }, 180_000);
  });
});

describe('reading to the end stops at the right offset for every partition', () => {
  const kafka = inject('kafka');
  let client: ClusterClient;
  beforeAll(async () => {
    client = await openClusterClient(
      ConnectionProfile.parse({ id: 'ends', name: 'ends', bootstrap: kafka.bootstrap }),
      {},
    );
  });
  afterAll(async () => client?.close());

  const readToEnd = async (topic: string): Promise<{ records: KafkaRecord[]; next: Map<number, bigint> }> => {
    const records: KafkaRecord[] = [];
    const summary = await client.read({
      topic,
      from: { kind: 'earliest' },
      follow: false,
      onRecords: (batch) => void records.push(...batch),
    });
    return { records, next: summary.nextOffsets };
  };

  it('uneven partitions at the default budgets: one of 60,000 records, one empty, one of a single record', async () => {
    const topic = uniqueName('uneven');
    const shape = [60_000, 0, 1, 250];
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: shape.length });
    fill(kafka.bootstrap, topic, shape);
    const ranges = kafkaRanges(kafka.bootstrap, topic);
    const { records, next } = await readToEnd(topic);
    expectEveryOffsetOnce('uneven', records, ranges);
    for (const [p, [, hi]] of ranges) expect(next.get(p), `partition ${p} stops at GetOffsetShell's end`).toBe(hi);
  }, 120_000);

  it('a transaction left open at the end: reading stops at the last stable offset (no hang), and goes past it once aborted', async () => {
    const topic = uniqueName('open-txn');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
    const kafkaClient = new kafkajs.Kafka({ brokers: [kafka.bootstrap], logLevel: kafkajs.logLevel.NOTHING });
    const tx = kafkaClient.producer({
      transactionalId: uniqueName('open-tx'),
      maxInFlightRequests: 1,
      idempotent: true,
    });
    await tx.connect();
    try {
      const committed = await tx.transaction();
      await committed.send({
        topic,
        messages: [0, 1, 2, 3, 4].map((i) => ({ partition: 0, value: `committed-${i}` })),
      });
      await committed.commit(); // offsets 0–4, commit marker at 5
      const open = await tx.transaction();
      await open.send({ topic, messages: [0, 1, 2].map((i) => ({ partition: 0, value: `open-${i}` })) }); // 6–8, not committed
      execFileSync('kcat', ['-b', kafka.bootstrap, '-P', '-t', topic, '-p', '1'], { input: 'plain-0\nplain-1\n' });

      const { records, next } = await readToEnd(topic);
      expect(records.map((r) => Buffer.from(r.value!).toString()).sort()).toEqual([
        'committed-0',
        'committed-1',
        'committed-2',
        'committed-3',
        'committed-4',
        'plain-0',
        'plain-1',
      ]);
      expect(next).toEqual(
        new Map([
          [0, 6n],
          [1, 2n],
        ]),
      );
      // The CLI too ends instead of waiting for the transaction.
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [BIN, 'tail', topic, '--bootstrap', kafka.bootstrap, '--from', 'earliest', '--end'],
        { timeout: 60_000 },
      );
      expect(stdout.trim().split('\n')).toHaveLength(7);

      await open.abort(); // abort marker at 9
      const after = await readToEnd(topic);
      expect(after.records).toHaveLength(7);
      expect(after.next.get(0)).toBe(10n);
    } finally {
      await tx.disconnect();
    }
  }, 120_000);
});

describe('where reading starts, said aloud; and read_uncommitted', () => {
  const kafka = inject('kafka');
  let client: ClusterClient;
  beforeAll(async () => {
    client = await openClusterClient(
      ConnectionProfile.parse({ id: 'starts', name: 'starts', bootstrap: kafka.bootstrap }),
      {},
    );
  });
  afterAll(async () => client?.close());

  it('a start below the log start is moved up and said; past the end likewise', async () => {
    const topic = uniqueName('moved-start');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    fill(kafka.bootstrap, topic, [10]);
    deleteRecordsWithKafkaTool(kafka.bootstrap, topic, 0, 4);
    const notices: string[] = [];
    const records: KafkaRecord[] = [];
    await client.read({
      topic,
      from: { kind: 'offset', offset: 1n },
      follow: false,
      onRecords: (b) => void records.push(...b),
      onStatus: (s) => void notices.push(`${s.phase}: ${s.message}`),
    });
    expect(records.map((r) => r.offset)).toEqual([4n, 5n, 6n, 7n, 8n, 9n]);
    expect(notices).toEqual([
      `notice: Partition 0 of "${topic}" starts at offset 4, not 1: the records before 4 were deleted (retention or DeleteRecords).`,
    ]);
    notices.length = 0;
    await client.read({
      topic,
      from: { kind: 'offset', offset: 99n },
      follow: false,
      onRecords: () => undefined,
      onStatus: (s) => void notices.push(s.message),
    });
    expect(notices).toEqual([
      `Partition 0 of "${topic}" ends at offset 10; offset 99 is past its end, so reading starts at the end.`,
    ]);
    // A resume (exact offsets) below the log start: out of range at the broker, moved and said.
    notices.length = 0;
    records.length = 0;
    await client.read({
      topic,
      from: { kind: 'earliest' },
      startAt: new Map([[0, 2n]]),
      follow: false,
      onRecords: (b) => void records.push(...b),
      onStatus: (s) => void notices.push(s.message),
    });
    expect(records[0]!.offset).toBe(4n);
    expect(notices).toEqual([
      `Partition 0 of "${topic}": offsets 2–3 were deleted (retention or DeleteRecords) before they were read; reading goes on at 4.`,
    ]);
    // The CLI says it on stderr.
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      [BIN, 'tail', topic, '--bootstrap', kafka.bootstrap, '--from', 'offset:1', '--end'],
      { timeout: 60_000 },
    );
    expect(stdout.trim().split('\n')).toHaveLength(6);
    expect(stderr).toContain('starts at offset 4, not 1');
  }, 60_000);

  it('read_uncommitted reads an open transaction and aborted records, to the high watermark', async () => {
    const topic = uniqueName('uncommitted');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    const tx = new kafkajs.Kafka({ brokers: [kafka.bootstrap], logLevel: kafkajs.logLevel.NOTHING }).producer({
      transactionalId: uniqueName('uc-tx'),
      maxInFlightRequests: 1,
      idempotent: true,
    });
    await tx.connect();
    try {
      const aborted = await tx.transaction();
      await aborted.send({ topic, messages: [{ partition: 0, value: 'aborted-0' }] });
      await aborted.abort(); // 0, abort marker at 1
      const open = await tx.transaction();
      await open.send({
        topic,
        messages: [
          { partition: 0, value: 'open-0' },
          { partition: 0, value: 'open-1' },
        ],
      }); // 2–3
      const read = async (
        isolation: 'read_committed' | 'read_uncommitted',
      ): Promise<{ values: string[]; next: bigint | undefined }> => {
        const values: string[] = [];
        const summary = await client.read({
          topic,
          isolation,
          from: { kind: 'earliest' },
          follow: false,
          onRecords: (b) => void values.push(...b.map((r) => Buffer.from(r.value!).toString())),
        });
        return { values, next: summary.nextOffsets.get(0) };
      };
      expect(await read('read_committed')).toEqual({ values: [], next: 2n });
      expect(await read('read_uncommitted')).toEqual({ values: ['aborted-0', 'open-0', 'open-1'], next: 4n });
      await open.abort();
    } finally {
      await tx.disconnect();
    }
  }, 60_000);
});
