// Screenshots of views for docs/screens/ (the README and closing notes point at them).
import type { Page } from '@playwright/test';

export const SCREENS = new URL('../../docs/screens/', import.meta.url).pathname;

/** A screenshot of the whole main area: the page itself does not scroll, its main area does. */
export async function screenshot(page: Page, name: string, height = 720): Promise<void> {
  const before = page.viewportSize() ?? { width: 1280, height: 720 };
  const needed = await page.locator('main').evaluate((main) => main.scrollHeight);
  await page.setViewportSize({ width: before.width, height: Math.max(height, Math.min(needed + 40, 2400)) });
  await page.screenshot({ path: `${SCREENS}${name}.png` });
  await page.setViewportSize(before);
}
