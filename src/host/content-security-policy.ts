// One CSP for the desktop window (a meta tag in the built page) and browser mode (a header).
// No inline or remote script, no eval; the renderer talks only to its own origin.
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self'; connect-src 'self'; worker-src 'self' blob:; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; form-action 'none'";
