// `eventscope replay`: a range of one or more topics, from a cluster or a capture file, through
// a projection (a JavaScript module, see README "Projections") in its sandbox — a worker thread
// with a memory limit and a time limit per batch (src/node/projections/node-sandbox.ts) — then
// the final state (per key when the projection is keyed) and the counts. Exit 0 with the state,
// 1 when the projection fails (the message names the file, the line and the event) or the
// cluster cannot be read, 2 for bad arguments.
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ConnectionProfile } from '../../common/contract/dto.ts';
import { ConnectionProfile as ProfileSchema } from '../../common/contract/dto.ts';
import { parseBootstrap } from '../../common/contract/bootstrap.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import { formatCount } from '../../common/format/numbers.ts';
import type { ClusterClient, Isolation, StartPosition } from '../kafka/index.ts';
import type { PartitionSource } from '../../common/projections/event-order.ts';
import type { ProjectionFailure, ProjectionOutcome } from '../../common/projections/projection-api.ts';
import { ProjectionFailedError } from '../../common/projections/projection-runner.ts';
import { replayIntoProjection, type ReplayedRange } from '../../common/projections/replay.ts';
import { clusterPartitionSources, type ReplayStop } from '../projections/cluster-sources.ts';
import { DEFAULT_MEMORY_LIMIT_MB, startProjectionSandbox } from '../projections/node-sandbox.ts';
import { DEFAULT_BATCH_TIME_LIMIT_MS } from '../../common/projections/projection-runner.ts';
import { parseFrom } from './cli-tail.ts';

/** The flags replay reads (parseArgs values). */
export interface ReplayFlags {
  projection?: string | undefined;
  topic?: string[] | undefined;
  bootstrap?: string | undefined;
  config?: string | undefined;
  timeout?: string | undefined;
  capture?: string | undefined;
  from?: string | undefined;
  to?: string | undefined;
  partition?: string[] | undefined;
  json?: boolean | undefined;
  isolation?: string | undefined;
  'time-limit'?: string | undefined;
  'memory-limit'?: string | undefined;
}

export interface ReplayDependencies {
  /**
   * Opens the cluster for --bootstrap/--config (cli.ts's connectionFromFlags + openClusterClient,
   * which reads --config files). Without it, --bootstrap alone is understood.
   */
  openCluster?: () => Promise<ClusterClient>;
}

export const REPLAY_USAGE =
  'eventscope replay --projection FILE --topic T [--topic T]… (--bootstrap HOST:PORT | --capture FILE) [--from POSITION] [--to OFFSET|time:ISO] [--partition P]… [--json]';

class ReplayUsageError extends Error {}

/** `--to`: an offset (N or offset:N) or a time (time:ISO-8601 or time:epoch-ms). */
export function parseTo(text: string): ReplayStop {
  const offset = /^(?:offset:)?(\d{1,19})$/.exec(text);
  if (offset) return { kind: 'offset', offset: BigInt(offset[1]!) };
  if (text.startsWith('time:')) {
    try {
      const at = parseFrom(text);
      if (at.kind === 'timestamp') return { kind: 'time', timestampMs: at.timestampMs };
    } catch (err) {
      throw new ReplayUsageError((err as Error).message.replace('--from', '--to'));
    }
  }
  throw new ReplayUsageError(
    `--to ${text}: use an offset (e.g. 1200, the last one replayed in each partition) or time:ISO-8601 (e.g. time:2026-11-26T10:00:00Z).`,
  );
}

function parseDuration(text: string, flag: string): number {
  const match = /^(\d{1,9})(ms|s|m)?$/.exec(text);
  if (!match || Number(match[1]) === 0)
    throw new ReplayUsageError(`${flag} ${text} is not a duration (e.g. 500ms, 10s, 2m).`);
  const n = Number(match[1]);
  return match[2] === 'ms' ? n : match[2] === 'm' ? n * 60_000 : match[2] === 's' ? n * 1000 : n;
}

interface ReplayPlan {
  projectionPath: string;
  topics: string[];
  source: { kind: 'cluster' } | { kind: 'capture'; path: string };
  from: StartPosition;
  to: ReplayStop | null;
  partitions: number[] | null;
  isolation?: Isolation;
  timeLimitMs: number;
  memoryLimitMb: number;
  json: boolean;
}

function planOf(values: ReplayFlags): ReplayPlan {
  if (!values.projection)
    throw new ReplayUsageError(
      'Say which projection to run: --projection FILE (a JavaScript module, see README "Projections").',
    );
  const topics = values.topic ?? [];
  if (topics.length === 0) throw new ReplayUsageError('Say which topic to replay: --topic T (repeat it for more).');
  const hasCluster = values.bootstrap !== undefined || values.config !== undefined;
  if (hasCluster && values.capture !== undefined)
    throw new ReplayUsageError(
      'Replay from a cluster (--bootstrap/--config) or from a capture (--capture FILE), not both.',
    );
  if (!hasCluster && values.capture === undefined)
    throw new ReplayUsageError(
      'Say where to read: --bootstrap HOST:PORT (a cluster) or --capture FILE (a capture file).',
    );
  let from: StartPosition;
  try {
    from = parseFrom(values.from ?? 'earliest');
  } catch (err) {
    throw new ReplayUsageError((err as Error).message);
  }
  const isolation = values.isolation;
  if (isolation !== undefined && isolation !== 'read_committed' && isolation !== 'read_uncommitted')
    throw new ReplayUsageError(`--isolation ${isolation}: use read_committed or read_uncommitted.`);
  const partitions =
    values.partition?.map((p) => {
      if (!/^\d{1,9}$/.test(p)) throw new ReplayUsageError(`--partition ${p} is not a partition number.`);
      return Number(p);
    }) ?? null;
  const memory = values['memory-limit'];
  if (memory !== undefined && (!/^\d{1,6}$/.test(memory) || Number(memory) < 16))
    throw new ReplayUsageError(`--memory-limit ${memory}: a number of megabytes, at least 16.`);
  return {
    projectionPath: values.projection,
    topics,
    source: values.capture !== undefined ? { kind: 'capture', path: values.capture } : { kind: 'cluster' },
    from,
    to: values.to === undefined ? null : parseTo(values.to),
    partitions: partitions ? [...new Set(partitions)] : null,
    ...(isolation !== undefined ? { isolation } : {}),
    timeLimitMs:
      values['time-limit'] === undefined
        ? DEFAULT_BATCH_TIME_LIMIT_MS
        : parseDuration(values['time-limit'], '--time-limit'),
    memoryLimitMb: memory === undefined ? DEFAULT_MEMORY_LIMIT_MB : Number(memory),
    json: values.json === true,
  };
}

/** --bootstrap alone (cli.ts passes openCluster for --config as well). */
async function openFromBootstrap(values: ReplayFlags): Promise<ClusterClient> {
  if (values.config !== undefined)
    throw new ReplayUsageError('--config needs the eventscope command (replayCommand was called without openCluster).');
  const parsed = parseBootstrap(values.bootstrap!);
  if (!parsed.ok) throw new ReplayUsageError(`--bootstrap: ${parsed.error}`);
  const draft: Record<string, unknown> = { id: 'cli', name: 'cli', bootstrap: values.bootstrap };
  if (values.timeout !== undefined) draft['connectTimeoutMs'] = Number(values.timeout);
  const profile = ProfileSchema.safeParse(draft);
  if (!profile.success)
    throw new ReplayUsageError(profile.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; '));
  const { openClusterClient } = await import('../kafka/index.ts');
  return openClusterClient(profile.data as ConnectionProfile, {});
}

interface OpenedSource {
  /** The partitions of the plan's range, to merge. */
  partitions(): Promise<{ sources: PartitionSource[]; close(): void }>;
  close(): Promise<void>;
}

/** Opens what to read from: a cluster (a read per partition), or a capture file (its log read directly, positions as its offline cluster gives them). */
async function openSource(
  plan: ReplayPlan,
  values: ReplayFlags,
  deps: ReplayDependencies,
  err: NodeJS.WritableStream,
): Promise<OpenedSource> {
  const options = {
    from: plan.from,
    to: plan.to,
    ...(plan.isolation ? { isolation: plan.isolation } : {}),
    onStatus: (message: string) => err.write(`eventscope: ${message}\n`),
  };
  if (plan.source.kind === 'cluster') {
    const client = await (deps.openCluster ? deps.openCluster() : openFromBootstrap(values));
    return {
      partitions: () => clusterPartitionSources(client, plan.topics, plan.partitions, options),
      close: () => client.close(),
    };
  }
  const [{ openCapture, CAPTURE_CLUSTER }, { OfflineCluster }, { logPartitionSources }] = await Promise.all([
    import('../log/capture-file.ts'),
    import('../log/offline-cluster.ts'),
    import('../projections/log-sources.ts'),
  ]);
  const { log, info } = openCapture(plan.source.path);
  const client = new OfflineCluster(log, CAPTURE_CLUSTER, info.name || basename(plan.source.path));
  return {
    partitions: () => logPartitionSources(client, log, CAPTURE_CLUSTER, plan.topics, plan.partitions, options),
    close: async () => {
      await client.close();
      log.close();
    },
  };
}

export async function replayCommand(
  values: ReplayFlags,
  out: NodeJS.WritableStream,
  err: NodeJS.WritableStream,
  deps: ReplayDependencies = {},
): Promise<number> {
  let plan: ReplayPlan;
  let source: string;
  try {
    plan = planOf(values);
    try {
      source = await readFile(plan.projectionPath, 'utf8');
    } catch (e) {
      throw new ReplayUsageError(
        `Cannot read --projection ${plan.projectionPath}: ${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : (e as Error).message}.`,
      );
    }
  } catch (e) {
    if (!(e instanceof ReplayUsageError)) throw e;
    err.write(`eventscope: ${e.message}\n\nUsage: ${REPLAY_USAGE}\n`);
    return 2;
  }
  const fileName = basename(plan.projectionPath);
  const runner = startProjectionSandbox({
    fileName,
    timeLimitMs: plan.timeLimitMs,
    memoryLimitMb: plan.memoryLimitMb,
    console: err,
  });
  let opened: OpenedSource | null = null;
  let closeSources: (() => void) | null = null;
  const started = performance.now();
  try {
    // The projection first: a syntax or shape error is said before anything is read.
    await runner.load(source);
    opened = await openSource(plan, values, deps, err);
    const { sources, close } = await opened.partitions();
    closeSources = close;
    const { outcome, ranges } = await replayIntoProjection(runner, sources);
    const elapsedMs = performance.now() - started;
    await write(
      out,
      plan.json
        ? JSON.stringify(jsonResult(fileName, outcome, ranges), null, 2) + '\n'
        : textResult(fileName, outcome, ranges, elapsedMs),
    );
    return 0;
  } catch (e) {
    if (e instanceof ProjectionFailedError) {
      err.write(`eventscope: ${e.failure.message}\n${excerpt(source, e.failure)}`);
      if (plan.json) await write(out, JSON.stringify({ failure: e.failure }, null, 2) + '\n');
      return 1;
    }
    if (e instanceof ReplayUsageError) {
      err.write(`eventscope: ${e.message}\n\nUsage: ${REPLAY_USAGE}\n`);
      return 2;
    }
    if (e instanceof EventscopeError) {
      err.write(`eventscope: ${e.message} [${e.code}]\n`);
      return 1;
    }
    throw e;
  } finally {
    closeSources?.();
    runner.terminate();
    await opened?.close().catch(() => undefined);
  }
}

const quietStreams = new WeakSet<object>();

/**
 * Writes the result. A closed pipe (`eventscope replay … | head`) is the reader's choice: not an
 * error, as for tail. Any other write error (a full disk) fails the command. A stream that failed
 * may say so again later: one listener per stream keeps that from being an unhandled 'error'.
 */
function write(out: NodeJS.WritableStream, text: string): Promise<void> {
  if (!quietStreams.has(out)) {
    quietStreams.add(out);
    out.on('error', () => undefined);
  }
  return new Promise((resolve, reject) => {
    out.write(text, (e?: Error | null) => {
      const code = (e as NodeJS.ErrnoException | null | undefined)?.code;
      if (!e || code === 'EPIPE') resolve();
      else reject(new EventscopeError('INTERNAL', `Cannot write the result: ${e.message}.`));
    });
  });
}

/** The line a failure points at, with the one before it, as people read it under the message. */
function excerpt(source: string, failure: ProjectionFailure): string {
  if (failure.line === null) return '';
  const lines = source.split('\n');
  const shown: string[] = [];
  const width = String(failure.line).length;
  for (let n = Math.max(1, failure.line - 1); n <= Math.min(lines.length, failure.line); n++) {
    shown.push(
      `  ${n === failure.line ? '>' : ' '} ${String(n).padStart(width)} | ${lines[n - 1]!.replace(/\t/g, '  ')}`,
    );
  }
  if (failure.column !== null && failure.column > 0)
    shown.push(`    ${' '.repeat(width)} | ${' '.repeat(Math.max(0, failure.column - 1))}^`);
  return shown.join('\n') + '\n';
}

function statesObject(states: [string, unknown][]): Record<string, unknown> {
  // fromEntries defines own properties: a key "__proto__" stays a key.
  return Object.fromEntries(states);
}

function jsonResult(fileName: string, outcome: ProjectionOutcome, ranges: ReplayedRange[]): Record<string, unknown> {
  return {
    projection: fileName,
    keyed: outcome.keyed,
    ...(outcome.keyed ? { states: statesObject(outcome.states) } : { state: outcome.state }),
    counts: outcome.counts,
    ranges,
  };
}

function textResult(fileName: string, outcome: ProjectionOutcome, ranges: ReplayedRange[], elapsedMs: number): string {
  const c = outcome.counts;
  const lines: string[] = [];
  lines.push(
    `Replayed ${formatCount(c.events)} event${c.events === 1 ? '' : 's'} through ${fileName} in ${(elapsedMs / 1000).toFixed(1)} s.`,
  );
  for (const r of ranges)
    lines.push(
      `  ${r.topic} partition ${r.partition}: offsets ${r.firstOffset}–${r.lastOffset}, ${formatCount(r.events)} event${r.events === 1 ? '' : 's'}`,
    );
  if (ranges.length === 0) lines.push('  (nothing in the range)');
  if (c.byType.length > 0 || c.untyped > 0) {
    lines.push('Events by type:');
    const width = Math.max(9, ...c.byType.map((t) => t.type.length));
    for (const t of c.byType)
      lines.push(`  ${t.type.padEnd(width)}  ${formatCount(t.events).padStart(9)}${t.handled ? '' : '  (no handler)'}`);
    if (c.untyped > 0) lines.push(`  ${'(no type)'.padEnd(width)}  ${formatCount(c.untyped).padStart(9)}`);
  }
  if (c.unmatched > 0)
    lines.push(
      `${formatCount(c.unmatched)} event${c.unmatched === 1 ? '' : 's'} no handler took (no handler for the type, no \`any\`).`,
    );
  if (c.unkeyed > 0)
    lines.push(
      `${formatCount(c.unkeyed)} event${c.unkeyed === 1 ? '' : 's'} skipped: keyBy returned null or undefined.`,
    );
  if (outcome.keyed) {
    lines.push(`State per key (${formatCount(outcome.states.length)} key${outcome.states.length === 1 ? '' : 's'}):`);
    lines.push(JSON.stringify(statesObject(outcome.states), null, 2));
  } else {
    lines.push('State:');
    lines.push(JSON.stringify(outcome.state, null, 2));
  }
  return lines.join('\n') + '\n';
}
