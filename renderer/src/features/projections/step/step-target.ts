// Where a comparison asks step-through to go: the compare panel names an event (its first
// diverging one), the StepThrough showing the same session moves there. A small store, so the
// two panels need no wiring through the screen that mounts them.
import { create } from 'zustand';
import type { ProjectionSession } from '../../../../../src/projections/session-api.ts';

interface StepTarget {
  session: ProjectionSession | null;
  index: number;
  /** Counts requests: asking for the same index twice moves there again. */
  seq: number;
  goTo(session: ProjectionSession, index: number): void;
}

export const useStepTarget = create<StepTarget>((set) => ({
  session: null,
  index: 0,
  seq: 0,
  goTo: (session, index) => set((s) => ({ session, index, seq: s.seq + 1 })),
}));
