// The projection API: what a projection author writes, what an event looks like to it, and what
// a replay answers. Types only (universal): an editor can offer them to a projection written in
// JavaScript (`/** @type {import('eventscope/projections').Projection<State>} */`), and the
// runners (src/common/projections/projection-runner.ts, node/node-sandbox.ts) answer with the result
// and failure types below.
//
// A projection is a JavaScript module whose default export is an object:
//
//   export default {
//     typeFrom: { header: 'event-type' },          // or { jsonField: 'type' }, or (event) => string
//     init: () => ({ orders: 0, revenueCents: 0 }),
//     keyBy: (event) => event.value.customerId,    // optional: one state per key
//     on: {
//       OrderPlaced(state, event) { state.orders += 1; return state; },
//       OrderPaid: (state, event) => ({ ...state, revenueCents: state.revenueCents + event.value.amountCents }),
//     },
//     any(state, event) { return state; },          // optional: events no `on` handler takes
//   };
//
// It runs in a sandbox (a Web Worker in the app, a worker thread with resource limits in the CLI)
// where it cannot reach modules, the network, the file system or the process.

/** One Kafka record as a projection sees it. */
export interface ProjectionEvent<Value = unknown> {
  topic: string;
  partition: number;
  /** Decimal string: offsets are 64-bit. */
  offset: string;
  /** Epoch milliseconds (the record's timestamp). */
  timestamp: number;
  /** The key as text (UTF-8; bytes that are not UTF-8 are replaced), or null. */
  key: string | null;
  /**
   * The value parsed as JSON when it is JSON; else its text when it is UTF-8; else its bytes
   * (a Uint8Array); null for a tombstone.
   */
  value: Value;
  /** Header key → its value as text (null for a null header value; the last of repeated keys wins). Read-only (frozen) for an event with no headers. */
  headers: Record<string, string | null>;
  /** What typeFrom found (null when it found nothing). */
  type: string | null;
}

/**
 * Where an event's type is: a header, a field of the JSON value (a dotted path such as
 * "meta.type"), or a function of the event (its `type` is null when called). A type that is
 * missing (or null) leaves the event untyped: only `any` sees it.
 */
export type TypeFrom<Value = unknown> =
  { header: string } | { jsonField: string } | ((event: ProjectionEvent<Value>) => string | number | null | undefined);

/**
 * A handler: the new state (or the same state, mutated). Returning undefined keeps the state as
 * it is (mutated in place). Handlers run synchronously: a Promise is an error.
 */
export type ProjectionHandler<State, Value = unknown> = (
  state: State,
  event: ProjectionEvent<Value>,
) => State | undefined;

export interface Projection<State = unknown, Value = unknown> {
  /** Shown in results; optional. */
  name?: string;
  description?: string;
  /** Required when `on` has handlers. */
  typeFrom?: TypeFrom<Value>;
  /** The initial state (per key when keyBy is given). Called once, or once per new key. */
  init: () => State;
  /** One state per key: the key of an event (a string or a number); null/undefined skips the event (counted as unkeyed). */
  keyBy?: (event: ProjectionEvent<Value>) => string | number | null | undefined;
  /** Handlers by event type. */
  on?: Record<string, ProjectionHandler<State, Value>>;
  /** Events that no `on` handler takes (untyped ones included). */
  any?: ProjectionHandler<State, Value>;
}

/** Events per type, most frequent first. */
export interface TypeCount {
  type: string;
  events: number;
  /** Whether `on` has a handler for it. */
  handled: boolean;
}

export interface ProjectionCounts {
  /** Events fed in. */
  events: number;
  byType: TypeCount[];
  /** Events whose type typeFrom did not find. */
  untyped: number;
  /** Events no handler took: no `on` handler for their type and no `any`. */
  unmatched: number;
  /** Keyed projections: events for which keyBy returned null or undefined (skipped). */
  unkeyed: number;
  /** Keyed projections: how many keys have a state; null when not keyed. */
  keys: number | null;
}

/** A replay's answer: the final state (or states per key, in the order keys were first seen) and the counts. */
export type ProjectionOutcome =
  | { keyed: false; state: unknown; counts: ProjectionCounts }
  | { keyed: true; states: [key: string, state: unknown][]; counts: ProjectionCounts };

/** Where in the topics an event is. */
export interface EventPosition {
  topic: string;
  partition: number;
  offset: string;
  /** Its type, when it was known. */
  type?: string | null;
}

export type ProjectionFailureKind =
  /** The source does not parse. */
  | 'syntax'
  /** The default export is not a projection (a missing or wrong property; typeFrom of an unknown form). */
  | 'shape'
  /** The module's own code threw while it was loaded. */
  | 'load'
  /** A handler, typeFrom, keyBy or init threw (or returned what it must not) on an event. */
  | 'threw'
  /** The final state is not JSON (a function, a Map, a cycle, NaN…). */
  | 'state'
  /** A batch of events took longer than the time limit (an endless loop?). */
  | 'timeout'
  /** The sandbox ran out of memory. */
  | 'memory'
  /** The sandbox stopped for another reason. */
  | 'crashed';

export interface ProjectionFailure {
  kind: ProjectionFailureKind;
  /** The whole sentence for people: the file, the line and the event where known. */
  message: string;
  /** The projection's file name as given. */
  file: string;
  /** 1-based line in the projection's source, where known. */
  line: number | null;
  column: number | null;
  /** The event being handled, where there was one. */
  event: EventPosition | null;
  /** What was running: "on.OrderPaid", "any", "typeFrom", "keyBy", "init", or null. */
  handler: string | null;
}
