// A tail asked to start at a time Kafka cannot look up (before 1970: negative timestamps are
// ListOffsets' special values, and an unknown one came back as "The version of API is not
// supported") is refused naming the field, through the same service the app uses.
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { startInProcessHost, type TestHost } from '../support/in-process-host.ts';
import { startTail } from '../support/tail-probe.ts';
import { uniqueName } from '../support/unique.ts';

describe('a start time before 1970', () => {
  const kafka = inject('kafka');
  let host: TestHost;
  const topic = uniqueName('early');
  beforeAll(async () => {
    host = await startInProcessHost();
    await host.client.call('connections.save', { profile: { id: 'c', name: 'c', bootstrap: kafka.bootstrap } });
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
  });
  afterAll(async () => host?.close());

  it.each([-86_400_000, -5, 1.5])(
    'timestamp %d is INVALID_PARAMS naming from.timestamp, not a Kafka error',
    async (timestamp) => {
      const tail = startTail(host.client, {
        connectionId: 'c',
        topic,
        from: { kind: 'timestamp', timestamp },
        follow: false,
      });
      await expect(tail.subscription.done).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        field: 'from.timestamp',
        message: expect.stringMatching(/from 1970-01-01T00:00:00Z on/),
      });
    },
  );

  it('time 0 (1970-01-01) is a time like any other', async () => {
    const tail = startTail(host.client, {
      connectionId: 'c',
      topic,
      from: { kind: 'timestamp', timestamp: 0 },
      follow: false,
    });
    await tail.subscription.done;
    expect(tail.events.some((e) => e.type === 'started')).toBe(true);
  });
});
