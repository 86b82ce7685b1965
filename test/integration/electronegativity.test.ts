// The Electronegativity stage of npm test (scripts/electronegativity.ts), run as npm test
// runs it: offline, over the built app (out/, built by npm test before Vitest) with the
// checked-in list of accepted findings, and over a deliberately insecure app it must fail.
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';

const SCRIPT = new URL('../../scripts/electronegativity.ts', import.meta.url).pathname;

async function electronegativity(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await promisify(execFile)(process.execPath, [SCRIPT, ...args], { timeout: 120_000 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code?: number; stdout?: string; stderr?: string };
    return { code: typeof e.code === 'number' ? e.code : -1, stdout: e.stdout ?? '', stderr: e.stderr ?? '' };
  }
}

describe('Electronegativity stage', () => {
  const work = mkdtempSync(join(tmpdir(), 'es-electronegativity-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('passes over the built app: every finding fixed or explained, with no network', async () => {
    const { code, stdout } = await electronegativity([]);
    expect(stdout).toContain('Electronegativity over the built app (out/)');
    expect(stdout).not.toContain('NOT ACCEPTED');
    expect(stdout).not.toContain('NOT SCANNED');
    expect(stdout).not.toContain('STALE');
    // The one request Electronegativity makes (its translations) was refused, not sent; the release list is not asked for.
    expect(stdout).toMatch(/refused 1 network request\(s\): https:\/\/electronegativity-i18n\./);
    expect(stdout).not.toContain('githubusercontent');
    // What the desktop hardening fixed stays fixed: permission handler, navigation limits, auxclick.
    for (const id of [
      'PERMISSION_REQUEST_HANDLER_GLOBAL_CHECK',
      'LIMIT_NAVIGATION_GLOBAL_CHECK',
      'AUXCLICK_JS_CHECK',
      'NODE_INTEGRATION',
      'CONTEXT_ISOLATION',
      'SANDBOX',
    ])
      expect(stdout).not.toContain(id);
    expect(stdout).toContain('no HIGH finding left unexplained');
    expect(code).toBe(0);
  });

  it('fails on a HIGH finding nobody explained, and says which', async () => {
    const app = join(work, 'insecure-app');
    mkdirSync(app);
    writeFileSync(
      join(app, 'package.json'),
      JSON.stringify({ name: 'insecure', devDependencies: { electron: '45.5.0' } }),
    );
    writeFileSync(
      join(app, 'main.js'),
      "const { BrowserWindow } = require('electron');\nconst w = new BrowserWindow({ webPreferences: { nodeIntegration: true, contextIsolation: false, sandbox: false } });\nw.loadURL('http://example.com/');\n",
    );
    writeFileSync(join(app, 'index.html'), '<!doctype html><title>insecure</title>');
    const accepted = join(work, 'accepted.json');
    writeFileSync(accepted, JSON.stringify({ accepted: [] }));
    const { code, stdout } = await electronegativity(['--input', app, '--accepted', accepted]);
    expect(stdout).toMatch(/\[NOT ACCEPTED\] HIGH\/\w+ CONTEXT_ISOLATION_JS_CHECK main\.js:2:/);
    expect(stdout).toMatch(/\[NOT ACCEPTED\] HIGH\/\w+ LIMIT_NAVIGATION_GLOBAL_CHECK /);
    // Lower findings are printed too, not hidden.
    expect(stdout).toMatch(/\[note\] MEDIUM\/\w+ SANDBOX_JS_CHECK main\.js:2:/);
    expect(code).toBe(1);

    // Explained, it passes; an explanation that matches nothing fails (the list must not rot).
    const explained = join(work, 'explained.json');
    const highIds = [...stdout.matchAll(/\[NOT ACCEPTED\] HIGH\/\w+ (\w+) (\S+?):/g)].map((m) => ({
      id: m[1],
      file: m[2],
      reason: 'a test fixture',
    }));
    writeFileSync(explained, JSON.stringify({ accepted: highIds }));
    expect((await electronegativity(['--input', app, '--accepted', explained])).code).toBe(0);
    writeFileSync(
      explained,
      JSON.stringify({ accepted: [...highIds, { id: 'OPEN_EXTERNAL_JS_CHECK', file: 'main.js', reason: 'gone' }] }),
    );
    const stale = await electronegativity(['--input', app, '--accepted', explained]);
    expect(stale.stdout).toContain('[STALE] electronegativity-accepted.json accepts OPEN_EXTERNAL_JS_CHECK in main.js');
    expect(stale.code).toBe(1);
  });
});
