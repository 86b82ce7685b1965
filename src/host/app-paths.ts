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

/** The project root: this file runs from src/host/ (source) or out/main/ (built); both are two levels down. */
export function projectRoot(from: string = import.meta.url): string {
  return join(dirname(fileURLToPath(from)), '..', '..');
}

export function appVersion(): string {
  try {
    return (JSON.parse(readFileSync(join(projectRoot(), 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return '0.0.0';
  }
}

export function rendererDir(): string {
  return join(projectRoot(), 'out', 'renderer');
}

export function isRendererBuilt(): boolean {
  return existsSync(join(rendererDir(), 'index.html'));
}
