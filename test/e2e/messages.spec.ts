// The message browser as a user drives it: the sample capture with no cluster, a live tail
// on the real broker with pause/resume (resuming every partition exactly where it stopped,
// on the broker and on the sample capture), a 10 MB value, producing after a confirmation.
import type { Page } from '@playwright/test';
import { createTopicWithKafkaTool, deleteRecordsWithKafkaTool } from '../harness/kafka-tools.ts';
import { produceNumberedWithKcat, produceValueWithKcat, produceWithKcat } from '../harness/kcat.ts';
import { uniqueName } from '../support/unique.ts';
import { expect, test } from './fixtures.ts';
import { connect, openMessages, openNewTopicMessages, readSample, tailFromLatest } from './steps.ts';

/** The "N shown" count above the list. */
async function shownCount(page: Page): Promise<number> {
  return Number(
    /^([\d,]+) shown/.exec((await page.getByTestId('row-count').textContent()) ?? '')![1]!.replace(/,/g, ''),
  );
}

test('the sample capture: browse, filter, search the log, open a record — no cluster needed', async ({ page, app }) => {
  await readSample(page, app.url, 'payments', 'earliest');
  const received = await page.getByTestId('row-count').textContent();
  expect(Number(/([\d,]+) received/.exec(received ?? '')![1]!.replace(/,/g, ''))).toBeGreaterThan(1000);

  await page.getByTestId('filter-kind').selectOption('jsonPath');
  await page.getByTestId('filter-text').fill('$.type');
  await page.getByTestId('filter-equals').fill('PaymentFailed');
  await expect(page.getByTestId('message-row').first()).toContainText('PaymentFailed');
  const shown = await shownCount(page);
  expect(shown).toBeGreaterThan(10);
  expect(shown).toBeLessThan(200);

  await page.getByTestId('search-log').click();
  await expect(page.getByTestId('search-done')).toContainText(`${shown} matches`);
  await page.getByTestId('clear-search').click();

  await page.getByTestId('filter-kind').selectOption('regex');
  await page.getByTestId('filter-text').fill('(unclosed');
  await expect(page.getByTestId('filter-error')).toContainText('Not a valid regular expression');
  await page.getByTestId('filter-text').fill('');

  await page.getByTestId('message-row').last().click();
  await expect(page.getByTestId('record-detail')).toBeVisible();
  await expect(page.getByTestId('detail-value-json')).toContainText('"type"');
  await page.getByTestId('detail-value-mode-hex').click();
  await expect(page.getByTestId('detail-value-hex')).toContainText('00000000  7b 22 74 79 70 65 22');
  await expect(page.getByTestId('detail-header').first()).toContainText('event-type');
});

test('a live tail shows new records, pauses, and resumes without losing or repeating any', async ({
  page,
  app,
  kafka,
}) => {
  const topic = await openNewTopicMessages(page, app.url, kafka.bootstrap, 'live', { partitions: 2 });
  await expect(page.getByTestId('produce')).toBeDisabled();
  await tailFromLatest(page);
  await expect(page.getByTestId('tail-phase')).toHaveText(/live|caught-up/);
  produceWithKcat(kafka.bootstrap, topic, ['a1', 'a2', 'a3'], { partition: 0 });
  await expect(page.getByTestId('message-row')).toHaveCount(3);
  await page.getByTestId('pause-tail').click();
  await expect(page.getByTestId('tail-phase')).toHaveText('paused');
  produceWithKcat(kafka.bootstrap, topic, ['b1', 'b2'], { partition: 1 });
  produceWithKcat(kafka.bootstrap, topic, ['a4'], { partition: 0 });
  // About time passing: a paused tail shows nothing new, which only a wait can show.
  await page.waitForTimeout(1_000);
  await expect(page.getByTestId('message-row')).toHaveCount(3);
  await page.getByTestId('resume-tail').click();
  await expect(page.getByTestId('message-row')).toHaveCount(6);
  const values = await page.getByTestId('message-value').allTextContents();
  expect(values.sort()).toEqual(['a1', 'a2', 'a3', 'a4', 'b1', 'b2']);
});

test('a 10 MB value: the list shows its size, the detail pane loads it lazily and in part', async ({
  page,
  app,
  kafka,
}) => {
  const topic = uniqueName('huge');
  createTopicWithKafkaTool(kafka.bootstrap, topic, {
    partitions: 1,
    configs: { 'max.message.bytes': String(11 * 1024 * 1024) },
  });
  produceValueWithKcat(kafka.bootstrap, topic, 'x'.repeat(10 * 1024 * 1024), {
    partition: 0,
    properties: { 'message.max.bytes': '12000000' },
  });
  produceWithKcat(kafka.bootstrap, topic, ['small'], { partition: 0 });
  await connect(page, app.url, kafka.bootstrap);
  await openMessages(page, topic);
  await page.getByTestId('from-kind').selectOption('earliest');
  await page.getByTestId('start-tail').click();
  await expect(page.getByTestId('message-row')).toHaveCount(2);
  await expect(page.getByTestId('message-row').first()).toContainText('10 MB');
  await page.getByTestId('message-row').first().click();
  await expect(page.getByTestId('record-detail')).toContainText('Showing the first 256 KB');
  // Still usable while the big record is open.
  await page.getByTestId('message-row').last().click();
  await expect(page.getByTestId('detail-value-text')).toHaveText('small');
});

test('producing is off on a read-only connection and asks for confirmation on a writable one', async ({
  page,
  app,
  kafka,
}) => {
  const topic = await openNewTopicMessages(page, app.url, kafka.bootstrap, 'write', { partitions: 1, writable: true });
  await tailFromLatest(page);
  await page.getByTestId('produce').click();
  await page.getByTestId('produce-key').fill('order-1');
  await page.getByTestId('produce-value').fill('{"type":"OrderPlaced"}');
  await page.getByTestId('produce-headers').fill('source: eventscope-e2e');
  let asked = '';
  page.once('dialog', (dialog) => {
    asked = dialog.message();
    void dialog.accept();
  });
  await page.getByTestId('produce-send').click();
  await expect(page.getByTestId('produce-result')).toContainText('partition 0 at offset 0');
  expect(asked).toContain(`Write this record to "${topic}"`);
  await expect(page.getByTestId('message-row')).toHaveCount(1);
  await expect(page.getByTestId('message-value')).toHaveText('{"type":"OrderPlaced"}');
});

test('a JavaScript filter runs in a worker; one that never returns is stopped with a clear message', async ({
  page,
  app,
}) => {
  await readSample(page, app.url, 'payments', 'earliest');
  const unfiltered = await shownCount(page);
  await page.getByTestId('filter-kind').selectOption('jsonPath');
  await page.getByTestId('filter-text').fill('$.type');
  await page.getByTestId('filter-equals').fill('PaymentFailed');
  // Read the count only once the filter has been applied.
  await expect(page.getByTestId('row-count')).not.toHaveText(
    new RegExp(`^${unfiltered.toLocaleString('en-US')} shown`),
  );
  const byPath = await page.getByTestId('row-count').textContent();

  await page.getByTestId('filter-kind').selectOption('javascript');
  await page
    .getByTestId('filter-text')
    .fill('value.type === "PaymentFailed" && headers["event-type"] === "PaymentFailed"');
  await expect(page.getByTestId('filter-pending')).toHaveCount(0);
  await expect(page.getByTestId('row-count')).toHaveText(byPath!);
  await expect(page.getByTestId('message-row').first()).toContainText('PaymentFailed');

  await page.getByTestId('filter-text').fill('(() => { for (;;) {} })()');
  await expect(page.getByTestId('filter-error')).toContainText('ran longer than 2 s', { timeout: 10_000 });
  await page.getByTestId('filter-text').fill('value.nope.deeper');
  await expect(page.getByTestId('filter-error')).toContainText('The filter threw on partition');
});

test('a topic saved as a capture file opens again as an offline cluster', async ({ page, app }) => {
  await page.goto(app.url);
  await page.getByTestId('open-sample').click();
  await openMessages(page, 'orders');
  await page.getByTestId('export-capture').click();
  const saved = (await page.getByTestId('capture-saved').textContent()) ?? '';
  const path = /to (\S+\.eventscope)\./.exec(saved)?.[1];
  expect(path).toBeTruthy();
  await page.getByTestId('open-capture').click();
  await page.getByTestId('capture-path').fill(path!);
  await page.getByTestId('capture-path-open').click();
  await expect(page.getByTestId('rail-capture')).toHaveCount(2);
  await expect(page.locator('[data-testid=topic-row][data-topic=orders]')).toBeVisible();
  await expect(page.locator('[data-testid=topic-row]')).toHaveCount(1);

  await page.getByTestId('open-capture').click();
  await page.getByTestId('capture-path').fill('/no/such/file.eventscope');
  await page.getByTestId('capture-path-open').click();
  await expect(page.getByText('No capture file at /no/such/file.eventscope')).toBeVisible();
});

test('scrolling to the top pages older records in from the replay log', async ({ page, app }) => {
  await readSample(page, app.url, 'orders', { last: 10 });
  await expect(page.getByTestId('row-count')).toHaveText(/^30 shown/);
  await page.getByTestId('message-list').evaluate((el) => {
    el.scrollTop = 0;
    el.dispatchEvent(new Event('scroll'));
  });
  await expect(page.getByTestId('row-count')).not.toHaveText(/^30 shown/);
  expect(await shownCount(page)).toBeGreaterThan(30);
  // The older rows come first, and no record is there twice.
  const offsets = await page
    .getByTestId('message-row')
    .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-partition')}:${r.getAttribute('data-offset')}`));
  expect(new Set(offsets).size).toBe(offsets.length);
});

test('a JavaScript filter searches everything the replay log holds, with progress', async ({ page, app }) => {
  await readSample(page, app.url, 'payments', { last: 1 });
  await expect(page.getByTestId('row-count')).toHaveText(/^3 shown/);
  // The same question two ways: the host's JSON-path search and a script in the renderer's worker.
  await page.getByTestId('filter-kind').selectOption('jsonPath');
  await page.getByTestId('filter-text').fill('$.type');
  await page.getByTestId('filter-equals').fill('PaymentRefunded');
  await page.getByTestId('search-log').click();
  const byPath = await page.getByTestId('search-done').textContent();
  expect(byPath).toMatch(/^\d+ matches in [\d,]+ stored records/);
  await page.getByTestId('clear-search').click();
  await page.getByTestId('filter-kind').selectOption('javascript');
  await page.getByTestId('filter-text').fill('value.type === "PaymentRefunded"');
  await page.getByTestId('search-log').click();
  await expect(page.getByTestId('search-done')).toHaveText(byPath!);
  await expect(page.getByTestId('message-row').first()).toContainText('PaymentRefunded');
  await page.getByTestId('clear-search').click();
  await page.getByTestId('filter-text').fill('value.nope.deeper');
  await page.getByTestId('search-log').click();
  await expect(page.getByTestId('error')).toContainText('The filter threw on partition');
});

test('resume picks up every partition where it stopped: a quiet partition is not replayed from its start', async ({
  page,
  app,
  kafka,
}) => {
  const topic = uniqueName('resume');
  createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 3 });
  // Partition 2 has history from before the tail and stays quiet while the tail runs.
  produceWithKcat(kafka.bootstrap, topic, ['old-2-0', 'old-2-1', 'old-2-2', 'old-2-3', 'old-2-4'], { partition: 2 });
  await connect(page, app.url, kafka.bootstrap);
  await openMessages(page, topic);
  await tailFromLatest(page);
  await expect(page.getByTestId('tail-phase')).toHaveText(/live|caught-up/);
  produceWithKcat(kafka.bootstrap, topic, ['a-0-0', 'a-0-1', 'a-0-2'], { partition: 0 });
  produceWithKcat(kafka.bootstrap, topic, ['a-1-0', 'a-1-1'], { partition: 1 });
  await expect(page.getByTestId('message-row')).toHaveCount(5);
  await page.getByTestId('pause-tail').click();
  await expect(page.getByTestId('tail-phase')).toHaveText('paused');
  produceWithKcat(kafka.bootstrap, topic, ['b-0-0', 'b-0-1'], { partition: 0 });
  produceWithKcat(kafka.bootstrap, topic, ['b-1-0'], { partition: 1 });
  produceWithKcat(kafka.bootstrap, topic, ['b-2-0'], { partition: 2 });
  await page.getByTestId('resume-tail').click();
  await expect(page.getByTestId('message-row')).toHaveCount(9);
  // About time passing: anything replayed (the quiet partition's history) would have arrived by now.
  await page.waitForTimeout(1_500);
  await expect(page.getByTestId('row-count')).toHaveText(/^9 shown · 9 received/);
  const values = await page.getByTestId('message-value').allTextContents();
  expect(values.sort()).toEqual(['a-0-0', 'a-0-1', 'a-0-2', 'a-1-0', 'a-1-1', 'b-0-0', 'b-0-1', 'b-1-0', 'b-2-0']);
  const offsets = await page
    .getByTestId('message-row')
    .evaluateAll((rows) => rows.map((r) => `${r.getAttribute('data-partition')}:${r.getAttribute('data-offset')}`));
  expect(offsets.sort()).toEqual(['0:0', '0:1', '0:2', '0:3', '0:4', '1:0', '1:1', '1:2', '2:5']);
});

test('the sample capture: a tail from "now" paused and resumed replays nothing', async ({ page, app }) => {
  // A capture has nothing new, so a tail from "now" is live only between the host's
  // "started" and "done" (milliseconds). The host's messages after "started" are held back
  // until the pause, so the pause lands in that moment as a user's can.
  let holding = false;
  let armed = true;
  const held: (string | Buffer)[] = [];
  let release = (): void => undefined;
  await page.routeWebSocket(/\/rpc/, (ws) => {
    const server = ws.connectToServer();
    server.onMessage((message) => {
      if (holding) return void held.push(message);
      ws.send(message);
      if (armed && typeof message === 'string' && message.includes('"type":"started"')) {
        armed = false;
        holding = true;
      }
    });
    release = () => {
      holding = false;
      for (const message of held.splice(0)) ws.send(message);
    };
  });
  await page.goto(app.url);
  await page.getByTestId('open-sample').click();
  await openMessages(page, 'payments');
  await tailFromLatest(page);
  await expect(page.getByTestId('tail-phase')).toHaveText('live');
  await page.getByTestId('pause-tail').click();
  await expect(page.getByTestId('tail-phase')).toHaveText('paused');
  release();
  await page.getByTestId('resume-tail').click();
  await expect(page.getByTestId('tail-phase')).toHaveText('done');
  // About time passing: a replayed row would be drawn within half a second of the end.
  await page.waitForTimeout(500);
  await expect(page.getByTestId('row-count')).toHaveText(/^0 shown · 0 received/);
});

test('a start below the log start is moved up and the list says so', async ({ page, app, kafka }) => {
  const topic = uniqueName('e2e-moved-start');
  createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
  produceNumberedWithKcat(kafka.bootstrap, topic, 'm', 10, { partition: 0 });
  deleteRecordsWithKafkaTool(kafka.bootstrap, topic, 0, 6);
  await connect(page, app.url, kafka.bootstrap);
  await openMessages(page, topic);
  await page.getByTestId('from-kind').selectOption('offset');
  await page.getByTestId('from-value').fill('2');
  await page.getByTestId('start-tail').click();
  await expect(page.getByTestId('tail-notice')).toHaveText(
    `Partition 0 of "${topic}" starts at offset 6, not 2: the records before 6 were deleted (retention or DeleteRecords).`,
  );
  await expect(page.getByTestId('message-row')).toHaveCount(4);
});
