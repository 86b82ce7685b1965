// npm run package: build the app, then make the packages people install with
// electron-builder (electron-builder.yml: AppImage and .deb on Linux, dmg and zip on macOS,
// NSIS on Windows; each on its own OS) from the Electron binary installed in
// node_modules/electron, with Electron's fuses set (FUSES). Where no Electron binary is
// installed it stops at once with one sentence saying why and what to do, not a stack.
//
//   npm run package [-- --dir] [-- --skip-build] [-- --output DIR]
//
// --dir makes the unpacked app only (no installer, so none of the installer tools
// electron-builder downloads). EVENTSCOPE_ELECTRON_DIST names another unpacked Electron.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { FuseV1Options, FuseVersion, flipFuses, type FuseV1Config } from '@electron/fuses';
import type { AfterPackContext } from 'electron-builder';
import { ROOT, run, stage } from './run-steps.ts';

/**
 * Every fuse of Electron's wire, decided (strictlyRequireAllFuses: a fuse added by a newer
 * Electron stops the packaging until someone decides it too).
 */
export const FUSES: FuseV1Config = {
  version: FuseVersion.V1,
  strictlyRequireAllFuses: true,
  // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node for anyone.
  [FuseV1Options.RunAsNode]: false,
  // Cookies on disk encrypted with the OS keychain's key.
  [FuseV1Options.EnableCookieEncryption]: true,
  // NODE_OPTIONS and --inspect would let anyone inject code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // app.asar must match the hash electron-builder embeds (enforced on macOS and Windows).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // Only the app in app.asar runs: no app folder dropped beside it.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // Electron's default: one V8 snapshot for all processes.
  [FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]: false,
  // Stays on: the window loads the built renderer from file:// (module scripts and a module
  // worker), which needs Electron's file: privileges; main/index.ts limits file: to the
  // renderer's own folder (src/node/desktop/renderer-files.ts).
  [FuseV1Options.GrantFileProtocolExtraPrivileges]: true,
  // Electron's default: WebAssembly bounds checks by trap handlers.
  [FuseV1Options.WasmTrapHandlers]: true,
};

/** The unpacked Electron to package, or null (with the reason) when there is none. */
export function electronDist(env: NodeJS.ProcessEnv = process.env): { dir: string } | { dir: null; missing: string } {
  const override = env['EVENTSCOPE_ELECTRON_DIST'];
  if (override) {
    const binary = ['electron', 'electron.exe', 'Electron.app']
      .map((name) => join(override, name))
      .find((p) => existsSync(p));
    return binary
      ? { dir: override }
      : { dir: null, missing: `EVENTSCOPE_ELECTRON_DIST=${override} holds no Electron binary` };
  }
  // The electron package writes path.txt once its postinstall has downloaded the binary.
  const pathFile = join(ROOT, 'node_modules', 'electron', 'path.txt');
  const dist = join(ROOT, 'node_modules', 'electron', 'dist');
  if (!existsSync(pathFile) || !existsSync(join(dist, readFileSync(pathFile, 'utf8').trim()))) {
    return {
      dir: null,
      missing:
        'no Electron binary is installed in node_modules/electron/dist (its download from GitHub failed or was skipped with ELECTRON_SKIP_BINARY_DOWNLOAD)',
    };
  }
  return { dir: dist };
}

/** The packaged app's Electron binary, where its fuses live (as electron-builder names it). */
export function packagedBinary(
  context: Pick<AfterPackContext, 'appOutDir' | 'electronPlatformName'> & {
    packager: { appInfo: { productFilename: string }; executableName?: string };
  },
): string {
  const { appOutDir, electronPlatformName, packager } = context;
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas')
    return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return join(appOutDir, packager.executableName ?? packager.appInfo.productFilename);
}

/**
 * Sets FUSES in a packaged Electron binary (electron-builder signs it afterwards). An ad-hoc
 * signed arm64 macOS binary must be re-signed once its bytes change: resetAdHocDarwinSignature.
 */
export async function setFuses(binary: string, options: { resetAdHocDarwinSignature?: boolean } = {}): Promise<void> {
  await flipFuses(binary, { ...FUSES, resetAdHocDarwinSignature: options.resetAdHocDarwinSignature ?? false });
}

async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { dir: { type: 'boolean' }, 'skip-build': { type: 'boolean' }, output: { type: 'string' } },
  });
  const electron = electronDist();
  if (electron.dir === null) {
    process.stderr.write(
      `npm run package: cannot package here: ${electron.missing}; install it where GitHub is reachable ("node node_modules/electron/install.js") and run "npm run package" again.\n`,
    );
    return 1;
  }
  if (!values['skip-build']) {
    stage('build');
    const built = await run('electron-vite', ['build']);
    if (built !== 0) return built;
  } else if (!existsSync(join(ROOT, 'out', 'main', 'index.js'))) {
    process.stderr.write(
      'npm run package: cannot package: --skip-build was given but out/main/index.js is missing; run "npm run build" first.\n',
    );
    return 1;
  }
  stage(`electron-builder (${values.dir ? 'unpacked app' : 'installers'}) with the Electron in ${electron.dir}`);
  const { build, Arch } = await import('electron-builder');
  try {
    const artifacts = await build({
      projectDir: ROOT,
      publish: 'never',
      dir: values.dir ?? false,
      config: {
        electronDist: electron.dir,
        afterPack: async (context: AfterPackContext) =>
          setFuses(packagedBinary(context as AfterPackContext & { packager: { executableName?: string } }), {
            resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === Arch.arm64,
          }),
        ...(values.output ? { directories: { output: values.output } } : {}),
      },
    });
    const output = values.output ?? join(ROOT, 'dist');
    process.stdout.write(
      `packaged into ${output}${artifacts.length > 0 ? `:\n${artifacts.map((a) => `  ${a}`).join('\n')}` : ''}\n`,
    );
    return 0;
  } catch (err) {
    // electron-builder's own errors say what failed (a tool it could not download, a signing
    // identity); their stacks say nothing more to a person packaging the app.
    process.stderr.write(`npm run package: electron-builder failed: ${(err as Error).message}\n`);
    return 1;
  }
}

if (import.meta.main) process.exitCode = await main(process.argv.slice(2));
