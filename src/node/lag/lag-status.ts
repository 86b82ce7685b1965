// A consumer group's status from its recent lag, by Burrow's evaluation rules (LinkedIn's
// Burrow, "Consumer Lag Evaluation Rules"; implemented here, not copied): no thresholds, each
// partition is judged on a sliding window of its last samples, the group is its worst
// partition. Pure: no clock, no I/O.
//
// Burrow's window holds the offsets a consumer committed; ours holds samples taken every
// interval (committed offset and log-end offset read together), so "the consumer committed"
// becomes "the committed offset changed between two samples".
//
// Window: the last DEFAULT_WINDOW_SAMPLES samples of one partition, oldest first. Samples
// before the last one without a committed offset are dropped (nothing to judge before the
// first commit, or before offsets were deleted and committed again); fewer than
// MIN_SAMPLES_TO_EVALUATE left: not evaluated (null).
//
// lag(sample) = max(0, end − committed). span = last.at − first.at.
// lastChangeAt = the time of the first sample showing the current committed offset; when it is
// the same all through the window, the samples before the window (where the caller has them,
// evaluateGroupWindows) say since when: an offset stuck since before the window is STOP.
// now = the time of the evaluation, a parameter: the time of the latest sampling attempt for
// the group (a failed attempt too). It defaults to the last sample's time, so a window judged
// right after it was sampled is never STOP; it becomes STOP when attempts go on without new
// samples (the group was deleted, the coordinator cannot be reached) — pass the wall clock
// only where that is what is wanted.
//
// Rules, first match wins (REWIND > zero lag > STOP > STALL > WARN > OK):
// 1. REWIND: the committed offset went backwards between two samples of the window, and lag
//    has not been 0 since (a rewind the consumer has caught up from is over; as Burrow does
//    since its PR #716, a rewind is reported even when lag was 0 before it).
// 2. OK: lag was 0 at some sample of the window (Burrow's first rule: a window that touches
//    zero lag is fine) — this also covers "lag 0 now".
// 3. STOP: now − lastChangeAt > span: the offset has not moved for longer than the window
//    (Burrow: the consumer has not committed for longer than the window), lag > 0.
// 4. STALL: the committed offset is the same at every sample of the window, lag > 0 at every
//    sample (the consumer is there but does not advance).
// 5. WARN: the offset moved, lag never decreased from one sample to the next and ended
//    higher than it started (the consumer is falling behind).
// 6. OK otherwise.
//
// Group: the worst partition (REWIND > STOP > STALL > WARN > OK; equal levels: the larger
// lag, then topic and partition order); STALL, STOP and REWIND are ERR, WARN is WARN, all OK
// is OK, nothing evaluated is UNKNOWN. Its reason is the worst partition's reason.
import type {
  GroupStatus,
  GroupStatusLevel,
  PartitionStatus,
  PartitionStatusLevel,
} from '../../common/contract/group-dto.ts';
import { formatCount } from '../../common/format/numbers.ts';
import { formatDuration } from '../../common/format/durations.ts';
import { partitionName, plural } from './lag-text.ts';
import { byTopicPartition } from './partition-lag.ts';

export const DEFAULT_WINDOW_SAMPLES = 10;
export const MIN_SAMPLES_TO_EVALUATE = 3;

/** One sample of one partition: when, the group's committed offset (null: none), the log-end offset. */
export interface LagWindowSample {
  at: number;
  committed: bigint | null;
  end: bigint;
}

export interface PartitionWindow {
  topic: string;
  partition: number;
  /** Oldest first. */
  samples: readonly LagWindowSample[];
}

export interface EvaluatedPartition {
  topic: string;
  partition: number;
  /** null: not evaluated (too few samples with a committed offset). */
  status: PartitionStatus | null;
  /** Lag now (a decimal string as the contract's PartitionLag carries it, or bigint); null where nothing is committed. */
  lag?: bigint | string | null;
}

const SEVERITY: Record<PartitionStatusLevel, number> = { OK: 0, WARN: 1, STALL: 2, STOP: 3, REWIND: 4 };

/**
 * The status of one partition from its window (oldest first), or null when it cannot be
 * evaluated yet. now: the time of the evaluation (ms), default the last sample's (see the header).
 */
export function evaluatePartition(
  topic: string,
  partition: number,
  window: readonly LagWindowSample[],
  now?: number,
  unchangedSince?: number,
): PartitionStatus | null {
  const sorted = [...window].sort((a, b) => a.at - b.at);
  let from = sorted.length;
  while (from > 0 && sorted[from - 1]!.committed !== null) from--;
  const samples = sorted.slice(from) as (LagWindowSample & { committed: bigint })[];
  if (samples.length < MIN_SAMPLES_TO_EVALUATE) return null;

  const name = partitionName(topic, partition);
  const first = samples[0]!;
  const last = samples[samples.length - 1]!;
  const lags = samples.map((s) => (s.end > s.committed ? s.end - s.committed : 0n));
  const firstLag = lags[0]!;
  const lastLag = lags[lags.length - 1]!;
  const evaluatedAt = Math.max(now ?? last.at, last.at);
  const span = last.at - first.at;

  // 1. REWIND: the last step back, unless lag reached 0 after it.
  let rewoundAt = -1;
  for (let i = 1; i < samples.length; i++) if (samples[i]!.committed < samples[i - 1]!.committed) rewoundAt = i;
  if (rewoundAt > 0 && !lags.slice(rewoundAt).some((lag) => lag === 0n)) {
    const before = samples[rewoundAt - 1]!.committed;
    const after = samples[rewoundAt]!.committed;
    return {
      level: 'REWIND',
      reason: `${name}: offset went back from ${formatCount(before)} to ${formatCount(after)} and is ${formatCount(lastLag)} behind`,
    };
  }

  // 2. Lag 0 somewhere in the window: OK.
  if (lastLag === 0n) return { level: 'OK', reason: `${name}: caught up` };
  if (lags.some((lag) => lag === 0n))
    return {
      level: 'OK',
      reason: `${name}: ${formatCount(lastLag)} behind, caught up within the last ${formatDuration(evaluatedAt - first.at)}`,
    };

  let unchangedFrom = samples.length - 1;
  while (unchangedFrom > 0 && samples[unchangedFrom - 1]!.committed === last.committed) unchangedFrom--;
  // From a longer history than the window where the caller has one: an offset stuck since
  // before the window is stuck for longer than it (STOP), not just across it (STALL).
  const lastChangeAt =
    unchangedFrom === 0 && unchangedSince !== undefined
      ? Math.min(samples[0]!.at, unchangedSince)
      : samples[unchangedFrom]!.at;

  // 3. STOP: not moved for longer than the window spans.
  if (evaluatedAt - lastChangeAt > span) {
    return {
      level: 'STOP',
      reason: `${name}: offset ${formatCount(last.committed)} has not moved for ${formatDuration(evaluatedAt - lastChangeAt)}, longer than the ${formatDuration(span)} window, while ${formatCount(lastLag)} behind`,
    };
  }

  // 4. STALL: the same offset all through the window (lag > 0 at every sample: rule 2).
  if (unchangedFrom === 0) {
    return {
      level: 'STALL',
      reason: `${name}: offset ${formatCount(last.committed)} unchanged for ${formatDuration(evaluatedAt - lastChangeAt)} while ${formatCount(lastLag)} behind`,
    };
  }

  // 5. WARN: committing, but lag never fell and ended higher.
  let neverDecreased = true;
  for (let i = 1; i < lags.length; i++) if (lags[i]! < lags[i - 1]!) neverDecreased = false;
  if (neverDecreased && lastLag > firstLag) {
    return {
      level: 'WARN',
      reason: `${name}: falling behind: lag grew from ${formatCount(firstLag)} to ${formatCount(lastLag)} in ${formatDuration(span)} while committing`,
    };
  }

  // 6. OK.
  if (lastLag < firstLag)
    return {
      level: 'OK',
      reason: `${name}: catching up: lag fell from ${formatCount(firstLag)} to ${formatCount(lastLag)} in ${formatDuration(span)}`,
    };
  return { level: 'OK', reason: `${name}: consuming, ${formatCount(lastLag)} behind` };
}

/** The time of the first of the last samples (oldest first) that show the current committed offset. */
function unchangedSince(samples: readonly LagWindowSample[]): number | undefined {
  const last = samples[samples.length - 1];
  if (!last || last.committed === null) return undefined;
  let i = samples.length - 1;
  while (i > 0 && samples[i - 1]!.committed === last.committed) i--;
  return samples[i]!.at;
}

/** Lag at a window's last sample; null where it has no committed offset. */
function lastLagOf(window: readonly LagWindowSample[]): bigint | null {
  let last: LagWindowSample | undefined;
  for (const s of window) if (!last || s.at >= last.at) last = s;
  if (!last || last.committed === null) return null;
  return last.end > last.committed ? last.end - last.committed : 0n;
}

export function groupLevel(level: PartitionStatusLevel): GroupStatusLevel {
  return level === 'OK' ? 'OK' : level === 'WARN' ? 'WARN' : 'ERR';
}

/** The group's status from its partitions' statuses: the worst partition's. */
export function evaluateGroup(partitions: readonly EvaluatedPartition[]): GroupStatus {
  const evaluated = partitions.filter((p): p is EvaluatedPartition & { status: PartitionStatus } => p.status !== null);
  if (evaluated.length === 0) {
    if (partitions.length === 0)
      return { level: 'UNKNOWN', reason: 'not evaluated: no partition with a committed offset has been sampled yet' };
    return {
      level: 'UNKNOWN',
      reason: `not evaluated yet: a status needs ${MIN_SAMPLES_TO_EVALUATE} samples of a partition's committed offset`,
    };
  }
  const worst = [...evaluated].sort((a, b) => {
    const severity = SEVERITY[b.status.level] - SEVERITY[a.status.level];
    if (severity !== 0) return severity;
    const lagA = lagValue(a.lag);
    const lagB = lagValue(b.lag);
    if (lagA !== lagB) return lagB > lagA ? 1 : -1;
    return byTopicPartition(a, b);
  })[0]!;
  const level = groupLevel(worst.status.level);
  const unevaluated = partitions.length - evaluated.length;
  const notYet = unevaluated > 0 ? `; ${plural(unevaluated, 'partition')} not evaluated yet` : '';
  if (level === 'OK') {
    const worstLag = lagValue(worst.lag);
    const behind =
      worstLag > 0n
        ? `; the furthest behind is ${partitionName(worst.topic, worst.partition)} (${formatCount(worstLag)})`
        : '';
    return { level, reason: `${plural(evaluated.length, 'partition')} OK${behind}${notYet}` };
  }
  const alike = evaluated.filter((p) => p !== worst && groupLevel(p.status.level) === level).length;
  const more =
    alike > 0
      ? ` (and ${formatCount(alike)} more ${alike === 1 ? 'partition' : 'partitions'} ${level === 'ERR' ? 'in error' : 'falling behind'})`
      : '';
  return { level, reason: `${worst.status.reason}${more}` };
}

/**
 * Every partition's status and the group's, from the partitions' samples (as
 * LagHistoryStore.window gives them). Each is judged on its last `windowSamples`; the samples
 * before them only tell since when its offset has been what it is now (STOP).
 */
export function evaluateGroupWindows(
  windows: readonly PartitionWindow[],
  now?: number,
  windowSamples: number = DEFAULT_WINDOW_SAMPLES,
): { status: GroupStatus; partitions: (EvaluatedPartition & { lag: bigint | null })[] } {
  const partitions = windows
    .map((w) => {
      const all = [...w.samples].sort((a, b) => a.at - b.at);
      return {
        topic: w.topic,
        partition: w.partition,
        status: evaluatePartition(w.topic, w.partition, all.slice(-windowSamples), now, unchangedSince(all)),
        lag: lastLagOf(w.samples),
      };
    })
    .sort(byTopicPartition);
  return { status: evaluateGroup(partitions), partitions };
}

function lagValue(lag: bigint | string | null | undefined): bigint {
  if (lag === null || lag === undefined) return -1n;
  return typeof lag === 'bigint' ? lag : /^\d+$/.test(lag) ? BigInt(lag) : -1n;
}
