// What differs between two JSON states, as paths a person can read (`state.customers["c-1"].orders`)
// with the value before and after: the diff an event made in step-through, and where a consumer's
// state and a projection's part in a comparison. Bounded: a state of a million keys that changed
// everywhere answers the first `limit` changes and how many more there were, never a million rows.
// Universal (the page and the tests use it); both sides are JSON (a state is checked to be JSON
// before it leaves the sandbox).
import type { StateChange } from './session-api.ts';

export const DEFAULT_CHANGE_LIMIT = 200;
/** Deeper than this, a differing subtree is one change (a state nested 1,000 levels deep is not read node by node). */
const MAX_DEPTH = 64;

export interface StateDiff {
  changes: StateChange[];
  /** Changes left out past the limit. */
  more: number;
}

/** The same text for the same JSON whatever order its objects' keys were written in: how two states are judged equal. */
export function canonicalJson(value: unknown): string {
  return (
    JSON.stringify(value, (_k, v: unknown) => {
      if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
      const sorted: Record<string, unknown> = {};
      // defineProperty: a key "__proto__" is data here, not the prototype.
      for (const k of Object.keys(v).sort())
        Object.defineProperty(sorted, k, {
          value: (v as Record<string, unknown>)[k],
          enumerable: true,
          writable: true,
          configurable: true,
        });
      return sorted;
    }) ?? 'undefined'
  );
}

/** A property's step in a path: `.name` when it is an identifier, else `["c-1"]`. */
export function pathStep(key: string): string {
  return /^[A-Za-z_$][\w$]*$/.test(key) ? `.${key}` : `[${JSON.stringify(key)}]`;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * The changes from `before` to `after` (undefined: absent), leaves first found first: objects
 * by key (before's order, then keys only after has), arrays by index.
 */
export function diffStates(
  before: unknown,
  after: unknown,
  options: { root?: string; limit?: number } = {},
): StateDiff {
  const limit = options.limit ?? DEFAULT_CHANGE_LIMIT;
  const changes: StateChange[] = [];
  let more = 0;
  const add = (path: string, b: unknown, a: unknown): void => {
    if (changes.length < limit) changes.push({ path, before: b, after: a });
    else more++;
  };
  const walk = (path: string, b: unknown, a: unknown, depth: number): void => {
    if (b === a) return;
    const bothObjects = isPlainObject(b) && isPlainObject(a);
    const bothArrays = Array.isArray(b) && Array.isArray(a);
    if ((!bothObjects && !bothArrays) || depth >= MAX_DEPTH) {
      if (canonicalJson(b) !== canonicalJson(a)) add(path, b, a);
      return;
    }
    if (bothArrays) {
      const n = Math.max(b.length, a.length);
      for (let i = 0; i < n; i++)
        walk(`${path}[${i}]`, i < b.length ? b[i] : undefined, i < a.length ? a[i] : undefined, depth + 1);
      return;
    }
    const bo = b as Record<string, unknown>;
    const ao = a as Record<string, unknown>;
    const has = (o: object, k: string): boolean => Object.prototype.hasOwnProperty.call(o, k);
    for (const k of Object.keys(bo)) walk(`${path}${pathStep(k)}`, bo[k], has(ao, k) ? ao[k] : undefined, depth + 1);
    for (const k of Object.keys(ao)) if (!has(bo, k)) walk(`${path}${pathStep(k)}`, undefined, ao[k], depth + 1);
  };
  walk(options.root ?? 'state', before, after, 0);
  return { changes, more };
}
