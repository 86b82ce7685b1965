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

    // A link to a group, opened in another tab of the same browser (the session's cookie).
    const other = await page.context().newPage();
    await other.goto(`${app.origin}/#/c/sample/groups/fraud-scoring`);
    await expect(other.getByTestId('group-detail')).toBeVisible();
    await expect(other.getByTestId('group-detail')).toContainText('fraud-scoring');
    await other.goto(`${app.origin}/#/c/sample/nowhere`);
    await expect(other.getByTestId('unknown-address')).toContainText('#/c/sample/nowhere');
    await other.close();
  });
});
