// Electronegativity (Doyensec's Electron security checks) over the built app, offline, as a
// stage of npm test. Prints every finding; fails on a HIGH finding that
// electronegativity-accepted.json does not explain, on a file the checks could not parse
// (its findings would be missing), and on an accepted entry that matches nothing any more.
//
// Offline: Electronegativity fetches translations from S3 at start and Electron's release
// list from GitHub (AVAILABLE_SECURITY_FIXES_GLOBAL_CHECK); with no network the latter
// crashed the process (got's retry fires after the promise settled). Here its HTTP client is
// replaced by one that refuses at once (the bundled en-US texts are used), and that check is
// not run: whether Electron 45.x has a newer patch release is for Renovate-style updates,
// not for a test that must give the same answer offline.
//
//   node scripts/electronegativity.ts [--input DIR] [--accepted FILE]
//
// Without --input it scans the built app (out/, built first by npm test) as it ships.
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import Module, { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { ROOT } from './run-steps.ts';

interface Finding {
  id: string;
  file: string;
  location: { line: number; column: number };
  severity: { name: string };
  confidence: { name: string };
  description: string;
  sample?: string;
  manualReview?: boolean;
}
interface ScanResult {
  issues: Finding[];
  errors: { file: string; message: string; tolerable: boolean }[];
}
export interface AcceptedFinding {
  id: string;
  /** Path relative to the scanned folder; omitted: any file. */
  file?: string;
  reason: string;
}

/** Checks not run, and why (printed with every run). */
export const EXCLUDED_CHECKS: Record<string, string> = {
  AvailableSecurityFixesGlobalCheck: "needs Electron's release list from GitHub (the scan runs offline)",
};

const require = createRequire(import.meta.url);

/** Makes Electronegativity's HTTP client (got) fail at once, before Electronegativity loads it. */
function refuseNetwork(runnerPath: string, attempts: string[]): void {
  const gotPath = createRequire(runnerPath).resolve('got');
  const refuse = (url: unknown): Promise<never> => {
    attempts.push(String(url));
    return Promise.reject(new Error('network refused: Electronegativity runs offline here'));
  };
  const got = Object.assign((url: unknown) => refuse(url), { head: (url: unknown) => refuse(url) });
  const stub = new Module(gotPath);
  stub.filename = gotPath;
  stub.loaded = true;
  stub.exports = got;
  require.cache[gotPath] = stub;
}

/** The built app as it ships, laid out so Electronegativity reads every script (it skips .cjs). */
function stageBuiltApp(): string {
  const out = join(ROOT, 'out');
  for (const needed of ['main/index.js', 'preload/index.cjs', 'renderer/index.html']) {
    if (!existsSync(join(out, needed)))
      throw new Error(`out/${needed} is missing: build first ("npx electron-vite build").`);
  }
  const dir = mkdtempSync(join(tmpdir(), 'eventscope-electronegativity-'));
  cpSync(join(out, 'main'), join(dir, 'main'), { recursive: true, filter: (f) => !f.endsWith('.map') });
  mkdirSync(join(dir, 'preload'));
  cpSync(join(out, 'preload', 'index.cjs'), join(dir, 'preload', 'index.js'));
  cpSync(join(out, 'renderer'), join(dir, 'renderer'), {
    recursive: true,
    filter: (f) => !f.endsWith('.map') && !f.endsWith('.css'),
  });
  cpSync(join(ROOT, 'package.json'), join(dir, 'package.json'));
  return dir;
}

export function isAccepted(
  finding: Pick<Finding, 'id' | 'file'>,
  accepted: AcceptedFinding[],
): AcceptedFinding | undefined {
  return accepted.find((a) => a.id === finding.id && (a.file === undefined || a.file === finding.file));
}

export async function scan(input: string): Promise<ScanResult & { networkAttempts: string[] }> {
  const runnerPath = require.resolve('@doyensec/electronegativity');
  const networkAttempts: string[] = [];
  refuseNetwork(runnerPath, networkAttempts);
  // Electronegativity takes its message language from LANG; only en-US is bundled in full.
  process.env['LANG'] = 'en-US';
  const run = require(runnerPath) as (options: Record<string, unknown>, forCli: boolean) => Promise<ScanResult>;
  const electronVersion = (
    JSON.parse(readFileSync(join(ROOT, 'node_modules', 'electron', 'package.json'), 'utf8')) as { version: string }
  ).version;
  const quietLog = console.log;
  // It prints "could not retrieve translations" when the refused request fails: expected here.
  console.log = (...args: unknown[]) => {
    if (!String(args[0]).includes('translations')) quietLog(...args);
  };
  try {
    const result = await run(
      {
        input,
        output: undefined,
        isSarif: false,
        customScan: [],
        excludeFromScan: Object.keys(EXCLUDED_CHECKS),
        severitySet: undefined,
        confidenceSet: undefined,
        isRelative: true,
        isVerbose: true,
        electronUpgrade: undefined,
        electronVersionOverride: electronVersion,
        parserPlugins: [],
      },
      false,
    );
    return { ...result, networkAttempts };
  } finally {
    console.log = quietLog;
  }
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { input: { type: 'string' }, accepted: { type: 'string' } } });
  const acceptedFile = values.accepted ?? join(ROOT, 'electronegativity-accepted.json');
  const accepted = (JSON.parse(readFileSync(acceptedFile, 'utf8')) as { accepted: AcceptedFinding[] }).accepted;
  for (const a of accepted)
    if (!a.reason?.trim()) throw new Error(`${acceptedFile}: the entry for ${a.id} gives no reason`);
  const staged = values.input === undefined;
  const input = values.input ?? stageBuiltApp();
  try {
    const { issues, errors, networkAttempts } = await scan(input);
    const scanned = readdirSync(input, { recursive: true, withFileTypes: true }).filter((d) => d.isFile()).length;
    process.stdout.write(
      `Electronegativity over ${staged ? 'the built app (out/)' : input}: ${issues.length} finding(s) in ${scanned} files; not run: ${Object.entries(
        EXCLUDED_CHECKS,
      )
        .map(([c, why]) => `${c}, which ${why}`)
        .join('; ')}.\n`,
    );
    let failed = 0;
    for (const issue of issues) {
      const file = issue.file.startsWith('/') ? relative(input, issue.file) : issue.file;
      const ok = isAccepted({ id: issue.id, file }, accepted);
      const high = issue.severity.name === 'HIGH';
      if (high && !ok) failed++;
      const verdict = ok ? 'accepted' : high ? 'NOT ACCEPTED' : 'note';
      process.stdout.write(
        `  [${verdict}] ${issue.severity.name}/${issue.confidence.name} ${issue.id} ${file}:${issue.location.line}:${issue.location.column} — ${issue.description}${ok ? `\n      reason: ${ok.reason}` : ''}\n`,
      );
    }
    for (const error of errors.filter((e) => !e.tolerable)) {
      failed++;
      process.stdout.write(`  [NOT SCANNED] ${relative(input, error.file)}: ${error.message}\n`);
    }
    const stale = accepted.filter(
      (a) =>
        !issues.some((i) =>
          isAccepted({ id: i.id, file: i.file.startsWith('/') ? relative(input, i.file) : i.file }, [a]),
        ),
    );
    for (const a of stale) {
      failed++;
      process.stdout.write(
        `  [STALE] electronegativity-accepted.json accepts ${a.id}${a.file ? ` in ${a.file}` : ''}, which was not found: remove the entry.\n`,
      );
    }
    if (networkAttempts.length > 0)
      process.stdout.write(
        `  (refused ${networkAttempts.length} network request(s): ${[...new Set(networkAttempts)].join(', ')})\n`,
      );
    process.stdout.write(
      failed === 0
        ? 'Electronegativity: no HIGH finding left unexplained.\n'
        : `Electronegativity: ${failed} problem(s) above (HIGH findings not in electronegativity-accepted.json, files not scanned, stale entries).\n`,
    );
    return failed === 0 ? 0 : 1;
  } finally {
    if (staged) rmSync(input, { recursive: true, force: true });
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
