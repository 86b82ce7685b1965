// Partition leadership moves during a tail, on a real three-node cluster: because the leader
// shuts down (controlled shutdown hands leadership to another replica; the old leader's
// connection goes away), because the preferred leader is elected back (the former leader,
// now a follower, may still answer), and because the partition is moved off the broker the
// tail reads from (which then answers NOT_LEADER_OR_FOLLOWER). The tail follows each time:
// every record once, in order, none missed. This file runs its own cluster.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startCluster, type RunningCluster } from '../harness/cluster.ts';
import {
  createTopicWithKafkaTool,
  electPreferredLeaderWithKafkaTool,
  reassignPartitionWithKafkaTool,
} from '../harness/kafka-tools.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { startInProcessHost, type TestHost } from '../support/in-process-host.ts';
import { startTail } from '../support/tail-probe.ts';

const TOPIC = 'leader-moves';

describe('tail across partition leader changes', () => {
  let cluster: RunningCluster;
  let host: TestHost;

  beforeAll(async () => {
    cluster = await startCluster();
    host = await startInProcessHost();
    await host.client.call('connections.save', {
      profile: { id: 'trio', name: 'trio', bootstrap: cluster.bootstrap, connectTimeoutMs: 3_000 },
    });
  }, 240_000);
  afterAll(async () => {
    await host?.close();
    await cluster?.stop();
  });

  const partitionState = async (partition: number) => {
    const detail = await host.client.call('topics.describe', { connectionId: 'trio', topic: TOPIC });
    return detail.partitions.find((p) => p.partition === partition)!;
  };
  const until = async (what: string, check: () => Promise<boolean>, timeoutMs = 60_000): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (!(await check().catch(() => false))) {
      if (Date.now() > deadline) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
      await new Promise((r) => setTimeout(r, 250));
    }
  };
  const produce = (round: string, count: number) => {
    for (const partition of [0, 1])
      produceWithKcat(
        cluster.bootstrap,
        TOPIC,
        Array.from({ length: count }, (_, i) => `${round}-${partition}-${i}`),
        { partition },
      );
  };

  it('follows the leader when it shuts down, when the preferred leader is elected back, and when the partition moves off its broker', async () => {
    createTopicWithKafkaTool(cluster.nodes[0]!.address, TOPIC, { partitions: 2, replicationFactor: 3 });
    await until(
      'all replicas in sync',
      async () => (await partitionState(0)).isr.length === 3 && (await partitionState(1)).isr.length === 3,
    );
    produce('first', 300);
    const tail = startTail(host.client, { connectionId: 'trio', topic: TOPIC, from: { kind: 'earliest' } });
    await tail.until(() => tail.records.length === 600, 60_000);

    // 1. The leader of partition 0 shuts down: leadership moves to another replica.
    const firstLeader = (await partitionState(0)).leader;
    const leaderNode = cluster.nodes.find((n) => n.id === firstLeader)!;
    await leaderNode.stop();
    await until(
      'a new leader for partition 0',
      async () => ![firstLeader, -1].includes((await partitionState(0)).leader),
    );
    produce('second', 300);
    await tail.until(() => tail.records.length === 1_200, 90_000);

    // 2. The node comes back and is elected leader again: the tail's current leader refuses.
    await leaderNode.start();
    await until('the old leader back in sync', async () => (await partitionState(0)).isr.includes(firstLeader), 90_000);
    const preferred = (await partitionState(0)).replicas[0]!;
    if (preferred !== firstLeader)
      throw new Error(`partition 0's preferred leader is ${preferred}, not the first leader ${firstLeader}`);
    const eventsBeforeElection = tail.events.length;
    electPreferredLeaderWithKafkaTool(cluster.bootstrap, TOPIC, 0);
    await until('the preferred leader back', async () => (await partitionState(0)).leader === firstLeader);
    produce('third', 300);
    await tail.until(() => tail.records.length === 1_800, 90_000);

    // 3. The partition moves off its leader's broker altogether: that broker refuses the next Fetch.
    const others = cluster.nodes.map((n) => n.id).filter((id) => id !== firstLeader);
    reassignPartitionWithKafkaTool(cluster.bootstrap, TOPIC, 0, others);
    await until(
      'partition 0 moved off its leader',
      async () => {
        const p = await partitionState(0);
        return !p.replicas.includes(firstLeader) && others.includes(p.leader);
      },
      90_000,
    );
    produce('fourth', 300);
    await tail.until(() => tail.records.length === 2_400, 90_000);
    // About time passing: an outage said late, or a record delivered twice, would show within a second.
    await new Promise((r) => setTimeout(r, 1_000));
    // A refusal from a former leader is not an outage: the fetcher asks for the leaders again and goes on.
    expect(tail.events.slice(eventsBeforeElection).filter((e) => e.type === 'status' && e.phase === 'outage')).toEqual(
      [],
    );

    for (const partition of [0, 1]) {
      const seen = tail.records.filter((r) => r.partition === partition);
      expect(seen.map((r) => Number(r.offset))).toEqual(Array.from({ length: 1_200 }, (_, i) => i));
      const values = seen.map((r) => (r.value?.encoding === 'utf8' ? r.value.text : ''));
      expect(values).toEqual(
        ['first', 'second', 'third', 'fourth'].flatMap((round) =>
          Array.from({ length: 300 }, (_, i) => `${round}-${partition}-${i}`),
        ),
      );
    }
    expect(tail.events.some((e) => e.type === 'status' && e.phase === 'done')).toBe(false);
    tail.subscription.close();
  }, 400_000);
});
