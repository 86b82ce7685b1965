// npm run package: one clear sentence where no Electron binary is installed; and, with a
// stand-in Electron (a file carrying a real fuse wire), the real electron-builder run over
// the built app (out/, built by npm test before Vitest): fuses set, app.asar holding the
// built app and its runtime dependencies only, the sample capture unpacked beside it.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { FuseState, FuseV1Options, getCurrentFuseWire } from '@electron/fuses';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FUSES, setFuses } from '../../scripts/package.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** Electron's own defaults, as an unpackaged binary carries them (RunAsNode on, …). */
const DEFAULT_WIRE = '101100011';

/** Runs npm as a user does (the npm that started us, if any), with this Node first on PATH. */
function npm(
  args: string[],
  env: Record<string, string> = {},
): { code: number | null; stdout: string; stderr: string } {
  const bin = dirname(process.execPath);
  const npmCli = process.env['npm_execpath'];
  const [command, prefix] = npmCli?.endsWith('.js') ? [process.execPath, [npmCli]] : ['npm', []];
  const result = spawnSync(command, [...prefix, ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 300_000,
    env: { ...process.env, PATH: `${bin}:${process.env['PATH'] ?? ''}`, ...env },
  });
  if (result.error) throw result.error;
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A stand-in Electron binary: enough bytes around a fuse wire for @electron/fuses to find and flip it. */
function fakeElectron(path: string, wire = DEFAULT_WIRE): void {
  const bytes = Buffer.from(wire, 'latin1');
  writeFileSync(
    path,
    Buffer.concat([
      Buffer.from('#!/bin/sh\nexit 0\n'),
      Buffer.alloc(1024),
      Buffer.from(SENTINEL),
      Buffer.from([1, bytes.length]),
      bytes,
      Buffer.alloc(1024),
    ]),
    { mode: 0o755 },
  );
}

const expectedFuses: Record<string, FuseState> = {
  RunAsNode: FuseState.DISABLE,
  EnableCookieEncryption: FuseState.ENABLE,
  EnableNodeOptionsEnvironmentVariable: FuseState.DISABLE,
  EnableNodeCliInspectArguments: FuseState.DISABLE,
  EnableEmbeddedAsarIntegrityValidation: FuseState.ENABLE,
  OnlyLoadAppFromAsar: FuseState.ENABLE,
};

async function fusesOf(binary: string): Promise<Record<string, FuseState>> {
  const wire = await getCurrentFuseWire(binary);
  return Object.fromEntries(
    Object.entries(wire)
      .filter(([k]) => k !== 'version')
      .map(([k, v]) => [FuseV1Options[Number(k)]!, v as FuseState]),
  );
}

describe('npm run package', () => {
  const work = mkdtempSync(join(tmpdir(), 'es-package-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  const electronInstalled = existsSync(join(ROOT, 'node_modules', 'electron', 'path.txt'));
  it.skipIf(electronInstalled)(
    'stops with one sentence, no stack, where no Electron binary is installed (as here)',
    () => {
      const { code, stdout, stderr } = npm(['run', '--silent', 'package']);
      expect(code).toBe(1);
      expect(stdout).toBe('');
      const lines = stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toMatch(
        /^npm run package: cannot package here: no Electron binary is installed in node_modules\/electron\/dist .*ELECTRON_SKIP_BINARY_DOWNLOAD.*; install it .* and run "npm run package" again\.$/,
      );
      expect(stderr).not.toMatch(/\n\s+at /);
    },
  );

  it('says the same kind of sentence for an Electron folder without a binary (EVENTSCOPE_ELECTRON_DIST)', () => {
    const empty = join(work, 'empty-electron');
    mkdirSync(empty);
    const { code, stdout, stderr } = npm(['run', '--silent', 'package'], { EVENTSCOPE_ELECTRON_DIST: empty });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr).toContain(`EVENTSCOPE_ELECTRON_DIST=${empty} holds no Electron binary`);
  });

  it('sets every fuse it is told to in a binary, and refuses a wire with a fuse nobody decided', async () => {
    const binary = join(work, 'electron-fuses');
    fakeElectron(binary);
    expect((await fusesOf(binary))['RunAsNode']).toBe(FuseState.ENABLE);
    await setFuses(binary);
    expect(await fusesOf(binary)).toMatchObject(expectedFuses);
    // Every fuse of the config is explicit, so a newer Electron's extra fuse stops the packaging.
    expect(FUSES.strictlyRequireAllFuses).toBe(true);
    const newer = join(work, 'electron-newer');
    fakeElectron(newer, `${DEFAULT_WIRE}1`);
    await expect(setFuses(newer)).rejects.toThrow(/strictlyRequireAllFuses/);
  });

  describe('electron-builder over the built app, with a stand-in Electron', () => {
    const output = join(work, 'dist');
    let run: { code: number | null; stdout: string; stderr: string };
    let files: string[];

    beforeAll(() => {
      if (!existsSync(join(ROOT, 'out', 'main', 'index.js')))
        throw new Error('out/ is not built: run "npx electron-vite build" (npm test does).');
      const dist = join(work, 'electron');
      mkdirSync(join(dist, 'resources'), { recursive: true });
      fakeElectron(join(dist, 'electron'));
      writeFileSync(join(dist, 'LICENSE'), 'stand-in');
      run = npm(['run', '--silent', 'package', '--', '--dir', '--skip-build', '--output', output], {
        EVENTSCOPE_ELECTRON_DIST: dist,
      });
      const asar = createRequire(import.meta.url)('@electron/asar') as { listPackage(path: string): string[] };
      files =
        run.code === 0
          ? asar
              .listPackage(join(output, 'linux-unpacked', 'resources', 'app.asar'))
              .map((f) => f.replaceAll('\\', '/'))
          : [];
    }, 300_000);

    it('packages the app', () => {
      expect(run.stderr).toBe('');
      expect(run.code).toBe(0);
      expect(existsSync(join(output, 'linux-unpacked', 'eventscope'))).toBe(true);
    });

    it('sets the fuses in the packaged binary', async () => {
      expect(await fusesOf(join(output, 'linux-unpacked', 'eventscope'))).toMatchObject(expectedFuses);
    });

    it('puts the built app and its runtime dependencies in app.asar, and nothing of the sources or the tooling', () => {
      for (const f of [
        '/package.json',
        '/out/main/index.js',
        '/out/main/cli.js',
        '/out/preload/index.cjs',
        '/out/renderer/index.html',
        '/node_modules/kafkajs/package.json',
        '/node_modules/ws/package.json',
        '/node_modules/zod/package.json',
      ]) {
        expect(files, f).toContain(f);
      }
      expect(files.some((f) => /predicate\.worker-[\w-]+\.js$/.test(f))).toBe(true);
      for (const prefix of [
        '/src/',
        '/test/',
        '/main/',
        '/renderer/src/',
        '/scripts/',
        '/node_modules/electron/',
        '/node_modules/electron-builder/',
        '/node_modules/vitest/',
        '/node_modules/@doyensec/',
      ]) {
        expect(
          files.filter((f) => f.startsWith(prefix)),
          prefix,
        ).toEqual([]);
      }
      expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
      const manifest = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { main: string };
      expect(files).toContain(`/${manifest.main}`);
    });

    it('unpacks the sample capture beside app.asar, where SQLite can open it', () => {
      const unpacked = join(
        output,
        'linux-unpacked',
        'resources',
        'app.asar.unpacked',
        'resources',
        'sample-capture.eventscope',
      );
      expect(existsSync(unpacked)).toBe(true);
      expect(readFileSync(unpacked).subarray(0, 16).toString('latin1')).toBe('SQLite format 3\0');
    });
  });
});
