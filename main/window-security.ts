// Locks down every web contents the app creates and the session they share; the rules
// themselves live in src/node/desktop/web-contents-guard.ts (tested without Electron).
import { app, session } from 'electron';
import { denyPermissions, lockDownWebContents } from '../src/node/desktop/web-contents-guard.ts';

/** openAppWindow: opens one of the app's own views in a new window (the page asked with window.open). */
export function lockDownApp(isAppUrl: (url: string) => boolean, openAppWindow: (url: string) => void): void {
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents, { isAppUrl, openAppWindow }));
  app.whenReady().then(() => denyPermissions(session.defaultSession, isAppUrl));
}
