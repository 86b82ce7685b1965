// End-to-end tests of the real renderer in Debian's Chromium through browser mode
// (`eventscope serve`), against the real broker. The Electron project runs only where
// ELECTRON_PATH points at an Electron binary (it cannot be downloaded on every machine).
import { defineConfig } from '@playwright/test';

const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export default defineConfig({
  testDir: 'test/e2e',
  globalSetup: './test/e2e/global-setup.ts',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  retries: 0,
  reporter: process.env['CI'] ? [['list']] : [['list']],
  use: { trace: 'retain-on-failure', screenshot: 'only-on-failure' },
  projects: [
    {
      name: 'browser',
      // screens.spec.ts writes docs/screens/: `npm run screenshots`, not npm test.
      testIgnore: process.env['EVENTSCOPE_SCREENS']
        ? /electron\.spec\.ts/
        : [/electron\.spec\.ts/, /screens\.spec\.ts/],
      use: {
        browserName: 'chromium',
        launchOptions: {
          executablePath: CHROMIUM_PATH,
          args: [
            '--no-sandbox',
            '--disable-gpu',
            '--disable-background-networking',
            '--disable-component-update',
            '--disable-sync',
            '--no-first-run',
          ],
        },
      },
    },
    { name: 'electron', testMatch: /electron\.spec\.ts/ },
  ],
});
