// Topic administration as a user drives it, on the real broker: on a writable connection a topic
// is created from the list (bad input refused on the page, a preview that creates nothing, a
// confirmation), its configs changed, partitions added, records deleted below an offset (the
// earliest offset moves), and the topic deleted after its name is typed — each cross-checked
// with Kafka's own tools. A read-only connection and the sample capture offer none of it.
import type { Locator, Page } from '@playwright/test';
import {
  createTopicWithKafkaTool,
  describeTopicWithKafkaTool,
  offsetsFromGetOffsetShell,
  topicConfigsWithKafkaTool,
} from '../harness/kafka-tools.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { uniqueName } from '../support/unique.ts';
import { expect, test } from './fixtures.ts';
import { connect } from './steps.ts';

const ADMIN_BUTTONS = ['edit-configs', 'add-partitions', 'delete-records', 'delete-topic'];

/** Preview, then the action, then "yes" in the confirmation: the dialog's one flow. */
async function previewAndConfirm(dialog: Locator): Promise<void> {
  await dialog.getByTestId('admin-preview').click();
  await expect(dialog.getByTestId('admin-preview-result')).toBeVisible();
  await expect(dialog.getByTestId('admin-dry-run-note')).toBeVisible();
  await dialog.getByTestId('admin-execute').click();
  await expect(dialog.getByTestId('admin-confirm')).toBeVisible();
  await dialog.getByTestId('admin-confirm-yes').click();
  await expect(dialog.getByTestId('admin-done')).toBeVisible();
}

function partitionCells(page: Page, testId: 'partition-earliest' | 'partition-latest'): Promise<string[]> {
  return page.getByTestId('partition-table').getByTestId(testId).allTextContents();
}

test('a writable connection creates a topic, changes a config, adds partitions, deletes records and deletes the topic', async ({
  page,
  app,
  kafka,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  const topic = uniqueName('ui-admin');
  await connect(page, app.url, kafka.bootstrap, true);

  // New topic: bad input is said on the page and nothing is sent.
  await page.getByTestId('new-topic').click();
  const create = page.getByTestId('create-topic-dialog');
  await create.getByTestId('create-topic-name').fill(topic);
  await create.getByTestId('create-topic-partitions').fill('0');
  await create.getByTestId('admin-preview').click();
  await expect(create.getByTestId('admin-invalid')).toContainText('at least one partition');
  await expect(create.getByTestId('admin-invalid')).toHaveAttribute('data-field', 'partitions');
  await expect(create.getByTestId('admin-execute')).toBeDisabled();
  await create.getByTestId('create-topic-partitions').fill('2');
  await create.getByTestId('create-topic-configs').fill('retention.ms=3600000');
  await expect(create.getByTestId('admin-invalid')).toHaveCount(0);

  // The preview says what the topic would be and creates nothing.
  await create.getByTestId('admin-preview').click();
  const preview = create.getByTestId('admin-preview-result');
  await expect(preview).toContainText('Would create');
  await expect(preview.getByTestId('admin-partitions')).toHaveText('2');
  await expect(preview.getByTestId('admin-rf')).toHaveText('1');
  await expect(preview.locator('[data-testid=admin-config-row][data-config="retention.ms"]')).toContainText('3600000');
  expect(describeTopicWithKafkaTool(kafka.bootstrap, topic)).toBeNull();
  // Changing an input asks for a new preview.
  await create.getByTestId('create-topic-partitions').fill('3');
  await expect(create.getByTestId('admin-execute')).toBeDisabled();
  await create.getByTestId('create-topic-partitions').fill('2');
  await previewAndConfirm(create);
  await expect(create.getByTestId('admin-done-result')).toContainText('Created');
  expect(describeTopicWithKafkaTool(kafka.bootstrap, topic)).toMatchObject({ partitionCount: 2, replicationFactor: 1 });
  expect(Object.fromEntries(topicConfigsWithKafkaTool(kafka.bootstrap, topic))).toEqual({ 'retention.ms': '3600000' });
  // It appears in the list.
  await page.getByTestId('topic-filter').fill(topic);
  await expect(page.locator(`[data-testid=topic-row][data-topic="${topic}"]`)).toBeVisible();
  await expect(
    page.locator(`[data-testid=topic-row][data-topic="${topic}"]`).getByTestId('topic-partitions'),
  ).toHaveText('2');

  // Its page offers the other actions.
  await create.getByTestId('create-topic-open').click();
  await expect(page.getByTestId('topic-title')).toHaveText(topic);
  for (const id of ADMIN_BUTTONS) await expect(page.getByTestId(id)).toBeVisible();

  // Edit configs: retention.ms set again, before and after shown.
  await page.getByTestId('edit-configs').click();
  const configs = page.getByTestId('edit-configs-dialog');
  await configs.getByTestId('config-change-name').fill('retention.ms');
  await configs.getByTestId('config-change-value').fill('7200000');
  await previewAndConfirm(configs);
  const changed = configs.getByTestId('admin-done-result').locator('[data-config="retention.ms"]');
  await expect(changed.getByTestId('admin-change-before')).toContainText('3600000');
  await expect(changed.getByTestId('admin-change-after')).toContainText('7200000');
  expect(topicConfigsWithKafkaTool(kafka.bootstrap, topic).get('retention.ms')).toBe('7200000');
  await expect(page.locator('[data-testid=config-row][data-config="retention.ms"]')).toContainText('7200000');
  await configs.getByTestId('admin-close').click();

  // Add partitions: 2 → 3; fewer is refused on the page.
  await page.getByTestId('add-partitions').click();
  const partitions = page.getByTestId('add-partitions-dialog');
  await partitions.getByTestId('add-partitions-total').fill('1');
  await partitions.getByTestId('admin-preview').click();
  await expect(partitions.getByTestId('admin-invalid')).toContainText('can only add partitions');
  await partitions.getByTestId('add-partitions-total').fill('3');
  await partitions.getByTestId('admin-preview').click();
  await expect(partitions.getByTestId('admin-preview-result')).toContainText('2 → 3');
  expect(describeTopicWithKafkaTool(kafka.bootstrap, topic)?.partitionCount).toBe(2);
  await previewAndConfirm(partitions);
  expect(describeTopicWithKafkaTool(kafka.bootstrap, topic)?.partitionCount).toBe(3);
  await expect(page.getByTestId('partition-row')).toHaveCount(3);
  await partitions.getByTestId('admin-close').click();

  // Delete records below offset 4 of partition 0: the earliest offset moves to 4.
  produceWithKcat(
    kafka.bootstrap,
    topic,
    Array.from({ length: 10 }, (_, i) => `record ${i}`),
    { partition: 0 },
  );
  await page.getByTestId('topic-detail').getByRole('button', { name: 'Refresh', exact: true }).click();
  await expect.poll(() => partitionCells(page, 'partition-latest')).toEqual(['10', '0', '0']);
  await page.getByTestId('delete-records').click();
  const records = page.getByTestId('delete-records-dialog');
  const row0 = records.locator('[data-testid=delete-records-partition][data-partition="0"]');
  await row0.getByTestId('delete-records-choose').check();
  await expect(row0.getByTestId('delete-records-offset')).toHaveValue('10');
  await row0.getByTestId('delete-records-offset').fill('11');
  await records.getByTestId('admin-preview').click();
  await expect(records.getByTestId('admin-invalid')).toContainText('ends at offset 10');
  await row0.getByTestId('delete-records-offset').fill('4');
  await records.getByTestId('admin-preview').click();
  await expect(
    records.getByTestId('admin-preview-result').locator('[data-partition="0"]').getByTestId('admin-records-count'),
  ).toHaveText('4');
  expect(offsetsFromGetOffsetShell(kafka.bootstrap, topic, 'earliest').get(0)).toBe('0');
  await previewAndConfirm(records);
  await expect(
    records
      .getByTestId('admin-done-result')
      .locator('[data-partition="0"]')
      .getByTestId('admin-records-earliest-after'),
  ).toHaveText('4');
  expect(offsetsFromGetOffsetShell(kafka.bootstrap, topic, 'earliest').get(0)).toBe('4');
  await expect.poll(() => partitionCells(page, 'partition-earliest')).toEqual(['4', '0', '0']);
  await records.getByTestId('admin-close').click();

  // Delete the topic: only once its name is typed.
  await page.getByTestId('delete-topic').click();
  const remove = page.getByTestId('delete-topic-dialog');
  await expect(remove.getByTestId('delete-topic-records')).toContainText('6');
  await expect(remove.getByTestId('delete-topic-execute')).toBeDisabled();
  await remove.getByTestId('delete-topic-confirm-name').fill(`${topic}x`);
  await expect(remove.getByTestId('delete-topic-execute')).toBeDisabled();
  expect(describeTopicWithKafkaTool(kafka.bootstrap, topic)).not.toBeNull();
  await remove.getByTestId('delete-topic-confirm-name').fill(topic);
  await remove.getByTestId('delete-topic-execute').click();
  await expect(page.getByTestId('topics-view')).toBeVisible();
  expect(describeTopicWithKafkaTool(kafka.bootstrap, topic)).toBeNull();
  await page.getByTestId('topic-filter').fill(topic);
  await page.getByTestId('refresh-topics').click();
  await expect(page.locator(`[data-testid=topic-row][data-topic="${topic}"]`)).toHaveCount(0);
  expect(pageErrors).toEqual([]);
});

test('a read-only connection and the sample capture offer no topic administration', async ({ page, app, kafka }) => {
  const topic = uniqueName('ui-readonly');
  createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
  await connect(page, app.url, kafka.bootstrap);
  await page.getByTestId('topic-filter').fill(topic);
  await expect(page.locator(`[data-testid=topic-row][data-topic="${topic}"]`)).toBeVisible();
  await expect(page.getByTestId('new-topic')).toHaveCount(0);
  await page.locator(`[data-testid=topic-row][data-topic="${topic}"]`).click();
  await expect(page.getByTestId('partition-table')).toBeVisible();
  for (const id of ADMIN_BUTTONS) await expect(page.getByTestId(id)).toHaveCount(0);

  await page.getByTestId('rail-capture').filter({ hasText: 'Sample' }).click();
  await expect(page.getByTestId('topics-view')).toBeVisible();
  await expect(page.getByTestId('topic-row').first()).toBeVisible();
  await expect(page.getByTestId('new-topic')).toHaveCount(0);
  await page.getByTestId('topic-row').first().click();
  await expect(page.getByTestId('partition-table')).toBeVisible();
  for (const id of ADMIN_BUTTONS) await expect(page.getByTestId(id)).toHaveCount(0);
});
