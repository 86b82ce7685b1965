// The headers a renderer file is served with, the same in both shells: browser mode
// (src/node/host/browser-server.ts) and the desktop window's file handler
// (src/node/desktop/renderer-files.ts). One CSP for the page (also a meta tag in the built page):
// no inline or remote script, no eval, only its own origin. The user-code worker gets its own.
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * The user's filter and projection code runs in a dedicated worker, which needs eval; a
 * worker takes its CSP from its own script's response, so only it gets 'unsafe-eval', and no
 * network access at all.
 */
export const USER_CODE_WORKER_CSP = "default-src 'none'; script-src 'self' 'unsafe-eval'";

/**
 * Built worker scripts that run user code: the JavaScript filter's (predicate.worker.ts) and a
 * projection's (projection.worker.ts). Vite names them after their source file plus a hash.
 */
export function isUserCodeWorker(fileName: string): boolean {
  return /(^|[\\/])(predicate|projection)\.worker-[\w-]+\.js$/.test(fileName);
}

/** The policy a served renderer file carries as a header (desktop and browser mode alike). */
export function contentSecurityPolicyFor(fileName: string): string {
  return isUserCodeWorker(fileName) ? USER_CODE_WORKER_CSP : CONTENT_SECURITY_POLICY;
}

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

/** Type and security headers for a built renderer file (module scripts need a JavaScript type). */
export function rendererFileHeaders(fileName: string): Record<string, string> {
  const dot = fileName.lastIndexOf('.');
  const extension = dot >= 0 ? fileName.slice(dot).toLowerCase() : '';
  return {
    'Content-Type': CONTENT_TYPES[extension] ?? 'application/octet-stream',
    'Content-Security-Policy': contentSecurityPolicyFor(fileName),
    'X-Content-Type-Options': 'nosniff',
    'X-Frame-Options': 'DENY',
    'Referrer-Policy': 'no-referrer',
  };
}
