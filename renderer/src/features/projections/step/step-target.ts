// Where a comparison asks step-through to go: the compare panel names an event (its first
// diverging one), the screen shows its Step through tab, and the StepThrough of the same session
// moves there — also when it mounts after the request (the tabs mount one panel at a time), so a
// request stays pending until a StepThrough takes it. A small store: no wiring through the screen.
import { create } from 'zustand';
import type { ProjectionSession } from '@common/projections/session-api.ts';

interface StepTarget {
  session: ProjectionSession | null;
  index: number;
  /** Counts requests: asking for the same index twice moves there again. */
  seq: number;
  /** The last request's seq a StepThrough has moved to. */
  taken: number;
  goTo(session: ProjectionSession, index: number): void;
  take(seq: number): void;
}

export const useStepTarget = create<StepTarget>((set) => ({
  session: null,
  index: 0,
  seq: 0,
  taken: 0,
  goTo: (session, index) => set((s) => ({ session, index, seq: s.seq + 1 })),
  take: (seq) => set((s) => (seq > s.taken ? { taken: seq } : s)),
}));
