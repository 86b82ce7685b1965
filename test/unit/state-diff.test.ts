// The diff between two JSON states: readable paths, before and after, bounded output.
import { describe, expect, it } from 'vitest';
import { canonicalJson, diffStates, pathStep } from '../../src/common/projections/state-diff.ts';

describe('diffStates', () => {
  it('lists changed leaves with paths a person can read', () => {
    const before = { customers: { 'c-1': { orders: 1, tags: ['new'] }, c2: { orders: 4 } }, total: 5 };
    const after = {
      customers: { 'c-1': { orders: 2, tags: ['new', 'vip'] }, c2: { orders: 4 }, 'c 3': { orders: 1 } },
      total: 7,
    };
    expect(diffStates(before, after)).toEqual({
      changes: [
        { path: 'state.customers["c-1"].orders', before: 1, after: 2 },
        { path: 'state.customers["c-1"].tags[1]', before: undefined, after: 'vip' },
        { path: 'state.customers["c 3"]', before: undefined, after: { orders: 1 } },
        { path: 'state.total', before: 5, after: 7 },
      ],
      more: 0,
    });
  });

  it('reports removed keys, type changes and a whole new state', () => {
    expect(diffStates({ a: 1, b: { c: 2 } }, { b: [2] }).changes).toEqual([
      { path: 'state.a', before: 1, after: undefined },
      { path: 'state.b', before: { c: 2 }, after: [2] },
    ]);
    expect(diffStates(undefined, { n: 1 }).changes).toEqual([{ path: 'state', before: undefined, after: { n: 1 } }]);
    expect(diffStates(null, 0, { root: 'x' }).changes).toEqual([{ path: 'x', before: null, after: 0 }]);
  });

  it('finds nothing between equal states, whatever order their keys are in', () => {
    expect(diffStates({ a: 1, b: { x: [1, { y: 2, z: 3 }] } }, { b: { x: [1, { z: 3, y: 2 }] }, a: 1 })).toEqual({
      changes: [],
      more: 0,
    });
  });

  it('is bounded: a state changed everywhere answers the first changes and how many more', () => {
    const before = Object.fromEntries(Array.from({ length: 10_000 }, (_v, i) => [`k${i}`, i]));
    const after = Object.fromEntries(Array.from({ length: 10_000 }, (_v, i) => [`k${i}`, i + 1]));
    const diff = diffStates(before, after, { limit: 25 });
    expect(diff.changes).toHaveLength(25);
    expect(diff.changes[0]).toEqual({ path: 'state.k0', before: 0, after: 1 });
    expect(diff.more).toBe(10_000 - 25);
  });

  it('treats a deep nest as one change past its depth limit instead of walking it', () => {
    let before: unknown = 1;
    let after: unknown = 2;
    for (let i = 0; i < 500; i++) {
      before = { n: before };
      after = { n: after };
    }
    const diff = diffStates(before, after);
    expect(diff.changes).toHaveLength(1);
    expect(diff.changes[0]!.path).toBe(`state${'.n'.repeat(64)}`);
  });

  it('keeps "__proto__" a key like any other', () => {
    const before = JSON.parse('{"__proto__": {"x": 1}}') as unknown;
    const after = JSON.parse('{"__proto__": {"x": 2}}') as unknown;
    expect(diffStates(before, after).changes).toEqual([{ path: 'state.__proto__.x', before: 1, after: 2 }]);
  });
});

describe('canonicalJson and pathStep', () => {
  it('sorts keys at every depth and leaves arrays in order', () => {
    expect(canonicalJson({ b: 1, a: [{ d: 1, c: 2 }] })).toBe('{"a":[{"c":2,"d":1}],"b":1}');
    expect(canonicalJson(undefined)).toBe('undefined');
  });

  it('writes identifiers with a dot and anything else quoted', () => {
    expect(pathStep('orders')).toBe('.orders');
    expect(pathStep('c-1')).toBe('["c-1"]');
    expect(pathStep('1st')).toBe('["1st"]');
    expect(pathStep('say "hi"')).toBe('["say \\"hi\\""]');
  });
});
