// A component's one contract stream (tail.records, log.search, topics.watch, …): open() closes
// the one before and subscribes, close() stops it, and it is closed when the component goes
// away, so no hook has to write that bookkeeping again. Only the stream still open hears of
// its own end (subscription-slot.ts). Use it from an effect (open in the effect, close in its
// cleanup) or from event handlers (start, pause, run a search).
import { useEffect, useMemo } from 'react';
import type { EventOf, StreamName, StreamParamsOf } from '@common/contract/api.ts';
import { rpc } from '../state/host-store.ts';
import { SubscriptionSlot, type SlotHandlers } from './subscription-slot.ts';

export interface StreamSubscription {
  open<S extends StreamName>(stream: S, params: StreamParamsOf<S>, handlers: SlotHandlers<EventOf<S>>): void;
  close(): void;
  /** A stream is open and has not ended. */
  readonly isOpen: boolean;
}

/** The returned object is the same for the component's whole life (safe in dependency lists). */
export function useSubscription(): StreamSubscription {
  const handle = useMemo(() => {
    const slot = new SubscriptionSlot();
    return {
      open<S extends StreamName>(stream: S, params: StreamParamsOf<S>, handlers: SlotHandlers<EventOf<S>>): void {
        slot.open<EventOf<S>>((onEvent) => rpc().subscribe(stream, params, { onEvent }), handlers);
      },
      close: () => slot.close(),
      get isOpen() {
        return slot.isOpen;
      },
    };
  }, []);
  useEffect(() => () => handle.close(), [handle]);
  return handle;
}
