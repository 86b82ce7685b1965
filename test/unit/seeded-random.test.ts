// The tests' seeded generator: the same seed gives the same numbers (a failure repeats), other
// seeds give others, the numbers spread over [0, 1), and a bad EVENTSCOPE_TEST_SEED is refused
// naming the variable.
import { describe, expect, it } from 'vitest';
import { randomBytesFrom, randomInt, seededRandom, testSeed } from '../support/seeded-random.ts';

describe('seeded random numbers for tests', () => {
  it('repeats exactly for a seed, and differs for another', () => {
    const draw = (seed: number) => Array.from({ length: 20 }, seededRandom(seed));
    expect(draw(7)).toEqual(draw(7));
    expect(draw(7)).not.toEqual(draw(8));
    expect(randomBytesFrom(seededRandom(3), 64)).toEqual(randomBytesFrom(seededRandom(3), 64));
  });

  it('spreads over [0, 1) and over a range of whole numbers, ends included', () => {
    const random = seededRandom(12_345);
    const values = Array.from({ length: 10_000 }, random);
    expect(values.every((v) => v >= 0 && v < 1)).toBe(true);
    // Each tenth of [0, 1) gets roughly a tenth of the draws (1,000 each; far outside 800–1,200 is a broken generator).
    const tenths = Array.from({ length: 10 }, (_, i) => values.filter((v) => Math.floor(v * 10) === i).length);
    for (const n of tenths) expect(n).toBeGreaterThan(800);
    const ints = new Set(Array.from({ length: 1_000 }, () => randomInt(random, 3, 6)));
    expect([...ints].sort()).toEqual([3, 4, 5, 6]);
  });

  it('takes the seed from EVENTSCOPE_TEST_SEED, and refuses one that is not a whole number', () => {
    expect(testSeed({ EVENTSCOPE_TEST_SEED: '42' })).toBe(42);
    expect(Number.isSafeInteger(testSeed({}))).toBe(true);
    expect(() => testSeed({ EVENTSCOPE_TEST_SEED: 'abc' })).toThrow(
      /EVENTSCOPE_TEST_SEED must be a whole number.*not "abc"/,
    );
    expect(() => testSeed({ EVENTSCOPE_TEST_SEED: '-1' })).toThrow(/EVENTSCOPE_TEST_SEED/);
  });
});
