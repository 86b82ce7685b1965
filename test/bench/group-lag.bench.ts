// Benchmark: lag for 1,000 consumer groups over a 100-partition topic, computed through the
// API (groups.list: list, describe, committed offsets, end offsets, time lag where it is cheap).
// Reference in the same run: Kafka's own ConsumerGroupCommand --describe --all-groups, which
// prints the same numbers for the same groups. Goal (issue 8): under 3 s.
import { performance } from 'node:perf_hooks';
import { ConnectionProfile } from '../../src/common/contract/dto.ts';
import { openClusterClient } from '../../src/node/kafka/index.ts';
import { runKafkaClass } from '../harness/broker.ts';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { startInProcessHost } from '../support/in-process-host.ts';

export const LAG_GROUPS = Number(process.env['BENCH_LAG_GROUPS'] ?? 1_000);
export const LAG_PARTITIONS = 100;
export const LAG_GOAL_MS = 3_000;
const RECORDS_PER_PARTITION = 50;
const RUNS = 3;
const TOPIC = 'bench-lag';
const groupName = (g: number): string => `bench-lag-group-${String(g).padStart(4, '0')}`;

export interface GroupLagBench {
  medianMs: number;
  runsMs: number[];
  groups: number;
  referenceMs: number;
  totalLag: bigint;
}

export async function benchGroupLag(bootstrap: string, log: (line: string) => void): Promise<GroupLagBench> {
  const setup = performance.now();
  try {
    createTopicWithKafkaTool(bootstrap, TOPIC, { partitions: LAG_PARTITIONS });
  } catch {
    // created by an earlier run on this cluster
  }
  for (let p = 0; p < LAG_PARTITIONS; p++)
    produceWithKcat(
      bootstrap,
      TOPIC,
      Array.from({ length: RECORDS_PER_PARTITION }, (_, i) => `r${p}-${i}`),
      { partition: p },
    );
  // The groups commit offsets only (no members): a standalone commit per group, as tools that
  // store offsets for a group do. Every group lags on every partition by a different amount.
  const client = await openClusterClient(
    ConnectionProfile.parse({ id: 'bench-setup', name: 'bench-setup', bootstrap, writable: true }),
    {},
  );
  try {
    const pending: Promise<void>[] = [];
    for (let g = 0; g < LAG_GROUPS; g++) {
      pending.push(
        client.commitOffsets(
          groupName(g),
          Array.from({ length: LAG_PARTITIONS }, (_, p) => ({
            topic: TOPIC,
            partition: p,
            offset: BigInt((g + p) % RECORDS_PER_PARTITION),
          })),
        ),
      );
      if (pending.length >= 25) await Promise.all(pending.splice(0));
    }
    await Promise.all(pending);
  } finally {
    await client.close();
  }
  log(
    `set up ${LAG_GROUPS} groups with offsets on ${LAG_PARTITIONS} partitions in ${((performance.now() - setup) / 1000).toFixed(1)} s`,
  );

  const host = await startInProcessHost();
  try {
    await host.client.call('connections.save', { profile: { id: 'bench', name: 'bench', bootstrap } });
    const runsMs: number[] = [];
    let groups = 0;
    let total = 0n;
    for (let i = 0; i < RUNS; i++) {
      const started = performance.now();
      const listed = await host.client.call('groups.list', { connectionId: 'bench' });
      runsMs.push(performance.now() - started);
      const ours = listed.filter((g) => g.groupId.startsWith('bench-lag-group-'));
      groups = ours.length;
      total = ours.reduce((sum, g) => sum + BigInt(g.totalLag ?? '0'), 0n);
      if (ours.some((g) => g.totalLag === null)) throw new Error('a bench group came back with no lag');
    }
    const refStarted = performance.now();
    runKafkaClass(
      'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand',
      ['--bootstrap-server', bootstrap, '--describe', '--all-groups'],
      { timeoutMs: 600_000 },
    );
    const referenceMs = performance.now() - refStarted;
    return {
      medianMs: [...runsMs].sort((a, b) => a - b)[Math.floor(RUNS / 2)]!,
      runsMs,
      groups,
      referenceMs,
      totalLag: total,
    };
  } finally {
    await host.close();
  }
}

export function groupLagReport(r: GroupLagBench): string[] {
  return [
    `eventscope groups.list: median ${r.medianMs.toFixed(0)} ms for ${r.groups} groups × ${LAG_PARTITIONS} partitions (runs ${r.runsMs.map((m) => m.toFixed(0)).join(', ')} ms; total lag ${r.totalLag.toLocaleString()}) — goal < ${LAG_GOAL_MS} ms: ${r.medianMs < LAG_GOAL_MS ? 'met' : 'NOT met'}`,
    `reference kafka-consumer-groups --describe --all-groups (JVM start included): ${r.referenceMs.toFixed(0)} ms`,
    `ratio eventscope / ConsumerGroupCommand: ${(r.medianMs / r.referenceMs).toFixed(2)}× the time`,
  ];
}
