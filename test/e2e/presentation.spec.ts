// How things look to someone who knows kafka-ui / Redpanda Console: one time-zone choice for
// every timestamp, tombstones and null keys marked, a sample capture that does not look like
// an outage, no stale connection error, a toolbar on one line at 1440 px with readable buttons
// and a wide Value column beside the detail pane, and a tail that says "live" (with its rate)
// while records stream in and "caught-up" only once they stop.
import type { Locator } from '@playwright/test';
import kafkajs from 'kafkajs';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { uniqueName } from '../support/unique.ts';
import { expect, test } from './fixtures.ts';
import { connect, openMessages, openNewTopicMessages, readSample, startFrom, tailFromLatest } from './steps.ts';

const TIME = /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/;

/** "2026-11-28 13:29:17.045" read as a UTC time, in epoch ms. */
function asUtc(text: string): number {
  return Date.parse(`${text.replace(' ', 'T')}Z`);
}

/** WCAG contrast ratio of two CSS colours given as rgb()/rgba() (alpha ignored: the colours here are opaque). */
function contrast(a: string, b: string): number {
  const luminance = (css: string): number => {
    const [r, g, bl] = css
      .match(/[\d.]+/g)!
      .slice(0, 3)
      .map((x) => Number(x) / 255)
      .map((c) => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4)) as [number, number, number];
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [luminance(a), luminance(b)].sort((x, y) => y - x) as [number, number];
  return (hi + 0.05) / (lo + 0.05);
}

async function colours(button: Locator): Promise<{ color: string; background: string }> {
  return button.evaluate((el) => {
    const style = el.ownerDocument.defaultView!.getComputedStyle(el);
    return { color: style.color, background: style.backgroundColor };
  });
}

test.describe('one time zone for every timestamp', () => {
  // A zone with a half-hour offset and no summer time: local and UTC differ by exactly 5:30.
  test.use({ timezoneId: 'Asia/Kolkata' });

  test('the setting changes the list and the detail pane, and is kept', async ({ page, app }) => {
    await readSample(page, app.url, 'payments', { last: 1 });
    const row = page.getByTestId('message-row').first();
    const at = { partition: await row.getAttribute('data-partition'), offset: await row.getAttribute('data-offset') };
    await expect(page.getByTestId('time-header')).toHaveText('Time (local)');
    const localText = (await row.getByTestId('message-time').textContent())!;
    expect(localText).toMatch(TIME);
    await row.click();
    await expect(page.getByTestId('detail-timestamp')).toHaveText(`${localText} +05:30`);

    await page.getByTestId('open-settings').click();
    await expect(page.getByTestId('time-zone-local')).toBeChecked();
    await page.getByTestId('time-zone-utc').check();
    await expect(page.getByTestId('time-zone-saved')).toHaveText('Saved: timestamps are shown in UTC.');

    await page.goBack();
    await expect(page.getByTestId('messages-view')).toBeVisible();
    await startFrom(page, { last: 1 });
    const same = page.locator(
      `[data-testid=message-row][data-partition="${at.partition}"][data-offset="${at.offset}"]`,
    );
    await expect(page.getByTestId('time-header')).toHaveText('Time (UTC)');
    const utcText = (await same.getByTestId('message-time').textContent())!;
    expect(utcText).toMatch(TIME);
    // The same instant, 5 h 30 min earlier on the clock.
    expect(asUtc(localText) - asUtc(utcText)).toBe(5.5 * 3600 * 1000);
    await same.click();
    await expect(page.getByTestId('detail-timestamp')).toHaveText(`${utcText} UTC`);

    // Kept by the host: a new page load shows UTC at once.
    await page.reload();
    await page.getByTestId('open-settings').click();
    await expect(page.getByTestId('time-zone-utc')).toBeChecked();
  });
});

test('a tombstone in the sample capture shows as a tombstone, in the list and the detail pane', async ({
  page,
  app,
}) => {
  await readSample(page, app.url, 'orders', 'earliest');
  await page.getByTestId('filter-text').fill('ord_100007');
  const tombstone = page.locator('[data-testid=message-row]:has([data-tombstone=true])');
  await expect(tombstone).toHaveCount(1);
  await expect(tombstone.getByTestId('message-value')).toHaveText('tombstone');
  await expect(tombstone.getByTestId('message-key')).toHaveText('ord_100007');
  // Other records of the key have their values, not the word "null".
  await expect(page.getByTestId('message-value').filter({ hasText: /^null$/ })).toHaveCount(0);
  await tombstone.click();
  await expect(page.getByTestId('detail-value-tombstone')).toHaveText('tombstone');
  await expect(page.getByTestId('detail-value-null')).toContainText('in a compacted topic this record deletes its key');
});

test('the sample capture does not look like an outage: "—" for what it cannot know, nothing red', async ({
  page,
  app,
}) => {
  await page.goto(app.url);
  await page.getByTestId('open-sample').click();
  await expect(page.getByTestId('topic-row')).not.toHaveCount(0);
  for (const rf of await page.getByTestId('topic-rf').allTextContents()) expect(rf).toBe('—');
  for (const health of await page.getByTestId('topic-health').allTextContents()) expect(health).toBe('—');
  await expect(page.locator('.badge-bad, .badge-warn, .row-warn, .notice-error')).toHaveCount(0);

  await page.locator('[data-testid=topic-row][data-topic=orders]').click();
  await expect(page.getByTestId('partition-row')).not.toHaveCount(0);
  for (const leader of await page.getByTestId('partition-leader').allTextContents()) expect(leader).toBe('—');
  for (const isr of await page.getByTestId('partition-isr').allTextContents()) expect(isr).toBe('—');
  // (The consumer groups below keep their lag statuses: those the capture does know.)
  await expect(page.getByTestId('partition-table').locator('.badge-bad, .badge-warn, .row-warn')).toHaveCount(0);
  await expect(page.locator('.notice-error')).toHaveCount(0);

  await page.goto(new URL('#/c/sample/brokers', page.url()).href);
  await expect(page.getByTestId('brokers-view')).toBeVisible();
  await expect(page.getByTestId('capture-no-brokers')).toBeVisible();
  await expect(page.locator('.badge-bad, .notice-error')).toHaveCount(0);
});

test('a "Connection refused" error goes once the address changes', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByTestId('connection-bootstrap').fill('127.0.0.1:1');
  await page.getByTestId('test-connection').click();
  await expect(page.getByTestId('error')).toContainText('Connection refused by 127.0.0.1:1');
  // Renaming is not a new address: the error still stands.
  await page.getByTestId('connection-name').fill('Renamed');
  await expect(page.getByTestId('error')).toBeVisible();
  await page.getByTestId('connection-bootstrap').fill('127.0.0.1:2');
  await expect(page.getByTestId('error')).toHaveCount(0);
});

test.describe('at 1440 px wide', () => {
  test.use({ viewport: { width: 1440, height: 900 } });

  test('the toolbar stays on one line, buttons stay readable, and the Value column stays wide beside the detail pane', async ({
    page,
    app,
    kafka,
  }) => {
    const topic = uniqueName('presentation-wide');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 3 });
    const long = (i: number): string =>
      JSON.stringify({
        type: 'OrderPlaced',
        orderId: `ord_${i}`,
        customer: { id: `cus_${i}`, email: `someone-${i}@example.com` },
        items: [
          { sku: 'SKU-1', qty: 2 },
          { sku: 'SKU-2', qty: 1 },
        ],
      });
    produceWithKcat(
      kafka.bootstrap,
      topic,
      Array.from({ length: 20 }, (_, i) => long(i)),
      { partition: 1 },
    );
    await connect(page, app.url, kafka.bootstrap);
    await openMessages(page, topic);
    // The widest toolbar: a start time typed, the tail running (Restart, Pause, its phase).
    await page.getByTestId('from-kind').selectOption('timestamp');
    await page.getByTestId('from-value').fill('2020-01-01 00:00:00');
    await page.getByTestId('start-tail').click();
    await expect(page.getByTestId('tail-phase')).toHaveText('caught-up');
    await expect(page.getByTestId('start-tail')).toHaveText('Restart');
    await expect(page.getByTestId('pause-tail')).toBeVisible();
    await expect(page.getByTestId('row-count')).toHaveText('20 shown · 20 received');
    for (const bar of [page.getByTestId('messages-toolbar'), page.getByTestId('messages-filterbar')]) {
      const middles = await bar.evaluate((el) =>
        [...el.children].map((c) => c.getBoundingClientRect()).map((r) => Math.round(r.top + r.height / 2)),
      );
      expect(
        Math.max(...middles) - Math.min(...middles),
        `toolbar items centred at ${middles.join(', ')} px`,
      ).toBeLessThanOrEqual(4);
      const { scrollWidth, clientWidth } = await bar.evaluate((el) => ({
        scrollWidth: el.scrollWidth,
        clientWidth: el.clientWidth,
      }));
      expect(scrollWidth).toBeLessThanOrEqual(clientWidth);
    }

    // "Restart" right after "Start" (the pointer still on it) is readable, as at rest (it was white on pale blue).
    const restart = page.getByTestId('start-tail');
    await restart.hover();
    const hovered = await colours(restart);
    expect(contrast(hovered.color, hovered.background)).toBeGreaterThanOrEqual(4.5);
    await page.mouse.move(0, 0);
    const rest = await colours(restart);
    expect(contrast(rest.color, rest.background)).toBeGreaterThanOrEqual(4.5);
    // A disabled button is muted but still readable.
    const search = page.getByTestId('search-log');
    await expect(search).toBeDisabled();
    const disabled = await colours(search);
    expect(contrast(disabled.color, disabled.background)).toBeGreaterThanOrEqual(4.5);

    // The detail pane open: the Value column keeps a useful width and shows a useful part of the value.
    await page.getByTestId('message-row').first().click();
    await expect(page.getByTestId('record-detail')).toBeVisible();
    const valueWidth = await page
      .locator('.vgrid-head.messages-grid > :nth-child(5)')
      .evaluate((el) => el.getBoundingClientRect().width);
    expect(valueWidth).toBeGreaterThanOrEqual(250);
    const shown = await page
      .getByTestId('message-value')
      .first()
      .evaluate((el) => el.getBoundingClientRect().width);
    expect(shown).toBeGreaterThanOrEqual(250);
  });
});

test('while records stream in the tail says live with its rate, and caught-up once they stop', async ({
  page,
  app,
  kafka,
}) => {
  const topic = await openNewTopicMessages(page, app.url, kafka.bootstrap, 'presentation-live', { partitions: 3 });
  await tailFromLatest(page);
  // Nothing there yet: caught up after a quiet moment.
  await expect(page.getByTestId('tail-phase')).toHaveText('caught-up');

  const producer = new kafkajs.Kafka({ brokers: [kafka.bootstrap], logLevel: kafkajs.logLevel.NOTHING }).producer({
    createPartitioner: kafkajs.Partitioners.DefaultPartitioner,
  });
  await producer.connect();
  const seen: { phase: string; banner: string }[] = [];
  let produced = 0;
  try {
    // ~1,000 records/s for 5 s: 50 every 50 ms, one with no key and no value (a tombstone without a key) first.
    await producer.send({ topic, messages: [{ partition: 0, key: null, value: null }] });
    produced++;
    const startedAt = Date.now();
    for (let tick = 0; tick < 100; tick++) {
      await producer.send({
        topic,
        messages: Array.from({ length: 50 }, (_, i) => ({
          partition: (produced + i) % 3,
          key: `k-${produced + i}`,
          value: `v-${produced + i}`,
        })),
      });
      produced += 50;
      if (tick >= 20 && tick % 5 === 0) {
        seen.push({
          phase: (await page.getByTestId('tail-phase').textContent())!,
          banner: (await page.getByTestId('tail-message').textContent())!,
        });
      }
      await page.waitForTimeout(Math.max(0, startedAt + (tick + 1) * 50 - Date.now()));
    }
  } finally {
    await producer.disconnect();
  }
  // Streaming: live, with the rate, never caught-up.
  expect(seen.length).toBeGreaterThan(10);
  for (const s of seen) {
    expect(s.phase).toBe('live');
    expect(s.banner).toMatch(/^Live: new records are arriving · [\d,]+ records\/s$/);
  }
  const rates = seen.map((s) => Number(/· ([\d,]+) records\/s/.exec(s.banner)![1]!.replace(/,/g, '')));
  expect(Math.max(...rates)).toBeGreaterThan(400);

  // Stopped: everything read, then caught up.
  await expect(page.getByTestId('row-count')).toHaveText(new RegExp(`· ${produced.toLocaleString('en-US')} received`), {
    timeout: 20_000,
  });
  await expect(page.getByTestId('tail-phase')).toHaveText('caught-up');
  await expect(page.getByTestId('tail-message')).toHaveText(
    'Caught up: every partition is read to its end offset, and no new record for 1 s.',
  );

  // The record with neither key nor value: "no key" and a tombstone badge, not "null".
  const nullKey = page.locator('[data-testid=message-row][data-partition="0"][data-offset="0"]');
  await page.getByTestId('message-list').evaluate((el) => (el.scrollTop = 0));
  await expect(nullKey.getByTestId('message-key')).toHaveText('no key');
  await expect(nullKey.getByTestId('message-key')).toHaveAttribute('data-null', 'true');
  await expect(nullKey.getByTestId('message-value')).toHaveText('tombstone');
  await nullKey.click();
  await expect(page.getByTestId('detail-key-null')).toContainText('no key');
  await expect(page.getByTestId('detail-value-tombstone')).toBeVisible();
});
