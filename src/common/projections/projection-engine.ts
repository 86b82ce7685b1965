// The projection engine: compiles a projection's module source, checks its shape before any
// event, feeds it events in batches (an EventBatch per message, decoded here: keys, values and
// headers are bytes until a batch reaches the sandbox) and keeps its state, or one state per
// key. It counts events per type, untyped events and events no handler took, and stops at the
// first event a handler (or typeFrom, keyBy, init) throws on, naming the event and the line.
// At the end the state must be JSON (what the CLI prints and the app shows and compares).
//
// Pure and synchronous: the worker that hosts it (projection-worker.ts) does the messaging; the
// time and memory limits are the host's (a worker that does not answer is stopped).
//
// SELF-CONTAINED: runs inside the sandbox worker; the CLI's worker gets these functions as
// source text (Function.prototype.toString). They may call each other (this file), the
// functions handed in as `lib` and JavaScript's built-ins, nothing else: no imports at run
// time, no module-level constants.
import type {
  EventPosition,
  ProjectionCounts,
  ProjectionFailure,
  ProjectionFailureKind,
  ProjectionEvent,
  ProjectionOutcome,
  TypeCount,
} from './projection-api.ts';
import type { ModuleBody } from './module-source.ts';
import type { Compiled } from './sandbox-core.ts';

/**
 * A batch of events as it crosses to the sandbox: columns of numbers and one buffer of bytes
 * (keys, values and header values), so a batch of thousands of events is one message whose
 * buffers are transferred, not copied (src/common/projections/event-batch.ts builds it).
 */
export interface EventBatch {
  count: number;
  /** Topic names; `topic[i]` indexes them. */
  topics: string[];
  topic: Uint16Array;
  partition: Int32Array;
  /** Offsets when every one is a safe integer (always, in practice); else offsetText. */
  offset: Float64Array | null;
  offsetText: string[] | null;
  timestamp: Float64Array;
  bytes: Uint8Array;
  /** Per event: start and length in bytes (length -1: null). */
  key: Int32Array;
  value: Int32Array;
  /** Headers of event i: [headerIndex[i], headerIndex[i + 1]). */
  headerIndex: Int32Array;
  /** Header names; `headerName[h]` indexes them. */
  headerNames: string[];
  headerName: Uint16Array;
  /** Per header: start and length in bytes (length -1: null). */
  headerValue: Int32Array;
}

/** Text out of a batch's bytes: utf8 answers null for bytes that are not UTF-8; text replaces them. */
export interface BatchDecoder {
  utf8(start: number, end: number): string | null;
  text(start: number, end: number): string;
  /**
   * utf8's text may be a view of the whole batch's text (cheaper to parse; node-sandbox.ts):
   * to parse only, a value kept as text is taken again with text(), a string of its own (a
   * kept view would hold the batch's memory).
   */
  views?: boolean;
}

/** What the sandbox was handed besides the engine itself (see the SELF-CONTAINED note). */
export interface EngineLib {
  projectionModuleBody(source: string): ModuleBody;
  compileUserCode(params: string[], body: string, fileName: string): Compiled;
  userLocation(err: unknown, fileName: string): { line: number; column: number } | null;
  describeThrown(err: unknown): string;
}

export interface LoadedInfo {
  keyed: boolean;
  /** The `on` handlers' types, as written. */
  handlers: string[];
  hasAny: boolean;
  /** How types are found, in words: `header "event-type"`, `JSON field "type"`, `a function`, or `none`. */
  typeFrom: string;
  name: string | null;
}

export interface ProjectionEngine {
  info: LoadedInfo;
  /** Feeds a batch in order; a failure stops the engine (every later call answers it again). progress[1] is set to each event's index as it is handled. */
  feed(batch: EventBatch, decoder: BatchDecoder, progress: Int32Array | null): ProjectionFailure | null;
  /** The final state(s) and counts, once they are checked to be JSON. */
  finish(): { ok: true; outcome: ProjectionOutcome } | { ok: false; failure: ProjectionFailure };
  // Step-through and comparison (projection-session.ts). Separate from feed so that its hot
  // loop stays as it is: these handle one event at a time and say what it did.
  /** The state and counters as JSON text (a snapshot to restore later), or why the state is not JSON. */
  snapshot(): { ok: true; snapshot: string } | { ok: false; problem: string };
  /** Puts back what snapshot() answered (into a freshly loaded engine). */
  restore(snapshot: string): void;
  /** Feeds event i of a batch alone and says what it did; beforeApply runs once the event's key is known, just before its handler. */
  feedOne(
    batch: EventBatch,
    i: number,
    decoder: BatchDecoder,
    progress: Int32Array | null,
    beforeApply: ((key: string | null) => void) | null,
  ): FedEvent | { failure: ProjectionFailure };
  /** The state of a key (keyed; undefined: no state yet) or the whole state (key null; unkeyed). */
  stateOf(key: string | null): unknown;
  /** Keyed: how many keys have a state; null when not keyed. */
  keyCount(): number | null;
  /** Events fed so far (the index of the last one, 1-based). */
  eventCount(): number;
  /** Compiles a predicate over `state` and `event` (run until); the error in words, or null. */
  compilePredicate(expression: string): string | null;
  /** The compiled predicate after an event: true/false, or what it threw. */
  testPredicate(state: unknown, event: unknown): boolean | { threw: string };
}

/** What feedOne did with one event. */
export interface FedEvent {
  /** Its index among every event fed (1-based). */
  index: number;
  event: ProjectionEvent;
  /** What ran: "on.OrderPaid", "any", or null (no handler took it, or keyBy skipped it). */
  handler: string | null;
  /** Keyed: the key its state is kept under (null: keyBy skipped it, or no handler took it); unkeyed: null. */
  key: string | null;
  /** Whether a handler ran (the state may have changed). */
  applied: boolean;
}

/** Names the user's code might reach for: shadowed as parameters (undefined) besides being taken out of the worker's scope. */
export function shadowedNames(): string[] {
  return [
    'require',
    'process',
    'module',
    'exports',
    '__filename',
    '__dirname',
    'fetch',
    'XMLHttpRequest',
    'WebSocket',
    'importScripts',
    'postMessage',
    'Buffer',
  ];
}

/** A failure as the runners report it; the message is the sentence for people. */
export function projectionFailure(
  kind: ProjectionFailureKind,
  fileName: string,
  line: number | null,
  column: number | null,
  what: string,
  event: EventPosition | null,
  handler: string | null,
): ProjectionFailure {
  const where = line === null ? fileName : `${fileName} line ${line}`;
  const on = event
    ? ` on ${event.topic} partition ${event.partition} offset ${event.offset}${event.type ? ` (type ${event.type})` : ''}`
    : '';
  const by = handler ? `${handler}` : '';
  let message: string;
  if (kind === 'threw') message = `${where}: ${by || 'the projection'} failed${on}: ${what}`;
  else message = `${where}: ${what}`;
  return { kind, message, file: fileName, line, column, event, handler };
}

/** How a value prints in a sentence about what it should have been. */
export function kindOfValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'object') return 'an object';
  if (typeof value === 'undefined') return 'missing';
  if (typeof value === 'function') return 'a function';
  return `a ${typeof value} (${String(value).slice(0, 40)})`;
}

/** The line a property of the projection is written on (`name:` or `name(`), else the line of `export default`, else 1. */
export function lineOfProperty(source: string, name: string | null): number {
  const lineAt = (index: number): number => source.slice(0, index).split('\n').length;
  if (name !== null) {
    const escaped = name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    const match = new RegExp(`(^|[^\\w$.])(${escaped}|'${escaped}'|"${escaped}")\\s*[:(]`, 'm').exec(source);
    if (match) return lineAt(match.index + match[1]!.length);
  }
  const exported = /\bexport\s+default\b/.exec(source);
  return exported ? lineAt(exported.index) : 1;
}

/** Why a value is not JSON (a path and what is there), or null when it is. Dates pass (they print as ISO text). */
export function jsonProblem(value: unknown, path: string, ancestors: unknown[]): string | null {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return null;
    case 'number':
      return Number.isFinite(value) ? null : `${path} is ${String(value)}`;
    case 'bigint':
      return `${path} is a BigInt (${String(value)}n)`;
    case 'symbol':
      return `${path} is a symbol`;
    case 'function':
      return `${path} is a function`;
  }
  if (value === null || value instanceof Date) return null;
  if (ancestors.includes(value)) return `${path} refers back to an object that holds it (a cycle)`;
  if (ancestors.length > 1000) return `${path} is nested more than 1,000 levels deep`;
  ancestors.push(value);
  try {
    if (Array.isArray(value)) {
      for (let i = 0; i < value.length; i++) {
        const problem = jsonProblem(value[i], `${path}[${i}]`, ancestors);
        if (problem) return problem;
      }
      return null;
    }
    const proto = Object.getPrototypeOf(value) as object | null;
    if (proto !== Object.prototype && proto !== null) {
      const name = (value as { constructor?: { name?: unknown } }).constructor?.name;
      return `${path} is ${typeof name === 'string' && name ? `a ${name}` : 'an object with a prototype'}`;
    }
    for (const k of Object.keys(value as object)) {
      const problem = jsonProblem(
        (value as Record<string, unknown>)[k],
        /^[A-Za-z_$][\w$]*$/.test(k) ? `${path}.${k}` : `${path}[${JSON.stringify(k)}]`,
        ancestors,
      );
      if (problem) return problem;
    }
    return null;
  } finally {
    ancestors.pop();
  }
}

/**
 * Compiles and checks a projection. Its module's top level runs here (a throw there is a 'load'
 * failure with its line); nothing else of it runs before the first event.
 */
export function createProjectionEngine(
  source: string,
  fileName: string,
  lib: EngineLib,
): { ok: true; engine: ProjectionEngine } | { ok: false; failure: ProjectionFailure } {
  const fail = (
    kind: ProjectionFailureKind,
    line: number | null,
    what: string,
    column: number | null = null,
  ): { ok: false; failure: ProjectionFailure } => ({
    ok: false,
    failure: projectionFailure(kind, fileName, line, column, what, null, null),
  });
  const lastLine = source.split('\n').length;
  const moduleBody = lib.projectionModuleBody(source);
  if ('error' in moduleBody) return fail('syntax', moduleBody.line, moduleBody.error);
  const shadowed = shadowedNames();
  const compiled = lib.compileUserCode(shadowed, moduleBody.body, fileName);
  if (!compiled.ok) {
    // Past the author's last line is the body's own ending: the file ended inside something.
    if (compiled.line !== null && compiled.line > lastLine)
      return fail('syntax', lastLine, 'SyntaxError: Unexpected end of input (a {, ( or [ is not closed).');
    return fail('syntax', compiled.line, compiled.message);
  }

  let exported: unknown;
  try {
    exported = compiled.fn(...shadowed.map(() => undefined));
  } catch (err) {
    const at = lib.userLocation(err, fileName);
    return fail(
      'load',
      at ? at.line : null,
      `the module threw while it was loaded: ${lib.describeThrown(err)}`,
      at ? at.column : null,
    );
  }

  // The shape, before any event.
  const shape = (property: string | null, what: string): { ok: false; failure: ProjectionFailure } =>
    fail('shape', lineOfProperty(source, property), what);
  if (exported === null || typeof exported !== 'object' || Array.isArray(exported)) {
    return shape(
      null,
      `the default export must be the projection, an object { typeFrom, init, on }; it is ${kindOfValue(exported)}.`,
    );
  }
  const def = exported as Record<string, unknown>;
  const known = ['typeFrom', 'init', 'keyBy', 'on', 'any', 'name', 'description'];
  for (const k of Object.keys(def)) {
    if (!known.includes(k)) return shape(k, `unknown property "${k}": a projection has ${known.join(', ')}.`);
  }
  const init = def['init'];
  if (typeof init !== 'function')
    return shape(
      init === undefined ? null : 'init',
      `init must be a function that returns the initial state, e.g. init: () => ({ count: 0 }); it is ${kindOfValue(init)}.`,
    );
  const on = def['on'] === undefined ? {} : def['on'];
  if (on === null || typeof on !== 'object' || Array.isArray(on))
    return shape(
      'on',
      `on must be an object of handlers by event type, e.g. on: { OrderPlaced(state, event) { … } }; it is ${kindOfValue(on)}.`,
    );
  const handlerTypes = Object.keys(on);
  for (const t of handlerTypes) {
    const h = (on as Record<string, unknown>)[t];
    if (typeof h !== 'function')
      return shape(t, `on.${t} must be a function (state, event) => state; it is ${kindOfValue(h)}.`);
  }
  const any = def['any'];
  if (any !== undefined && typeof any !== 'function')
    return shape('any', `any must be a function (state, event) => state; it is ${kindOfValue(any)}.`);
  if (handlerTypes.length === 0 && any === undefined)
    return shape(
      'on',
      'the projection has no handler: give on: { SomeType(state, event) { … } } and/or any(state, event) { … }.',
    );
  const keyBy = def['keyBy'];
  if (keyBy !== undefined && typeof keyBy !== 'function')
    return shape('keyBy', `keyBy must be a function (event) => key; it is ${kindOfValue(keyBy)}.`);
  const typeFrom = def['typeFrom'];
  // 0: none, 1: header, 2: JSON field, 3: function
  let typeKind = 0;
  let typeHeader = '';
  let typePath: string[] = [];
  let typeDescription = 'none';
  const typeFromForms =
    "typeFrom must be { header: 'event-type' }, { jsonField: 'type' } or a function (event) => type";
  if (typeFrom === undefined) {
    if (handlerTypes.length > 0)
      return shape(null, `${typeFromForms}, to say where an event's type is; it is missing.`);
  } else if (typeof typeFrom === 'function') {
    typeKind = 3;
    typeDescription = 'a function';
  } else if (typeFrom !== null && typeof typeFrom === 'object' && !Array.isArray(typeFrom)) {
    const keys = Object.keys(typeFrom);
    const spec = typeFrom as Record<string, unknown>;
    if (keys.length === 1 && keys[0] === 'header' && typeof spec['header'] === 'string' && spec['header'] !== '') {
      typeKind = 1;
      typeHeader = spec['header'];
      typeDescription = `header "${typeHeader}"`;
    } else if (
      keys.length === 1 &&
      keys[0] === 'jsonField' &&
      typeof spec['jsonField'] === 'string' &&
      spec['jsonField'] !== ''
    ) {
      typeKind = 2;
      typePath = spec['jsonField'].split('.');
      typeDescription = `JSON field "${spec['jsonField']}"`;
    } else {
      return shape(
        'typeFrom',
        `${typeFromForms}; it is { ${keys.join(', ')} }${keys.length === 1 ? ` with ${kindOfValue(spec[keys[0]!])}` : ''}.`,
      );
    }
  } else {
    return shape('typeFrom', `${typeFromForms}; it is ${kindOfValue(typeFrom)}.`);
  }

  const name = typeof def['name'] === 'string' ? def['name'] : null;
  const keyed = keyBy !== undefined;
  const initFn = init as () => unknown;
  const anyFn = any as ((state: unknown, event: unknown) => unknown) | undefined;
  const keyFn = keyBy as ((event: unknown) => unknown) | undefined;
  const typeFn = typeKind === 3 ? (typeFrom as (event: unknown) => unknown) : null;
  const handlers = on as Record<string, (state: unknown, event: unknown) => unknown>;
  /** Per type: how many events, and its handler (null: none). One lookup per event. */
  const types = new Map<string, { events: number; handler: ((state: unknown, event: unknown) => unknown) | null }>();
  let lastType: string | null = null;
  let lastEntry: { events: number; handler: ((state: unknown, event: unknown) => unknown) | null } | undefined =
    undefined;
  let events = 0;
  let untyped = 0;
  let unmatched = 0;
  let unkeyed = 0;
  let state: unknown = undefined;
  let started = false;
  const states = new Map<string, unknown>();
  let stopped: ProjectionFailure | null = null;

  const initial = (): unknown => {
    const s = initFn.call(def);
    if (s === undefined)
      throw new TypeError('init() returned undefined: return the initial state, e.g. init: () => ({ count: 0 })');
    return s;
  };
  /** The one state of an unkeyed projection, made by init() the first time it is needed (no event: at the end). */
  const unkeyedState = (): unknown => {
    if (!started) {
      state = initial();
      started = true;
    }
    return state;
  };
  /** The headers of every event that has none: one object, frozen (a measurable share of a replay's allocations otherwise). */
  const noHeaders: Record<string, string | null> = Object.freeze({}) as Record<string, string | null>;
  const isThenable = (r: unknown): boolean =>
    r !== null && typeof r === 'object' && typeof (r as { then?: unknown }).then === 'function';
  /** typeFrom's answer as a type: text, a number as text, or null (none); anything else is the projection's mistake. */
  const typeFromAnswer = (t: unknown): string | null => {
    if (typeof t === 'string') return t;
    if (typeof t === 'number') return String(t);
    if (t === null || t === undefined) return null;
    throw new TypeError(`typeFrom returned ${kindOfValue(t)}; it must return the event's type as a string (or null)`);
  };
  /** keyBy's answer as a key: text, a number as text, or null (the event is skipped); anything else is a mistake. */
  const keyByAnswer = (k: unknown): string | null => {
    if (typeof k === 'string') return k;
    if (typeof k === 'number') return String(k);
    if (k === null || k === undefined) return null;
    throw new TypeError(
      `keyBy returned ${kindOfValue(k)}; it must return a string or a number (or null to skip the event)`,
    );
  };
  /**
   * What a throw in the user's code comes to (feed, feedOne and finish alike): its line in the file, the
   * event it was on, and which part was running (stage: 0 init, 1 typeFrom, 2 keyBy, 3 on, 4 any).
   */
  const threwAt = (
    err: unknown,
    event: { topic: string; partition: number; offset: string; type: string | null } | null,
    stage: number,
  ): ProjectionFailure => {
    const at = lib.userLocation(err, fileName);
    const position: EventPosition | null =
      event === null
        ? null
        : { topic: event.topic, partition: event.partition, offset: event.offset, type: event.type };
    const running =
      stage === 0
        ? 'init'
        : stage === 1
          ? 'typeFrom'
          : stage === 2
            ? 'keyBy'
            : stage === 3
              ? `on.${event?.type ?? ''}`
              : 'any';
    return projectionFailure(
      'threw',
      fileName,
      at ? Math.min(at.line, lastLine) : null,
      at ? at.column : null,
      lib.describeThrown(err),
      position,
      running,
    );
  };
  /**
   * A value (feed and feedOne alike): parsed JSON when it is JSON, else its text, else its
   * bytes; null for none. With a decoder whose texts are views (dec.views), a value kept as
   * text is taken again as a string of its own: a kept view would hold its part of the batch.
   */
  const decodeValue = (bytes: Uint8Array, dec: BatchDecoder, vs: number, vl: number): unknown => {
    if (vl < 0) return null;
    const text = dec.utf8(vs, vs + vl);
    if (text === null) return bytes.slice(vs, vs + vl);
    // Parse what may be JSON: an object, array, string, number, true/false/null (after whitespace).
    let c = vl > 0 ? text.charCodeAt(0) : 0;
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      const t = text.trimStart();
      c = t.length > 0 ? t.charCodeAt(0) : 0;
    }
    if (c === 123 || c === 91 || c === 34 || c === 45 || (c >= 48 && c <= 57) || c === 116 || c === 102 || c === 110) {
      try {
        return JSON.parse(text);
      } catch {
        return dec.views === true ? dec.text(vs, vs + vl) : text;
      }
    }
    return dec.views === true ? dec.text(vs, vs + vl) : text;
  };

  // The steps of one event, shared by feed (the hot loop) and feedOne (step-through), so that
  // both build the same event and keep the same counts and states. Made once per engine: each
  // is a plain call per event, no closure or object beyond the event itself.
  /** The type in the header typeFrom names (headerId: its index among the batch's header names, -1: absent); the last one wins. */
  const headerTypeAt = (
    batch: EventBatch,
    dec: BatchDecoder,
    first: number,
    end: number,
    headerId: number,
  ): string | null => {
    const headerName = batch.headerName;
    const headerValue = batch.headerValue;
    let type: string | null = null;
    for (let h = first; h < end; h++) {
      if (headerName[h] !== headerId) continue;
      const hl = headerValue[2 * h + 1]!;
      type = hl < 0 ? null : dec.text(headerValue[2 * h]!, headerValue[2 * h]! + hl);
    }
    return type;
  };
  /** The type at typeFrom's JSON field of a value: text, a number as text, else null. */
  const jsonFieldType = (value: unknown): string | null => {
    let v: unknown = value;
    for (let p = 0; p < typePath.length; p++) {
      if (v === null || typeof v !== 'object') {
        v = undefined;
        break;
      }
      v = (v as Record<string, unknown>)[typePath[p]!];
    }
    return typeof v === 'string' ? v : typeof v === 'number' ? String(v) : null;
  };
  /** Counts an event of a type (null: untyped) and answers its `on` handler (null: none). */
  const countType = (type: string | null): ((state: unknown, event: unknown) => unknown) | null => {
    if (type === null) {
      untyped++;
      return null;
    }
    // Runs of one type are common: comparing with the last one is cheaper than hashing a fresh string.
    let entry = type === lastType ? lastEntry : types.get(type);
    if (entry === undefined) {
      entry = { events: 0, handler: Object.prototype.hasOwnProperty.call(handlers, type) ? handlers[type]! : null };
      types.set(type, entry);
    }
    lastType = type;
    lastEntry = entry;
    entry.events++;
    return entry.handler;
  };
  /** Headers [first, end) of a batch as an object (a header named __proto__ is an own property). */
  const headersAt = (
    batch: EventBatch,
    dec: BatchDecoder,
    first: number,
    end: number,
  ): Record<string, string | null> => {
    if (first === end) return noHeaders;
    const headerName = batch.headerName;
    const headerValue = batch.headerValue;
    const headerNames = batch.headerNames;
    const headers: Record<string, string | null> = {};
    for (let h = first; h < end; h++) {
      const hs = headerValue[2 * h]!;
      const hl = headerValue[2 * h + 1]!;
      const hk = headerNames[headerName[h]!]!;
      const hv = hl < 0 ? null : dec.text(hs, hs + hl);
      if (hk === '__proto__')
        Object.defineProperty(headers, hk, { value: hv, enumerable: true, writable: true, configurable: true });
      else headers[hk] = hv;
    }
    return headers;
  };
  /** Event i of a batch, with its value and headers already decoded. */
  const eventAt = (
    batch: EventBatch,
    dec: BatchDecoder,
    i: number,
    value: unknown,
    headers: Record<string, string | null>,
    type: string | null,
  ): ProjectionEvent => {
    const keyCols = batch.key;
    const kl = keyCols[2 * i + 1]!;
    return {
      topic: batch.topics[batch.topic[i]!]!,
      partition: batch.partition[i]!,
      offset: batch.offset !== null ? String(batch.offset[i]) : batch.offsetText![i]!,
      timestamp: batch.timestamp[i]!,
      key: kl < 0 ? null : dec.text(keyCols[2 * i]!, keyCols[2 * i]! + kl),
      value,
      headers,
      type,
    };
  };
  /** An unkeyed handler's answer becomes the state (undefined: it changed the state in place). */
  const keepState = (r: unknown): void => {
    if (r === undefined) return;
    if (isThenable(r)) throw new TypeError('it returned a Promise: handlers run synchronously (is it async?)');
    state = r;
  };
  /** A key's state, made by init() the first time the key is seen (the caller names init as running). */
  const stateOfKey = (key: string): unknown => {
    let s = states.get(key);
    if (s === undefined && !states.has(key)) {
      s = initial();
      states.set(key, s);
    }
    return s;
  };
  /** A keyed handler's answer becomes its key's state (undefined or the same: changed in place). */
  const keepKeyState = (key: string, s: unknown, r: unknown): void => {
    if (r === undefined || r === s) return;
    if (isThenable(r)) throw new TypeError('it returned a Promise: handlers run synchronously (is it async?)');
    states.set(key, r);
  };

  const feed = (batch: EventBatch, dec: BatchDecoder, progress: Int32Array | null): ProjectionFailure | null => {
    if (stopped) return stopped;
    const n = batch.count;
    const bytes = batch.bytes;
    const valueCols = batch.value;
    const headerIndex = batch.headerIndex;
    // What runs now, named only if it throws (a name built per event cost a tenth of a replay): 0 init, 1 typeFrom, 2 keyBy, 3 on[type], 4 any.
    let stage = 0;
    let event: ProjectionEvent | null = null;
    try {
      if (!keyed) unkeyedState();
      // The type header's index among this batch's header names (-1: no event has it).
      const typeHeaderId = typeKind === 1 ? batch.headerNames.indexOf(typeHeader) : -1;
      const NOT_READ = handlers; // a marker no value can be
      for (let i = 0; i < n; i++) {
        if (progress !== null) progress[1] = i;
        events++;
        const firstHeader = headerIndex[i]!;
        const endHeader = headerIndex[i + 1]!;
        const vs = valueCols[2 * i]!;
        const vl = valueCols[2 * i + 1]!;
        let value: unknown = NOT_READ;
        let type: string | null = null;
        let handler: ((state: unknown, event: unknown) => unknown) | null = null;
        // A type from a header or a JSON field is known before the event is built: an event
        // that no handler takes is only counted (a third of a typical replay, built for nothing).
        if (typeKind === 1 || typeKind === 2) {
          if (typeKind === 1) type = headerTypeAt(batch, dec, firstHeader, endHeader, typeHeaderId);
          else {
            value = decodeValue(bytes, dec, vs, vl);
            type = jsonFieldType(value);
          }
          handler = countType(type);
          if (handler === null && anyFn === undefined) {
            unmatched++;
            continue;
          }
        }
        if (value === NOT_READ) value = decodeValue(bytes, dec, vs, vl);
        event = eventAt(batch, dec, i, value, headersAt(batch, dec, firstHeader, endHeader), type);
        if (typeFn !== null) {
          stage = 1;
          type = typeFromAnswer(typeFn.call(def, event));
          event.type = type;
          handler = countType(type);
        } else if (typeKind === 0) {
          untyped++;
        }
        let self: unknown = handlers;
        if (handler === null) {
          if (anyFn === undefined) {
            unmatched++;
            continue;
          }
          handler = anyFn;
          self = def;
          stage = 4;
        } else {
          stage = 3;
        }

        if (!keyed) {
          keepState(handler.call(self, state, event));
          continue;
        }
        const handlerStage = stage;
        stage = 2;
        const key = keyByAnswer(keyFn!.call(def, event));
        if (key === null) {
          unkeyed++;
          continue;
        }
        stage = 0;
        const s = stateOfKey(key);
        stage = handlerStage;
        keepKeyState(key, s, handler.call(self, s, event));
      }
      return null;
    } catch (err) {
      stopped = threwAt(err, event, stage);
      return stopped;
    }
  };

  const finish = (): { ok: true; outcome: ProjectionOutcome } | { ok: false; failure: ProjectionFailure } => {
    if (stopped) return { ok: false, failure: stopped };
    const byType: TypeCount[] = [...types].map(([type, e]) => ({
      type,
      events: e.events,
      handled: e.handler !== null,
    }));
    byType.sort((a, b) => b.events - a.events || (a.type < b.type ? -1 : a.type > b.type ? 1 : 0));
    const counts: ProjectionCounts = { events, byType, untyped, unmatched, unkeyed, keys: keyed ? states.size : null };
    const notJson = (problem: string): { ok: false; failure: ProjectionFailure } =>
      fail(
        'state',
        null,
        `the final state is not JSON: ${problem}. Keep the state to plain objects, arrays, strings, finite numbers, booleans and null (a Map as an object: Object.fromEntries(map); a Set as an array: [...set]).`,
      );
    try {
      if (!keyed) {
        unkeyedState();
        const problem = jsonProblem(state, 'state', []);
        if (problem) return notJson(problem);
        if (state === undefined) return notJson('the state is undefined');
        return { ok: true, outcome: { keyed: false, state, counts } };
      }
      for (const [key, s] of states) {
        const problem = jsonProblem(s, `the state of key ${JSON.stringify(key)}`, []);
        if (problem) return notJson(problem);
      }
      return { ok: true, outcome: { keyed: true, states: [...states], counts } };
    } catch (err) {
      // init (a projection that saw no event), or a getter of the state, threw: named as init, at no event.
      return { ok: false, failure: threwAt(err, null, 0) };
    }
  };

  // ---- Step-through and comparison (projection-session.ts): one event at a time, with what it did. ----

  const snapshot = (): { ok: true; snapshot: string } | { ok: false; problem: string } => {
    // A state that is not JSON would come back changed (a Map as {}): no snapshot then.
    if (!keyed && started) {
      const problem = jsonProblem(state, 'state', []);
      if (problem) return { ok: false, problem };
    }
    if (keyed) {
      for (const [key, s] of states) {
        const problem = jsonProblem(s, `the state of key ${JSON.stringify(key)}`, []);
        if (problem) return { ok: false, problem };
      }
    }
    const typeCounts: [string, number][] = [];
    for (const [type, e] of types) typeCounts.push([type, e.events]);
    return {
      ok: true,
      snapshot: JSON.stringify({
        v: 1,
        events,
        untyped,
        unmatched,
        unkeyed,
        types: typeCounts,
        started,
        state: keyed || !started ? null : state,
        states: keyed ? [...states] : [],
      }),
    };
  };

  const restore = (text: string): void => {
    const s = JSON.parse(text) as {
      v: number;
      events: number;
      untyped: number;
      unmatched: number;
      unkeyed: number;
      types: [string, number][];
      started: boolean;
      state: unknown;
      states: [string, unknown][];
    };
    if (s.v !== 1) throw new TypeError(`unknown snapshot version ${String(s.v)}`);
    events = s.events;
    untyped = s.untyped;
    unmatched = s.unmatched;
    unkeyed = s.unkeyed;
    types.clear();
    for (const [type, count] of s.types)
      types.set(type, {
        events: count,
        handler: Object.prototype.hasOwnProperty.call(handlers, type) ? handlers[type]! : null,
      });
    // feed's one-entry cache would point at an entry no longer in the map.
    lastType = null;
    lastEntry = undefined;
    started = s.started;
    state = s.started ? s.state : undefined;
    states.clear();
    for (const [key, value] of s.states) states.set(key, value);
  };

  /** The same steps as feed's loop (see there), for one event, without its shortcuts. */
  const feedOne = (
    batch: EventBatch,
    i: number,
    dec: BatchDecoder,
    progress: Int32Array | null,
    beforeApply: ((key: string | null) => void) | null,
  ): FedEvent | { failure: ProjectionFailure } => {
    if (stopped) return { failure: stopped };
    let stage = 0;
    let event: ProjectionEvent | null = null;
    try {
      if (!keyed) unkeyedState();
      if (progress !== null) progress[1] = i;
      events++;
      const index = events;
      const value = decodeValue(batch.bytes, dec, batch.value[2 * i]!, batch.value[2 * i + 1]!);
      const firstHeader = batch.headerIndex[i]!;
      const endHeader = batch.headerIndex[i + 1]!;
      event = eventAt(batch, dec, i, value, headersAt(batch, dec, firstHeader, endHeader), null);
      let type: string | null = null;
      if (typeKind === 1)
        type = headerTypeAt(batch, dec, firstHeader, endHeader, batch.headerNames.indexOf(typeHeader));
      else if (typeKind === 2) type = jsonFieldType(value);
      else if (typeKind === 3) {
        stage = 1;
        type = typeFromAnswer(typeFn!.call(def, event));
      }
      event.type = type;
      let handler = countType(type);
      let self: unknown = handlers;
      let name: string | null = `on.${type ?? ''}`;
      if (handler === null) {
        if (anyFn === undefined) {
          unmatched++;
          return { index, event, handler: null, key: null, applied: false };
        }
        handler = anyFn;
        self = def;
        name = 'any';
        stage = 4;
      } else {
        stage = 3;
      }
      if (!keyed) {
        if (beforeApply) beforeApply(null);
        keepState(handler.call(self, state, event));
        return { index, event, handler: name, key: null, applied: true };
      }
      const handlerStage = stage;
      stage = 2;
      const key = keyByAnswer(keyFn!.call(def, event));
      if (key === null) {
        unkeyed++;
        return { index, event, handler: null, key: null, applied: false };
      }
      if (beforeApply) beforeApply(key);
      stage = 0;
      const s = stateOfKey(key);
      stage = handlerStage;
      keepKeyState(key, s, handler.call(self, s, event));
      return { index, event, handler: name, key, applied: true };
    } catch (err) {
      stopped = threwAt(err, event, stage);
      return { failure: stopped };
    }
  };

  const stateOf = (key: string | null): unknown => {
    if (keyed) return key === null ? undefined : states.get(key);
    return unkeyedState();
  };

  /** The run-until predicate, compiled in this sandbox like the projection (the same names shadowed). */
  let predicate: ((...args: unknown[]) => unknown) | null = null;
  const compilePredicate = (expression: string): string | null => {
    predicate = null;
    if (expression.trim() === '')
      return 'the expression is empty: write one over state and event, e.g. state.orders > 10 or event.type === "OrderCancelled"';
    const params = ['state', 'event', ...shadowed];
    const compiled = lib.compileUserCode(params, `"use strict"; return (\n${expression}\n);`, 'run-until.js');
    if (!compiled.ok) return `it is not a JavaScript expression: ${compiled.message.replace(/^SyntaxError: /, '')}`;
    predicate = compiled.fn;
    return null;
  };
  const testPredicate = (s: unknown, e: unknown): boolean | { threw: string } => {
    if (predicate === null) return { threw: 'no expression was compiled' };
    try {
      const r = predicate(s, e, ...shadowed.map(() => undefined));
      return Boolean(r);
    } catch (err) {
      return { threw: lib.describeThrown(err) };
    }
  };

  return {
    ok: true,
    engine: {
      info: { keyed, handlers: handlerTypes, hasAny: anyFn !== undefined, typeFrom: typeDescription, name },
      feed,
      finish,
      snapshot,
      restore,
      feedOne,
      stateOf,
      keyCount: () => (keyed ? states.size : null),
      eventCount: () => events,
      compilePredicate,
      testPredicate,
    },
  };
}
