// Locks down every web contents the app creates and the session they share; the rules
// themselves live in src/desktop/web-contents-guard.ts (tested without Electron).
import { app, session } from 'electron';
import { denyPermissions, lockDownWebContents } from '../src/desktop/web-contents-guard.ts';

export function lockDownApp(isAppUrl: (url: string) => boolean): void {
  app.on('web-contents-created', (_event, contents) => lockDownWebContents(contents));
  app.whenReady().then(() => denyPermissions(session.defaultSession, isAppUrl));
}
