// One open stream per component (renderer/src/components/subscription-slot.ts, behind
// useSubscription): opening another closes the one before, close() (what the hook calls when
// its component unmounts) stops it, and only the stream still held hears of its end.
import { describe, expect, it } from 'vitest';
import type { Subscription } from '../../src/common/rpc/client.ts';
import { SubscriptionSlot } from '../../renderer/src/components/subscription-slot.ts';

/** A stream as the RPC client hands it out, driven by the test (the client itself is tested over real wires in the contract suite). */
function stream() {
  let settle!: { resolve(): void; reject(e: unknown): void };
  const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
  done.catch(() => undefined);
  let emit: (event: string, seq: number) => void = () => undefined;
  const s = {
    closed: 0,
    emit: (event: string) => emit(event, 1),
    end: () => settle.resolve(),
    fail: (e: unknown) => settle.reject(e),
    opener: (onEvent: (event: string, seq: number) => void): Subscription => {
      emit = onEvent;
      return {
        done,
        close: () => {
          s.closed++;
          settle.resolve(); // as RpcClient's close() does
        },
      };
    },
  };
  return s;
}

const tick = () => new Promise((resolve) => setTimeout(resolve, 0));

describe('subscription slot', () => {
  it('closes its stream on close() (the component went away), once, and reports no end for it', async () => {
    const slot = new SubscriptionSlot();
    const a = stream();
    const ends: unknown[] = [];
    slot.open(a.opener, { onEvent: () => undefined, onEnd: (e) => ends.push(e) });
    expect(slot.isOpen).toBe(true);
    slot.close();
    slot.close();
    await tick();
    expect(a.closed).toBe(1);
    expect(slot.isOpen).toBe(false);
    expect(ends).toEqual([]);
  });

  it('closes the stream before when another opens, and drops its events and its end', async () => {
    const slot = new SubscriptionSlot();
    const a = stream();
    const b = stream();
    const seen: string[] = [];
    const ends: string[] = [];
    slot.open(a.opener, { onEvent: (e) => seen.push(`a:${e}`), onEnd: () => ends.push('a') });
    a.emit('1');
    slot.open(b.opener, { onEvent: (e) => seen.push(`b:${e}`), onEnd: () => ends.push('b') });
    expect(a.closed).toBe(1);
    expect(b.closed).toBe(0);
    a.emit('2'); // an event already queued for the old stream
    b.emit('1');
    a.fail(new Error('late failure of the old stream'));
    await tick();
    expect(seen).toEqual(['a:1', 'b:1']);
    expect(ends).toEqual([]);
    expect(slot.isOpen).toBe(true);
  });

  it('reports the end of the stream it holds: null for a normal end, the error for a failure', async () => {
    const slot = new SubscriptionSlot();
    const ends: unknown[] = [];
    const a = stream();
    slot.open(a.opener, { onEvent: () => undefined, onEnd: (e) => ends.push(e) });
    a.end();
    await tick();
    expect(ends).toEqual([null]);
    expect(slot.isOpen).toBe(false);

    const b = stream();
    const failure = new Error('The connection to the Eventscope host closed.');
    slot.open(b.opener, { onEvent: () => undefined, onEnd: (e) => ends.push(e) });
    b.fail(failure);
    await tick();
    expect(ends).toEqual([null, failure]);
    // Ended by itself: closing afterwards does not close it again.
    slot.close();
    expect(b.closed).toBe(0);
  });
});
