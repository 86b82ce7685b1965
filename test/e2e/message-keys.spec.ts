// The message list from the keyboard: one tab stop, ↑/↓, PageUp/PageDown, Home/End move the
// selection and keep it in view, Enter opens it in the detail pane (which then follows the
// selection), Escape closes the pane; the focused list is visibly marked. Keys typed into a
// field, or pressed over an empty list, move nothing.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { openMessages } from './steps.ts';

const ROW_HEIGHT_PX = 26;

/** The selected row's place in the list (rows are positioned by translateY, slot-keyed in the DOM). */
async function selectedIndex(page: Page): Promise<number> {
  const rows = page.locator('[data-testid=message-row][aria-selected=true]');
  await expect(rows).toHaveCount(1);
  const style = (await rows.getAttribute('style')) ?? '';
  const y = /translateY\(([\d.]+)px\)/.exec(style);
  expect(y, `the selected row's style: ${style}`).not.toBeNull();
  return Math.round(Number(y![1]) / ROW_HEIGHT_PX);
}

async function shownCount(page: Page): Promise<number> {
  return Number(
    /^([\d,]+) shown/.exec((await page.getByTestId('row-count').textContent()) ?? '')![1]!.replace(/,/g, ''),
  );
}

/** The selected row lies wholly inside the list's viewport. */
async function expectSelectedInView(list: Locator, page: Page): Promise<void> {
  const box = (await list.boundingBox())!;
  const row = (await page.locator('[data-testid=message-row].selected').boundingBox())!;
  expect(row.y).toBeGreaterThanOrEqual(box.y - 1);
  expect(row.y + row.height).toBeLessThanOrEqual(box.y + box.height + 1);
}

test('the message list moves its selection with the keys and opens it with Enter', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByTestId('open-sample').click();
  await openMessages(page, 'payments');
  const list = page.getByTestId('message-list');

  // Before any start: an empty list takes the keys and selects nothing.
  await list.focus();
  for (const key of ['ArrowDown', 'End', 'PageUp', 'Enter']) await list.press(key);
  await expect(page.locator('[data-testid=message-row]')).toHaveCount(0);
  await expect(page.getByTestId('record-detail')).toHaveCount(0);

  await page.getByTestId('from-kind').selectOption('earliest');
  await page.getByTestId('start-tail').click();
  await expect(page.getByTestId('tail-phase')).toHaveText('done');
  const total = await shownCount(page);
  expect(total).toBeGreaterThan(1000);

  // One tab stop: the list itself is focused, not a row, and the focus is visible.
  await list.focus();
  await list.press('Home');
  await expect(list).toBeFocused();
  expect(
    await list.evaluate(
      (el) =>
        el.matches(':focus-visible') && el.ownerDocument.defaultView!.getComputedStyle(el).outlineStyle === 'solid',
    ),
  ).toBe(true);
  expect(await selectedIndex(page)).toBe(0);
  const first = page.locator('[data-testid=message-row].selected');
  await expect(list).toHaveAttribute('aria-activedescendant', (await first.getAttribute('id'))!);
  await expect(page.getByTestId('record-detail')).toHaveCount(0); // selecting opens nothing

  await list.press('ArrowDown');
  await list.press('ArrowDown');
  expect(await selectedIndex(page)).toBe(2);
  await list.press('ArrowUp');
  expect(await selectedIndex(page)).toBe(1);
  await list.press('ArrowUp');
  await list.press('ArrowUp'); // past the first row: stays there
  expect(await selectedIndex(page)).toBe(0);

  // A page is the rows the list shows, less one; the selection stays in view.
  const page1 = Math.floor((await list.evaluate((el) => el.clientHeight)) / ROW_HEIGHT_PX) - 1;
  await list.press('PageDown');
  expect(await selectedIndex(page)).toBe(page1);
  for (let i = 0; i < 5; i++) await list.press('PageDown');
  expect(await selectedIndex(page)).toBe(6 * page1);
  await expectSelectedInView(list, page);
  await list.press('PageUp');
  expect(await selectedIndex(page)).toBe(5 * page1);
  await expectSelectedInView(list, page);

  // Enter opens the selected record; the pane follows the selection while open.
  const offsetOf = async (): Promise<string> =>
    (await page.locator('[data-testid=message-row].selected').getAttribute('data-offset'))!;
  const partitionOf = async (): Promise<string> =>
    (await page.locator('[data-testid=message-row].selected').getAttribute('data-partition'))!;
  await list.press('Enter');
  await expect(page.getByTestId('record-detail')).toContainText(
    `Partition ${await partitionOf()} · offset ${await offsetOf()}`,
  );
  await list.press('ArrowDown');
  await expect(page.getByTestId('record-detail')).toContainText(
    `Partition ${await partitionOf()} · offset ${await offsetOf()}`,
  );
  await list.press('Escape');
  await expect(page.getByTestId('record-detail')).toHaveCount(0);
  expect(await selectedIndex(page)).toBe(5 * page1 + 1); // closing the pane keeps the selection

  // End: the newest row, scrolled to the bottom; Home: back to the first.
  await list.press('End');
  expect(await selectedIndex(page)).toBe(total - 1);
  await expectSelectedInView(list, page);
  expect(await list.evaluate((el) => el.scrollHeight - el.scrollTop - el.clientHeight)).toBeLessThan(ROW_HEIGHT_PX);
  await list.press('Home');
  expect(await selectedIndex(page)).toBe(0);
  expect(await list.evaluate((el) => el.scrollTop)).toBe(0);

  // Keys typed into a field are the field's: the selection does not move.
  await page.getByTestId('filter-text').press('ArrowDown');
  await page.getByTestId('filter-text').press('End');
  expect(await selectedIndex(page)).toBe(0);

  // A click selects and opens, and leaves the keys with the list.
  await page.locator('[data-testid=message-row]').filter({ visible: true }).nth(3).click();
  await expect(page.getByTestId('record-detail')).toBeVisible();
  await expect(list).toBeFocused();
  const clicked = await selectedIndex(page);
  await list.press('ArrowDown');
  expect(await selectedIndex(page)).toBe(clicked + 1);
});
