import { describe, expect, it } from 'vitest';
import { encodePayload } from '../../src/common/codecs/payload.ts';
import type { RecordDto } from '../../src/common/contract/dto.ts';
import { compileFilter, FilterError, parsePath } from '../../src/common/filters/record-filter.ts';

const bytes = (s: string) => new TextEncoder().encode(s);
const rec = (
  value: string | Uint8Array | null,
  key: string | null = null,
  headers: [string, string][] = [],
): RecordDto => ({
  partition: 0,
  offset: '0',
  timestamp: 0,
  key: encodePayload(key === null ? null : bytes(key)),
  value: encodePayload(value === null ? null : typeof value === 'string' ? bytes(value) : value),
  headers: headers.map(([k, v]) => ({ key: k, value: encodePayload(bytes(v)) })),
});

describe('record filters', () => {
  it('contains: value, key or header value, ignoring case', () => {
    const f = compileFilter({ kind: 'contains', text: 'PAID' });
    expect(f(rec('{"type":"OrderPaid"}'))).toBe(true);
    expect(f(rec('x', 'paid-key'))).toBe(true);
    expect(f(rec('x', null, [['type', 'Paid']]))).toBe(true);
    expect(f(rec('{"type":"OrderPlaced"}'))).toBe(false);
    expect(f(rec(null))).toBe(false);
    expect(f(rec(new Uint8Array([0xff, 0x50])))).toBe(false);
  });

  it('regex, with a clear error for a bad pattern', () => {
    const f = compileFilter({ kind: 'regex', pattern: '"amount":\\s*1\\d{2}\\b', flags: '' });
    expect(f(rec('{"amount": 150}'))).toBe(true);
    expect(f(rec('{"amount": 15}'))).toBe(false);
    expect(() => compileFilter({ kind: 'regex', pattern: '(unclosed', flags: '' })).toThrow(FilterError);
  });

  it('JSON path equals on strings, numbers, nested fields and arrays; skips what is not JSON', () => {
    const order = '{"type":"OrderPlaced","order":{"id":42,"items":[{"sku":"A-1"}]}}';
    expect(compileFilter({ kind: 'jsonPath', path: '$.type', equals: 'OrderPlaced' })(rec(order))).toBe(true);
    expect(compileFilter({ kind: 'jsonPath', path: 'order.id', equals: '42' })(rec(order))).toBe(true);
    expect(compileFilter({ kind: 'jsonPath', path: '$.order.items[0].sku', equals: 'A-1' })(rec(order))).toBe(true);
    expect(compileFilter({ kind: 'jsonPath', path: '$.order.id', equals: '43' })(rec(order))).toBe(false);
    expect(compileFilter({ kind: 'jsonPath', path: '$.type', equals: 'x' })(rec('not json {'))).toBe(false);
    expect(parsePath("$['weird key'].x")).toEqual(['weird key', 'x']);
    expect(() => parsePath('$')).toThrow(/names no field/);
  });
});

describe('regular expressions run in linear time (RE2)', () => {
  it('a catastrophic pattern over a long value answers at once', () => {
    const f = compileFilter({ kind: 'regex', pattern: '^(a+)+$', flags: '' });
    const evil = rec('a'.repeat(50_000) + '!');
    // JavaScript's engine backtracks exponentially here (1.5 s at 25 a's, doubling per "a").
    expect(f(evil)).toBe(false);
    expect(f(rec('a'.repeat(50_000)))).toBe(true);
  });

  it('flags i, m, s mean what they mean in JavaScript', () => {
    expect(compileFilter({ kind: 'regex', pattern: 'paid', flags: 'i' })(rec('{"status":"PAID"}'))).toBe(true);
    expect(compileFilter({ kind: 'regex', pattern: 'paid', flags: '' })(rec('{"status":"PAID"}'))).toBe(false);
    expect(compileFilter({ kind: 'regex', pattern: '^b$', flags: 'm' })(rec('a\nb\nc'))).toBe(true);
    expect(compileFilter({ kind: 'regex', pattern: 'a.c', flags: 's' })(rec('a\nc'))).toBe(true);
    expect(compileFilter({ kind: 'regex', pattern: 'a.c', flags: '' })(rec('a\nc'))).toBe(false);
  });

  it('backreferences and lookaround are refused with the reason', () => {
    expect(() => compileFilter({ kind: 'regex', pattern: '(a)\\1', flags: '' })).toThrow(
      /linear time \(RE2\), which leaves out backreferences/,
    );
    expect(() => compileFilter({ kind: 'regex', pattern: 'order(?=Placed)', flags: '' })).toThrow(/lookaround/);
    expect(() => compileFilter({ kind: 'regex', pattern: '(unclosed', flags: '' })).toThrow(
      /^Not a valid regular expression: missing closing \)/,
    );
  });
});
