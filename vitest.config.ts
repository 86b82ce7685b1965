// Two projects: `unit` (no broker, files in parallel, seconds: `npm run test:unit`) and
// `integration` (the real broker of test/harness/vitest-global-setup.ts, files one at a time so
// they don't starve the broker on 2 cores; stress tests with real processes live here too).
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // Unit tests import renderer modules, which import the universal core as @common/… (as Vite resolves it).
  resolve: { alias: { '@common': new URL('./src/common', import.meta.url).pathname } },
  test: {
    testTimeout: 60_000,
    // Unit files wait on worker threads and SQLite as much as on the CPU: three at a time on two
    // cores halves the unit project's wall time (Vitest's default here is one). Integration files
    // still run one at a time (fileParallelism: false below).
    maxWorkers: 3,
    hookTimeout: 120_000,
    projects: [
      {
        extends: true,
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts'],
          // Files share their worker's module cache instead of importing zod, the contract and the
          // codecs again for each of 53 files: 19 s → 14 s here. The price: a unit test must leave
          // no state behind (a global, an env variable, fake timers): restore it in afterEach.
          isolate: false,
        },
      },
      {
        extends: true,
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/harness/vitest-global-setup.ts'],
          fileParallelism: false,
        },
      },
    ],
  },
});
