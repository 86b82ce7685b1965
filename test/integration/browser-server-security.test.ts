// Browser mode binds to 127.0.0.1, wants the one-time token (then its own session cookie),
// refuses foreign Host and Origin, redirects only to its own page, and says so plainly
// when its port is taken. Real HTTP requests and WebSockets against startBrowserServer.
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserServer, type BrowserServer } from '../../src/node/host/browser-server.ts';
import type { EventscopeService } from '../../src/node/host/eventscope-service.ts';
import { startTestService } from '../support/in-process-host.ts';
import { testTempDir } from '../support/temp-dir.ts';

const BIN = new URL('../../bin/eventscope.js', import.meta.url).pathname;

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, method, headers: { Host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function openSocket(
  port: number,
  path: string,
  headers: Record<string, string>,
): Promise<{ opened: boolean; status?: number }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}${path}`, { headers });
    ws.once('open', () => {
      ws.close();
      resolve({ opened: true });
    });
    ws.once('unexpected-response', (_req, res) => resolve({ opened: false, status: res.statusCode }));
    ws.once('error', () => resolve({ opened: false }));
  });
}

/** The cookie a reply sets, as a browser would send it back ("name=value"), and its attributes. */
function setCookie(reply: Reply): { pair: string; name: string; value: string; attributes: string } {
  const header = reply.headers['set-cookie'];
  const line = Array.isArray(header) ? header[0] : header;
  if (!line) throw new Error(`no Set-Cookie in a ${reply.status} reply`);
  const [pair = '', ...attributes] = line.split(';');
  const [name = '', ...value] = pair.split('=');
  return { pair, name, value: value.join('='), attributes: attributes.join(';') };
}

async function staticDir(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'es-static-'));
  await writeFile(join(dir, 'index.html'), '<!doctype html><title>Eventscope</title>');
  return dir;
}

describe('browser mode server', () => {
  let service: EventscopeService;
  let closeService: () => Promise<void>;
  let root: string;
  let server: BrowserServer;
  let origin: string;
  /** The session cookie of `server`, traded once in beforeAll. */
  let cookie: string;

  beforeAll(async () => {
    ({ service, close: closeService } = await startTestService());
    root = await staticDir();
    server = await startBrowserServer({ service, staticDir: root, log: { warn: () => undefined } });
    origin = `http://127.0.0.1:${server.port}`;
    cookie = setCookie(await get(server.port, `/?token=${server.token}`)).pair;
  });
  afterAll(async () => {
    try {
      await server?.close();
      await closeService?.();
    } finally {
      if (root !== undefined) await rm(root, { recursive: true, force: true });
    }
  });

  it('listens on 127.0.0.1 and prints a URL with a long random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('refuses requests without the token, or with a wrong one', async () => {
    const fresh = await startBrowserServer({ service, staticDir: root, log: { warn: () => undefined } });
    try {
      expect((await get(fresh.port, '/')).status).toBe(401);
      expect((await get(fresh.port, '/?token=wrong')).status).toBe(401);
      expect((await get(fresh.port, '/', { Cookie: 'eventscope_token=wrong' })).status).toBe(401);
      expect((await get(fresh.port, '/')).body).toMatch(/token/);
    } finally {
      await fresh.close();
    }
  });

  it('trades the token for an HttpOnly SameSite=Strict session cookie, then serves the app with a CSP', async () => {
    const fresh = await startBrowserServer({ service, staticDir: root, log: { warn: () => undefined } });
    try {
      const first = await get(fresh.port, `/?token=${fresh.token}`);
      expect(first.status).toBe(302);
      expect(first.headers['location']).toBe('/');
      const c = setCookie(first);
      expect(c.attributes).toMatch(/HttpOnly/);
      expect(c.attributes).toMatch(/SameSite=Strict/);
      expect(c.attributes).toMatch(/Path=\//);
      // No Domain: a host-only cookie for 127.0.0.1.
      expect(c.attributes).not.toMatch(/Domain=/i);
      const page = await get(fresh.port, '/', { Cookie: c.pair });
      expect(page.status).toBe(200);
      expect(page.body).toContain('<title>Eventscope</title>');
      expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
      expect(page.headers['x-frame-options']).toBe('DENY');
    } finally {
      await fresh.close();
    }
  });

  it('makes the printed token truly one-time: the cookie carries another secret, and the token is refused once traded', async () => {
    const fresh = await startBrowserServer({ service, staticDir: root, log: { warn: () => undefined } });
    try {
      const c = setCookie(await get(fresh.port, `/?token=${fresh.token}`));
      // The session secret is not the token that was printed (it may sit in a terminal's scrollback or shell history).
      expect(c.value).not.toBe(fresh.token);
      expect(c.value).not.toContain(fresh.token);
      // A second visit with the spent token, without the cookie: refused, and told why.
      const again = await get(fresh.port, `/?token=${fresh.token}`);
      expect(again.status).toBe(401);
      expect(again.headers['set-cookie']).toBeUndefined();
      expect(again.body).toMatch(/once/);
      // Nor does the spent token open anything else: a page, or the WebSocket.
      expect((await get(fresh.port, `/index.html?token=${fresh.token}`)).status).toBe(401);
      expect(
        await openSocket(fresh.port, `/rpc?token=${fresh.token}`, { Origin: `http://127.0.0.1:${fresh.port}` }),
      ).toEqual({ opened: false, status: 401 });
      // The token as a cookie value is not the session either.
      expect((await get(fresh.port, '/', { Cookie: `${c.name}=${fresh.token}` })).status).toBe(401);
      // The session cookie keeps working; the spent token beside it is dropped from the address bar.
      expect((await get(fresh.port, '/', { Cookie: c.pair })).status).toBe(200);
      const withBoth = await get(fresh.port, `/?token=${fresh.token}`, { Cookie: c.pair });
      expect(withBoth.status).toBe(302);
      expect(withBoth.headers['location']).toBe('/');
    } finally {
      await fresh.close();
    }
  });

  it('spends the token on its first use, whatever that is (a WebSocket too)', async () => {
    const fresh = await startBrowserServer({ service, staticDir: root, log: { warn: () => undefined } });
    try {
      const wsOrigin = `http://127.0.0.1:${fresh.port}`;
      expect(await openSocket(fresh.port, `/rpc?token=${fresh.token}`, { Origin: wsOrigin })).toEqual({ opened: true });
      expect(await openSocket(fresh.port, `/rpc?token=${fresh.token}`, { Origin: wsOrigin })).toEqual({
        opened: false,
        status: 401,
      });
      expect((await get(fresh.port, `/?token=${fresh.token}`)).status).toBe(401);
    } finally {
      await fresh.close();
    }
  });

  it('names its cookie per server (port and a random suffix), so two servers keep separate sessions', async () => {
    const other = await startBrowserServer({ service, staticDir: root, log: { warn: () => undefined } });
    try {
      const mine = setCookie({ status: 302, headers: { 'set-cookie': cookie }, body: '' });
      const theirs = setCookie(await get(other.port, `/?token=${other.token}`));
      expect(mine.name).toContain(String(server.port));
      expect(theirs.name).toContain(String(other.port));
      expect(mine.name).not.toBe(theirs.name);
      // A random part beyond the port: a server started later on the same port gets another name.
      expect(mine.name.replace(String(server.port), '')).toMatch(/[A-Za-z0-9_-]{8,}/);
      // The browser sends every 127.0.0.1 cookie to every port: each server picks its own out of both.
      const both = `${mine.pair}; ${theirs.pair}`;
      expect((await get(server.port, '/', { Cookie: both })).status).toBe(200);
      expect((await get(other.port, '/', { Cookie: both })).status).toBe(200);
      // And neither accepts the other's session.
      expect((await get(server.port, '/', { Cookie: theirs.pair })).status).toBe(401);
      expect((await get(other.port, '/', { Cookie: mine.pair })).status).toBe(401);
      expect((await get(server.port, '/', { Cookie: `${mine.name}=${theirs.value}` })).status).toBe(401);
    } finally {
      await other.close();
    }
  });

  it('redirects only to its own page, never to another site (//host, /\\host, /.//host)', async () => {
    for (const path of [
      '/.//evil.example/',
      '//evil.example/',
      '/\\evil.example/',
      '/%2F%2Fevil.example/',
      '/./\\/evil.example/',
      '/assets/x.js',
    ]) {
      const fresh = await startBrowserServer({ service, staticDir: root, log: { warn: () => undefined } });
      try {
        const reply = await get(fresh.port, `${path}?token=${fresh.token}&next=//evil.example`);
        expect(reply.status, path).toBe(302);
        expect(reply.headers['location'], path).toBe('/');
      } finally {
        await fresh.close();
      }
    }
    // Also when a spent token is dropped from the address bar.
    const spent = await get(server.port, `/.//evil.example/?token=${server.token}`, { Cookie: cookie });
    expect(spent.status).toBe(302);
    expect(spent.headers['location']).toBe('/');
  });

  it('refuses a foreign Host header (DNS rebinding), even with the token', async () => {
    const fresh = await startBrowserServer({ service, staticDir: root, log: { warn: () => undefined } });
    try {
      const reply = await get(fresh.port, `/?token=${fresh.token}`, { Host: `evil.example:${fresh.port}` });
      expect(reply.status).toBe(403);
      expect(reply.body).toMatch(/Host/);
      // A refused request did not spend the token.
      expect((await get(fresh.port, `/?token=${fresh.token}`)).status).toBe(302);
    } finally {
      await fresh.close();
    }
  });

  it('does not serve files outside the app', async () => {
    const reply = await get(server.port, '/../../../etc/passwd', { Cookie: cookie });
    expect(reply.body).not.toMatch(/root:/);
  });

  it('opens the WebSocket only with the session (or the unspent token), the right Host and no foreign Origin', async () => {
    expect(await openSocket(server.port, '/rpc', { Origin: origin, Cookie: cookie })).toEqual({ opened: true });
    expect(await openSocket(server.port, '/rpc', { Origin: origin })).toEqual({ opened: false, status: 401 });
    expect(await openSocket(server.port, '/rpc', { Origin: 'http://evil.example', Cookie: cookie })).toEqual({
      opened: false,
      status: 403,
    });
    expect(
      await openSocket(server.port, '/rpc', { Origin: origin, Cookie: cookie, Host: `evil.example:${server.port}` }),
    ).toEqual({ opened: false, status: 403 });
    expect(await openSocket(server.port, '/other', { Origin: origin, Cookie: cookie })).toEqual({
      opened: false,
      status: 403,
    });
    const fresh = await startBrowserServer({ service, staticDir: root, log: { warn: () => undefined } });
    try {
      expect(
        await openSocket(fresh.port, `/rpc?token=${fresh.token}`, { Origin: `http://127.0.0.1:${fresh.port}` }),
      ).toEqual({ opened: true });
    } finally {
      await fresh.close();
    }
  });

  it('says plainly that a port is taken, and how to choose another', async () => {
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', () => resolve()));
    const taken = (squatter.address() as AddressInfo).port;
    try {
      const failure = await startBrowserServer({
        service,
        staticDir: root,
        port: taken,
        log: { warn: () => undefined },
      }).then(
        async (s) => {
          await s.close();
          return null;
        },
        (err: unknown) => err as Error,
      );
      expect(failure).toBeInstanceOf(Error);
      expect(failure!.message).toContain(`127.0.0.1:${taken}`);
      expect(failure!.message).toMatch(/already in use/);
      expect(failure!.message).toMatch(/--port/);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });

  it('"eventscope serve" on a port in use says so in one line, with no stack, and exits 1', async () => {
    const squatter: Server = createServer();
    await new Promise<void>((resolve) => squatter.listen(0, '127.0.0.1', () => resolve()));
    const taken = (squatter.address() as AddressInfo).port;
    try {
      const dataDir = testTempDir('es-serve-');
      const result = await promisify(execFile)(
        process.execPath,
        [BIN, 'serve', '--port', String(taken), '--data-dir', dataDir],
        { timeout: 30_000 },
      ).then(
        ({ stdout, stderr }) => ({ code: 0, stdout, stderr }),
        (err: { code?: number; stdout?: string; stderr?: string }) => ({
          code: err.code,
          stdout: err.stdout ?? '',
          stderr: err.stderr ?? '',
        }),
      );
      expect(result.code).toBe(1);
      expect(result.stdout).toBe('');
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.stderr).toMatch(
        new RegExp(`^eventscope: Cannot serve on 127\\.0\\.0\\.1:${taken}: the port is already in use`),
      );
      expect(result.stderr).toMatch(/--port N/);
      expect(result.stderr).not.toMatch(/\n\s+at /);
    } finally {
      await new Promise<void>((resolve) => squatter.close(() => resolve()));
    }
  });
});
