// The command palette (Ctrl/Cmd-K): opened from the keyboard anywhere, a fuzzy filter over
// views, actions, connections, the shown connection's topics and groups; ↑/↓/Enter/Esc; the
// focus stays in it and goes back where it was. On the sample capture (no cluster needed).
import type { Page } from '@playwright/test';
import { expect, test } from './fixtures.ts';

async function openSample(page: Page, url: string): Promise<void> {
  await page.goto(url);
  await page.getByTestId('open-sample').click();
  await expect(page.getByTestId('topic-row').first()).toBeVisible();
}

test('Ctrl-K opens the palette from a text field; typing and Enter jump to a topic', async ({ page, app }) => {
  await openSample(page, app.url);
  await page.getByTestId('topic-filter').focus();
  await page.keyboard.press('Control+k');
  const palette = page.getByRole('dialog', { name: 'Command palette' });
  await expect(palette).toBeVisible();
  await expect(page.getByTestId('palette-input')).toBeFocused();
  // The shortcut did not type into the field it was pressed in.
  await expect(page.getByTestId('topic-filter')).toHaveValue('');

  await page.keyboard.type('paymnts');
  await expect(page.getByTestId('palette-item').first()).toHaveAttribute('data-item', 'topic:payments');
  await expect(page.getByTestId('palette-item').first()).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(palette).toHaveCount(0);
  await expect(page.getByTestId('topic-title')).toHaveText('payments');
  expect(new URL(page.url()).hash).toBe('#/c/sample/topics/payments');
});

test('jumps to Settings with ↓/↑ among the matches, and Esc closes it and gives the focus back', async ({
  page,
  app,
}) => {
  await openSample(page, app.url);
  const opener = page.getByTestId('rail-consumers');
  await opener.focus();
  await page.keyboard.press('Control+k');
  await expect(page.getByTestId('palette')).toBeVisible();
  // Tab does not leave the dialog.
  await page.keyboard.press('Tab');
  await expect(page.getByTestId('palette-input')).toBeFocused();
  await page.keyboard.press('Shift+Tab');
  await expect(page.getByTestId('palette-input')).toBeFocused();

  await page.keyboard.press('Escape');
  await expect(page.getByTestId('palette')).toHaveCount(0);
  await expect(opener).toBeFocused();
  await expect(page.getByTestId('topics-view')).toBeVisible();

  await page.keyboard.press('Control+k');
  // Nothing typed: every item, views first.
  const items = page.getByTestId('palette-item');
  await expect(items.first()).toHaveAttribute('aria-selected', 'true');
  const settingsIndex = (await items.evaluateAll((els) => els.map((e) => e.getAttribute('data-item')))).indexOf(
    'view:settings',
  );
  expect(settingsIndex, "Settings is among the views, after the connection's own").toBeGreaterThan(0);
  // Down past Settings, then back up to it: the selection follows the arrows.
  for (let i = 0; i <= settingsIndex; i++) await page.keyboard.press('ArrowDown');
  await page.keyboard.press('ArrowUp');
  await expect(items.nth(settingsIndex)).toHaveAttribute('aria-selected', 'true');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('settings-view')).toBeVisible();
  expect(new URL(page.url()).hash).toBe('#/settings');
});

test('offers the groups of the connection shown before its group list was opened, and says when nothing matches', async ({
  page,
  app,
}) => {
  await openSample(page, app.url);
  await page.keyboard.press('Control+k');
  await page.keyboard.type('fraud-sc');
  await expect(page.getByTestId('palette-item').first()).toHaveAttribute('data-item', 'group:fraud-scoring');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('group-title')).toHaveText('fraud-scoring');

  await page.keyboard.press('Control+k');
  await page.keyboard.type('zzqqxx');
  await expect(page.getByTestId('palette-item')).toHaveCount(0);
  await expect(page.getByTestId('palette-empty')).toHaveText('Nothing matches “zzqqxx”.');
  // Enter on no match does nothing; Esc still closes.
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('group-detail')).toBeVisible();
  await page.keyboard.press('Escape');
  await expect(page.getByTestId('palette')).toHaveCount(0);
});

test('works on the first-start screen (no rail): a new connection, and opening a capture file that is not there', async ({
  page,
  app,
}) => {
  await page.goto(app.url);
  await expect(page.getByTestId('welcome')).toBeVisible();
  await page.keyboard.press('Control+k');
  await page.keyboard.type('open capt');
  await page.keyboard.press('Enter');
  const path = page.getByRole('textbox', { name: 'Capture file path' });
  await expect(path).toBeFocused();
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('palette-error')).toHaveText(
    'Type the path of a capture file (.eventscope) on the host.',
  );
  await path.fill('/no/such/file.eventscope');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('palette-error')).toContainText('No capture file at /no/such/file.eventscope');
  // Esc goes back to the search, a second Esc closes.
  await page.keyboard.press('Escape');
  await expect(page.getByRole('combobox', { name: 'Go to' })).toBeFocused();
  await page.keyboard.type('new conn');
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('palette')).toHaveCount(0);
  expect(new URL(page.url()).hash).toBe('#/connections/new');
  await expect(page.getByTestId('connection-name')).toBeVisible();
});

test('⌘K (Meta) opens and closes it too', async ({ page, app }) => {
  await openSample(page, app.url);
  await page.keyboard.press('Meta+k');
  await expect(page.getByTestId('palette')).toBeVisible();
  await page.keyboard.press('Meta+k');
  await expect(page.getByTestId('palette')).toHaveCount(0);
});
