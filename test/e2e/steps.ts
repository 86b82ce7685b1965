// Steps the e2e specs share: what a user does to get somewhere in the app.
import type { Page } from '@playwright/test';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { uniqueName } from '../support/unique.ts';
import { expect } from './fixtures.ts';

/** Saves a connection named "Harness" from the first-start screen and waits for its topics. */
export async function connect(page: Page, url: string, bootstrap: string, writable = false): Promise<void> {
  await page.goto(url);
  await page.getByTestId('connection-name').fill('Harness');
  await page.getByTestId('connection-bootstrap').fill(bootstrap);
  if (writable) {
    await page.getByRole('button', { name: /Authentication, TLS/ }).click();
    await page.getByLabel(/Allow writes/).check();
  }
  await page.getByTestId('save-connection').click();
  await expect(page.getByTestId('topics-view')).toBeVisible();
}

export async function openMessages(page: Page, topic: string): Promise<void> {
  await page.getByTestId('topic-filter').fill(topic);
  await page.locator(`[data-testid=topic-row][data-topic="${topic}"]`).click();
  await page.getByTestId('open-messages').click();
  await expect(page.getByTestId('messages-view')).toBeVisible();
}

/** In the open messages view: reads from the earliest offsets or the last N per partition, and waits until the read is done. */
export async function startFrom(page: Page, from: 'earliest' | { last: number }): Promise<void> {
  if (from === 'earliest') {
    await page.getByTestId('from-kind').selectOption('earliest');
  } else {
    await page.getByTestId('from-kind').selectOption('last');
    await page.getByTestId('from-value').fill(String(from.last));
  }
  await page.getByTestId('start-tail').click();
  await expect(page.getByTestId('tail-phase')).toHaveText('done');
}

/** First start, the sample capture (no cluster needed), its topic's messages read by startFrom. */
export async function readSample(
  page: Page,
  url: string,
  topic: string,
  from: 'earliest' | { last: number },
): Promise<void> {
  await page.goto(url);
  await page.getByTestId('open-sample').click();
  await openMessages(page, topic);
  await startFrom(page, from);
}

/** In the open messages view: tail from the latest offsets (only what arrives from now on). */
export async function tailFromLatest(page: Page): Promise<void> {
  await page.getByTestId('from-kind').selectOption('latest');
  await page.getByTestId('start-tail').click();
}

/** A new topic (named from `prefix`), a connection to its cluster, and its messages view open: the topic's name. */
export async function openNewTopicMessages(
  page: Page,
  url: string,
  bootstrap: string,
  prefix: string,
  options: { partitions: number; writable?: boolean },
): Promise<string> {
  const topic = uniqueName(prefix);
  createTopicWithKafkaTool(bootstrap, topic, { partitions: options.partitions });
  await connect(page, url, bootstrap, options.writable ?? false);
  await openMessages(page, topic);
  return topic;
}
