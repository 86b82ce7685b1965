// Benchmark: list 10,000 topics with earliest/latest offsets through the API (rpc over an
// in-process wire to the real host service). Reference in the same run: `kcat -L`, which
// fetches the same metadata but no offsets. Goal (quality.md): under 2 s.
import { execFileSync } from 'node:child_process';
import kafkajs from 'kafkajs';
import { startInProcessHost } from '../support/in-process-host.ts';

export const TOPIC_COUNT = Number(process.env['BENCH_TOPIC_COUNT'] ?? 10_000);
const CREATE_BATCH = 500;
const RUNS = 5;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function timed(fn: () => Promise<unknown> | unknown): Promise<number> {
  const started = performance.now();
  await fn();
  return performance.now() - started;
}

export async function benchTopicListing(
  bootstrap: string,
  log: (line: string) => void,
): Promise<{ medianMs: number; kcatMs: number; topics: number }> {
  const admin = new kafkajs.Kafka({
    brokers: [bootstrap],
    logLevel: kafkajs.logLevel.NOTHING,
    requestTimeout: 120_000,
  }).admin();
  await admin.connect();
  const existing = new Set(await admin.listTopics());
  const names = Array.from({ length: TOPIC_COUNT }, (_, i) => `bench-topic-${String(i).padStart(5, '0')}`).filter(
    (n) => !existing.has(n),
  );
  const createStarted = performance.now();
  for (let i = 0; i < names.length; i += CREATE_BATCH) {
    await admin.createTopics({
      topics: names.slice(i, i + CREATE_BATCH).map((topic) => ({ topic, numPartitions: 1, replicationFactor: 1 })),
      waitForLeaders: false,
      timeout: 120_000,
    });
  }
  await admin.disconnect();
  log(
    `created ${names.length} topics in ${((performance.now() - createStarted) / 1000).toFixed(1)} s (${TOPIC_COUNT} bench topics in all)`,
  );

  const host = await startInProcessHost();
  try {
    await host.client.call('connections.save', { profile: { id: 'bench', name: 'bench', bootstrap } });
    let listed = 0;
    // Wait until every bench topic has a leader (creation returns before that).
    for (let attempt = 0; attempt < 120; attempt++) {
      const topics = await host.client.call('topics.list', { connectionId: 'bench' });
      listed = topics.filter((t) => t.name.startsWith('bench-topic-') && t.messageCount !== null).length;
      if (listed >= TOPIC_COUNT) break;
      await new Promise((r) => setTimeout(r, 1000));
    }
    if (listed < TOPIC_COUNT) throw new Error(`only ${listed} of ${TOPIC_COUNT} bench topics have offsets`);
    const runs: number[] = [];
    for (let i = 0; i < RUNS; i++)
      runs.push(await timed(() => host.client.call('topics.list', { connectionId: 'bench' })));
    const kcatRuns: number[] = [];
    for (let i = 0; i < RUNS; i++)
      kcatRuns.push(
        await timed(() =>
          execFileSync('kcat', ['-b', bootstrap, '-L', '-J'], {
            stdio: ['ignore', 'ignore', 'pipe'],
            maxBuffer: 1 << 30,
          }),
        ),
      );
    return { medianMs: median(runs), kcatMs: median(kcatRuns), topics: listed };
  } finally {
    await host.close();
  }
}
