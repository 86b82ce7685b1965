// Samples the watched groups of one cluster every interval and stores each sample
// (lag-history-store.ts). The source that reads a group from the cluster is an interface: the
// host implements it over Kafka, tests script it.
//
// It never stops on an error. A group deleted while watched (notFound), a coordinator that is
// restarting, a broker that cannot be reached (the source throws), even a store that cannot
// write: each becomes the group's state — lastState(groupId) → { ok: false, message, at } —
// and the next tick tries again. Ticks never overlap: the next one is timed from the start of
// the one before and waits for it to end; sampleNow() joins a tick under way. stop() waits for
// the tick under way (its samples are stored), then no other starts.
import { formatDuration } from '../../common/format/durations.ts';
import { plural } from './lag-text.ts';
import type { PartitionSample } from './lag-history-store.ts';

export const DEFAULT_SAMPLE_INTERVAL_MS = 10_000;
const DEFAULT_CONCURRENCY = 4;

/** What the source read of one group: its state as the broker names it and every partition's offsets. */
export interface SampledGroup {
  /** Stable, Empty, PreparingRebalance, Dead… */
  state: string;
  /** The coordinator does not know the group (deleted, or never existed). */
  notFound: boolean;
  partitions: PartitionSample[];
}

export interface LagSampleSource {
  /** Reads one group's committed and log-end offsets; throws when it cannot (the sampler reports it and tries again next tick). */
  sampleGroup(groupId: string): Promise<SampledGroup>;
}

/** What the sampler needs of the store. */
export interface LagSampleSink {
  watched(cluster: string): string[];
  addSample(cluster: string, groupId: string, at: number, partitions: readonly PartitionSample[]): void;
}

export interface SamplerTimers {
  setTimeout(run: () => void, ms: number): unknown;
  clearTimeout(handle: unknown): void;
}

export interface LagSamplerOptions {
  cluster: string;
  source: LagSampleSource;
  store: LagSampleSink;
  /** Default 10 s. */
  intervalMs?: number;
  /** Groups read at once. Default 4. */
  concurrency?: number;
  /** ms since epoch; default Date.now. */
  clock?: () => number;
  /** Default: the global setTimeout/clearTimeout. */
  timers?: SamplerTimers;
  /** After each group's attempt, with its new state. */
  onState?: (groupId: string, state: SamplerGroupState) => void;
}

export interface SamplerGroupState {
  /** The last attempt stored a sample. */
  ok: boolean;
  /** For people: what was sampled, or what went wrong and that it will be tried again. */
  message: string;
  /** When the last attempt started (ms). */
  at: number;
  /** The group's state as the broker named it; null when it could not be read. */
  groupState: string | null;
}

const realTimers: SamplerTimers = {
  setTimeout: (run, ms) => setTimeout(run, ms),
  clearTimeout: (handle) => clearTimeout(handle as ReturnType<typeof setTimeout>),
};

export class LagSampler {
  readonly cluster: string;
  readonly intervalMs: number;
  private readonly source: LagSampleSource;
  private readonly store: LagSampleSink;
  private readonly concurrency: number;
  private readonly clock: () => number;
  private readonly timers: SamplerTimers;
  private readonly onState: ((groupId: string, state: SamplerGroupState) => void) | undefined;
  private readonly states = new Map<string, SamplerGroupState>();
  private timer: unknown = null;
  private inFlight: Promise<void> | null = null;
  /** Changes on every start and stop: a tick of an earlier run does not schedule the next. */
  private run = 0;
  private started = false;

  constructor(options: LagSamplerOptions) {
    this.cluster = options.cluster;
    this.source = options.source;
    this.store = options.store;
    this.intervalMs = options.intervalMs ?? DEFAULT_SAMPLE_INTERVAL_MS;
    if (!(this.intervalMs > 0)) throw new RangeError(`intervalMs must be above 0 (was ${this.intervalMs})`);
    this.concurrency = Math.max(1, Math.floor(options.concurrency ?? DEFAULT_CONCURRENCY));
    this.clock = options.clock ?? Date.now;
    this.timers = options.timers ?? realTimers;
    this.onState = options.onState;
  }

  get running(): boolean {
    return this.started;
  }

  /** Samples at once, then every intervalMs. Starting a started sampler does nothing. */
  start(): void {
    if (this.started) return;
    this.started = true;
    const run = ++this.run;
    this.schedule(run, 0);
  }

  /** No more ticks; resolves once the tick under way (if any) has ended. */
  async stop(): Promise<void> {
    this.started = false;
    this.run++;
    if (this.timer !== null) {
      this.timers.clearTimeout(this.timer);
      this.timer = null;
    }
    await this.inFlight;
  }

  /** Samples every watched group now (or joins the tick under way). Never rejects. */
  sampleNow(): Promise<void> {
    if (!this.inFlight) {
      this.inFlight = this.tick().finally(() => {
        this.inFlight = null;
      });
    }
    return this.inFlight;
  }

  /** The last attempt's outcome for a watched group; null before its first attempt. */
  lastState(groupId: string): SamplerGroupState | null {
    return this.states.get(groupId) ?? null;
  }

  private schedule(run: number, delayMs: number): void {
    this.timer = this.timers.setTimeout(() => {
      this.timer = null;
      void this.tickThenSchedule(run);
    }, delayMs);
  }

  private async tickThenSchedule(run: number): Promise<void> {
    if (run !== this.run) return;
    const startedAt = this.clock();
    await this.sampleNow();
    if (run !== this.run || this.timer !== null) return;
    this.schedule(run, Math.max(0, this.intervalMs - (this.clock() - startedAt)));
  }

  private async tick(): Promise<void> {
    let groups: string[];
    try {
      groups = this.store.watched(this.cluster);
    } catch (err) {
      // The store cannot be read (closed, damaged): say so for every group known, try again next tick.
      const at = this.clock();
      for (const groupId of this.states.keys())
        this.setState(groupId, {
          ok: false,
          message: `Could not read the watched groups: ${messageOf(err)}. Trying again in ${formatDuration(this.intervalMs)}.`,
          at,
          groupState: null,
        });
      return;
    }
    const watched = new Set(groups);
    for (const groupId of [...this.states.keys()]) if (!watched.has(groupId)) this.states.delete(groupId);
    let next = 0;
    const worker = async (): Promise<void> => {
      while (next < groups.length) await this.sampleGroup(groups[next++]!);
    };
    await Promise.all(Array.from({ length: Math.min(this.concurrency, groups.length) }, worker));
  }

  private async sampleGroup(groupId: string): Promise<void> {
    const at = this.clock();
    const again = `trying again in ${formatDuration(this.intervalMs)}`;
    let reading: SampledGroup;
    try {
      reading = await this.source.sampleGroup(groupId);
    } catch (err) {
      this.setState(groupId, {
        ok: false,
        message: `Could not read group "${groupId}": ${messageOf(err)}; ${again}.`,
        at,
        groupState: null,
      });
      return;
    }
    if (reading.notFound) {
      this.setState(groupId, {
        ok: false,
        message: `Group "${groupId}" does not exist on this cluster (deleted?); still watched, ${again}.`,
        at,
        groupState: reading.state,
      });
      return;
    }
    try {
      this.store.addSample(this.cluster, groupId, at, reading.partitions);
    } catch (err) {
      this.setState(groupId, {
        ok: false,
        message: `Could not store the lag of group "${groupId}": ${messageOf(err)}; ${again}.`,
        at,
        groupState: reading.state,
      });
      return;
    }
    const committed = reading.partitions.filter((p) => p.committed !== null).length;
    const message =
      reading.partitions.length === 0
        ? `Sampled: group "${groupId}" (${reading.state}) has no committed offsets.`
        : `Sampled ${plural(reading.partitions.length, 'partition')} of group "${groupId}" (${reading.state})${committed < reading.partitions.length ? `, ${plural(reading.partitions.length - committed, 'partition')} with no committed offset` : ''}.`;
    this.setState(groupId, { ok: true, message, at, groupState: reading.state });
  }

  private setState(groupId: string, state: SamplerGroupState): void {
    this.states.set(groupId, state);
    try {
      this.onState?.(groupId, state);
    } catch {
      // A listener's failure is not the sampler's.
    }
  }
}

function messageOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
