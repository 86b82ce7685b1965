// The desktop window's file: handler. Electron cannot add headers to file: responses any
// other way (session.webRequest never sees file: URLs) and a worker takes its CSP only from
// its script's response, not from the page's meta tag: so without this, the user-code filter
// worker ran with no CSP at all in the desktop app, network included. main/ registers
// rendererFileResponse with protocol.handle('file', …): every file the window loads gets
// the same headers browser mode sends (src/node/host/content-security-policy.ts), and a file
// outside the built renderer is not served at all.
import { readFile, stat } from 'node:fs/promises';
import { isAbsolute, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { rendererFileHeaders } from '../host/content-security-policy.ts';

/** What a protocol handler gets, structurally (Electron passes a web Request). */
export interface FileRequest {
  url: string;
  method?: string;
}

function refuse(status: number, message: string): Response {
  return new Response(message, {
    status,
    headers: { 'Content-Type': 'text/plain; charset=utf-8', 'X-Content-Type-Options': 'nosniff' },
  });
}

/** The file under `rendererRoot` that a file: URL names, or null if it names anything else. */
export function rendererFilePath(url: string, rendererRoot: string): string | null {
  let path: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== 'file:') return null;
    parsed.search = '';
    parsed.hash = '';
    // Throws for a file URL with a remote host (file://server/share on POSIX) or encoded separators.
    path = fileURLToPath(parsed);
  } catch {
    return null;
  }
  const inside = relative(rendererRoot, path);
  if (inside === '' || inside.startsWith('..') || isAbsolute(inside)) return null;
  return path;
}

export async function rendererFileResponse(request: FileRequest, rendererRoot: string): Promise<Response> {
  const method = request.method ?? 'GET';
  if (method !== 'GET' && method !== 'HEAD') return refuse(405, 'Only GET is served here.');
  const path = rendererFilePath(request.url, rendererRoot);
  if (!path) return refuse(404, 'Not part of Eventscope.');
  const info = await stat(path).catch(() => null);
  if (!info?.isFile()) return refuse(404, 'Not found.');
  const headers = { ...rendererFileHeaders(path), 'Cache-Control': 'no-cache' };
  return new Response(method === 'HEAD' ? null : await readFile(path), { status: 200, headers });
}
