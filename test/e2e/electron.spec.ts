// The desktop shell, where an Electron binary exists (ELECTRON_PATH). It cannot be
// downloaded on every machine; browser mode covers the renderer everywhere else.
import { _electron as electron } from '@playwright/test';
import { expect, test } from './fixtures.ts';

test('the desktop window opens sandboxed and reaches the host through its port', async () => {
  test.skip(
    !process.env['ELECTRON_PATH'],
    'ELECTRON_PATH is not set: no Electron binary on this machine (the renderer is tested in Chromium through browser mode)',
  );
  const app = await electron.launch({
    executablePath: process.env['ELECTRON_PATH']!,
    args: ['.'],
    cwd: new URL('../..', import.meta.url).pathname,
  });
  try {
    const page = await app.firstWindow();
    await expect(page.getByTestId('welcome').or(page.getByTestId('topics-view'))).toBeVisible();
    const exposed = await page.evaluate(() =>
      Object.keys(globalThis).filter((k) => /electron|ipc|require|process/i.test(k)),
    );
    expect(exposed).toEqual([]);
    // Sandboxed, context-isolated, no Node: the page sees neither process nor require.
    expect(
      await page.evaluate(() => [
        typeof (globalThis as Record<string, unknown>)['process'],
        typeof (globalThis as Record<string, unknown>)['require'],
      ]),
    ).toEqual(['undefined', 'undefined']);
    expect(
      await page.evaluate(() => (globalThis as unknown as { location: { protocol: string } }).location.protocol),
    ).toBe('file:');
  } finally {
    await app.close();
  }
});
