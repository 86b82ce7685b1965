// A consumer's state as the user pastes it or loads it from a file.
import { describe, expect, it } from 'vitest';
import { parseConsumerJson } from '../../src/common/projections/consumer-input.ts';

describe('parseConsumerJson', () => {
  it('takes any JSON as the whole state (the session reads an object as key → state for a keyed projection)', () => {
    expect(parseConsumerJson('{"o-1": {"status": "paid"}}', 'the pasted text')).toEqual({
      keyed: false,
      state: { 'o-1': { status: 'paid' } },
    });
    expect(parseConsumerJson(' 42 ', 'x')).toEqual({ keyed: false, state: 42 });
  });

  it('takes what `eventscope replay --json` prints', () => {
    const keyed = JSON.stringify({
      projection: 'p.js',
      keyed: true,
      states: { a: 1, b: { n: 2 } },
      counts: {},
      ranges: [],
    });
    expect(parseConsumerJson(keyed, 'f')).toEqual({
      keyed: true,
      states: [
        ['a', 1],
        ['b', { n: 2 }],
      ],
    });
    const whole = JSON.stringify({ projection: 'p.js', keyed: false, state: { total: 3 }, counts: {}, ranges: [] });
    expect(parseConsumerJson(whole, 'f')).toEqual({ keyed: false, state: { total: 3 } });
  });

  it('says where the text stops being JSON, naming where it came from', () => {
    expect(() => parseConsumerJson('{\n  "a": 1,\n  "b": oops\n}', 'states.json')).toThrow(
      /^states\.json is not JSON: [\s\S]*\(line 3, column 8\)\.$/,
    );
    expect(() => parseConsumerJson('   ', 'the pasted text')).toThrow(/the pasted text is empty/);
  });
});
