// npm start: build, then open the desktop app where an Electron binary is installed;
// otherwise (Electron's binary could not be downloaded) start browser mode and print its URL.
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

const electron = electronBinary();
if (electron) {
  stage('starting the desktop app');
  process.exit(await run(electron, ['.']));
}
stage('starting browser mode');
process.stdout.write('No Electron binary is installed here, so Eventscope opens in your browser instead (same app).\n');
process.exit(await run(process.execPath, [join(ROOT, 'bin', 'eventscope.js'), 'serve', ...process.argv.slice(2)]));
