// Electron main: app lifecycle, its windows (one, plus any opened on a view), and the hand-off of a MessagePort to the
// sandboxed renderer. Everything else lives in src/ (the host service, and the desktop
// rules in src/node/desktop/) and is the same code that browser mode and the tests run.
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, MessageChannelMain, protocol } from 'electron';
import { EncryptedSecretVault } from '../src/node/connections/secret-vault.ts';
import { createPortBroker, type PortBroker } from '../src/node/desktop/port-broker.ts';
import { rendererFileResponse } from '../src/node/desktop/renderer-files.ts';
import { appUrlMatcher } from '../src/node/desktop/web-contents-guard.ts';
import { logCapBytesFromEnv, sampleCapturePath } from '../src/node/host/app-paths.ts';
import { createEventscopeService } from '../src/node/host/eventscope-service.ts';
import { openClusterClient } from '../src/node/kafka/index.ts';
import { serveRpc } from '../src/common/rpc/server.ts';
import { electronPortWire } from '../src/common/rpc/wires/electron-port-wire.ts';
import { installAppMenu } from './app-menu.ts';
import { safeStorageEncryptor } from './safe-storage-encryptor.ts';
import { lockDownApp } from './window-security.ts';

const PORT_REQUEST_CHANNEL = 'eventscope:request-port';
const PORT_CHANNEL = 'eventscope:port';

const rendererDirUrl = new URL('../renderer/', import.meta.url);
const rendererDir = fileURLToPath(rendererDirUrl);
const devServer = !app.isPackaged ? process.env['ELECTRON_RENDERER_URL'] : undefined;

/** Packaged, the sample capture is unpacked beside app.asar (electron-builder.yml asarUnpack): SQLite cannot open a file inside an archive. */
function desktopSampleCapturePath(): string {
  const path = sampleCapturePath();
  return app.isPackaged ? path.replace(/\.asar([\\/])/, '.asar.unpacked$1') : path;
}

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  /** The app's windows: the first, and those opened on one of its views ("Open in new window"). */
  const windows = new Set<BrowserWindow>();
  /** Set once the app is ready: opens a window on a view (the hash of an app URL), or on the start view. */
  let openWindow: ((url?: string) => void) | null = null;
  lockDownApp(appUrlMatcher(rendererDirUrl.href, devServer), (url) => openWindow?.(url));

  app.on('second-instance', () => {
    const first = [...windows][0];
    if (first?.isMinimized()) first.restore();
    first?.focus();
  });

  app.whenReady().then(() => {
    // Every file: load goes through here: the headers browser mode sends (the filter worker's
    // CSP among them), and nothing outside the built renderer.
    protocol.handle('file', (request) => rendererFileResponse(request, rendererDir));
    installAppMenu();
    const dataDir = app.getPath('userData');
    const service = createEventscopeService({
      version: app.getVersion(),
      mode: 'desktop',
      dataDir,
      vault: new EncryptedSecretVault(dataDir, safeStorageEncryptor()),
      openClusterClient,
      sampleCapturePath: desktopSampleCapturePath(),
      logCapBytesPerCluster: logCapBytesFromEnv(),
    });
    const warn = (m: string): void => console.warn(m);
    /** Each window's port broker: a port goes only to the window's own top frame. */
    const brokers = new Map<Electron.WebContents, PortBroker<Electron.WebContents>>();
    ipcMain.on(PORT_REQUEST_CHANNEL, (event) => {
      const broker = brokers.get(event.sender);
      if (broker) broker.request(event);
      else warn('desktop: refused a port request from web contents that is not a window of the app');
    });

    openWindow = (url?: string) => {
      const own = new BrowserWindow({
        width: 1280,
        height: 820,
        show: false,
        title: 'Eventscope',
        webPreferences: {
          preload: fileURLToPath(new URL('../preload/index.cjs', import.meta.url)),
          sandbox: true,
          contextIsolation: true,
          nodeIntegration: false,
          webSecurity: true,
          spellcheck: false,
          // No middle-click (auxclick) link opening: windows open only through the app's own handler.
          disableBlinkFeatures: 'Auxclick',
        },
      });
      windows.add(own);
      own.once('ready-to-show', () => own.show());
      const contents = own.webContents;
      const ports = createPortBroker({
        owner: () => (own.isDestroyed() ? null : { contents, mainFrame: contents.mainFrame }),
        open: (sender: Electron.WebContents) => {
          const { port1, port2 } = new MessageChannelMain();
          const wire = electronPortWire(port1);
          const stop = serveRpc(wire, service.methods, service.streams, { warn });
          sender.postMessage(PORT_CHANNEL, null, [port2]);
          return {
            close: () => {
              stop();
              wire.close();
            },
            onClosed: (listener) => wire.onClose(listener),
          };
        },
        warn,
      });
      brokers.set(contents, ports);
      own.on('closed', () => {
        ports.closeAll();
        brokers.delete(contents);
        windows.delete(own);
      });
      // Only the view (the hash) is taken from the asking page's URL: the page loaded is always the app's own.
      const hash = url ? new URL(url).hash.replace(/^#/, '') : '';
      if (devServer) void own.loadURL(hash ? `${devServer}#${hash}` : devServer);
      else void own.loadFile(fileURLToPath(new URL('index.html', rendererDirUrl)), hash ? { hash } : {});
    };
    openWindow();

    app.on('before-quit', () => void service.close());
  });

  app.on('window-all-closed', () => app.quit());
}
