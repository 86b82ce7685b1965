// Three builds: main (the Electron entry plus the serve/CLI entry, sharing chunks),
// preload (CommonJS, as a sandboxed preload must be), and the renderer.
import { resolve } from 'node:path';
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import type { Plugin } from 'vite';
import { CONTENT_SECURITY_POLICY } from './src/node/host/content-security-policy.ts';

// The CSP goes into the built page only: the dev server's React refresh needs inline scripts.
const contentSecurityPolicy = (): Plugin => ({
  name: 'eventscope-csp',
  apply: 'build',
  transformIndexHtml: (html: string) =>
    // frame-ancestors only works as a header (browser mode sends it); in a meta tag it is ignored with a warning.
    html.replace(
      '<head>',
      `<head>\n    <meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY.replace(/\s*frame-ancestors[^;]*;/, '')}" />`,
    ),
});

export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: { index: resolve('main/index.ts'), cli: resolve('src/node/host/cli.ts') },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve('main/preload.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: 'renderer',
    // The renderer imports the universal core as @common/… (src/common/); nothing else of src/.
    resolve: { alias: { '@common': resolve('src/common') } },
    plugins: [react(), contentSecurityPolicy()],
    build: {
      outDir: 'out/renderer',
      rollupOptions: { input: { index: resolve('renderer/index.html') } },
    },
  },
});
