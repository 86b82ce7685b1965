// projections.events on the real broker: the events of a range, read through the replay log
// (fetched from the cluster where the log lacks them, stored for the next run), partitions
// merged in event order — cross-checked with an independent kcat read sorted by (timestamp,
// partition, offset) — with flow control, resuming at a cut, ranges ending at an offset, a time
// or a group's committed offsets, and what happens when records or the topic go away mid-read.
import { execFileSync } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodeRecordFrameBytes } from '../../src/common/codecs/record-frame.ts';
import type { StreamParamsOf } from '../../src/common/contract/api.ts';
import type { ProjectionEventsEvent } from '../../src/common/contract/projection-dto.ts';
import type { RpcClient } from '../../src/common/rpc/client.ts';
import { FRAMES_AHEAD } from '../../src/node/projections/range-events.ts';
import {
  createTopicWithKafkaTool,
  deleteRecordsWithKafkaTool,
  deleteTopicWithKafkaTool,
} from '../harness/kafka-tools.ts';
import { kcatAvailable, produceWithKcat } from '../harness/kcat.ts';
import { sampleCapturePath } from '../../src/node/host/app-paths.ts';
import { SAMPLE_CAPTURE_ID } from '../../src/node/host/eventscope-service.ts';
import { startInProcessHost, type TestHost } from '../support/in-process-host.ts';
import { uniqueName } from '../support/unique.ts';

interface Read {
  events: ProjectionEventsEvent[];
  /** partition:offset of each event, in the order delivered. */
  order: string[];
  values: string[];
  end: Extract<ProjectionEventsEvent, { type: 'end' }> | null;
  frames: number;
  ackAll(): void;
  done: Promise<void>;
  close(): void;
}

/** Subscribes like the page does; acks each frame unless told not to (then ackAll releases them). */
function readRange(
  client: RpcClient,
  params: StreamParamsOf<'projections.events'>,
  options: { ack?: boolean } = {},
): Read {
  const text = new TextDecoder();
  const pending: number[] = [];
  let readId = '';
  const read: Read = {
    events: [],
    order: [],
    values: [],
    end: null,
    frames: 0,
    ackAll: () => {
      for (const seq of pending.splice(0)) void client.call('projections.ack', { readId, seq }).catch(() => undefined);
    },
    done: Promise.resolve(),
    close: () => subscription.close(),
  };
  const subscription = client.subscribe('projections.events', params, {
    onEvent: (event) => {
      read.events.push(event);
      if (event.type === 'range') readId = event.readId;
      if (event.type === 'records') {
        read.frames++;
        for (const r of decodeRecordFrameBytes(event.frame)) {
          read.order.push(`${r.partition}:${r.offset}`);
          read.values.push(r.value === null ? '' : text.decode(r.value));
        }
        if (options.ack === false) pending.push(event.seq);
        else void client.call('projections.ack', { readId, seq: event.seq }).catch(() => undefined); // the host may close first
      }
      if (event.type === 'end') read.end = event;
    },
  });
  read.done = subscription.done;
  return read;
}

/** The topic as kcat reads it, in the order a projection gets it: by timestamp, then partition, then offset. */
function kcatOrder(bootstrap: string, topic: string): { order: string[]; values: string[] } {
  const out = execFileSync(
    'kcat',
    ['-b', bootstrap, '-C', '-t', topic, '-o', 'beginning', '-e', '-q', '-f', '%p %o %T %s\n'],
    { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 },
  );
  const rows = out
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [p, o, t, ...v] = line.split(' ');
      return { p: Number(p), o: Number(o), t: Number(t), v: v.join(' ') };
    });
  rows.sort((a, b) => a.t - b.t || a.p - b.p || a.o - b.o);
  return { order: rows.map((r) => `${r.p}:${r.o}`), values: rows.map((r) => r.v) };
}

async function waitFor(predicate: () => boolean, what: string, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`not within ${timeoutMs} ms: ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('projections.events', () => {
  const kafka = inject('kafka');
  const uneven = uniqueName('proj-uneven');
  let host: TestHost;
  let connectionId: string;
  const saved: Record<string, string | undefined> = {};
  const sizes = [3_000, 1_500, 7, 0];

  beforeAll(async () => {
    if (!kcatAvailable())
      throw new Error('kcat is not installed: these tests cross-check with kcat (apt-get install kcat).');
    // Responses far smaller than the range: the read takes many fetches per partition.
    for (const name of ['EVENTSCOPE_FETCH_MAX_BYTES', 'EVENTSCOPE_PARTITION_FETCH_MAX_BYTES'])
      saved[name] = process.env[name];
    process.env['EVENTSCOPE_FETCH_MAX_BYTES'] = String(64 * 1024);
    process.env['EVENTSCOPE_PARTITION_FETCH_MAX_BYTES'] = String(16 * 1024);
    createTopicWithKafkaTool(kafka.bootstrap, uneven, { partitions: 4 });
    // Interleaved in time: a few rounds over the partitions.
    for (let round = 0; round < 3; round++) {
      sizes.forEach((size, p) => {
        const from = Math.floor((size * round) / 3);
        const to = Math.floor((size * (round + 1)) / 3);
        if (to > from)
          produceWithKcat(
            kafka.bootstrap,
            uneven,
            Array.from({ length: to - from }, (_, i) => `{"p":${p},"n":${from + i}}`),
            { partition: p, key: `k${p}` },
          );
      });
    }
    host = await startInProcessHost();
    connectionId = uniqueName('conn');
    await host.client.call('connections.save', {
      profile: { id: connectionId, name: 'harness', bootstrap: kafka.bootstrap, writable: true },
    });
  });
  afterAll(async () => {
    for (const [name, value] of Object.entries(saved)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    await host?.close();
  });

  /** A read of the whole uneven topic (earliest to latest), changed by `params`. */
  const readUneven = (params: Partial<StreamParamsOf<'projections.events'>> = {}): Read =>
    readRange(host.client, {
      connectionId,
      topic: uneven,
      from: { kind: 'earliest' },
      to: { kind: 'latest' },
      ...params,
    });

  it('delivers the range in event order, equal to kcat sorted by (timestamp, partition, offset); a second run reads the replay log', async () => {
    const expected = kcatOrder(kafka.bootstrap, uneven);
    expect(expected.order).toHaveLength(4_507);
    const first = readUneven();
    await first.done;
    expect(first.end).toMatchObject({ reason: 'complete', message: null });
    expect(first.order).toEqual(expected.order);
    expect(first.values).toEqual(expected.values);
    const range = first.events.find((e) => e.type === 'range');
    expect(range).toMatchObject({
      events: 4_507,
      partitions: [
        { partition: 0, from: '0', to: '3000' },
        { partition: 1, from: '0', to: '1500' },
        { partition: 2, from: '0', to: '7' },
        { partition: 3, from: '0', to: '0' },
      ],
    });
    expect(first.end!.delivered).toEqual([
      { partition: 0, firstOffset: '0', lastOffset: '2999', events: 3_000 },
      { partition: 1, firstOffset: '0', lastOffset: '1499', events: 1_500 },
      { partition: 2, firstOffset: '0', lastOffset: '6', events: 7 },
    ]);
    expect(first.end!.next).toEqual({ '0': '3000', '1': '1500', '2': '7', '3': '0' });

    // Everything is in the replay log now: nothing is fetched, the same events come back.
    const second = readUneven();
    await second.done;
    expect(second.events.some((e) => e.type === 'fetching')).toBe(false);
    expect(second.order).toEqual(expected.order);
  });

  it('resumes at a cut with the same events as the rest of the first read; maxEvents stops early at that cut', async () => {
    const whole = readUneven();
    await whole.done;
    for (const k of [1, 977, 2_500, 4_506]) {
      const head = readUneven({ maxEvents: k });
      await head.done;
      expect(head.order).toEqual(whole.order.slice(0, k));
      const rest = readUneven({ startAt: head.end!.next });
      await rest.done;
      expect(rest.order).toEqual(whole.order.slice(k));
    }
  });

  it('ends a range at an offset (inclusive), at a time, or at a consumer group’s committed offsets (exclusive)', async () => {
    const atOffset = readUneven({
      partitions: [0, 1],
      from: { kind: 'offset', offset: '10' },
      to: { kind: 'offset', offset: '99' },
    });
    await atOffset.done;
    expect(atOffset.end!.delivered).toEqual([
      { partition: 0, firstOffset: '10', lastOffset: '99', events: 90 },
      { partition: 1, firstOffset: '10', lastOffset: '99', events: 90 },
    ]);

    const whole = kcatOrder(kafka.bootstrap, uneven);
    const out = execFileSync(
      'kcat',
      ['-b', kafka.bootstrap, '-C', '-t', uneven, '-o', 'beginning', '-e', '-q', '-f', '%p %o %T\n'],
      { encoding: 'utf8', maxBuffer: 64 * 1024 * 1024 },
    );
    const times = out
      .split('\n')
      .filter(Boolean)
      .map((l) => l.split(' ').map(Number) as [number, number, number]);
    const cutTime = times.find(([p, o]) => p === 0 && o === 1_500)![2];
    const atTime = readUneven({ to: { kind: 'timestamp', timestamp: cutTime } });
    await atTime.done;
    const expectedAtTime = new Set(times.filter(([, , t]) => t <= cutTime).map(([p, o]) => `${p}:${o}`));
    expect(atTime.order).toEqual(whole.order.filter((po) => expectedAtTime.has(po)));

    const group = uniqueName('proj-group');
    const plan = await host.client.call('groups.resetOffsets', {
      connectionId,
      groupId: group,
      topics: [{ topic: uneven, partitions: [0, 1, 2] }],
      to: { kind: 'offset', offset: '1000' },
      execute: true,
    });
    const committed = new Map(plan.partitions.map((p) => [p.partition, BigInt(p.after)]));
    const atGroup = readUneven({ to: { kind: 'group', groupId: group } });
    await atGroup.done;
    expect(
      atGroup.events.some((e) => e.type === 'notice' && e.message.includes('no committed offset for partition 3')),
    ).toBe(true);
    expect(atGroup.order).toEqual(
      whole.order.filter((po) => {
        const [p, o] = po.split(':').map(Number) as [number, number];
        return BigInt(o) < (committed.get(p) ?? 0n);
      }),
    );
  });

  it('refuses an unknown topic, a partition the topic lacks, and a group with no offsets on it, by name', async () => {
    const bad = async (params: Partial<StreamParamsOf<'projections.events'>>): Promise<unknown> => {
      return readUneven(params).done.then(
        () => null,
        (err: unknown) => err,
      );
    };
    expect(await bad({ topic: uniqueName('no-such-topic') })).toMatchObject({ code: 'UNKNOWN_TOPIC' });
    expect(await bad({ partitions: [0, 9] })).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('no partition 9'),
    });
    expect(await bad({ to: { kind: 'group', groupId: uniqueName('never-committed') } })).toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('has no committed offset'),
    });
  });

  /** A one-partition topic of 45,000 JSON records, and a read of it whose page has not acknowledged yet: it is FRAMES_AHEAD frames in. */
  const stalledRead = async (prefix: string) => {
    const topic = uniqueName(prefix);
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    produceWithKcat(
      kafka.bootstrap,
      topic,
      Array.from({ length: 45_000 }, (_, i) => `{"n":${i}}`),
      { partition: 0 },
    );
    const read = readRange(
      host.client,
      { connectionId, topic, from: { kind: 'earliest' }, to: { kind: 'latest' } },
      { ack: false },
    );
    await waitFor(() => read.frames >= FRAMES_AHEAD, 'frames before the first acknowledgement');
    return { topic, read };
  };

  /** The page acknowledges every frame from now on, until the read ends. */
  const acknowledgeToEnd = async (read: ReturnType<typeof readRange>): Promise<void> => {
    const drain = setInterval(() => read.ackAll(), 20);
    try {
      await read.done;
    } finally {
      clearInterval(drain);
    }
  };

  it('stays a few frames ahead of a page that does not acknowledge, and stops at records deleted before they were read, keeping what came before', async () => {
    const { topic, read } = await stalledRead('proj-deleted');
    await new Promise((r) => setTimeout(r, 1_000)); // a read that did not wait would send more in this time
    expect(read.frames).toBe(FRAMES_AHEAD);
    // The first segment (20,000 records) is fetched and stored; delete far past it, then let the read go on.
    deleteRecordsWithKafkaTool(kafka.bootstrap, topic, 0, 30_000);
    await acknowledgeToEnd(read);
    // What was read before the deletion: the first segment, to the end of the fetched batch that filled it.
    const before = read.order.length;
    expect(before).toBeGreaterThanOrEqual(20_000);
    expect(before).toBeLessThan(30_000);
    expect(read.end).toMatchObject({
      reason: 'records-deleted',
      message: expect.stringContaining(`Partition 0: offsets ${before}–29999`),
    });
    expect(read.order).toEqual(Array.from({ length: before }, (_, i) => `0:${i}`));
    expect(read.end!.delivered).toEqual([
      { partition: 0, firstOffset: '0', lastOffset: String(before - 1), events: before },
    ]);
  });

  it('says the topic was deleted when it goes mid-read, keeping what came before', async () => {
    const { topic, read } = await stalledRead('proj-gone');
    deleteTopicWithKafkaTool(kafka.bootstrap, topic);
    await acknowledgeToEnd(read);
    expect(read.end).toMatchObject({
      reason: 'topic-deleted',
      message: expect.stringContaining('was deleted while it was read'),
    });
    const before = read.order.length;
    expect(before).toBeGreaterThanOrEqual(20_000);
    expect(before).toBeLessThan(45_000);
    expect(read.order).toEqual(Array.from({ length: before }, (_, i) => `0:${i}`));
  }, 120_000);

  it('reads the sample capture from its log alone (nothing to fetch), each event once', async () => {
    const offline = await startInProcessHost({ sampleCapturePath: sampleCapturePath() });
    try {
      const topics = await offline.client.call('topics.list', { connectionId: SAMPLE_CAPTURE_ID });
      const count = Number(topics.find((t) => t.name === 'orders')!.messageCount);
      const read = readRange(offline.client, {
        connectionId: SAMPLE_CAPTURE_ID,
        topic: 'orders',
        from: { kind: 'earliest' },
        to: { kind: 'latest' },
      });
      await read.done;
      expect(read.end).toMatchObject({ reason: 'complete' });
      expect(read.order).toHaveLength(count);
      expect(read.events.some((e) => e.type === 'fetching')).toBe(false);
      expect(new Set(read.order).size).toBe(count);
    } finally {
      await offline.close();
    }
  });

  it('refuses a cluster that cannot be reached with the classified cause', async () => {
    const unreachable = uniqueName('conn-down');
    await host.client.call('connections.save', {
      profile: { id: unreachable, name: 'down', bootstrap: '127.0.0.1:1', writable: false },
    });
    const read = readRange(host.client, {
      connectionId: unreachable,
      topic: uneven,
      from: { kind: 'earliest' },
      to: { kind: 'latest' },
    });
    await expect(read.done).rejects.toMatchObject({
      code: expect.stringMatching(/CONNECTION_REFUSED|UNREACHABLE|TIMEOUT/),
      message: expect.stringContaining('127.0.0.1:1'),
    });
    expect(read.events.filter((e) => e.type === 'records')).toHaveLength(0);
  }, 120_000);

  it('reads a consumer’s changelog: the latest value per key, tombstones removing keys, as kcat reads it', async () => {
    const topic = uniqueName('proj-changelog');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2, configs: { 'cleanup.policy': 'compact' } });
    produceWithKcat(kafka.bootstrap, topic, ['{"status":"PLACED"}', '{"status":"PAID"}'], {
      partition: 0,
      key: 'order-1',
    });
    produceWithKcat(kafka.bootstrap, topic, ['{"status":"PLACED"}'], { partition: 1, key: 'order-2' });
    produceWithKcat(kafka.bootstrap, topic, ['not json'], { partition: 1, key: 'order-3' });
    produceWithKcat(kafka.bootstrap, topic, ['{"status":"PLACED"}'], { partition: 0, key: 'order-4' });
    // A tombstone for order-4 (kcat -Z: an empty value is a null value).
    execFileSync('kcat', ['-b', kafka.bootstrap, '-P', '-t', topic, '-p', '0', '-Z', '-K', ':'], {
      input: 'order-4:\n',
    });
    const state = await host.client.call('projections.readChangelog', { connectionId, topic });
    const byKey = Object.fromEntries(state.entries.map((e) => [e.key, e.value]));
    expect(byKey).toEqual({ 'order-1': { status: 'PAID' }, 'order-2': { status: 'PLACED' }, 'order-3': 'not json' });
    expect(state).toMatchObject({ records: 6, notJson: 1, truncated: false });
    const limited = await host.client.call('projections.readChangelog', { connectionId, topic, maxKeys: 1 });
    expect(limited.truncated).toBe(true);
    expect(limited.entries).toHaveLength(1);
    await expect(
      host.client.call('projections.readChangelog', { connectionId, topic: uniqueName('nope') }),
    ).rejects.toMatchObject({ code: 'UNKNOWN_TOPIC' });
  });
});
