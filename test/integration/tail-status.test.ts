// What a following tail says about itself, over the contract against the real broker: while
// records stream in (a producer at ~1,000 records/s) it is "live", never "caught-up"; once
// they stop and everything is read it is "caught-up" (every partition within
// CAUGHT_UP_DISTANCE records of its end offset and no new record for CAUGHT_UP_QUIET_MS).
import kafkajs from 'kafkajs';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import type { TailEvent } from '../../src/common/contract/dto.ts';
import { CAUGHT_UP_QUIET_MS } from '../../src/node/tail/tail-session.ts';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { startInProcessHost, type TestHost } from '../support/in-process-host.ts';
import { startTail } from '../support/tail-probe.ts';
import { uniqueName } from '../support/unique.ts';

type StatusEvent = Extract<TailEvent, { type: 'status' }>;
const statuses = (events: TailEvent[]): StatusEvent[] => events.filter((e): e is StatusEvent => e.type === 'status');
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

describe('tail status', () => {
  const kafka = inject('kafka');
  let host: TestHost;
  const connectionId = 'status';

  beforeAll(async () => {
    host = await startInProcessHost();
    await host.client.call('connections.save', {
      profile: { id: connectionId, name: 'status', bootstrap: kafka.bootstrap },
    });
  });
  afterAll(async () => host?.close());

  it('is live, not caught-up, while ~1,000 records/s arrive, and caught-up once they stop and are read', async () => {
    const topic = uniqueName('tail-status');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 3 });
    for (let p = 0; p < 3; p++)
      produceWithKcat(
        kafka.bootstrap,
        topic,
        Array.from({ length: 1_000 }, (_, i) => `old-${p}-${i}`),
        { partition: p },
      );

    const tail = startTail(host.client, { connectionId, topic, from: { kind: 'earliest' } });
    try {
      // The records already there: catching up, then caught up once they are read and nothing new comes.
      await tail.until(() => statuses(tail.events).some((s) => s.phase === 'caught-up'), 20_000);
      expect(tail.records).toHaveLength(3_000);
      expect(statuses(tail.events)[0]).toMatchObject({
        phase: 'live',
        message: 'Catching up: 3,000 records to read before the end offsets.',
      });
      expect(statuses(tail.events).find((s) => s.phase === 'caught-up')!.message).toMatch(
        /^Caught up: every partition is read to its end offset, and no new record for 1 s\.$/,
      );

      const producer = new kafkajs.Kafka({ brokers: [kafka.bootstrap], logLevel: kafkajs.logLevel.NOTHING }).producer({
        createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
      });
      await producer.connect();
      const streamingFrom = tail.events.length;
      let produced = 0;
      const startedAt = Date.now();
      // 50 records every 50 ms for 4 s, spread over the partitions.
      for (let tick = 0; tick < 80; tick++) {
        await producer.send({
          topic,
          messages: Array.from({ length: 50 }, (_, i) => ({
            partition: (produced + i) % 3,
            value: `new-${produced + i}`,
          })),
        });
        produced += 50;
        await sleep(Math.max(0, startedAt + (tick + 1) * 50 - Date.now()));
      }
      const streamingTo = tail.events.length;
      const seconds = (Date.now() - startedAt) / 1000;
      await producer.disconnect();
      expect(produced / seconds).toBeGreaterThan(600); // a stream, not a trickle

      const whileStreaming = statuses(tail.events.slice(streamingFrom, streamingTo));
      // Said once when the stream began, not flapping with every fetch.
      expect(whileStreaming.map((s) => [s.phase, s.message])).toEqual([['live', 'Live: new records are arriving.']]);

      // Stopped: everything is read, then (after the quiet spell) caught up again.
      await tail.until(
        () =>
          tail.records.length === 3_000 + produced &&
          statuses(tail.events.slice(streamingTo)).some((s) => s.phase === 'caught-up'),
        20_000,
      );
      const caughtUp = statuses(tail.events.slice(streamingTo)).find((s) => s.phase === 'caught-up')!;
      expect(Object.values(caughtUp.nextOffsets).reduce((sum, o) => sum + Number(o), 0)).toBe(3_000 + produced);
      // Nothing said after that while nothing arrives.
      await sleep(CAUGHT_UP_QUIET_MS * 2);
      expect(statuses(tail.events).at(-1)).toBe(caughtUp);
    } finally {
      tail.subscription.close();
    }
  }, 60_000);

  it('a tail from "now" on a quiet topic is caught-up after the quiet spell, and live when a record comes', async () => {
    const topic = uniqueName('tail-status-quiet');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
    produceWithKcat(kafka.bootstrap, topic, ['before'], { partition: 0 });
    const tail = startTail(host.client, { connectionId, topic, from: { kind: 'latest' } });
    try {
      await tail.until(() => statuses(tail.events).some((s) => s.phase === 'caught-up'), 10_000);
      // Nothing was there to read: no "live" said before it.
      expect(statuses(tail.events).map((s) => s.phase)).toEqual(['caught-up']);
      produceWithKcat(kafka.bootstrap, topic, ['after'], { partition: 1 });
      await tail.until(() => tail.records.length === 1 && statuses(tail.events).length === 3, 10_000);
      expect(statuses(tail.events).map((s) => s.phase)).toEqual(['caught-up', 'live', 'caught-up']);
    } finally {
      tail.subscription.close();
    }
  }, 30_000);
});
