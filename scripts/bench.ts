// npm run bench: each capability's benchmark, with a reference measured in the same run on
// the same broker. Prints figures and ratios; asserts nothing (timings are noisy here).
import { benchBulkFetch, BULK_RECORDS, bulkFetchReport } from '../test/bench/bulk-fetch.bench.ts';
import { benchDecoder, DECODE_RECORDS, describeDecoderBench } from '../test/bench/decoder.bench.ts';
import { benchCliTail, CLI_RECORDS, cliTailReport } from '../test/bench/cli-tail.bench.ts';
import { benchLiveTail, TAIL_RATE, TAIL_RECORDS } from '../test/bench/live-tail.bench.ts';
import { benchTopicListing, TOPIC_COUNT } from '../test/bench/topic-listing.bench.ts';
import { benchGroupLag, groupLagReport, LAG_GROUPS, LAG_PARTITIONS } from '../test/bench/group-lag.bench.ts';
import {
  benchBigProjection,
  benchProjectionReplay,
  bigProjectionReport,
  PROJECTION_BIG_EVENTS,
  PROJECTION_EVENTS,
  projectionReplayReport,
} from '../test/bench/projection-replay.bench.ts';
import { endpointsFromEnv, startBroker, type RunningBroker } from '../test/harness/broker.ts';
import { stage } from './run-steps.ts';

const LIST_GOAL_MS = 2_000;

async function main(): Promise<void> {
  const external = endpointsFromEnv();
  if (external && process.env['EVENTSCOPE_BENCH_ALLOW_EXTERNAL'] !== '1') {
    throw new Error(
      `KAFKA_BOOTSTRAP_SERVERS is set, but the benchmarks create ${TOPIC_COUNT} topics. Set EVENTSCOPE_BENCH_ALLOW_EXTERNAL=1 if that cluster may take them, or unset it to use the harness broker.`,
    );
  }
  let broker: RunningBroker | null = null;
  stage('kafka broker');
  const bootstrap =
    external?.bootstrap ??
    (broker = await startBroker((l) => process.stdout.write(`[kafka-harness] ${l}\n`))).bootstrap;
  // BENCH_ONLY=fetch|tail|cli|decode|lag|projection|topics, or several comma-separated.
  const only = process.env['BENCH_ONLY']?.split(',');
  const runs = (name: string): boolean => !only || only.includes(name);
  try {
    if (runs('fetch')) {
      stage(
        `bulk fetch: ${BULK_RECORDS.toLocaleString()} records, 6 partitions, from the beginning to the end; JSON values, then random ones`,
      );
      const f = await benchBulkFetch(bootstrap, (l) => process.stdout.write(`${l}\n`));
      process.stdout.write(bulkFetchReport(f).join('\n') + '\n');
    }
    if (runs('tail')) {
      stage(
        `live tail in Chromium: ${TAIL_RECORDS.toLocaleString()} records produced at ${TAIL_RATE.toLocaleString()}/s`,
      );
      const t = await benchLiveTail(bootstrap, (l) => process.stdout.write(`${l}\n`));
      const heap = t.heapMb;
      const quarter = heap[Math.floor(heap.length / 4)] ?? 0;
      process.stdout.write(
        [
          `produced ${t.produced.toLocaleString()} at ${Math.round(t.producedRate).toLocaleString()} records/s; the UI received ${t.received.toLocaleString()} (${t.received === t.produced ? 'every record' : 'NOT every record'})`,
          `produce→visible latency of rows shown: p50 ${Math.round(t.latencyP50)} ms, p95 ${Math.round(t.latencyP95)} ms over ${t.latencySamples.toLocaleString()} rows (goal p95 < 250 ms: ${t.latencyP95 < 250 ? 'met' : 'NOT met'})`,
          `renderer JS heap: ${quarter} MB at a quarter of the run, ${heap[heap.length - 1] ?? 0} MB at the end, max ${Math.max(...heap)} MB (goal: flat, < 300 MB: ${Math.max(...heap) < 300 ? 'met' : 'NOT met'})`,
        ].join('\n') + '\n',
      );
    }
    if (runs('cli')) {
      stage(
        `command line: tail ${CLI_RECORDS.toLocaleString()} records (200 B values, 6 partitions) from the beginning to the end, plain and --json, against kcat`,
      );
      const c = await benchCliTail(bootstrap, (l) => process.stdout.write(`${l}\n`));
      process.stdout.write(cliTailReport(c).join('\n') + '\n');
    }
    if (runs('decode')) {
      stage(
        `record-batch decoding: ${DECODE_RECORDS.toLocaleString()} records, with and without the CRC-32C check (no broker)`,
      );
      const d = await benchDecoder((l) => process.stdout.write(`${l}\n`));
      process.stdout.write(describeDecoderBench(d).join('\n') + '\n');
    }
    if (runs('projection')) {
      stage(
        `projection replay: ${PROJECTION_EVENTS.toLocaleString()} JSON events from the replay log through a projection in its sandbox, against a bare loop (no broker)`,
      );
      const p = await benchProjectionReplay((l) => process.stdout.write(`${l}\n`));
      process.stdout.write(projectionReplayReport(p).join('\n') + '\n');
      if (PROJECTION_BIG_EVENTS > 0) {
        stage(
          `projection replay, long: a keyed projection over ${PROJECTION_BIG_EVENTS.toLocaleString()} events of a capture file, with the memory of the host and the worker (BENCH_PROJECTION_BIG_EVENTS; 0: skip)`,
        );
        const big = await benchBigProjection(PROJECTION_BIG_EVENTS, (l) => process.stdout.write(`${l}\n`));
        process.stdout.write(bigProjectionReport(big).join('\n') + '\n');
      }
    }
    if (runs('lag')) {
      stage(`consumer lag: ${LAG_GROUPS.toLocaleString()} groups over ${LAG_PARTITIONS} partitions through the API`);
      const g = await benchGroupLag(bootstrap, (l) => process.stdout.write(`${l}\n`));
      process.stdout.write(groupLagReport(g).join('\n') + '\n');
    }
    if (!runs('topics')) return;
    stage(`topic listing: ${TOPIC_COUNT} topics with earliest/latest offsets through the API`);
    const r = await benchTopicListing(bootstrap, (l) => process.stdout.write(`${l}\n`));
    process.stdout.write(
      [
        `eventscope topics.list (metadata + offsets): median ${r.medianMs.toFixed(0)} ms for ${r.topics} topics — goal < ${LIST_GOAL_MS} ms: ${r.medianMs < LIST_GOAL_MS ? 'met' : 'NOT met'}`,
        `reference kcat -L -J (metadata only):        median ${r.kcatMs.toFixed(0)} ms`,
        `ratio eventscope / kcat: ${(r.medianMs / r.kcatMs).toFixed(2)}× the time (kcat fetches no offsets)`,
      ].join('\n') + '\n',
    );
  } finally {
    if (broker) {
      stage('stopping the kafka broker');
      await broker.stop();
    }
  }
}

await main();
