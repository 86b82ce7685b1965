// Where Eventscope keeps its data and finds its own files, the same for the desktop app,
// browser mode and the CLI.
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Electron's userData for productName "Eventscope", so desktop and browser mode share connections. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env): string {
  if (env['EVENTSCOPE_DATA_DIR']) return env['EVENTSCOPE_DATA_DIR'];
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', 'Eventscope');
  if (process.platform === 'win32') return join(env['APPDATA'] ?? join(homedir(), 'AppData', 'Roaming'), 'Eventscope');
  return join(env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'Eventscope');
}

/**
 * The project (or packaged app) root: the nearest folder above this file with a package.json.
 * This code runs from src/node/host/ (source) or from a chunk somewhere under out/ (built).
 */
export function projectRoot(from: string = import.meta.url): string {
  let dir = dirname(fileURLToPath(from));
  for (let i = 0; i < 6; i++) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    dir = dirname(dir);
  }
  throw new Error(`Eventscope cannot find its own folder (no package.json above ${fileURLToPath(from)}).`);
}

export function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

/** EVENTSCOPE_LOG_CAP_MB: the replay log's cap per cluster in MB (default 2048). */
export function logCapBytesFromEnv(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const text = env['EVENTSCOPE_LOG_CAP_MB'];
  if (text === undefined || text === '') return undefined;
  const mb = Number(text);
  if (!Number.isFinite(mb) || mb < 1)
    throw new Error(`EVENTSCOPE_LOG_CAP_MB=${text} is not a size in MB (a number ≥ 1).`);
  return Math.floor(mb * 1024 * 1024);
}

/** The capture the app opens when no cluster is configured (made by scripts/make-sample-capture.ts). */
export function sampleCapturePath(): string {
  return join(projectRoot(), 'resources', 'sample-capture.eventscope');
}

export function rendererDir(): string {
  return join(projectRoot(), 'out', 'renderer');
}
