// Browser mode: the built renderer and the contract's WebSocket on 127.0.0.1 only.
// Defences: a one-time launch token (in the printed URL) traded for a session cookie with
// another secret, named per server; a Host check against DNS rebinding; an Origin check on
// the WebSocket against other sites; redirects only to the app's own page.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import { serveRpc, type ServerLog } from '../../common/rpc/server.ts';
import { webSocketWire } from '../../common/rpc/wires/websocket-wire.ts';
import { rendererFileHeaders } from './content-security-policy.ts';
import type { EventscopeService } from './eventscope-service.ts';

const MAX_MESSAGE_BYTES = 16 * 1024 * 1024;

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
  /** The launch token in `url`: it works once, then only the session cookie does. */
  token: string;
  /** This server's session cookie: `eventscope_<port>_<random>`. */
  cookieName: string;
  close(): Promise<void>;
}

/** The port cannot be listened on; the message says which and what to do, for people. */
export class ListenError extends Error {
  override name = 'ListenError';
}

/** After a launch token is traded, the browser always goes here: never a path from the request (open redirect). */
const HOME = '/';

export async function startBrowserServer(options: BrowserServerOptions): Promise<BrowserServer> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const log = options.log ?? { warn: (m: string) => console.warn(m) };
  // The cookie gets its own secret, so the printed token (in a terminal's scrollback, shell
  // history, a process list) is worth nothing once the browser has traded it.
  const sessionSecret = randomBytes(32).toString('base64url');
  let launchToken: string | null = token;
  let port = 0;
  // Cookies ignore ports: a browser sends a 127.0.0.1 cookie to every port of 127.0.0.1, so a
  // fixed name let a second serve overwrite the first's session. Port and a random part keep
  // each server's apart. (Other local servers the browser visits still receive it; only a
  // per-server cookie Path would stop that.) Not __Host-: that needs Secure, which a browser
  // may refuse to store from plain http://127.0.0.1, and adds nothing here: with no Domain
  // the cookie is host-only already.
  const cookieSuffix = randomBytes(9).toString('base64url');
  let cookieName = '';
  const allowedHosts = (): string[] => [`127.0.0.1:${port}`, `localhost:${port}`];
  const allowedOrigins = (): string[] => allowedHosts().map((h) => `http://${h}`);

  const hasSession = (req: IncomingMessage): boolean => secretMatches(readCookie(req, cookieName), sessionSecret);
  /** True once, for the first request that shows the launch token; the token is dead after that. */
  const spendLaunchToken = (candidate: string | null): boolean => {
    if (launchToken === null || !secretMatches(candidate, launchToken)) return false;
    launchToken = null;
    return true;
  };

  const server = createServer((req, res) => {
    void handleHttp(req, res).catch((err) => {
      log.warn(`browser-server: ${String(err)}`);
      if (!res.headersSent) refuse(res, 500, 'Internal error.');
      else res.destroy();
    });
  });

  const handleHttp = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    if (!allowedHosts().includes(req.headers.host ?? ''))
      return refuse(
        res,
        403,
        `Refused: Host "${req.headers.host ?? ''}" is not this server (DNS rebinding protection).`,
      );
    if (req.method !== 'GET' && req.method !== 'HEAD') return refuse(res, 405, 'Only GET is served here.');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.searchParams.has('token')) {
      if (req.method === 'GET' && spendLaunchToken(url.searchParams.get('token'))) {
        res.writeHead(302, {
          'Set-Cookie': `${cookieName}=${sessionSecret}; HttpOnly; SameSite=Strict; Path=/`,
          Location: HOME,
          'Cache-Control': 'no-store',
        });
        res.end();
        return;
      }
      // A spent token beside a good session (the printed link opened again): drop it from the address bar.
      if (hasSession(req)) {
        res.writeHead(302, { Location: HOME, 'Cache-Control': 'no-store' });
        res.end();
        return;
      }
      return refuse(
        res,
        401,
        'Refused: this token is wrong or already used. The link "eventscope serve" prints works once, in one browser; restart "eventscope serve" for a new one.',
      );
    }
    if (!hasSession(req))
      return refuse(
        res,
        401,
        'Refused: missing or wrong token. Open the URL that "eventscope serve" printed; it carries the token.',
      );
    await serveStatic(options.staticDir, url.pathname, res);
  };

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  server.on('upgrade', (req, socket, head) => {
    const reject = (status: number, message: string): void => {
      socket.end(
        `HTTP/1.1 ${status} ${status === 401 ? 'Unauthorized' : 'Forbidden'}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${message}`,
      );
    };
    if (!allowedHosts().includes(req.headers.host ?? '')) return reject(403, 'Foreign Host.');
    const url = new URL(req.url ?? '/', `http://${req.headers.host}`);
    if (url.pathname !== '/rpc') return reject(403, 'Unknown endpoint.');
    const origin = req.headers.origin;
    // Browsers always send Origin on WebSockets; a page of another site must not get in.
    if (origin !== undefined && !allowedOrigins().includes(origin)) return reject(403, `Foreign Origin "${origin}".`);
    // The page uses its cookie; a client without a browser may spend the launch token here instead.
    if (!hasSession(req) && !spendLaunchToken(url.searchParams.get('token')))
      return reject(401, 'Missing, wrong or already used token.');
    wss.handleUpgrade(req, socket, head, (ws) => {
      const wire = webSocketWire(ws);
      serveRpc(wire, options.service.methods, options.service.streams, log);
      ws.on('error', (err) => log.warn(`browser-server: websocket error: ${err.message}`));
    });
  });

  const requestedPort = options.port ?? 0;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err: NodeJS.ErrnoException) => reject(listenError(err, requestedPort)));
    server.listen(requestedPort, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  cookieName = `eventscope_${port}_${cookieSuffix}`;

  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    cookieName,
    close: async () => {
      for (const client of wss.clients) client.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A listen failure people can act on, instead of a stack trace. */
function listenError(err: NodeJS.ErrnoException, port: number): Error {
  const where = `127.0.0.1:${port}`;
  if (err.code === 'EADDRINUSE') {
    return new ListenError(
      `Cannot serve on ${where}: the port is already in use (another "eventscope serve", or another program). Choose another port with --port N, or leave --port out to take a free one.`,
    );
  }
  if (err.code === 'EACCES') {
    return new ListenError(
      `Cannot serve on ${where}: not allowed to listen on port ${port} (ports below 1024 need privileges). Choose a port above 1024 with --port N, or leave --port out to take a free one.`,
    );
  }
  return err;
}

function secretMatches(candidate: string | null | undefined, secret: string): boolean {
  if (!candidate) return false;
  const a = Buffer.from(candidate);
  const b = Buffer.from(secret);
  return a.length === b.length && timingSafeEqual(a, b);
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
    ...rendererFileHeaders(file),
    'Content-Length': info.size,
    'Cache-Control': file.endsWith('index.html') ? 'no-store' : 'max-age=3600',
  });
  createReadStream(file).pipe(res);
}
