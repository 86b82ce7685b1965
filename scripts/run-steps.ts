// Small helpers for the project scripts: run a command with the project's Node first on
// PATH, and print one line per stage.
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

export function stage(name: string): void {
  process.stdout.write(`\n=== ${name}\n`);
}

/** Runs a command from node_modules/.bin (or any program) in the project root; resolves its exit code. */
export function run(command: string, args: string[], env: Record<string, string> = {}): Promise<number> {
  const bin = join(ROOT, 'node_modules', '.bin', command);
  return new Promise((resolve) => {
    const child = spawn(command.includes('/') ? command : bin, args, {
      cwd: ROOT,
      stdio: 'inherit',
      env: { ...process.env, PATH: `${dirname(process.execPath)}:${process.env['PATH'] ?? ''}`, ...env },
    });
    child.on('error', (err) => {
      process.stderr.write(`${command}: ${err.message}\n`);
      resolve(127);
    });
    child.on('exit', (code, signal) => resolve(code ?? (signal ? 128 : 1)));
  });
}
