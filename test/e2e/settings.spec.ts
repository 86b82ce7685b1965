// The settings screen as a user drives it: the replay log's cap (bad input named at the
// field, a good one saved and kept across a reload), what the log holds per connection, and
// forgetting one connection's records after a confirmation.
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { uniqueName } from '../support/unique.ts';
import { expect, test } from './fixtures.ts';
import { connect, openMessages } from './steps.ts';

test('the replay log cap is set with bad input named, and what the log holds is shown and can be forgotten', async ({
  page,
  app,
  kafka,
}) => {
  const topic = uniqueName('settings');
  createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
  produceWithKcat(
    kafka.bootstrap,
    topic,
    Array.from({ length: 25 }, (_, i) => `v${i}`),
  );
  await connect(page, app.url, kafka.bootstrap);
  await openMessages(page, topic);
  await page.getByTestId('from-kind').selectOption('earliest');
  await page.getByTestId('start-tail').click();
  await expect(page.getByTestId('row-count')).toHaveText(/^25 shown/);

  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('log-cap')).toHaveValue('2048');
  const row = page.getByTestId('log-usage-row');
  await expect(row).toHaveCount(1);
  await expect(row).toContainText('Harness');
  await expect(row).toContainText('25');

  for (const [typed, error] of [
    ['10', /between 64 MB and 1,048,576 MB/],
    ['lots', /whole number of MB/],
  ] as const) {
    await page.getByTestId('log-cap').fill(typed);
    await page.getByTestId('save-settings').click();
    await expect(page.getByTestId('log-cap-error')).toHaveText(error);
  }
  await page.getByTestId('log-cap').fill('128');
  await page.getByTestId('save-settings').click();
  await expect(page.getByTestId('settings-saved')).toContainText('128 MB');
  await expect(page.getByTestId('log-cap-error')).toHaveCount(0);
  await page.reload();
  await page.getByTestId('open-settings').click();
  await expect(page.getByTestId('log-cap')).toHaveValue('128');

  await page.getByTestId('clear-log').click();
  await expect(page.getByTestId('confirm-clear-log')).toHaveText('Forget 25 records');
  await page.getByTestId('confirm-clear-log').click();
  await expect(page.getByTestId('settings-saved')).toContainText('Forgot');
  await expect(page.getByTestId('log-usage-row')).toHaveCount(0);
});
