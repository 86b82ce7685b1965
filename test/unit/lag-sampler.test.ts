import { describe, expect, it, vi } from 'vitest';
import { LagHistoryStore, type PartitionSample } from '../../src/node/lag/lag-history-store.ts';
import {
  LagSampler,
  type LagSampleSink,
  type SampledGroup,
  type SamplerTimers,
} from '../../src/node/lag/lag-sampler.ts';

const T0 = 1_700_000_000_000;

/** A clock and timers driven by the test. */
class ManualTime implements SamplerTimers {
  now = T0;
  private nextId = 1;
  private timers: { id: number; at: number; run: () => void }[] = [];

  readonly clock = (): number => this.now;
  setTimeout(run: () => void, ms: number): unknown {
    const id = this.nextId++;
    this.timers.push({ id, at: this.now + ms, run });
    return id;
  }
  clearTimeout(handle: unknown): void {
    this.timers = this.timers.filter((t) => t.id !== handle);
  }
  get pending(): number {
    return this.timers.length;
  }
  /** Moves time forward, firing the timers due on the way (letting each tick's promises settle). */
  async advance(ms: number): Promise<void> {
    const target = this.now + ms;
    await settle();
    for (;;) {
      const due = this.timers.filter((t) => t.at <= target).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      this.timers = this.timers.filter((t) => t !== due);
      this.now = Math.max(this.now, due.at);
      due.run();
      await settle();
    }
    this.now = target;
  }
}

async function settle(): Promise<void> {
  for (let i = 0; i < 5; i++) await new Promise<void>((resolve) => setImmediate(resolve));
}

function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void; reject: (err: unknown) => void } {
  let resolve!: (value: T) => void;
  let reject!: (err: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

const part = (topic: string, partition: number, committed: number | null, end: number): PartitionSample => ({
  topic,
  partition,
  committed: committed === null ? null : BigInt(committed),
  end: BigInt(end),
  timeLagMs: null,
});
const stable = (partitions: PartitionSample[]): SampledGroup => ({ state: 'Stable', notFound: false, partitions });

describe('LagSampler', () => {
  it('samples every watched group at start and then every interval, and stores the samples', async () => {
    const time = new ManualTime();
    const store = new LagHistoryStore(':memory:');
    store.watch('c1', 'billing');
    store.watch('c1', 'audit');
    store.watch('c2', 'elsewhere');
    let n = 0;
    const asked: string[] = [];
    const sampler = new LagSampler({
      cluster: 'c1',
      store,
      clock: time.clock,
      timers: time,
      source: {
        sampleGroup: async (groupId) => {
          asked.push(groupId);
          n++;
          return stable([part('orders', 0, n * 10, 100), part('orders', 1, null, 5)]);
        },
      },
    });
    expect(sampler.intervalMs).toBe(10_000);
    sampler.start();
    sampler.start();
    await time.advance(0);
    expect(asked.sort()).toEqual(['audit', 'billing']);
    await time.advance(10_000);
    await time.advance(9_999);
    expect(asked).toHaveLength(4);
    await time.advance(1);
    expect(asked).toHaveLength(6);
    expect(store.history('c1', 'billing', 0).points.map((p) => p.at)).toEqual([T0, T0 + 10_000, T0 + 20_000]);
    expect(store.history('c1', 'elsewhere', 0).points).toEqual([]);
    expect(sampler.lastState('billing')).toEqual({
      ok: true,
      message: 'Sampled 2 partitions of group "billing" (Stable), 1 partition with no committed offset.',
      at: T0 + 20_000,
      groupState: 'Stable',
    });
    expect(sampler.lastState('nobody')).toBeNull();
    await sampler.stop();
    expect(sampler.running).toBe(false);
    expect(time.pending).toBe(0);
    store.close();
  });

  it('a group deleted while watched, or a coordinator that is not available, becomes a state; sampling goes on', async () => {
    const time = new ManualTime();
    const store = new LagHistoryStore(':memory:');
    store.watch('c1', 'billing');
    store.watch('c1', 'orders-app');
    const script: (() => SampledGroup)[] = [
      () => stable([part('orders', 0, 5, 10)]),
      () => {
        throw new Error('The coordinator is not available');
      },
      () => ({ state: 'Dead', notFound: true, partitions: [] }),
      () => stable([]),
      () => stable([part('orders', 0, 7, 10)]),
    ];
    let billingCalls = 0;
    const states: string[] = [];
    const sampler = new LagSampler({
      cluster: 'c1',
      store,
      intervalMs: 5_000,
      clock: time.clock,
      timers: time,
      onState: (groupId, state) => {
        if (groupId === 'billing') states.push(`${state.ok}`);
      },
      source: {
        sampleGroup: async (groupId) => {
          if (groupId !== 'billing') return stable([part('x', 0, 1, 1)]);
          return script[billingCalls++]!();
        },
      },
    });
    sampler.start();
    await time.advance(0);
    expect(sampler.lastState('billing')?.ok).toBe(true);
    await time.advance(5_000);
    expect(sampler.lastState('billing')).toEqual({
      ok: false,
      message: 'Could not read group "billing": The coordinator is not available; trying again in 5 s.',
      at: T0 + 5_000,
      groupState: null,
    });
    await time.advance(5_000);
    expect(sampler.lastState('billing')).toEqual({
      ok: false,
      message: 'Group "billing" does not exist on this cluster (deleted?); still watched, trying again in 5 s.',
      at: T0 + 10_000,
      groupState: 'Dead',
    });
    await time.advance(5_000);
    expect(sampler.lastState('billing')).toEqual({
      ok: true,
      message: 'Sampled: group "billing" (Stable) has no committed offsets.',
      at: T0 + 15_000,
      groupState: 'Stable',
    });
    await time.advance(5_000);
    expect(states).toEqual(['true', 'false', 'false', 'true', 'true']);
    // Samples were stored only when the group was read.
    expect(store.history('c1', 'billing', 0).points.map((p) => [p.at - T0, p.totalLag])).toEqual([
      [0, 5],
      [15_000, null],
      [20_000, 3],
    ]);
    // The other group never missed a tick.
    expect(store.history('c1', 'orders-app', 0).points).toHaveLength(5);
    await sampler.stop();
    store.close();
  });

  it('a store that cannot write is a state too; an unwatched group loses its state', async () => {
    const time = new ManualTime();
    let watched = ['a', 'b'];
    const sink: LagSampleSink = {
      watched: () => watched,
      addSample: (_cluster, groupId) => {
        if (groupId === 'b') throw new Error('database or disk is full');
      },
    };
    const sampler = new LagSampler({
      cluster: 'c1',
      store: sink,
      clock: time.clock,
      timers: time,
      source: { sampleGroup: async () => stable([]) },
    });
    await sampler.sampleNow();
    expect(sampler.lastState('a')?.ok).toBe(true);
    expect(sampler.lastState('b')?.message).toBe(
      'Could not store the lag of group "b": database or disk is full; trying again in 10 s.',
    );
    watched = ['a'];
    await sampler.sampleNow();
    expect(sampler.lastState('b')).toBeNull();
  });

  it('never overlaps ticks: a slow read delays the next tick instead of starting another', async () => {
    const time = new ManualTime();
    const store = new LagHistoryStore(':memory:');
    store.watch('c1', 'slow');
    const reads: ReturnType<typeof deferred<SampledGroup>>[] = [];
    let inFlight = 0;
    let maxInFlight = 0;
    const sampler = new LagSampler({
      cluster: 'c1',
      store,
      clock: time.clock,
      timers: time,
      source: {
        sampleGroup: async () => {
          inFlight++;
          maxInFlight = Math.max(maxInFlight, inFlight);
          const d = deferred<SampledGroup>();
          reads.push(d);
          try {
            return await d.promise;
          } finally {
            inFlight--;
          }
        },
      },
    });
    sampler.start();
    await time.advance(0);
    expect(reads).toHaveLength(1);
    await time.advance(35_000);
    // Asking for a sample meanwhile joins the tick under way.
    const joined = sampler.sampleNow();
    await settle();
    expect(reads).toHaveLength(1);
    reads[0]!.resolve(stable([part('t', 0, 1, 2)]));
    await joined;
    // The tick took longer than the interval: the next one starts at once.
    await time.advance(0);
    expect(reads).toHaveLength(2);
    reads[1]!.resolve(stable([part('t', 0, 2, 2)]));
    await time.advance(9_999);
    expect(reads).toHaveLength(2);
    await time.advance(1);
    expect(reads).toHaveLength(3);
    expect(maxInFlight).toBe(1);
    reads[2]!.resolve(stable([]));
    await sampler.stop();
    store.close();
  });

  it('stop() waits for the sample under way, which is stored; no tick follows', async () => {
    const time = new ManualTime();
    const store = new LagHistoryStore(':memory:');
    store.watch('c1', 'g');
    const reads: ReturnType<typeof deferred<SampledGroup>>[] = [];
    const sampler = new LagSampler({
      cluster: 'c1',
      store,
      clock: time.clock,
      timers: time,
      source: {
        sampleGroup: () => {
          const d = deferred<SampledGroup>();
          reads.push(d);
          return d.promise;
        },
      },
    });
    sampler.start();
    await time.advance(0);
    expect(reads).toHaveLength(1);
    let stopped = false;
    const stopping = sampler.stop().then(() => {
      stopped = true;
    });
    await settle();
    expect(stopped).toBe(false);
    reads[0]!.resolve(stable([part('t', 0, 1, 9)]));
    await stopping;
    expect(stopped).toBe(true);
    expect(store.latest('c1', 'g')?.partitions).toEqual([part('t', 0, 1, 9)]);
    await time.advance(60_000);
    expect(reads).toHaveLength(1);
    expect(time.pending).toBe(0);
    // And it can start again.
    sampler.start();
    await time.advance(0);
    expect(reads).toHaveLength(2);
    reads[1]!.reject(new Error('gone'));
    await sampler.stop();
    expect(sampler.lastState('g')?.ok).toBe(false);
    store.close();
  });

  it('runs on real timers by default', async () => {
    const store = new LagHistoryStore(':memory:');
    store.watch('c1', 'g');
    let calls = 0;
    const sampler = new LagSampler({
      cluster: 'c1',
      store,
      intervalMs: 20,
      source: { sampleGroup: async () => (calls++, stable([part('t', 0, calls, 100)])) },
    });
    sampler.start();
    await vi.waitFor(() => expect(calls).toBeGreaterThanOrEqual(2), { timeout: 10_000, interval: 5 });
    await sampler.stop();
    const after = calls;
    // About time passing: a stopped sampler makes no more calls, which only a wait (three intervals) shows.
    await new Promise((resolve) => setTimeout(resolve, 60));
    expect(calls).toBe(after);
    expect(
      () => new LagSampler({ cluster: 'c1', store, intervalMs: 0, source: { sampleGroup: async () => stable([]) } }),
    ).toThrow(RangeError);
    store.close();
  });
});
