// Capture files and the sample capture: offline clusters that browse, tail and search like
// a cluster; export from the replay log and open again; bad files named clearly.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { decodePayload } from '../../src/common/codecs/payload.ts';
import { SAMPLE_CAPTURE_ID, type EventscopeService } from '../../src/node/host/eventscope-service.ts';
import { CAPTURE_CLUSTER } from '../../src/node/log/capture-file.ts';
import { ReplayLog } from '../../src/node/log/replay-log.ts';
import { RpcClient } from '../../src/common/rpc/client.ts';
import { makeSampleCapture, SAMPLE_CAPTURE_PATH } from '../../scripts/make-sample-capture.ts';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { startTail } from '../support/tail-probe.ts';
import { uniqueName } from '../support/unique.ts';
import { fileTempDir, testTempDir } from '../support/temp-dir.ts';
import { rpcClientOf, testServiceOn } from '../support/in-process-host.ts';

describe('captures and the sample capture', () => {
  const kafka = inject('kafka');
  let service: EventscopeService;
  let client: RpcClient;
  const dataDir = fileTempDir('es-captures-');

  beforeAll(() => {
    service = testServiceOn(dataDir, { sampleCapturePath: SAMPLE_CAPTURE_PATH });
    client = rpcClientOf(service).client;
  });
  afterAll(async () => {
    client.close();
    await service.close();
  });

  it('the committed sample capture is what scripts/make-sample-capture.ts makes', () => {
    const fresh = join(testTempDir('es-sample-'), 'sample.eventscope');
    makeSampleCapture(fresh);
    const a = new ReplayLog(SAMPLE_CAPTURE_PATH, { readOnly: true });
    const b = new ReplayLog(fresh, { readOnly: true });
    /** A topic's records in a capture as comparable rows. */
    const rowsOf = (log: ReplayLog, topic: string) =>
      [...log.scan(CAPTURE_CLUSTER, topic)]
        .flat()
        .map((r) => [
          r.partition,
          r.offset,
          r.timestampMs,
          r.key && Buffer.from(r.key).toString(),
          r.value && Buffer.from(r.value).toString(),
        ]);
    for (const topic of ['orders', 'payments']) {
      const left = rowsOf(a, topic);
      const right = rowsOf(b, topic);
      expect(left.length).toBeGreaterThan(1000);
      expect(left).toEqual(right);
    }
    a.close();
    b.close();
  });

  it('opens the sample capture at start as an offline cluster with its topics', async () => {
    const [sample] = await client.call('captures.list', {});
    expect(sample).toMatchObject({ id: SAMPLE_CAPTURE_ID, name: 'Sample capture', topics: 2 });
    expect(sample!.records).toBeGreaterThan(3000);
    const topics = await client.call('topics.list', { connectionId: SAMPLE_CAPTURE_ID });
    expect(topics.map((t) => [t.name, t.partitionCount])).toEqual([
      ['orders', 3],
      ['payments', 3],
    ]);
    const detail = await client.call('topics.describe', { connectionId: SAMPLE_CAPTURE_ID, topic: 'orders' });
    expect(detail.partitions.every((p) => p.earliestOffset === '0')).toBe(true);
    expect(topics[0]!.messageCount).toBe(String(detail.partitions.reduce((n, p) => n + Number(p.latestOffset), 0)));
  });

  it('tails the sample capture to its end, partitions interleaved in time order', async () => {
    const tail = startTail(client, { connectionId: SAMPLE_CAPTURE_ID, topic: 'orders', from: { kind: 'earliest' } });
    await tail.subscription.done;
    const topics = await client.call('topics.list', { connectionId: SAMPLE_CAPTURE_ID });
    expect(tail.records).toHaveLength(Number(topics.find((t) => t.name === 'orders')!.messageCount));
    const times = tail.records.map((r) => r.timestamp);
    expect(times).toEqual([...times].sort((x, y) => x - y));
    expect(tail.events.some((e) => e.type === 'status' && e.phase === 'done')).toBe(true);
    const tombstone = tail.records.find((r) => r.value === null);
    expect(tombstone?.key).toMatchObject({ text: 'ord_100007' });
  });

  it('searches the whole capture: JSON path, contains, regex; a bad regex is named', async () => {
    const run = async (filter: object) => {
      const matched: string[] = [];
      let last = { scanned: 0, total: 0, matched: 0 };
      const sub = client.subscribe(
        'log.search',
        { connectionId: SAMPLE_CAPTURE_ID, topic: 'payments', filter } as never,
        {
          onEvent: (e) => {
            if (e.type === 'progress') last = e;
            else matched.push(...e.records.map((r) => (r.value?.encoding === 'utf8' ? r.value.text : '')));
          },
        },
      );
      await sub.done;
      return { matched, last };
    };
    const failed = await run({ kind: 'jsonPath', path: '$.type', equals: 'PaymentFailed' });
    expect(failed.matched.length).toBeGreaterThan(10);
    expect(failed.matched.every((v) => JSON.parse(v).type === 'PaymentFailed')).toBe(true);
    expect(failed.last.scanned).toBe(failed.last.total);
    const contains = await run({ kind: 'contains', text: 'paymentfailed' });
    expect(contains.matched.length).toBe(failed.matched.length);
    const regex = await run({ kind: 'regex', pattern: '"reason":"(card_declined|expired_card)"', flags: '' });
    expect(regex.matched.length).toBeGreaterThan(0);
    expect(regex.matched.length).toBeLessThan(failed.matched.length + 1);
    const bad = client.subscribe(
      'log.search',
      { connectionId: SAMPLE_CAPTURE_ID, topic: 'payments', filter: { kind: 'regex', pattern: '(' } },
      { onEvent: () => undefined },
    );
    await expect(bad.done).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringContaining('regular expression'),
    });
  });

  it('pages through everything the log holds, partition by partition, to the end', async () => {
    let after: Record<string, string> = {};
    const seen: string[] = [];
    let total = 0;
    for (let pages = 0; pages < 100; pages++) {
      const page = await client.call('log.scanPage', {
        connectionId: SAMPLE_CAPTURE_ID,
        topic: 'orders',
        after,
        limit: 700,
        previewBytes: 1024,
      });
      seen.push(...page.records.map((r) => `${r.partition}:${r.offset}`));
      total = page.total;
      if (page.done) break;
      after = page.after;
    }
    expect(seen).toHaveLength(total);
    expect(new Set(seen).size).toBe(total);
  });

  it('exports what the log holds of a live topic to a capture file and opens it again', async () => {
    const topic = uniqueName('export');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
    produceWithKcat(kafka.bootstrap, topic, ['one', 'two', 'three'], { partition: 0 });
    produceWithKcat(kafka.bootstrap, topic, ['four'], { partition: 1 });
    await client.call('connections.save', { profile: { id: 'live', name: 'live', bootstrap: kafka.bootstrap } });
    const tail = startTail(client, { connectionId: 'live', topic, from: { kind: 'earliest' }, follow: false });
    await tail.subscription.done;
    const exported = await client.call('captures.export', { connectionId: 'live', topic });
    expect(exported.records).toBe(4);
    const opened = await client.call('captures.open', { path: exported.path });
    expect(opened).toMatchObject({ topics: 1, records: 4, source: kafka.bootstrap });
    const again = startTail(client, { connectionId: opened.id, topic, from: { kind: 'earliest' } });
    await again.subscription.done;
    expect(again.records.map((r) => new TextDecoder().decode(decodePayload(r.value)!)).sort()).toEqual([
      'four',
      'one',
      'three',
      'two',
    ]);
    const whole = await client.call('records.get', { connectionId: opened.id, topic, partition: 0, offset: '2' });
    expect(whole.value).toMatchObject({ text: 'three' });
    expect(await client.call('captures.close', { id: opened.id })).toEqual({ closed: true });
  });

  it('names what is wrong with a file that is not a capture', async () => {
    const dir = testTempDir('es-badcap-');
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    await expect(client.call('captures.open', { path: join(dir, 'notes.txt') })).rejects.toMatchObject({
      code: 'BAD_CONFIG',
      message: expect.stringContaining('not an Eventscope capture file'),
    });
    await expect(client.call('captures.open', { path: join(dir, 'missing.eventscope') })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
    const plainDb = new ReplayLog(join(dir, 'log.sqlite'));
    plainDb.close();
    await expect(client.call('captures.open', { path: join(dir, 'log.sqlite') })).rejects.toMatchObject({
      code: 'BAD_CONFIG',
      message: expect.stringContaining('format unknown'),
    });
  });
});
