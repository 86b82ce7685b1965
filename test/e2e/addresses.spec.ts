// Places have addresses: every view is in the URL, Back and Forward move between views, a
// reload stays, and an address opened directly (a bookmark, a shared link) shows its view.
// With the sample capture: no cluster needed.
import { expect, test } from './fixtures.ts';

test.describe('addresses', () => {
  test('every view has a URL; Back, Forward and reload keep to it; a link opens its view', async ({ page, app }) => {
    await page.goto(app.url);
    await page.getByTestId('open-sample').click();
    await expect(page.getByTestId('topics-view')).toBeVisible();
    await expect(page).toHaveURL(/#\/c\/sample\/topics$/);

    await page.locator('[data-testid=topic-row][data-topic="orders"]').click();
    await expect(page.getByTestId('topic-detail')).toBeVisible();
    await expect(page).toHaveURL(/#\/c\/sample\/topics\/orders$/);
    await page.getByTestId('open-messages').click();
    await expect(page.getByTestId('messages-view')).toBeVisible();
    await expect(page).toHaveURL(/#\/c\/sample\/topics\/orders\/messages$/);
    await page.getByTestId('rail-consumers').click();
    await expect(page.getByTestId('consumers-view')).toBeVisible();
    await expect(page).toHaveURL(/#\/c\/sample\/groups$/);

    await page.goBack();
    await expect(page.getByTestId('messages-view')).toBeVisible();
    await page.goBack();
    await expect(page.getByTestId('topic-detail')).toBeVisible();
    await expect(page.getByTestId('topic-title')).toHaveText('orders');
    await page.goBack();
    await expect(page.getByTestId('topics-view')).toBeVisible();
    await page.goForward();
    await expect(page.getByTestId('topic-detail')).toBeVisible();

    await page.reload();
    await expect(page.getByTestId('topic-detail')).toBeVisible();
    await expect(page.getByTestId('topic-title')).toHaveText('orders');

    await page.context().grantPermissions(['clipboard-read', 'clipboard-write'], { origin: app.origin });
    await page.getByTestId('copy-link').click();
    await expect(page.getByTestId('copy-link-done')).toHaveText('Link copied');
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(`${app.origin}/#/c/sample/topics/orders`);

    // Open in new window: in a browser, a tab on the same view.
    const [opened] = await Promise.all([
      page.context().waitForEvent('page'),
      page.getByTestId('open-new-window').click(),
    ]);
    await expect(opened.getByTestId('topic-detail')).toBeVisible();
    await expect(opened.getByTestId('topic-title')).toHaveText('orders');
    await opened.close();

    // A link to a group, opened in another tab of the same browser (the session's cookie).
    const other = await page.context().newPage();
    await other.goto(`${app.origin}/#/c/sample/groups/fraud-scoring`);
    await expect(other.getByTestId('group-detail')).toBeVisible();
    await expect(other.getByTestId('group-detail')).toContainText('fraud-scoring');
    await other.goto(`${app.origin}/#/c/sample/nowhere`);
    await expect(other.getByTestId('unknown-address')).toContainText('#/c/sample/nowhere');
    await other.close();
  });

  test('a messages address carries its start and filter; Back and Forward move between tabs and views', async ({
    page,
    app,
  }) => {
    await page.goto(app.url);
    await page.getByTestId('open-sample').click();
    await page.locator('[data-testid=topic-row][data-topic="orders"]').click();
    await page.getByTestId('open-messages').click();
    const orders = page.locator('[data-testid=messages-view][data-topic="orders"]');
    await orders.getByTestId('from-kind').selectOption('earliest');
    await orders.getByTestId('start-tail').click();
    await orders.getByTestId('filter-text').fill('OrderPaid');
    await expect(page).toHaveURL(/#\/c\/sample\/topics\/orders\/messages\?from=earliest&filter=contains%3AOrderPaid$/);

    await page.getByTestId('rail-topics').click();
    await page.locator('[data-testid=topic-row][data-topic="payments"]').click();
    await page.getByTestId('open-messages').click();
    const payments = page.locator('[data-testid=messages-view][data-topic="payments"]');
    await expect(payments).toBeVisible();
    await expect(page).toHaveURL(/#\/c\/sample\/topics\/payments\/messages$/);
    await expect(page.getByTestId('message-tab')).toHaveCount(2);

    await page.goBack();
    await expect(page.getByTestId('topic-detail')).toBeVisible();
    await page.goBack();
    await expect(page.getByTestId('topics-view')).toBeVisible();
    await page.goBack();
    await expect(orders).toBeVisible();
    await expect(orders.getByTestId('filter-text')).toHaveValue('OrderPaid');
    await expect(page).toHaveURL(/\/orders\/messages\?from=earliest&filter=contains%3AOrderPaid$/);
    await page.goForward();
    await page.goForward();
    await page.goForward();
    await expect(payments).toBeVisible();
    await expect(orders).toBeHidden();

    // The orders tab's address opens the same tail, filtered, in another page.
    const other = await page.context().newPage();
    await other.goto(`${app.origin}/#/c/sample/topics/orders/messages?from=earliest&filter=contains%3AOrderPaid`);
    await expect(other.getByTestId('tail-phase')).toHaveText('done');
    await expect(other.getByTestId('filter-text')).toHaveValue('OrderPaid');
    for (const value of await other.getByTestId('message-value').allTextContents())
      expect(value).toContain('OrderPaid');
    await other.close();
  });
});
