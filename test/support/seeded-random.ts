// Seeded pseudo-random numbers for tests. Timings and data that vary from run to run find more
// than fixed ones, but a failure must repeat: every such test takes its seed from testSeed() and
// shows it in its name, and EVENTSCOPE_TEST_SEED=<seed> makes the next run draw the same numbers.
// (Math.random cannot be seeded; fast-check has its own seed, printed in its failure report.)

/** The seed of this run: EVENTSCOPE_TEST_SEED when set (to repeat a failure), else a fresh one. */
export function testSeed(env: NodeJS.ProcessEnv = process.env): number {
  const given = env.EVENTSCOPE_TEST_SEED;
  if (given === undefined || given === '') return Date.now() % 2 ** 31;
  const seed = Number(given);
  if (!Number.isSafeInteger(seed) || seed < 0)
    throw new Error(
      `EVENTSCOPE_TEST_SEED must be a whole number ≥ 0 (a seed a test printed in its name), not "${given}".`,
    );
  return seed;
}

/**
 * A generator of numbers in [0, 1) from a 32-bit seed (mulberry32: small, fast, and well enough
 * spread for picking test timings and data; not for anything secret).
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 2 ** 32;
  };
}

/** A whole number in [min, max], drawn from random. */
export function randomInt(random: () => number, min: number, max: number): number {
  return min + Math.floor(random() * (max - min + 1));
}

/** n bytes drawn from random: as incompressible as crypto's, but the same for the same seed. */
export function randomBytesFrom(random: () => number, n: number): Buffer {
  const out = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(random() * 256);
  return out;
}
