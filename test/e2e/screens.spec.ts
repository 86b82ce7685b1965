// `npm run screenshots`: every view of the app on the sample capture (no cluster), written to
// docs/screens/<view>.png, so the pictures in the docs are of the app as it is. Not part of
// npm test (playwright.config.ts leaves this file out unless EVENTSCOPE_SCREENS is set).
import { expect, test } from './fixtures.ts';
import { screenshot } from './screenshot.ts';

test('screenshots of every view', async ({ page, app }) => {
  await page.setViewportSize({ width: 1440, height: 900 });
  await page.goto(app.url);
  await expect(page.getByTestId('welcome')).toBeVisible();
  await screenshot(page, 'welcome', 900);

  await page.getByTestId('open-sample').click();
  await expect(page.getByTestId('topics-view')).toBeVisible();
  await screenshot(page, 'topics', 900);

  await page.locator('[data-testid=topic-row][data-topic="orders"]').click();
  await expect(page.getByTestId('topic-detail')).toBeVisible();
  await screenshot(page, 'topic-detail', 900);

  await page.getByTestId('open-messages').click();
  await expect(page.getByTestId('messages-view')).toBeVisible();
  await page.getByTestId('from-kind').selectOption('earliest');
  await page.getByTestId('start-tail').click();
  await expect(page.locator('[data-testid=message-row]').first()).toBeVisible();
  await screenshot(page, 'messages', 900);
  await page.locator('[data-testid=message-row]').nth(3).click();
  await screenshot(page, 'messages-record', 900);

  await page.getByTestId('rail-consumers').click();
  await expect(page.getByTestId('consumers-view')).toBeVisible();
  await expect(page.getByTestId('group-row').first()).toBeVisible();
  await screenshot(page, 'consumers', 900);

  await page.goto(`${app.origin}/#/c/sample/groups/fraud-scoring`);
  await expect(page.getByTestId('group-detail')).toBeVisible();
  await expect(page.locator('[data-testid=group-detail] canvas').first()).toBeVisible();
  await screenshot(page, 'group-detail', 900);

  await page.goto(`${app.origin}/#/settings`);
  await expect(page.getByTestId('settings-view')).toBeVisible();
  await screenshot(page, 'settings', 900);
});
