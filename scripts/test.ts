// npm test: lint (with the layer rules), type-check, build, Electronegativity over the built
// app (offline), the Vitest unit project (no broker), then one real Kafka broker for the Vitest
// integration project and the Playwright suite (real Chromium through browser mode). Prints
// each stage's duration and every skipped test, and ends with one line "Tests: N passed, N failed, N skipped".
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { endpointsFromEnv, endpointsToEnv, startBroker, type RunningBroker } from '../test/harness/broker.ts';
import { ROOT, run, stage } from './run-steps.ts';

const REPORTS = join(ROOT, 'test-results', 'reports');
const failures: string[] = [];
const counts = { passed: 0, failed: 0, skipped: 0 };
const skipReasons: string[] = [];

interface PlaywrightSuite {
  title: string;
  specs?: { title: string; tests: { status: string; annotations: { type: string; description?: string }[] }[] }[];
  suites?: PlaywrightSuite[];
}
interface PlaywrightReport {
  stats: { expected: number; unexpected: number; flaky: number; skipped: number };
  suites: PlaywrightSuite[];
}

/** Every skipped end-to-end test with the reason it gave, so no skip goes by unexplained. */
function playwrightSkipReasons(report: PlaywrightReport): string[] {
  const reasons: string[] = [];
  const walk = (suite: PlaywrightSuite): void => {
    for (const spec of suite.specs ?? []) {
      for (const t of spec.tests) {
        if (t.status !== 'skipped') continue;
        const why = t.annotations.find((a) => a.type === 'skip')?.description ?? 'no reason given';
        reasons.push(`${spec.title}: ${why}`);
      }
    }
    for (const child of suite.suites ?? []) walk(child);
  };
  report.suites.forEach(walk);
  return reasons;
}

const durations: { name: string; ms: number }[] = [];

async function step(name: string, command: string, args: string[], env: Record<string, string> = {}): Promise<boolean> {
  stage(name);
  const started = performance.now();
  const code = await run(command, args, env);
  durations.push({ name, ms: performance.now() - started });
  if (code !== 0) failures.push(`${name} (exit ${code})`);
  return code === 0;
}

interface VitestReport {
  numPassedTests: number;
  numFailedTests: number;
  numPendingTests: number;
  numTodoTests: number;
  testResults: { name: string; assertionResults: { fullName: string; status: string }[] }[];
}

/** Runs one Vitest project and counts its results; its skipped tests are listed with their files. */
async function vitestProject(project: string, title: string, env: Record<string, string>): Promise<void> {
  const report = join(REPORTS, `vitest-${project}.json`);
  await step(
    title,
    'vitest',
    ['run', '--project', project, '--reporter=default', '--reporter=json', `--outputFile.json=${report}`],
    env,
  );
  const v = readJson<VitestReport>(report);
  if (!v) return;
  counts.passed += v.numPassedTests;
  counts.failed += v.numFailedTests;
  counts.skipped += v.numPendingTests + v.numTodoTests;
  for (const file of v.testResults) {
    for (const t of file.assertionResults) {
      if (t.status === 'skipped' || t.status === 'pending' || t.status === 'todo')
        skipReasons.push(
          `${t.fullName} (${file.name.replace(`${ROOT}/`, '')}: its reason is printed in the Vitest output above)`,
        );
    }
  }
}

function readJson<T>(path: string): T | null {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as T;
  } catch {
    return null;
  }
}

async function main(): Promise<number> {
  mkdirSync(REPORTS, { recursive: true });
  await step('lint (ESLint, layer rules)', 'eslint', ['.']);
  await step('format (Prettier --check)', 'prettier', ['--check', '.']);
  for (const project of ['tsconfig.node.json', 'tsconfig.web.json', 'tsconfig.preload.json'])
    await step(`typecheck ${project}`, 'tsc', ['-p', project]);
  const built = await step('build (electron-vite: main + cli, preload, renderer)', 'electron-vite', ['build']);
  // Electron security checks over the built app, offline; HIGH findings must be fixed or explained in electronegativity-accepted.json.
  if (built)
    await step('electronegativity (Electron security checks, built app, offline)', process.execPath, [
      join(ROOT, 'scripts', 'electronegativity.ts'),
    ]);
  else failures.push('electronegativity: not run, the build failed');

  await vitestProject('unit', 'vitest unit (no broker)', {});

  let broker: RunningBroker | null = null;
  let env: Record<string, string> = {};
  const external = endpointsFromEnv();
  stage('kafka broker');
  const brokerStarted = performance.now();
  if (external) {
    process.stdout.write(`using the cluster in KAFKA_BOOTSTRAP_SERVERS=${external.bootstrap}\n`);
  } else {
    try {
      broker = await startBroker((line) => process.stdout.write(`[kafka-harness] ${line}\n`));
      env = endpointsToEnv(broker);
    } catch (err) {
      failures.push(`kafka broker: ${(err as Error).message}`);
      process.stderr.write(`${(err as Error).message}\n`);
    }
  }
  durations.push({ name: 'kafka broker (start)', ms: performance.now() - brokerStarted });
  const stopBroker = async (): Promise<void> => {
    if (broker) {
      stage('stopping the kafka broker');
      await broker.stop();
      broker = null;
    }
  };
  const onSignal = (): void => void stopBroker().then(() => process.exit(130));
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);

  try {
    if (broker || external) {
      await vitestProject('integration', 'vitest integration (real broker)', env);
      if (built) {
        const playwrightReport = join(REPORTS, 'playwright.json');
        await step(
          'playwright (Chromium through browser mode, real broker)',
          'playwright',
          ['test', '--reporter=list,json'],
          { ...env, PLAYWRIGHT_JSON_OUTPUT_NAME: playwrightReport },
        );
        const p = readJson<PlaywrightReport>(playwrightReport);
        if (p) {
          counts.passed += p.stats.expected + p.stats.flaky;
          counts.failed += p.stats.unexpected;
          counts.skipped += p.stats.skipped;
          for (const reason of playwrightSkipReasons(p)) skipReasons.push(reason);
        }
      } else {
        failures.push('playwright: not run, the build failed');
      }
    }
  } finally {
    await stopBroker();
  }

  stage('summary');
  process.stdout.write(
    `durations:\n${durations.map((d) => `  ${(d.ms / 1000).toFixed(1).padStart(7)} s  ${d.name}`).join('\n')}\n`,
  );
  if (skipReasons.length > 0) process.stdout.write(`skipped:\n${skipReasons.map((r) => `  - ${r}`).join('\n')}\n`);
  if (failures.length > 0) process.stdout.write(`failed stages:\n${failures.map((f) => `  - ${f}`).join('\n')}\n`);
  process.stdout.write(`Tests: ${counts.passed} passed, ${counts.failed} failed, ${counts.skipped} skipped\n`);
  return failures.length === 0 && counts.failed === 0 && counts.passed > 0 ? 0 : 1;
}

process.exitCode = await main();
