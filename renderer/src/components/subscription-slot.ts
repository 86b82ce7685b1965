// One open contract stream at a time, for a component: opening another closes the one before,
// and only the stream still open hears of its own end. Without this, each hook re-wrote the
// same bookkeeping and got it subtly wrong (a replaced stream's end reported over the new one's
// state, a stream left running after its component went away). No React and no DOM here, so
// it is unit-tested on its own (test/unit/subscription-slot.test.ts); use-subscription.ts
// ties it to a component's life.
import type { Subscription } from '@common/rpc/client.ts';

export interface SlotHandlers<E> {
  onEvent(event: E, seq: number): void;
  /**
   * The stream ended by itself while still this slot's stream: `error` is the server's error
   * (or the lost connection), null for a normal end. Not called for a stream this slot closed
   * or replaced: the caller already knows.
   */
  onEnd?(error: unknown): void;
}

/** Opens a stream with the given event handler (rpc().subscribe with the stream and params bound). */
export type Opener<E> = (onEvent: (event: E, seq: number) => void) => Subscription;

export class SubscriptionSlot {
  private current: Subscription | null = null;

  /** Closes the open stream, if any, then opens this one. */
  open<E>(opener: Opener<E>, handlers: SlotHandlers<E>): Subscription {
    this.close();
    // Events of a stream this slot no longer holds are dropped (the client stops delivering
    // them once closed; this also covers one already queued).
    let sub: Subscription | null = null;
    sub = opener((event, seq) => {
      if (sub !== null && this.current === sub) handlers.onEvent(event, seq);
    });
    this.current = sub;
    sub.done.then(
      () => {
        if (this.current !== sub) return;
        this.current = null;
        handlers.onEnd?.(null);
      },
      (error: unknown) => {
        if (this.current !== sub) return;
        this.current = null;
        handlers.onEnd?.(error);
      },
    );
    return sub;
  }

  /** Closes the open stream (the server stops producing); its end is not reported. */
  close(): void {
    const sub = this.current;
    this.current = null;
    sub?.close();
  }

  /** A stream is open (and has not ended). */
  get isOpen(): boolean {
    return this.current !== null;
  }
}
