// The Consumers screen as a user drives it: the sample capture's groups with no cluster (every
// status shown, instant filter, sorting, a group's charts and partitions with reasons); then on
// the real broker a classic group driven by kcat: exact lag numbers, the topic's readers, a
// read-only connection that cannot reset, and a writable one whose reset dry run shows before
// and after, whose reset moves the offsets, whose bad input is refused before anything is
// sent, and whose running group is refused with the host's message.
import type { Page } from '@playwright/test';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { consumeWithKcatGroup, produceWithKcat } from '../harness/kcat.ts';
import { uniqueName } from '../support/unique.ts';
import { expect, test } from './fixtures.ts';
import {
  canvasSize,
  expectPartitionLag,
  groupRow,
  openConsumers,
  openGroup,
  partitionRow,
  startKcatMember,
} from './group-steps.ts';
import { connect } from './steps.ts';
import { screenshot } from './screenshot.ts';

/** The lags of the listed rows, top to bottom, as numbers (null for "—"). */
async function listedLags(page: Page): Promise<(number | null)[]> {
  const texts = await page.getByTestId('group-lag').allTextContents();
  return texts.map((t) => (t.trim() === '—' ? null : Number(t.replace(/,/g, ''))));
}

test('the sample capture: every group with its status, an instant filter, sorting, and a group with charts', async ({
  page,
  app,
}) => {
  const pageErrors: string[] = [];
  page.on('pageerror', (err) => pageErrors.push(err.message));
  page.on('console', (message) => message.type() === 'error' && pageErrors.push(message.text()));
  await page.goto(app.url);
  await page.getByTestId('open-sample').click();
  await expect(page.getByTestId('topics-view')).toBeVisible();
  await openConsumers(page);

  const rows = page.getByTestId('group-row');
  await expect(rows.first()).toBeVisible();
  const count = await rows.count();
  expect(count).toBeGreaterThanOrEqual(3);
  await expect(page.getByTestId('group-count')).toContainText(`${count} of ${count} groups`);
  // Every level is there, each with its reason in words and as the tooltip.
  for (const level of ['OK', 'WARN', 'ERR']) {
    const status = page.locator(`[data-testid=group-status][data-level=${level}]`).first();
    await expect(status).toBeVisible();
    await expect(status.getByTestId('group-status-level')).toHaveText(level);
    expect((await status.getByTestId('group-status-reason').textContent())!.length).toBeGreaterThan(5);
    expect(await status.getAttribute('title')).toMatch(/: .{5,}/);
  }
  // A capture carries its history: its groups are not watched or unwatched here.
  await expect(page.getByTestId('group-watch').first()).toBeDisabled();
  await screenshot(page, 'consumers-list');

  // The filter narrows at once, on the page.
  const ids = await page.getByTestId('group-id').allTextContents();
  const target = ids[ids.length - 1]!;
  await page.getByTestId('group-filter').fill(target.slice(0, Math.max(3, target.length - 2)).toUpperCase());
  await expect(groupRow(page, target)).toBeVisible();
  expect(await rows.count()).toBeLessThan(count);
  await page.getByTestId('group-filter').fill('no-group-is-called-this');
  await expect(rows).toHaveCount(0);
  await expect(page.getByTestId('groups-empty')).toContainText('No group id contains');
  await page.getByTestId('group-filter').fill('');
  await expect(rows).toHaveCount(count);

  // Sort by lag: most first, then the other way; unknown lag ("—") last both ways.
  await page.getByTestId('sort-lag').click();
  const descending = await listedLags(page);
  const known = descending.filter((l): l is number => l !== null);
  expect(known).toEqual([...known].sort((a, b) => b - a));
  expect(descending.slice(known.length).every((l) => l === null)).toBe(true);
  expect(known[0]!).toBeGreaterThan(known[known.length - 1]!);
  await page.getByTestId('sort-lag').click();
  const ascending = (await listedLags(page)).filter((l): l is number => l !== null);
  expect(ascending).toEqual([...known].reverse());
  // Worst status first.
  await page.getByTestId('sort-status').click();
  await expect(rows.first().getByTestId('group-status')).toHaveAttribute('data-level', 'ERR');
  await expect(rows.last().getByTestId('group-status')).toHaveAttribute('data-level', 'OK');

  // The group in error: its charts (uPlot canvases), catch-up estimate, partitions with reasons.
  const errGroup = (await rows.first().getAttribute('data-group'))!;
  await rows.first().click();
  await expect(page.getByTestId('group-title')).toHaveText(errGroup);
  await expect(page.getByTestId('group-state')).toHaveText('Captured');
  for (const chart of ['chart-lag', 'chart-rates']) {
    await expect(page.getByTestId(chart).locator('canvas')).toHaveCount(1);
    const size = await canvasSize(page.getByTestId(chart));
    expect(size.width).toBeGreaterThan(100);
    expect(size.height).toBeGreaterThan(50);
  }
  await expect(page.getByTestId('chart-rates')).toContainText('Consumed (records/s)');
  await expect(page.getByTestId('chart-rates')).toContainText('Produced (records/s)');
  await expect(page.getByTestId('catch-up')).toHaveText(/^(Catches up in about .+|Caught up\.|.{10,})$/);
  const partitions = page.getByTestId('group-partition-row');
  expect(await partitions.count()).toBeGreaterThan(0);
  const sparklines = page.getByTestId('partition-sparkline');
  await expect(sparklines.first().locator('canvas')).toHaveCount(1);
  expect((await canvasSize(sparklines.first())).width).toBeGreaterThan(20);
  const reasons = await page.getByTestId('partition-status-reason').allTextContents();
  expect(reasons.length).toBe(await partitions.count());
  for (const reason of reasons) expect(reason.length).toBeGreaterThan(10);
  await expect(page.locator('[data-testid=partition-status][data-level=OK]')).toHaveCount(
    await page.locator('[data-testid=group-partition-row]:not(.row-warn)').count(),
  );
  // Captures are never written to: no reset, no delete.
  await expect(page.getByTestId('reset-offsets')).toHaveCount(0);
  await expect(page.getByTestId('delete-group')).toHaveCount(0);
  await screenshot(page, 'consumers-group');

  // Another range redraws the charts from that range's history.
  await page.getByTestId('range-1h').click();
  await expect(page.getByTestId('range-1h')).toHaveAttribute('aria-pressed', 'true');
  await expect(page.getByTestId('chart-lag').locator('canvas')).toHaveCount(1);
  await page.getByTestId('back-to-consumers').click();
  await expect(page.getByTestId('consumers-view')).toBeVisible();
  // Charts made and destroyed on the way without a complaint (the CSP, uPlot, React).
  expect(pageErrors).toEqual([]);
});

test.describe('a classic consumer group on the real broker', () => {
  const topic = uniqueName('consumed');
  const group = uniqueName('billing');

  test.beforeAll(() => {
    const bootstrap = process.env['KAFKA_BOOTSTRAP_SERVERS']!;
    createTopicWithKafkaTool(bootstrap, topic, { partitions: 3 });
    produceWithKcat(
      bootstrap,
      topic,
      Array.from({ length: 12 }, (_, i) => `a${i}`),
      { partition: 0 },
    );
    produceWithKcat(
      bootstrap,
      topic,
      Array.from({ length: 7 }, (_, i) => `b${i}`),
      { partition: 1 },
    );
    // The group reads everything there is, commits, and stops; then more is written: it has
    // read part of the topic. Partition 2 never had a record: nothing is committed there (and,
    // with no member assigned to it, the group has no row for it, as Kafka's tool shows).
    consumeWithKcatGroup(bootstrap, group, topic);
    produceWithKcat(
      bootstrap,
      topic,
      Array.from({ length: 5 }, (_, i) => `c${i}`),
      { partition: 0 },
    );
    produceWithKcat(
      bootstrap,
      topic,
      Array.from({ length: 3 }, (_, i) => `d${i}`),
      { partition: 1 },
    );
  });

  test('the group with its exact lag, the topic that lists it, and a read-only connection that cannot reset', async ({
    page,
    app,
    kafka,
  }) => {
    await connect(page, app.url, kafka.bootstrap);
    await openConsumers(page);
    await page.getByTestId('group-filter').fill(group);
    const row = groupRow(page, group);
    await expect(row.getByTestId('group-lag')).toHaveText('8');
    await expect(row.getByTestId('group-time-lag')).toHaveText(/^\d+ (ms|s|min)/);
    await expect(row.getByTestId('group-state')).toHaveText('Empty');
    await expect(row.getByTestId('group-members')).toHaveText('0');
    await expect(row.getByTestId('group-status')).toHaveAttribute('data-level', 'none');
    await expect(row.getByTestId('group-status')).toHaveText('not watched');
    // Watching it samples it at once: a status (too few samples yet) replaces "not watched".
    await row.getByTestId('group-watch').check();
    await expect(row.getByTestId('group-status')).not.toHaveAttribute('data-level', 'none');
    await expect(row.getByTestId('group-watch')).toBeChecked();

    await openGroup(page, group);
    await expect(page.getByTestId('group-state')).toHaveText('Empty');
    await expect(page.getByTestId('group-type')).toHaveText('classic');
    await expect(page.getByTestId('group-coordinator')).toHaveText(/^broker \d+$/);
    await expect(page.getByTestId('group-total-lag')).toHaveText('8');
    await expect(page.getByTestId('members-empty')).toBeVisible();
    await expectPartitionLag(page, topic, 0, '12', '17', '5');
    await expectPartitionLag(page, topic, 1, '7', '10', '3');
    await expect(page.getByTestId('group-partition-row')).toHaveCount(2);
    await expect(partitionRow(page, topic, 0).getByTestId('partition-time-lag')).toHaveText(/^\d+ (ms|s|min)/);
    // Read-only: the write actions are there but disabled, saying why.
    await expect(page.getByTestId('reset-offsets')).toBeDisabled();
    await expect(page.getByTestId('reset-offsets')).toHaveAttribute('title', /read-only/);
    await expect(page.getByTestId('delete-group')).toBeDisabled();
    await expect(page.getByTestId('reset-dialog')).toHaveCount(0);

    // The topic lists the groups that read it, each a link to the group.
    await page.getByTestId('back-to-consumers').click();
    await page.getByTestId('tab-topics').click();
    await page.getByTestId('topic-filter').fill(topic);
    await page.locator(`[data-testid=topic-row][data-topic="${topic}"]`).click();
    const reader = page.locator(`[data-testid=topic-consumer-row][data-group="${group}"]`);
    await expect(reader.getByTestId('topic-consumer-lag')).toHaveText('8');
    await expect(page.getByTestId('topic-consumer-row')).toHaveCount(1);
    await screenshot(page, 'consumers-topic');
    await reader.getByTestId('topic-consumer-link').click();
    await expect(page.getByTestId('group-title')).toHaveText(group);
    await expect(page.getByTestId('group-total-lag')).toHaveText('8');
  });

  test('a writable connection: bad input sends nothing, a dry run shows before and after, a reset moves the offsets', async ({
    page,
    app,
    kafka,
  }) => {
    const sent: string[] = [];
    page.on('websocket', (ws) =>
      ws.on('framesent', (frame) =>
        sent.push(typeof frame.payload === 'string' ? frame.payload : frame.payload.toString('utf8')),
      ),
    );
    const resetCalls = (): string[] => sent.filter((f) => f.includes('groups.resetOffsets'));

    await connect(page, app.url, kafka.bootstrap, true);
    await openConsumers(page);
    await openGroup(page, group);
    await expectPartitionLag(page, topic, 0, '12', '17', '5');
    await page.getByTestId('reset-offsets').click();
    const dialog = page.getByTestId('reset-dialog');
    await expect(dialog).toBeVisible();

    // A non-numeric offset is named at once and nothing goes to the host.
    await dialog.getByTestId('reset-kind-offset').check();
    await dialog.getByTestId('reset-offset').fill('12abc');
    await dialog.getByTestId('reset-preview-button').click();
    await expect(dialog.getByTestId('error')).toContainText(
      'The offset must be a whole number of 0 or more; "12abc" is not.',
    );
    await expect(dialog.getByTestId('reset-execute')).toBeDisabled();
    await dialog.getByTestId('reset-kind-shift').check();
    await dialog.getByTestId('reset-shift').fill('back 2');
    await dialog.getByTestId('reset-preview-button').click();
    await expect(dialog.getByTestId('error')).toContainText('Shift by a whole number of records');
    await dialog.getByTestId('reset-scope-chosen').check();
    await dialog.getByTestId('reset-kind-earliest').check();
    await dialog.getByTestId('reset-preview-button').click();
    await expect(dialog.getByTestId('error')).toContainText('Choose at least one partition.');
    expect(resetCalls()).toEqual([]);

    // The dry run: before → after for every partition, nothing changed.
    await dialog.getByTestId('reset-scope-all').check();
    await dialog.getByTestId('reset-preview-button').click();
    const preview = dialog.getByTestId('reset-preview');
    await expect(preview.getByTestId('reset-plan-row')).toHaveCount(3);
    const plan = (partition: number) =>
      preview.locator(`[data-testid=reset-plan-row][data-partition="${topic}/${partition}"]`);
    await expect(plan(0).getByTestId('reset-before')).toHaveText('12');
    await expect(plan(0).getByTestId('reset-after')).toHaveText('0');
    await expect(plan(1).getByTestId('reset-before')).toHaveText('7');
    await expect(plan(1).getByTestId('reset-after')).toHaveText('0');
    await expect(plan(2).getByTestId('reset-before')).toHaveText('none committed');
    await expect(plan(2).getByTestId('reset-after')).toHaveText('0');
    expect(resetCalls()).toHaveLength(1);
    expect(resetCalls()[0]).toContain('"execute":false');
    await page.getByTestId('refresh-group').click();
    await expectPartitionLag(page, topic, 0, '12', '17', '5');
    await screenshot(page, 'consumers-reset');

    // Reset, after one more confirmation: the offsets move, and the lag with them.
    await dialog.getByTestId('reset-execute').click();
    await expect(dialog.getByTestId('reset-confirm')).toContainText('3 partitions');
    await dialog.getByTestId('reset-confirm-execute').click();
    await expect(dialog.getByTestId('reset-done')).toContainText('Offsets moved for 3 partitions');
    await expectPartitionLag(page, topic, 0, '0', '17', '17');
    await expectPartitionLag(page, topic, 1, '0', '10', '10');
    await expectPartitionLag(page, topic, 2, '0', '0', '0');
    await expect(page.getByTestId('group-total-lag')).toHaveText('27');

    // A shift on one chosen partition.
    await dialog.getByTestId('reset-kind-shift').check();
    await dialog.getByTestId('reset-shift').fill('4');
    await dialog.getByTestId('reset-scope-chosen').check();
    await dialog.locator(`[data-testid=reset-partition][data-partition="${topic}/1"]`).check();
    await dialog.getByTestId('reset-preview-button').click();
    await expect(preview.getByTestId('reset-plan-row')).toHaveCount(1);
    await expect(plan(1).getByTestId('reset-after')).toHaveText('4');
    await dialog.getByTestId('reset-execute').click();
    await dialog.getByTestId('reset-confirm-execute').click();
    await expectPartitionLag(page, topic, 1, '4', '10', '6');
    await expect(page.getByTestId('group-total-lag')).toHaveText('23');
    await page.getByTestId('back-to-consumers').click();
    // The shared broker holds many groups by now: find this one as a user would.
    await page.getByTestId('group-filter').fill(group);
    await expect(groupRow(page, group).getByTestId('group-lag')).toHaveText('23');

    // With a member running, the host refuses and says why; the page shows its message.
    const member = startKcatMember(kafka.bootstrap, group, topic);
    try {
      await openGroup(page, group);
      await expect(async () => {
        await page.getByTestId('refresh-group').click();
        await expect(page.getByTestId('group-member-count')).toHaveText('1', { timeout: 2_000 });
      }).toPass({ timeout: 45_000 });
      await expect(page.getByTestId('member-client').first()).toHaveText('e2e-member');
      await expect(page.getByTestId('member-assignment').first()).toHaveText(`${topic}: 0, 1, 2`);
      await page.getByTestId('reset-offsets').click();
      await dialog.getByTestId('reset-preview-button').click();
      await expect(preview).toBeVisible();
      await dialog.getByTestId('reset-execute').click();
      await dialog.getByTestId('reset-confirm-execute').click();
      await expect(dialog.getByTestId('error')).toHaveAttribute('data-code', 'GROUP_NOT_EMPTY');
      await expect(dialog.getByTestId('error')).toContainText('stop its consumers first');
      await dialog.getByTestId('reset-close').click();
      await page.getByTestId('delete-group').click();
      await page.getByTestId('delete-confirm-yes').click();
      await expect(page.getByTestId('error').first()).toHaveAttribute('data-code', 'GROUP_NOT_EMPTY');
    } finally {
      await member.stop();
    }

    // Once its consumer has left, the group can be deleted (after a confirmation).
    await expect(async () => {
      await page.getByTestId('refresh-group').click();
      await expect(page.getByTestId('group-state')).toHaveText('Empty', { timeout: 2_000 });
    }).toPass({ timeout: 45_000 });
    await page.getByTestId('delete-group').click();
    await expect(page.getByTestId('delete-confirm')).toContainText(group);
    await page.getByTestId('delete-confirm-yes').click();
    await expect(page.getByTestId('consumers-view')).toBeVisible();
    await page.getByTestId('group-filter').fill(group);
    await expect(page.getByTestId('groups-empty')).toBeVisible();
  });
});
