// Browser mode: the built renderer and the contract's WebSocket on 127.0.0.1 only.
// Defences: a random token (URL once, then an HttpOnly SameSite=Strict cookie), a Host
// check against DNS rebinding, and an Origin check on the WebSocket against other sites.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import { serveRpc, type ServerLog } from '../rpc/server.ts';
import { webSocketWire } from '../rpc/wires/websocket-wire.ts';
import { CONTENT_SECURITY_POLICY, isUserCodeWorker, USER_CODE_WORKER_CSP } from './content-security-policy.ts';
import type { EventscopeService } from './eventscope-service.ts';

export const TOKEN_COOKIE = 'eventscope_token';
const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

export interface BrowserServerOptions {
  service: EventscopeService;
  /** The built renderer (out/renderer). */
  staticDir: string;
  port?: number;
  token?: string;
  log?: ServerLog;
}

export interface BrowserServer {
  url: string;
  port: number;
  token: string;
  close(): Promise<void>;
}

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = options.log ?? { warn: (m: string) => console.warn(m) };
  let port = 0;
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);

  const tokenMatches = (candidate: string | null | undefined): boolean => {
    if (!candidate) return false;
    const a = Buffer.from(candidate);
    const b = Buffer.from(token);
    return a.length === b.length && timingSafeEqual(a, b);
  };
  const authorised = (req: IncomingMessage, url: URL): boolean => tokenMatches(url.searchParams.get('token')) || tokenMatches(readCookie(req, TOKEN_COOKIE));

  const server = createServer((req, res) => {
    void handleHttp(req, res).catch((err) => {
      log.warn(`browser-server: ${String(err)}`);
      if (!res.headersSent) refuse(res, 500, 'Internal error.');
      else res.destroy();
    });
  });

  const handleHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!allowedHosts().includes(req.headers.host ?? '')) return refuse(res, 403, `Refused: Host "${req.headers.host ?? ''}" is not this server (DNS rebinding protection).`);
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (!authorised(req, url)) return refuse(res, 401, 'Refused: missing or wrong token. Open the URL that "eventscope serve" printed; it carries the token.');
    if (url.searchParams.has('token')) {
      // Trade the token in the URL for a cookie, and drop it from the address bar and history.
      url.searchParams.delete('token');
      res.writeHead(302, {
        'Set-Cookie': `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname + url.search,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET is served here.');
    await serveStatic(options.staticDir, url.pathname, res);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const reject = (status: number, message: string): void => {
      socket.end(`HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${message}`);
    };
    if (!allowedHosts().includes(req.headers.host ?? '')) return reject(403, 'Foreign Host.');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname !== '/rpc') return reject(403, 'Unknown endpoint.');
    const origin = req.headers.origin;
    // Browsers always send Origin on WebSockets; a page of another site must not get in.
    if (origin !== undefined && !allowedOrigins().includes(origin)) return reject(403, `Foreign Origin "${origin}".`);
    if (!authorised(req, url)) return reject(401, 'Missing or wrong token.');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const wire = webSocketWire(ws);
      serveRpc(wire, options.service.methods, options.service.streams, log);
      ws.on('error', (err) => log.warn(`browser-server: websocket error: ${err.message}`));
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function refuse(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(message);
}

function readCookie(req: IncomingMessage, name: string): string | undefined {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name) return v.join('=');
  }
  return undefined;
}

async function serveStatic(root: string, pathname: string, res: ServerResponse): Promise<void> {
  let relative: string;
  try {
    relative = decodeURIComponent(pathname);
  } catch {
    return refuse(res, 400, 'Bad path.');
  }
  const rootNormal = normalize(root + sep);
  let file = normalize(join(root, relative));
  if (!file.startsWith(rootNormal)) return refuse(res, 403, 'Outside the app.');
  let info = await stat(file).catch(() => null);
  if (!info || info.isDirectory()) {
    // The app has one page; unknown paths get it too (client-side routes).
    file = join(root, 'index.html');
    info = await stat(file).catch(() => null);
    if (!info) return refuse(res, 500, `The renderer is not built: ${file} is missing. Run "npm run build".`);
  }
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Length': info.size,
    'Content-Security-Policy': isUserCodeWorker(file) ? USER_CODE_WORKER_CSP : CONTENT_SECURITY_POLICY,
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
    'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
  });
  createReadStream(file).pipe(res);
}
