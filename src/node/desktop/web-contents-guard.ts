// What the desktop shell forbids its web contents and session: navigating anywhere (top
// frame or subframe), redirects, new windows, webviews, and every permission but writing to
// the clipboard from the app's own page. The Electron objects are typed structurally (src/
// never imports electron), so these handlers are tested as plain functions; main/ wires them.

export interface PreventableEvent {
  preventDefault(): void;
}

type Block = (event: PreventableEvent) => void;

/** The part of Electron's WebContents this module touches. */
export interface GuardedWebContents {
  on(event: 'will-navigate', listener: Block): unknown;
  /** Electron ≥ 25: every frame's navigation, subframes included (will-navigate sees only the top frame). */
  on(event: 'will-frame-navigate', listener: Block): unknown;
  on(event: 'will-redirect', listener: Block): unknown;
  on(event: 'will-attach-webview', listener: Block): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** What a permission request or check says about who asks. */
export interface PermissionAsker {
  requestingUrl?: string;
  isMainFrame?: boolean;
}

/** The part of Electron's Session this module touches. */
export interface GuardedSession {
  setPermissionRequestHandler(
    handler: (
      webContents: unknown,
      permission: string,
      callback: (granted: boolean) => void,
      details: PermissionAsker,
    ) => void,
  ): void;
  setPermissionCheckHandler(
    handler: (webContents: unknown, permission: string, requestingOrigin: string, details: PermissionAsker) => boolean,
  ): void;
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void;
}

/**
 * The one permission the app uses: the Copy buttons of the record detail write text with
 * navigator.clipboard, which Electron routes through the permission handlers. Reading the
 * clipboard stays denied.
 */
export const ALLOWED_PERMISSIONS: ReadonlySet<string> = new Set(['clipboard-sanitized-write']);

/**
 * openAppWindow: a page of the app asking for another of its own views in a new window ("Open
 * in new window": window.open of its own address with a view in the hash). The native popup is
 * always denied; main opens a window of its own making instead (the same locked-down
 * preferences, its own port), for app URLs only: anything else is refused.
 */
export function lockDownWebContents(
  contents: GuardedWebContents,
  options: { isAppUrl?: (url: string) => boolean; openAppWindow?: (url: string) => void } = {},
): void {
  const block: Block = (event) => event.preventDefault();
  // The app is one page that never navigates: any navigation is content trying to leave it.
  contents.on('will-navigate', block);
  contents.on('will-frame-navigate', block);
  contents.on('will-redirect', block);
  contents.on('will-attach-webview', block);
  contents.setWindowOpenHandler(({ url }) => {
    if (options.openAppWindow && options.isAppUrl?.(url) && isAppPage(url)) options.openAppWindow(url);
    return { action: 'deny' };
  });
}

/** The app's page itself (index.html, or the dev server's root) with at most a hash: a view of the app, nothing else it could be made to load. */
function isAppPage(url: string): boolean {
  try {
    const parsed = new URL(url);
    return parsed.search === '' && (parsed.pathname.endsWith('/index.html') || parsed.pathname === '/');
  } catch {
    return false;
  }
}

/**
 * Denies every permission request and check (camera, notifications, geolocation, MIDI, HID,
 * USB, serial, …), except ALLOWED_PERMISSIONS asked by the app's own top frame. Without a
 * check handler Electron answers checks (navigator.permissions.query, some APIs' silent
 * checks) with "granted".
 */
export function denyPermissions(session: GuardedSession, isAppUrl: (url: string) => boolean): void {
  const allowed = (permission: string, url: string | undefined, details: PermissionAsker): boolean =>
    ALLOWED_PERMISSIONS.has(permission) && details.isMainFrame !== false && url !== undefined && isAppUrl(url);
  session.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(allowed(permission, details.requestingUrl, details)),
  );
  session.setPermissionCheckHandler((_contents, permission, requestingOrigin, details) =>
    allowed(permission, details.requestingUrl ?? requestingOrigin, details),
  );
  session.setDevicePermissionHandler(() => false);
}

/**
 * The app's own pages: the built renderer (file: URLs under its folder) or, in development,
 * the dev server's origin.
 */
export function appUrlMatcher(rendererDirUrl: string, devServerUrl?: string): (url: string) => boolean {
  const dir = rendererDirUrl.endsWith('/') ? rendererDirUrl : `${rendererDirUrl}/`;
  const devOrigin = devServerUrl ? safeOrigin(devServerUrl) : null;
  return (url) => {
    // Chromium hands over normalized URLs (no "..").
    if (url.startsWith(dir)) return true;
    return devOrigin !== null && safeOrigin(url) === devOrigin;
  };
}

function safeOrigin(url: string): string | null {
  try {
    const origin = new URL(url).origin;
    return origin === 'null' ? null : origin;
  } catch {
    return null;
  }
}
