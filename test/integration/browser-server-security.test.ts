// Browser mode binds to 127.0.0.1, wants the token, and refuses foreign Host and Origin.
import { mkdtemp, writeFile } from 'node:fs/promises';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startBrowserServer, TOKEN_COOKIE, type BrowserServer } from '../../src/host/browser-server.ts';
import type { EventscopeService } from '../../src/host/eventscope-service.ts';
import { startTestService } from '../support/in-process-host.ts';

interface Reply {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: `127.0.0.1:${port}`, ...headers } }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

function openSocket(port: number, path: string, headers: Record<string, string>): Promise<{ opened: boolean; status?: number }> {
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

describe('browser mode server', () => {
  let service: EventscopeService;
  let server: BrowserServer;
  let origin: string;

  beforeAll(async () => {
    service = (await startTestService()).service;
    const staticDir = await mkdtemp(join(tmpdir(), 'es-static-'));
    await writeFile(join(staticDir, 'index.html'), '<!doctype html><title>Eventscope</title>');
    server = await startBrowserServer({ service, staticDir, log: { warn: () => undefined } });
    origin = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    await service.close();
  });

  it('listens on 127.0.0.1 and prints a URL with a long random token', () => {
    expect(server.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${server.port}/\\?token=[A-Za-z0-9_-]{32}$`));
  });

  it('refuses requests without the token, or with a wrong one', async () => {
    expect((await get(server.port, '/')).status).toBe(401);
    expect((await get(server.port, '/?token=wrong')).status).toBe(401);
    expect((await get(server.port, '/', { Cookie: `${TOKEN_COOKIE}=wrong` })).status).toBe(401);
    expect((await get(server.port, '/')).body).toMatch(/token/);
  });

  it('trades the token in the URL for an HttpOnly SameSite=Strict cookie, then serves the app with a CSP', async () => {
    const first = await get(server.port, `/?token=${server.token}`);
    expect(first.status).toBe(302);
    expect(first.headers['location']).toBe('/');
    expect(String(first.headers['set-cookie'])).toMatch(new RegExp(`${TOKEN_COOKIE}=${server.token}; HttpOnly; SameSite=Strict`));
    const page = await get(server.port, '/', { Cookie: `${TOKEN_COOKIE}=${server.token}` });
    expect(page.status).toBe(200);
    expect(page.body).toContain('<title>Eventscope</title>');
    expect(page.headers['content-security-policy']).toMatch(/script-src 'self'/);
    expect(page.headers['x-frame-options']).toBe('DENY');
  });

  it('refuses a foreign Host header (DNS rebinding), even with the token', async () => {
    const reply = await get(server.port, `/?token=${server.token}`, { Host: `evil.example:${server.port}` });
    expect(reply.status).toBe(403);
    expect(reply.body).toMatch(/Host/);
  });

  it('does not serve files outside the app', async () => {
    const reply = await get(server.port, '/../../../etc/passwd', { Cookie: `${TOKEN_COOKIE}=${server.token}` });
    expect(reply.body).not.toMatch(/root:/);
  });

  it('opens the WebSocket only with the token, the right Host and no foreign Origin', async () => {
    expect(await openSocket(server.port, `/rpc?token=${server.token}`, { Origin: origin })).toEqual({ opened: true });
    expect(await openSocket(server.port, '/rpc', { Origin: origin, Cookie: `${TOKEN_COOKIE}=${server.token}` })).toEqual({ opened: true });
    expect(await openSocket(server.port, '/rpc', { Origin: origin })).toEqual({ opened: false, status: 401 });
    expect(await openSocket(server.port, `/rpc?token=${server.token}`, { Origin: 'http://evil.example' })).toEqual({ opened: false, status: 403 });
    expect(await openSocket(server.port, `/rpc?token=${server.token}`, { Origin: origin, Host: `evil.example:${server.port}` })).toEqual({ opened: false, status: 403 });
    expect(await openSocket(server.port, `/other?token=${server.token}`, { Origin: origin })).toEqual({ opened: false, status: 403 });
  });
});
