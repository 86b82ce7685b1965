// A consumer's state as the user gives it to compare with (pasted, or a file): JSON text, read
// into a ConsumerState with an error that says where the text stops being JSON. Also takes what
// `eventscope replay --json` prints (a state saved from another run, or another projection).
// Universal: the compare panel uses it, and the tests.
import type { ConsumerState } from './session-api.ts';

/** The line and column of a character offset, 1-based. */
function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset).split('\n');
  return { line: before.length, column: before[before.length - 1]!.length + 1 };
}

/**
 * Where JSON text goes wrong: the shortest prefix that fails other than by ending too soon
 * ("Unexpected end", or an error at its very end). Prefixes before the mistake only end too
 * soon, so this is a bisection.
 */
function errorOffset(text: string): number | null {
  const failsInside = (k: number): boolean => {
    try {
      JSON.parse(text.slice(0, k));
      return false;
    } catch (err) {
      const m = err instanceof Error ? err.message : String(err);
      if (/end of JSON input/i.test(m)) return false;
      const p = /at position (\d+)/.exec(m);
      return !(p && Number(p[1]) >= k);
    }
  };
  if (!failsInside(text.length)) return null;
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (failsInside(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}

export function parseConsumerJson(text: string, from: string): ConsumerState {
  if (text.trim() === '')
    throw new Error(
      `${from} is empty: give the consumer's state as JSON (an object of key → state for a keyed projection).`,
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err);
    // V8 names the line for some errors, not for an unexpected token: then find it.
    const offset = /line \d+/.test(message) ? null : errorOffset(text);
    const where =
      offset === null ? '' : (({ line, column }) => ` (line ${line}, column ${column})`)(lineAndColumn(text, offset));
    throw new Error(`${from} is not JSON: ${message}${where}.`, { cause: err });
  }
  // The output of `eventscope replay --json`.
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const o = value as Record<string, unknown>;
    if (typeof o['projection'] === 'string' && typeof o['keyed'] === 'boolean' && 'counts' in o) {
      if (
        o['keyed'] === true &&
        o['states'] !== null &&
        typeof o['states'] === 'object' &&
        !Array.isArray(o['states'])
      ) {
        return { keyed: true, states: Object.entries(o['states'] as Record<string, unknown>) };
      }
      if (o['keyed'] === false && 'state' in o) return { keyed: false, state: o['state'] };
    }
  }
  return { keyed: false, state: value };
}
