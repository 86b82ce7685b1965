// `npm run screenshots`: every view of the app on the sample capture (no cluster), in the
// light and the dark theme (the OS's choice, emulated), written to
// docs/screens/<view>-light.png and <view>-dark.png, so the pictures in the docs are of the app
// as it is. Not part of npm test (playwright.config.ts leaves this file out unless
// EVENTSCOPE_SCREENS is set).
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { screenshot } from './screenshot.ts';

async function expectScheme(page: Page, scheme: 'light' | 'dark'): Promise<void> {
  const dark = await page
    .locator('html')
    .evaluate((root) => root.ownerDocument.defaultView!.matchMedia('(prefers-color-scheme: dark)').matches);
  expect(dark, `the page should see the OS preferring ${scheme}`).toBe(scheme === 'dark');
}

for (const scheme of ['light', 'dark'] as const) {
  test.describe(`${scheme} theme`, () => {
    test.use({ colorScheme: scheme });

    test(`screenshots of every view (${scheme})`, async ({ page, app }) => {
      const shot = (name: string): Promise<void> => screenshot(page, `${name}-${scheme}`, 900);
      await page.setViewportSize({ width: 1440, height: 900 });
      await page.goto(app.url);
      await expectScheme(page, scheme);
      await expect(page.getByTestId('welcome')).toBeVisible();
      await shot('welcome');

      await page.getByTestId('open-sample').click();
      await expect(page.getByTestId('topics-view')).toBeVisible();
      await expect(page.getByTestId('topic-row').first()).toBeVisible();
      await shot('topics');

      await page.keyboard.press('Control+k');
      await expect(page.getByTestId('palette')).toBeVisible();
      await page.getByTestId('palette-input').fill('or');
      await shot('palette');
      await page.keyboard.press('Escape');

      await page.locator('[data-testid=topic-row][data-topic="orders"]').click();
      await expect(page.getByTestId('topic-detail')).toBeVisible();
      await expect(page.getByTestId('partition-row').first()).toBeVisible();
      await shot('topic-detail');

      await page.getByTestId('open-messages').click();
      await expect(page.getByTestId('messages-view')).toBeVisible();
      await page.getByTestId('from-kind').selectOption('earliest');
      await page.getByTestId('start-tail').click();
      await expect(page.locator('[data-testid=message-row]').first()).toBeVisible();
      await shot('messages');
      await page.locator('[data-testid=message-row]').nth(3).click();
      await shot('messages-record');

      await page.getByTestId('rail-consumers').click();
      await expect(page.getByTestId('consumers-view')).toBeVisible();
      await expect(page.getByTestId('group-row').first()).toBeVisible();
      await shot('consumers');

      await page.goto(`${app.origin}/#/c/sample/groups/fraud-scoring`);
      await expect(page.getByTestId('group-detail')).toBeVisible();
      await expect(page.locator('[data-testid=group-detail] canvas').first()).toBeVisible();
      await shot('group-detail');

      await page.goto(`${app.origin}/#/projections`);
      await expect(page.getByTestId('projections-view')).toBeVisible();
      await shot('projections');

      await page.goto(`${app.origin}/#/connections/new`);
      await expect(page.getByTestId('connection-name')).toBeVisible();
      await shot('new-connection');

      await page.goto(`${app.origin}/#/settings`);
      await expect(page.getByTestId('settings-view')).toBeVisible();
      await shot('settings');
    });
  });
}
