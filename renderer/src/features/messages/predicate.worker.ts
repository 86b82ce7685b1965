// Runs the user's JavaScript filter away from the page: in a dedicated worker with no DOM,
// no access to the app's state, and a CSP that forbids network access (browser mode: a header
// from the local server; desktop: the same header from main's file: handler). The page
// terminates it if a batch takes too long (an endless loop). The sandbox core is shared with
// projections (src/common/projections/sandbox-core.ts): the worker's capabilities (postMessage, fetch,
// timers…) are taken out of its scope before any filter is compiled, so a filter cannot answer
// for the worker or reach anything but the record it is given.
import type { RecordDto } from '@common/contract/dto.ts';
import { compileUserCode, describeThrown, lockDownScope } from '@common/projections/sandbox-core.ts';

export type PredicateRequest =
  { type: 'compile'; code: string } | { type: 'test'; batch: number; records: RecordDto[] };
export type PredicateReply =
  | { type: 'compiled' }
  | { type: 'error'; message: string; partition?: number; offset?: string }
  | { type: 'tested'; batch: number; matches: boolean[] };

type Predicate = (
  record: RecordDto,
  value: unknown,
  key: string | null,
  headers: Record<string, string | null>,
) => unknown;

const scope = self as unknown as {
  postMessage(reply: PredicateReply): void;
  addEventListener(type: 'message', listener: (e: MessageEvent<PredicateRequest>) => void): void;
};
// Taken before the lock-down: the only way out of this worker is this bound function.
const post = scope.postMessage.bind(scope);
let predicate: Predicate | null = null;

function text(p: RecordDto['value']): string | null {
  return p === null ? null : p.encoding === 'utf8' ? p.text : null;
}

scope.addEventListener('message', (event) => {
  const request = event.data;
  if (request.type === 'compile') {
    const compiled = compileUserCode(
      ['record', 'value', 'key', 'headers'],
      `"use strict"; return (${request.code});`,
      'filter.js',
    );
    if (compiled.ok) {
      predicate = compiled.fn as Predicate;
      post({ type: 'compiled' });
    } else {
      predicate = null;
      post({
        type: 'error',
        message: `The filter is not a JavaScript expression: ${compiled.message.replace(/^SyntaxError: /, '')}`,
      });
    }
    return;
  }
  if (!predicate) return;
  const matches: boolean[] = new Array(request.records.length);
  for (let i = 0; i < request.records.length; i++) {
    const r = request.records[i]!;
    const body = text(r.value);
    let value: unknown = body;
    if (body !== null && (body.startsWith('{') || body.startsWith('['))) {
      try {
        value = JSON.parse(body);
      } catch {
        value = body;
      }
    }
    try {
      matches[i] = Boolean(
        predicate(r, value, text(r.key), Object.fromEntries(r.headers.map((h) => [h.key, text(h.value)]))),
      );
    } catch (err) {
      const thrown = describeThrown(err);
      post({
        type: 'error',
        message: `The filter threw on partition ${r.partition}, offset ${r.offset}: ${err instanceof Error ? err.message : thrown}`,
        partition: r.partition,
        offset: r.offset,
      });
      return;
    }
  }
  post({ type: 'tested', batch: request.batch, matches });
});

lockDownScope(self);
