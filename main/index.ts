// Electron main: app lifecycle, one window, and the hand-off of a MessagePort to the
// sandboxed renderer. Everything else lives in src/ (the host service) and is the same
// code that browser mode and the tests run.
import { fileURLToPath } from 'node:url';
import { app, BrowserWindow, ipcMain, MessageChannelMain } from 'electron';
import { EncryptedSecretVault } from '../src/connections/secret-vault.ts';
import { logCapBytesFromEnv, sampleCapturePath } from '../src/host/app-paths.ts';
import { createEventscopeService } from '../src/host/eventscope-service.ts';
import { openClusterClient } from '../src/kafka/index.ts';
import { serveRpc } from '../src/rpc/server.ts';
import { electronPortWire } from '../src/rpc/wires/electron-port-wire.ts';
import { installAppMenu } from './app-menu.ts';
import { safeStorageEncryptor } from './safe-storage-encryptor.ts';
import { lockDownWebContents } from './window-security.ts';

const PORT_REQUEST_CHANNEL = 'eventscope:request-port';
const PORT_CHANNEL = 'eventscope:port';

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  lockDownWebContents();
  let window: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (window?.isMinimized()) window.restore();
    window?.focus();
  });

  app.whenReady().then(() => {
    installAppMenu();
    const dataDir = app.getPath('userData');
    const service = createEventscopeService({
      version: app.getVersion(),
      mode: 'desktop',
      dataDir,
      vault: new EncryptedSecretVault(dataDir, safeStorageEncryptor()),
      openClusterClient,
      sampleCapturePath: sampleCapturePath(),
      logCapBytesPerCluster: logCapBytesFromEnv(),
    });

    window = new BrowserWindow({
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
      },
    });
    const own = window;
    own.once('ready-to-show', () => own.show());
    own.on('closed', () => (window = null));

    // Accept the port request only from this window's own top frame.
    ipcMain.on(PORT_REQUEST_CHANNEL, (event) => {
      if (event.sender !== own.webContents || event.senderFrame !== own.webContents.mainFrame) return;
      const { port1, port2 } = new MessageChannelMain();
      serveRpc(electronPortWire(port1), service.methods, service.streams, { warn: (m) => console.warn(m) });
      event.sender.postMessage(PORT_CHANNEL, null, [port2]);
    });

    const devServer = process.env['ELECTRON_RENDERER_URL'];
    if (!app.isPackaged && devServer) void own.loadURL(devServer);
    else void own.loadFile(fileURLToPath(new URL('../renderer/index.html', import.meta.url)));

    app.on('before-quit', () => void service.close());
  });

  app.on('window-all-closed', () => app.quit());
}
