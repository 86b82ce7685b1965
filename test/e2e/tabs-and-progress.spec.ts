// Work is not thrown away and long work shows progress: open message views live in tabs that
// keep their tails, rows, scroll position and filter while other views show; a read shows how
// far it is toward the end offsets seen at its start; past the 50,000-row window the list says
// older rows are in the replay log and loads them; a messages address carries its start
// position and filter.
import type { Locator, Page } from '@playwright/test';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { uniqueName } from '../support/unique.ts';
import { expect, test } from './fixtures.ts';
import { connect } from './steps.ts';

/** The view of a topic's tab (every open tab's view is mounted; only the shown one is visible). */
function messagesOf(page: Page, topic: string): Locator {
  return page.locator(`[data-testid=messages-view][data-topic="${topic}"]`);
}

async function openTopicMessages(page: Page, connectionId: string, topic: string): Promise<Locator> {
  await page.getByTestId('rail-topics').click();
  await page.getByTestId('topic-filter').fill(topic);
  await page.locator(`[data-testid=topic-row][data-topic="${topic}"]`).click();
  await page.getByTestId('open-messages').click();
  const view = messagesOf(page, topic);
  await expect(view).toBeVisible();
  await expect(page).toHaveURL(new RegExp(`#/c/${connectionId}/topics/${topic}/messages`));
  return view;
}

async function startFromEarliest(view: Locator): Promise<void> {
  await view.getByTestId('from-kind').selectOption('earliest');
  await view.getByTestId('start-tail').click();
}

function shown(text: string | null): number {
  return Number(/^([\d,]+) shown/.exec(text ?? '')![1]!.replace(/,/g, ''));
}

test('tabs keep each tail’s rows, count and scroll position across views; closing a tab ends it', async ({
  page,
  app,
}) => {
  await page.goto(app.url);
  await page.getByTestId('open-sample').click();
  await expect(page.getByTestId('topics-view')).toBeVisible();

  const orders = await openTopicMessages(page, 'sample', 'orders');
  await startFromEarliest(orders);
  await expect(orders.getByTestId('tail-phase')).toHaveText('done');
  await expect(orders.getByTestId('tail-progress-percent')).toHaveText('100 %');
  const ordersCount = await orders.getByTestId('row-count').textContent();
  expect(shown(ordersCount)).toBeGreaterThan(100);
  const list = orders.getByTestId('message-list');
  await list.evaluate((el) => (el.scrollTop = 1_300));
  await list.dispatchEvent('scroll');
  await orders.getByTestId('message-row').filter({ visible: true }).nth(3).click();
  await expect(orders.getByTestId('record-detail')).toBeVisible();
  const scrollTop = await list.evaluate((el) => el.scrollTop);
  expect(scrollTop).toBeGreaterThan(300);
  const selectedOffset = await orders.locator('[data-testid=message-row].selected').getAttribute('data-offset');

  const payments = await openTopicMessages(page, 'sample', 'payments');
  await expect(orders).toBeHidden();
  await startFromEarliest(payments);
  await expect(payments.getByTestId('tail-phase')).toHaveText('done');
  await payments.getByTestId('filter-text').fill('PaymentFailed');
  const paymentsCount = await payments.getByTestId('row-count').textContent();
  await expect(page.getByTestId('message-tab')).toHaveCount(2);

  await page.getByTestId('rail-consumers').click();
  await expect(page.getByTestId('consumers-view')).toBeVisible();
  await expect(orders).toBeHidden();
  await expect(payments).toBeHidden();

  await page.locator('[data-testid=message-tab][data-topic="orders"] [data-testid=message-tab-open]').click();
  await expect(orders).toBeVisible();
  await expect(page).toHaveURL(/#\/c\/sample\/topics\/orders\/messages\?from=earliest$/);
  await expect(orders.getByTestId('row-count')).toHaveText(ordersCount!);
  await expect(orders.getByTestId('tail-phase')).toHaveText('done');
  expect(await list.evaluate((el) => el.scrollTop)).toBe(scrollTop);
  await expect(orders.locator('[data-testid=message-row].selected')).toHaveAttribute('data-offset', selectedOffset!);
  await expect(orders.getByTestId('record-detail')).toBeVisible();

  await page.locator('[data-testid=message-tab][data-topic="payments"] [data-testid=message-tab-open]').click();
  await expect(payments).toBeVisible();
  await expect(page).toHaveURL(
    /#\/c\/sample\/topics\/payments\/messages\?from=earliest&filter=contains%3APaymentFailed$/,
  );
  await expect(payments.getByTestId('filter-text')).toHaveValue('PaymentFailed');
  await expect(payments.getByTestId('row-count')).toHaveText(paymentsCount!);

  // Closing the shown tab stops its tail and shows the other tab.
  await page.locator('[data-testid=message-tab][data-topic="payments"] [data-testid=message-tab-close]').click();
  await expect(page.getByTestId('message-tab')).toHaveCount(1);
  await expect(payments).toHaveCount(0);
  await expect(orders).toBeVisible();
  await page.locator('[data-testid=message-tab][data-topic="orders"] [data-testid=message-tab-close]').click();
  await expect(page.getByTestId('message-tabs')).toHaveCount(0);
  await expect(orders).toHaveCount(0);
  await expect(page.getByTestId('topic-detail')).toBeVisible();
});

test('a long read shows progress to 100 %; past the window, older rows are in the replay log and load', async ({
  page,
  app,
  kafka,
}) => {
  test.setTimeout(180_000);
  const topic = uniqueName('progress');
  const total = 120_000;
  createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
  const lines = Array.from({ length: total / 2 }, (_, i) => `r${i}`);
  produceWithKcat(kafka.bootstrap, topic, lines, { partition: 0 });
  produceWithKcat(kafka.bootstrap, topic, lines, { partition: 1 });

  await connect(page, app.url, kafka.bootstrap);
  await page.getByTestId('topic-filter').fill(topic);
  await page.locator(`[data-testid=topic-row][data-topic="${topic}"]`).click();
  await page.getByTestId('open-messages').click();
  const view = messagesOf(page, topic);
  // Every percentage the progress line shows on the way, watched in the page.
  // (A script as text: this file is type-checked without the DOM's types.)
  await page.evaluate(`(() => {
    const seen = (window.seenPercents = []);
    new MutationObserver(() => {
      const p = document.querySelector('[data-testid=tail-progress]')?.getAttribute('data-percent');
      if (p && seen[seen.length - 1] !== p) seen.push(p);
    }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['data-percent'] });
  })()`);
  await startFromEarliest(view);

  const progress = view.getByTestId('tail-progress');
  await expect(progress).toBeVisible();
  await expect(progress).toContainText(/records · .*of 120,000 offsets/);
  await expect(view.getByTestId('tail-progress-percent')).toHaveText('100 %', { timeout: 120_000 });
  await expect(progress).toContainText('120,000 records');
  const percents = ((await page.evaluate('window.seenPercents')) as string[]).map(Number);
  expect(percents.some((p) => p < 100)).toBe(true);
  expect(percents.at(-1)).toBe(100);
  await expect(view.getByTestId('tail-phase')).toHaveText('caught-up', { timeout: 30_000 });

  await expect(view.getByTestId('row-count')).toHaveText(/^50,000 shown · 120,000 received/);
  const older = view.getByTestId('older-in-log');
  await expect(older).toContainText('70,000 older rows are in the replay log');
  await view.getByTestId('load-older').click();
  await expect(older).toContainText('68,000 older rows are in the replay log');
  // The window is full: the newest rows made room, and the list offers the way back.
  await expect(view.getByTestId('jump-latest')).toBeVisible();
  // The list kept the rows in view in place, so the newest of the page are drawn just above
  // them (rows 1..2,000 of the grid are the page). How the window split over the two partitions
  // depends on how the fetches interleaved, so compare within each partition: every page row is
  // older than every row of its partition that was shown before.
  const drawn = await view.getByTestId('message-row').evaluateAll((rows) =>
    rows.map((r) => ({
      index: Number(r.getAttribute('aria-rowindex')),
      partition: Number(r.getAttribute('data-partition')),
      offset: Number(r.getAttribute('data-offset')),
    })),
  );
  const paged = drawn.filter((r) => r.index <= 2_000);
  const before = drawn.filter((r) => r.index > 2_000);
  expect(paged.length).toBeGreaterThan(0);
  expect(before.length).toBeGreaterThan(0);
  for (const row of paged) {
    const laterOfItsPartition = before.filter((r) => r.partition === row.partition).map((r) => r.offset);
    expect(row.offset).toBeLessThan(Math.min(60_000, ...laterOfItsPartition));
  }
});

test('a messages address with a start position and a filter opens the tail there, filtered', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByTestId('open-sample').click();
  await expect(page.getByTestId('topics-view')).toBeVisible();
  await page.goto(
    `${app.origin}/#/c/sample/topics/payments/messages?from=earliest&filter=jsonPath%3A%24.type&equals=PaymentFailed`,
  );
  const view = messagesOf(page, 'payments');
  await expect(view).toBeVisible();
  await expect(view.getByTestId('from-kind')).toHaveValue('earliest');
  await expect(view.getByTestId('filter-kind')).toHaveValue('jsonPath');
  await expect(view.getByTestId('filter-text')).toHaveValue('$.type');
  await expect(view.getByTestId('filter-equals')).toHaveValue('PaymentFailed');
  await expect(view.getByTestId('tail-phase')).toHaveText('done');
  const values = await view.getByTestId('message-value').allTextContents();
  expect(values.length).toBeGreaterThan(5);
  for (const value of values) expect(value).toContain('PaymentFailed');
  expect(shown(await view.getByTestId('row-count').textContent())).toBeLessThan(200);

  // The last N, from another address: the value comes with it.
  await page.goto(`${app.origin}/#/c/sample/topics/orders/messages?from=last%3A5&filter=contains%3AOrder`);
  const orders = messagesOf(page, 'orders');
  await expect(orders).toBeVisible();
  await expect(orders.getByTestId('from-kind')).toHaveValue('last');
  await expect(orders.getByTestId('from-value')).toHaveValue('5');
  await expect(orders.getByTestId('tail-phase')).toHaveText(/done|caught-up|live/);
  await expect(page).toHaveURL(/\/messages\?from=last%3A5&filter=contains%3AOrder$/);
});
