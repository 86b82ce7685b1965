// The theme follows the OS: with prefers-color-scheme: dark the design tokens
// (renderer/src/styles/tokens.css) take their dark values, and the page is drawn with them;
// switched back while open, it follows at once.
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

async function tokenAndBackground(page: Page): Promise<{ token: string; background: string; text: string }> {
  return page.locator('html').evaluate((html) => {
    const view = html.ownerDocument.defaultView!;
    const root = view.getComputedStyle(html);
    const body = view.getComputedStyle(html.ownerDocument.body);
    return { token: root.getPropertyValue('--color-bg').trim(), background: body.backgroundColor, text: body.color };
  });
}

test('the dark theme applies when the OS prefers dark, and the light one when it does not', async ({ page, app }) => {
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.goto(app.url);
  await page.getByTestId('open-sample').click();
  await expect(page.getByTestId('topics-view')).toBeVisible();
  expect(await tokenAndBackground(page)).toEqual({
    token: '#14171c',
    background: 'rgb(20, 23, 28)',
    text: 'rgb(228, 231, 235)',
  });
  // A rail entry's colours come from the tokens too (nothing hard-coded light).
  const rail = await page
    .getByTestId('rail')
    .evaluate((el) => el.ownerDocument.defaultView!.getComputedStyle(el).backgroundColor);
  expect(rail).toBe('rgb(27, 31, 38)');

  await page.emulateMedia({ colorScheme: 'light' });
  expect(await tokenAndBackground(page)).toEqual({
    token: '#ffffff',
    background: 'rgb(255, 255, 255)',
    text: 'rgb(26, 30, 36)',
  });
});

test('a lag chart is drawn again in the new theme when the OS switches', async ({ page, app }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(app.url);
  await page.getByTestId('open-sample').click();
  await page.goto(`${app.origin}/#/c/sample/groups/fraud-scoring`);
  const canvas = page.locator('[data-testid=chart-lag] canvas');
  await expect(canvas).toBeVisible();
  const before = await canvas.elementHandle();
  await page.emulateMedia({ colorScheme: 'dark' });
  // uPlot cannot read CSS: the chart is made again (a new canvas) with the dark tokens.
  await expect.poll(async () => (await canvas.elementHandle())?.evaluate((c, old) => c !== old, before)).toBe(true);
});
