// npm start: build, then open the desktop app where an Electron binary is installed;
// otherwise (Electron's binary could not be downloaded) start browser mode and print its URL.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, run, stage } from './run-steps.ts';

function electronBinary(): string | null {
  if (process.env['ELECTRON_PATH'] && existsSync(process.env['ELECTRON_PATH'])) return process.env['ELECTRON_PATH'];
  // The electron package writes path.txt once its binary is downloaded.
  const pathFile = join(ROOT, 'node_modules', 'electron', 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(ROOT, 'node_modules', 'electron', 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? binary : null;
}

stage('build');
const built = await run('electron-vite', ['build']);
if (built !== 0) process.exit(built);

const ELECTRON_DOWNLOAD_TIMEOUT_MS = 180_000;

/** electron 45 fetches its binary on demand; try once, unless told not to. */
function downloadElectron(): void {
  if (process.env['ELECTRON_SKIP_BINARY_DOWNLOAD']) {
    process.stdout.write("ELECTRON_SKIP_BINARY_DOWNLOAD is set, so the desktop app's binary is not downloaded.\n");
    return;
  }
  stage('downloading the Electron binary (once)');
  // Its installer's own failure is a stack trace ("TypeError: fetch failed"): kept out of sight
  // and said in one sentence instead.
  const result = spawnSync(process.execPath, [join(ROOT, 'node_modules', 'electron', 'install.js')], {
    encoding: 'utf8',
    timeout: ELECTRON_DOWNLOAD_TIMEOUT_MS,
  });
  if (result.status !== 0)
    process.stdout.write(
      `${electronDownloadFailure(`${result.stderr ?? ''}\n${result.stdout ?? ''}`, result.error)}\n`,
    );
}

/** One sentence for a failed Electron download: where it comes from and what went wrong. */
function electronDownloadFailure(output: string, error?: Error): string {
  const unreachable = /fetch failed|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ENETUNREACH|EHOSTUNREACH/.test(output);
  const cause = error
    ? `no answer within ${ELECTRON_DOWNLOAD_TIMEOUT_MS / 1000} s`
    : unreachable
      ? 'it cannot be reached from here'
      : (/Error:\s*([^\n]+)/.exec(output)?.[1]?.trim() ?? 'its installer failed');
  return `Could not download Electron's binary (it comes from GitHub; ${cause}).`;
}

let electron = electronBinary();
if (!electron) {
  downloadElectron();
  electron = electronBinary();
}
if (electron) {
  stage('starting the desktop app');
  process.exit(await run(electron, ['.']));
}
stage('starting browser mode');
process.stdout.write('No Electron binary is installed here, so Eventscope opens in your browser instead (same app).\n');
process.exit(await run(process.execPath, [join(ROOT, 'bin', 'eventscope.js'), 'serve', ...process.argv.slice(2)]));
