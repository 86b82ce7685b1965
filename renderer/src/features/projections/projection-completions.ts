// Completions for the projection editor: the properties of a projection (typeFrom, init,
// keyBy, on, any, name, description) where a property of the exported object is typed, and an
// event's fields (topic, partition, offset…) after `event.`. Their doc text is the projection
// API's own (src/common/projections/projection-api.ts; test/unit/projection-completions.test.ts checks
// that each one is said there, so the two cannot drift apart).
import type { Completion, CompletionContext, CompletionResult } from '@codemirror/autocomplete';

export const PROJECTION_PROPERTIES: readonly { label: string; detail: string; info: string }[] = [
  {
    label: 'typeFrom',
    detail: '{ header } | { jsonField } | (event) => string',
    info: 'Required when `on` has handlers.',
  },
  {
    label: 'init',
    detail: '() => State',
    info: 'The initial state (per key when keyBy is given). Called once, or once per new key.',
  },
  {
    label: 'keyBy',
    detail: '(event) => string | number | null',
    info: 'One state per key: the key of an event (a string or a number); null/undefined skips the event (counted as unkeyed).',
  },
  { label: 'on', detail: '{ [type]: (state, event) => State }', info: 'Handlers by event type.' },
  {
    label: 'any',
    detail: '(state, event) => State',
    info: 'Events that no `on` handler takes (untyped ones included).',
  },
  { label: 'name', detail: 'string', info: 'Shown in results; optional.' },
  { label: 'description', detail: 'string', info: 'Shown in results; optional.' },
];

export const EVENT_FIELDS: readonly { label: string; detail: string; info: string }[] = [
  { label: 'topic', detail: 'string', info: 'The topic the record was read from.' },
  { label: 'partition', detail: 'number', info: 'The partition the record was read from.' },
  { label: 'offset', detail: 'string', info: 'Decimal string: offsets are 64-bit.' },
  { label: 'timestamp', detail: 'number', info: "Epoch milliseconds (the record's timestamp)." },
  {
    label: 'key',
    detail: 'string | null',
    info: 'The key as text (UTF-8; bytes that are not UTF-8 are replaced), or null.',
  },
  {
    label: 'value',
    detail: 'JSON | string | Uint8Array | null',
    info: 'The value parsed as JSON when it is JSON; else its text when it is UTF-8; else its bytes (a Uint8Array); null for a tombstone.',
  },
  {
    label: 'headers',
    detail: 'Record<string, string | null>',
    info: 'Header key → its value as text (null for a null header value; the last of repeated keys wins).',
  },
  { label: 'type', detail: 'string | null', info: 'What typeFrom found (null when it found nothing).' },
];

/** Names an event usually goes by in a handler: `(state, event)`, `(s, e)`, `ev`, `evt`. */
const EVENT_NAMES = /^(event|e|ev|evt)$/;

function options(list: readonly { label: string; detail: string; info: string }[], type: string): Completion[] {
  return list.map((p) => ({ label: p.label, detail: p.detail, info: p.info, type }));
}

export function projectionCompletions(context: CompletionContext): CompletionResult | null {
  const member = context.matchBefore(/[A-Za-z_$][\w$]*\.[\w$]*$/);
  if (member) {
    const dot = member.text.indexOf('.');
    if (!EVENT_NAMES.test(member.text.slice(0, dot))) return null;
    return { from: member.from + dot + 1, options: options(EVENT_FIELDS, 'property'), validFor: /^[\w$]*$/ };
  }
  // A property name typed at the start of a line (inside the exported object), or asked for with Ctrl-Space.
  const line = context.state.doc.lineAt(context.pos);
  const before = line.text.slice(0, context.pos - line.from);
  const word = /[\w$]*$/.exec(before)![0];
  if (!/^\s*[\w$]*$/.test(before) && !context.explicit) return null;
  if (word === '' && !context.explicit) return null;
  return { from: context.pos - word.length, options: options(PROJECTION_PROPERTIES, 'property'), validFor: /^[\w$]*$/ };
}
