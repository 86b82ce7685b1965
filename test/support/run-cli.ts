// Runs the eventscope command as a user runs it (the built bin, `npm run build` first) and
// answers its exit code and output, whatever the exit code.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

export const BIN = new URL('../../bin/eventscope.js', import.meta.url).pathname;

export async function eventscope(
  args: string[],
  options: { timeoutMs?: number } = {},
): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [BIN, ...args], {
      timeout: options.timeoutMs ?? 60_000,
      maxBuffer: 64 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}
