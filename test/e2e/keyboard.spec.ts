// Keyboard navigation of the lists (components/use-list-keyboard.ts): ↑/↓ move the focus,
// Home/End go to the ends, Enter opens, and each list is one tab stop that remembers its item.
// Topics, groups, a group's partitions and the rail on the sample capture; brokers on the
// real broker.
import type { Locator, Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';
import { connect } from './steps.ts';

async function openSample(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('open-sample').click();
  await expect(page.getByTestId('topic-row').first()).toBeVisible();
}

/** The focus ring is drawn: the focused element matches :focus-visible and has an outline. */
async function expectFocusVisible(item: Locator): Promise<void> {
  await expect(item).toBeFocused();
  expect(
    await item.evaluate(
      (el) =>
        el.matches(':focus-visible') && el.ownerDocument.defaultView!.getComputedStyle(el).outlineStyle !== 'none',
    ),
  ).toBe(true);
}

test('topics: ↓/↑/Home/End move the focus, the list is one tab stop, Enter opens the topic', async ({ page, app }) => {
  await openSample(page, app.url);
  const rows = page.getByTestId('topic-row');
  const names = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-topic')));
  expect(names.length, 'the sample has at least two topics').toBeGreaterThanOrEqual(2);
  // One tab stop: only the first row is in the tab order.
  expect(await rows.evaluateAll((els) => els.map((e) => e.getAttribute('tabindex')))).toEqual(
    names.map((_, i) => (i === 0 ? '0' : '-1')),
  );

  await page.getByTestId('topic-filter').focus();
  // Tab from the filter reaches the list's row through the header's controls.
  for (let i = 0; i < 10 && !(await rows.first().evaluate((el) => el === el.ownerDocument.activeElement)); i++)
    await page.keyboard.press('Tab');
  await expectFocusVisible(rows.first());
  await page.keyboard.press('ArrowDown');
  await expectFocusVisible(rows.nth(1));
  await page.keyboard.press('ArrowUp');
  await expect(rows.first()).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(rows.first()).toBeFocused();
  await page.keyboard.press('End');
  await expect(rows.last()).toBeFocused();
  await expect(rows.last()).toHaveAttribute('tabindex', '0');
  await expect(rows.first()).toHaveAttribute('tabindex', '-1');
  await page.keyboard.press('Home');
  await expect(rows.first()).toBeFocused();
  await page.keyboard.press('ArrowDown');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('topic-title')).toHaveText(names[1]!);
});

test("consumer groups: ↓ and Enter open a group; a group's partitions open their messages at the committed offset", async ({
  page,
  app,
}) => {
  await openSample(page, app.url);
  await page.getByTestId('rail-consumers').click();
  const rows = page.getByTestId('group-row');
  await expect(rows.first()).toBeVisible();
  const ids = await rows.evaluateAll((els) => els.map((e) => e.getAttribute('data-group')));
  await rows.first().focus();
  await page.keyboard.press('End');
  await expect(rows.last()).toBeFocused();
  await page.keyboard.press('Home');
  await expect(rows.first()).toBeFocused();
  if (ids.length > 1) await page.keyboard.press('ArrowDown');
  const chosen = ids[ids.length > 1 ? 1 : 0]!;
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('group-title')).toHaveText(chosen);

  const partitions = page.getByTestId('group-partition-row');
  await expect(partitions.first()).toBeVisible();
  await partitions.first().focus();
  await page.keyboard.press('End');
  await expect(partitions.last()).toBeFocused();
  await page.keyboard.press('Home');
  await expectFocusVisible(partitions.first());
  const [topic, partition] = (await partitions.first().getAttribute('data-partition'))!.split('/') as [string, string];
  const committed = (await partitions.first().getByTestId('partition-committed').textContent())!.replace(/[^\d]/g, '');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('messages-view').filter({ visible: true })).toBeVisible();
  const hash = decodeURIComponent(new URL(page.url()).hash);
  expect(hash).toContain(`#/c/sample/topics/${topic}/messages?`);
  expect(hash).toContain(`partition=${partition}`);
  expect(hash).toContain(committed === '' ? 'from=earliest' : `from=offset:${committed}`);
});

test('the rail: ↓/↑/Home/End move between its entries, Enter opens one', async ({ page, app }) => {
  await openSample(page, app.url);
  await page.getByTestId('rail-topics').focus();
  await page.keyboard.press('ArrowDown');
  await expectFocusVisible(page.getByTestId('rail-consumers'));
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('consumers-view')).toBeVisible();
  await page.getByTestId('rail-consumers').focus();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('rail-topics')).toBeFocused();
  await page.keyboard.press('End');
  await expect(page.getByTestId('open-settings')).toBeFocused();
  await page.keyboard.press('ArrowUp');
  await expect(page.getByTestId('open-projections')).toBeFocused();
  await page.keyboard.press('Home');
  await expect(page.getByTestId('open-palette')).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('palette')).toBeVisible();
});

test('brokers of a real cluster: the rows take the keys and show the focus', async ({ page, app, kafka }) => {
  await connect(page, app.url, kafka.bootstrap);
  await page.getByRole('button', { name: 'Brokers' }).click();
  const rows = page.getByTestId('broker-row');
  await expect(rows).not.toHaveCount(0);
  const count = await rows.count();
  await rows.first().focus();
  await page.keyboard.press('End');
  await expectFocusVisible(rows.nth(count - 1));
  await page.keyboard.press('Home');
  await expectFocusVisible(rows.first());
  await page.keyboard.press('ArrowDown');
  await expect(rows.nth(Math.min(1, count - 1))).toBeFocused();
});
