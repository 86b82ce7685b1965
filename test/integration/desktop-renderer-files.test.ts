// The desktop window's file: handler over the real built renderer (out/renderer, built by
// npm test before Vitest): the filter worker gets its CSP (no network, eval only there),
// the page its CSP, and nothing outside the built renderer is served.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { rendererFileResponse } from '../../src/node/desktop/renderer-files.ts';
import {
  CONTENT_SECURITY_POLICY,
  USER_CODE_WORKER_CSP,
  isUserCodeWorker,
} from '../../src/node/host/content-security-policy.ts';

const ROOT = new URL('../../', import.meta.url).pathname;
const RENDERER = join(ROOT, 'out', 'renderer');

function directives(policy: string): Map<string, string[]> {
  return new Map(
    policy
      .split(';')
      .map((d) => d.trim().split(/\s+/))
      .filter((parts) => parts[0])
      .map(([name, ...values]) => [name!, values]),
  );
}

describe('desktop file handler over the built renderer', () => {
  let workerFile: string;
  let workerFiles: string[];

  beforeAll(() => {
    if (!existsSync(join(RENDERER, 'index.html')))
      throw new Error('out/renderer is not built: run "npx electron-vite build" (npm test does).');
    const workers = readdirSync(join(RENDERER, 'assets')).filter((f) => isUserCodeWorker(f));
    // Exactly the filter's and the projection's: if Vite renamed a worker, neither shell would give it its CSP.
    expect(workers.map((f) => f.replace(/-[\w-]+\.js$/, '')).sort()).toEqual(['predicate.worker', 'projection.worker']);
    workerFiles = workers.map((f) => join(RENDERER, 'assets', f));
    workerFile = workerFiles[0]!;
  });

  it('the built page starts the workers that get the CSP (the bundle names those very files)', () => {
    const bundles = readdirSync(join(RENDERER, 'assets')).filter((f) => f.endsWith('.js') && !isUserCodeWorker(f));
    for (const file of workerFiles) {
      const name = file.split('/').at(-1)!;
      expect(
        bundles.some((b) => readFileSync(join(RENDERER, 'assets', b), 'utf8').includes(name)),
        name,
      ).toBe(true);
    }
  });

  it('serves the filter and projection workers with the user-code CSP: eval, no network, no other script', async () => {
    for (const file of workerFiles) {
      const each = await rendererFileResponse({ url: pathToFileURL(file).href, method: 'GET' }, RENDERER);
      expect(each.status, file).toBe(200);
      expect(each.headers.get('content-security-policy'), file).toBe(USER_CODE_WORKER_CSP);
    }
    const reply = await rendererFileResponse({ url: pathToFileURL(workerFile).href, method: 'GET' }, RENDERER);
    expect(reply.status).toBe(200);
    expect(reply.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(reply.headers.get('content-security-policy')).toBe(USER_CODE_WORKER_CSP);
    const csp = directives(USER_CODE_WORKER_CSP);
    expect(csp.get('default-src')).toEqual(["'none'"]);
    // No connect-src: fetch, XHR, WebSocket and EventSource fall back to default-src 'none'.
    expect(csp.has('connect-src')).toBe(false);
    expect(csp.get('script-src')).toEqual(["'self'", "'unsafe-eval'"]);
    expect(Buffer.from(await reply.arrayBuffer()).equals(readFileSync(workerFile))).toBe(true);
  });

  it('serves the page and its bundle with the page CSP, as browser mode does', async () => {
    const page = await rendererFileResponse({ url: pathToFileURL(join(RENDERER, 'index.html')).href }, RENDERER);
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
    expect(directives(CONTENT_SECURITY_POLICY).get('script-src')).toEqual(["'self'"]);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    const bundle = readdirSync(join(RENDERER, 'assets')).find((f) => f.startsWith('index-') && f.endsWith('.js'))!;
    const script = await rendererFileResponse(
      { url: `${pathToFileURL(join(RENDERER, 'assets', bundle)).href}?v=1#x` },
      RENDERER,
    );
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/^text\/javascript/);
    expect(script.headers.get('content-security-policy')).toBe(CONTENT_SECURITY_POLICY);
  });

  it('serves nothing outside the built renderer', async () => {
    const outside = [
      'file:///etc/passwd',
      pathToFileURL(join(ROOT, 'package.json')).href,
      pathToFileURL(join(ROOT, 'out', 'main', 'index.js')).href,
      `${pathToFileURL(RENDERER).href}/../main/index.js`,
      `${pathToFileURL(RENDERER).href}/%2e%2e/main/index.js`,
      `${pathToFileURL(RENDERER).href}/assets%2F..%2F..%2Fmain%2Findex.js`,
      `${pathToFileURL(RENDERER).href}-evil/index.html`,
      'file://remote-host/share/index.html',
      'https://evil.example/index.html',
    ];
    for (const url of outside) {
      const reply = await rendererFileResponse({ url }, RENDERER);
      expect(reply.status, url).toBe(404);
      expect(await reply.text(), url).not.toMatch(/root:|"name"|import/);
    }
    expect(
      (await rendererFileResponse({ url: pathToFileURL(join(RENDERER, 'missing.js')).href }, RENDERER)).status,
    ).toBe(404);
    expect((await rendererFileResponse({ url: pathToFileURL(join(RENDERER, 'assets')).href }, RENDERER)).status).toBe(
      404,
    );
    expect(
      (await rendererFileResponse({ url: pathToFileURL(join(RENDERER, 'index.html')).href, method: 'POST' }, RENDERER))
        .status,
    ).toBe(405);
  });
});
