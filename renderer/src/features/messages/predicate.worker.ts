// Runs the user's JavaScript filter away from the page: in a dedicated worker with no DOM,
// no access to the app's state, and a CSP that forbids network access (browser mode: a header
// from the local server; desktop: the same header from main's file: handler). The
// page terminates it if a batch takes too long (an endless loop).
import type { RecordDto } from '../../../../src/contract/dto.ts';

export type PredicateRequest = { type: 'compile'; code: string } | { type: 'test'; batch: number; records: RecordDto[] };
export type PredicateReply =
  | { type: 'compiled' }
  | { type: 'error'; message: string; partition?: number; offset?: string }
  | { type: 'tested'; batch: number; matches: boolean[] };

type Predicate = (record: RecordDto, value: unknown, key: string | null, headers: Record<string, string | null>) => unknown;

const scope = self as unknown as { postMessage(reply: PredicateReply): void; onmessage: ((e: MessageEvent<PredicateRequest>) => void) | null };
let predicate: Predicate | null = null;

function text(p: RecordDto['value']): string | null {
  return p === null ? null : p.encoding === 'utf8' ? p.text : null;
}

scope.onmessage = (event) => {
  const request = event.data;
  if (request.type === 'compile') {
    try {
      predicate = new Function('record', 'value', 'key', 'headers', `"use strict"; return (${request.code});`) as Predicate;
      scope.postMessage({ type: 'compiled' });
    } catch (err) {
      predicate = null;
      scope.postMessage({ type: 'error', message: `The filter is not a JavaScript expression: ${(err as Error).message}` });
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
      matches[i] = Boolean(predicate(r, value, text(r.key), Object.fromEntries(r.headers.map((h) => [h.key, text(h.value)]))));
    } catch (err) {
      scope.postMessage({ type: 'error', message: `The filter threw on partition ${r.partition}, offset ${r.offset}: ${(err as Error).message}`, partition: r.partition, offset: r.offset });
      return;
    }
  }
  scope.postMessage({ type: 'tested', batch: request.batch, matches });
};
