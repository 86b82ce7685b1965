// One CSP for the desktop window (a meta tag in the built page) and browser mode (a header).
// No inline or remote script, no eval; the renderer talks only to its own origin.
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";

/**
 * The user's filter and projection code runs in a dedicated worker, which needs eval; a
 * worker takes its CSP from its own script's response, so only it gets 'unsafe-eval', and no
 * network access at all.
 */
export const USER_CODE_WORKER_CSP = "default-src 'none'; script-src 'self' 'unsafe-eval'";

/** Built worker scripts that run user code: Vite names them after their source file. */
export function isUserCodeWorker(fileName: string): boolean {
  return /(^|\/)predicate\.worker-[\w-]+\.js$/.test(fileName);
}
