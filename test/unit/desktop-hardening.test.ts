// The desktop shell's rules, as plain functions over stand-ins for Electron's objects (no
// Electron binary here): navigation of any frame, new windows, webviews and permissions
// denied; RPC ports only for the window's own top frame, at most one at a time.
import { EventEmitter } from 'node:events';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createPortBroker, MAX_PORTS_PER_WINDOW, type ServedPort } from '../../src/node/desktop/port-broker.ts';
import {
  appUrlMatcher,
  denyPermissions,
  lockDownWebContents,
  type GuardedSession,
  type PermissionAsker,
} from '../../src/node/desktop/web-contents-guard.ts';
import {
  CONTENT_SECURITY_POLICY,
  USER_CODE_WORKER_CSP,
  contentSecurityPolicyFor,
  isUserCodeWorker,
} from '../../src/node/host/content-security-policy.ts';

class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void {
    this.openHandler = handler;
  }
  /** Emits `name` as Electron does and says whether a listener prevented it. */
  attempt(name: string, ...args: unknown[]): boolean {
    let prevented = false;
    this.emit(name, { preventDefault: () => (prevented = true) }, ...args);
    return prevented;
  }
}

type RequestHandler = (
  webContents: unknown,
  permission: string,
  callback: (granted: boolean) => void,
  details: PermissionAsker,
) => void;
type CheckHandler = (
  webContents: unknown,
  permission: string,
  requestingOrigin: string,
  details: PermissionAsker,
) => boolean;

class FakeSession implements GuardedSession {
  request: RequestHandler | null = null;
  check: CheckHandler | null = null;
  device: ((details: unknown) => boolean) | null = null;
  setPermissionRequestHandler(handler: RequestHandler): void {
    this.request = handler;
  }
  setPermissionCheckHandler(handler: CheckHandler): void {
    this.check = handler;
  }
  setDevicePermissionHandler(handler: (details: unknown) => boolean): void {
    this.device = handler;
  }
  ask(permission: string, details: PermissionAsker): boolean {
    let granted: boolean | undefined;
    this.request!({}, permission, (g) => (granted = g), details);
    if (granted === undefined) throw new Error('the request handler never answered');
    return granted;
  }
}

const RENDERER = pathToFileURL('/opt/Eventscope/resources/app.asar/out/renderer/').href;
const PAGE = `${RENDERER}index.html`;

describe('web contents lock-down', () => {
  it('prevents navigation of the top frame and of subframes, redirects and webviews', () => {
    const contents = new FakeContents();
    lockDownWebContents(contents);
    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true);
    // A subframe navigating (an injected iframe moving itself) is only seen by will-frame-navigate.
    expect(contents.attempt('will-frame-navigate', { url: 'https://evil.example/', isMainFrame: false })).toBe(true);
    expect(contents.attempt('will-redirect', 'https://evil.example/')).toBe(true);
    expect(contents.attempt('will-attach-webview', {}, {})).toBe(true);
  });

  it('denies every new window', () => {
    const contents = new FakeContents();
    lockDownWebContents(contents);
    expect(contents.openHandler?.({ url: 'https://evil.example/' })).toEqual({ action: 'deny' });
    expect(contents.openHandler?.({ url: PAGE })).toEqual({ action: 'deny' });
  });

  it('opens a window of its own for the app page with a view in its hash, and for nothing else', () => {
    const contents = new FakeContents();
    const opened: string[] = [];
    lockDownWebContents(contents, { isAppUrl: appUrlMatcher(RENDERER), openAppWindow: (url) => opened.push(url) });
    const view = `${PAGE}#/c/sample/groups/fraud-scoring`;
    for (const url of [
      view,
      'https://evil.example/#/c/x/topics',
      `${PAGE}?x=1#/settings`,
      `${RENDERER}assets/index.js#/settings`,
      'file:///etc/passwd#/settings',
      'javascript:alert(1)',
      'not a url',
    ]) {
      // The native popup is always denied; only our own window is opened, and only for the app's page.
      expect(contents.openHandler?.({ url })).toEqual({ action: 'deny' });
    }
    expect(opened).toEqual([view]);
  });
});

describe('permissions', () => {
  const session = new FakeSession();
  denyPermissions(session, appUrlMatcher(RENDERER));

  it('has a request, a check and a device handler (without a check handler Electron answers checks with "granted")', () => {
    expect(session.request).toBeTypeOf('function');
    expect(session.check).toBeTypeOf('function');
    expect(session.device).toBeTypeOf('function');
  });

  it('denies every request and check, from the app itself too', () => {
    for (const permission of [
      'media',
      'notifications',
      'geolocation',
      'midiSysex',
      'hid',
      'serial',
      'usb',
      'clipboard-read',
      'openExternal',
      'fullscreen',
      'pointerLock',
      'display-capture',
    ]) {
      expect(session.ask(permission, { requestingUrl: PAGE, isMainFrame: true }), permission).toBe(false);
      expect(session.check!({}, permission, 'file:///', { requestingUrl: PAGE, isMainFrame: true }), permission).toBe(
        false,
      );
    }
    expect(session.device!({ deviceType: 'usb', origin: 'file://' })).toBe(false);
  });

  it("lets only the app's own top frame write to the clipboard (the Copy buttons)", () => {
    expect(session.ask('clipboard-sanitized-write', { requestingUrl: PAGE, isMainFrame: true })).toBe(true);
    expect(
      session.check!({}, 'clipboard-sanitized-write', 'file:///', { requestingUrl: PAGE, isMainFrame: true }),
    ).toBe(true);
    expect(session.ask('clipboard-sanitized-write', { requestingUrl: PAGE, isMainFrame: false })).toBe(false);
    expect(
      session.ask('clipboard-sanitized-write', { requestingUrl: 'https://evil.example/', isMainFrame: true }),
    ).toBe(false);
    expect(
      session.ask('clipboard-sanitized-write', { requestingUrl: 'file:///home/someone/page.html', isMainFrame: true }),
    ).toBe(false);
    expect(session.ask('clipboard-sanitized-write', { isMainFrame: true })).toBe(false);
  });

  it('knows the dev server as the app only in development', () => {
    const dev = appUrlMatcher(RENDERER, 'http://localhost:5173/');
    expect(dev('http://localhost:5173/index.html')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(appUrlMatcher(RENDERER)('http://localhost:5173/index.html')).toBe(false);
  });
});

describe('RPC ports', () => {
  const ownContents = { id: 1 };
  const ownFrame = { name: 'top' };

  function broker() {
    const opened: { port: ServedPort; closed: boolean; fireClosed: () => void }[] = [];
    const warnings: string[] = [];
    const b = createPortBroker<object>({
      owner: () => ({ contents: ownContents, mainFrame: ownFrame }),
      open: () => {
        const listeners: (() => void)[] = [];
        const entry = {
          closed: false,
          fireClosed: () => listeners.forEach((l) => l()),
          port: {
            close: () => {
              entry.closed = true;
              entry.fireClosed();
            },
            onClosed: (l: () => void) => void listeners.push(l),
          },
        };
        opened.push(entry);
        return entry.port;
      },
      warn: (m) => warnings.push(m),
    });
    return { b, opened, warnings };
  }

  it("answers only the window's own top frame", () => {
    const { b, opened, warnings } = broker();
    expect(b.request({ sender: { id: 2 }, senderFrame: ownFrame })).toBe(false);
    expect(b.request({ sender: ownContents, senderFrame: { name: 'iframe' } })).toBe(false);
    expect(b.request({ sender: ownContents, senderFrame: null })).toBe(false);
    expect(opened).toHaveLength(0);
    expect(warnings).toHaveLength(3);
    expect(b.request({ sender: ownContents, senderFrame: ownFrame })).toBe(true);
    expect(opened).toHaveLength(1);
  });

  it('keeps at most one port per window: each new request closes the one before', () => {
    const { b, opened } = broker();
    expect(MAX_PORTS_PER_WINDOW).toBe(1);
    for (let i = 0; i < 50; i++) b.request({ sender: ownContents, senderFrame: ownFrame });
    expect(opened).toHaveLength(50);
    expect(opened.filter((o) => !o.closed)).toHaveLength(1);
    expect(opened.at(-1)!.closed).toBe(false);
    expect(b.openCount()).toBe(1);
  });

  it('forgets a port the page closed, and closes the rest with the window', () => {
    const { b, opened } = broker();
    b.request({ sender: ownContents, senderFrame: ownFrame });
    opened[0]!.fireClosed();
    expect(b.openCount()).toBe(0);
    b.request({ sender: ownContents, senderFrame: ownFrame });
    b.closeAll();
    expect(opened[1]!.closed).toBe(true);
    expect(b.openCount()).toBe(0);
  });

  it('refuses everything once the window is gone', () => {
    const warnings: string[] = [];
    const b = createPortBroker<object>({
      owner: () => null,
      open: () => expect.unreachable('opened a port for a closed window'),
      warn: (m) => warnings.push(m),
    });
    expect(b.request({ sender: ownContents, senderFrame: ownFrame })).toBe(false);
  });
});

describe('user-code worker CSP', () => {
  it('gives the built filter and projection workers, and only them, the user-code CSP', () => {
    for (const f of [
      'assets/predicate.worker-B1x_9kQz.js',
      'assets/projection.worker-Dq3-aZ.js',
      'C:\\app\\assets\\projection.worker-abc.js',
    ]) {
      expect(isUserCodeWorker(f), f).toBe(true);
      expect(contentSecurityPolicyFor(f), f).toBe(USER_CODE_WORKER_CSP);
    }
    const others = [
      'assets/index-abc.js',
      'assets/projection.worker.ts',
      'assets/projection.worker-abc.js.map',
      'assets/myprojection.worker-abc.js',
      'assets/projection-worker-abc.js',
      'assets/projection.worker-abc.css',
      'index.html',
    ];
    for (const f of others) {
      expect(isUserCodeWorker(f), f).toBe(false);
      expect(contentSecurityPolicyFor(f), f).toBe(CONTENT_SECURITY_POLICY);
    }
  });
});
