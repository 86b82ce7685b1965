// Steps the Consumers specs share: getting to a group, reading its numbers, and a consumer
// group member kept running with kcat (librdkafka) while a test needs one.
import { spawn, type ChildProcess } from 'node:child_process';
import type { Locator, Page } from '@playwright/test';
import { expect } from './fixtures.ts';

/** From a connection's Topics screen (or any screen with the tabs) to its Consumers list. */
export async function openConsumers(page: Page): Promise<void> {
  await page.getByTestId('tab-consumers').click();
  await expect(page.getByTestId('consumers-view')).toBeVisible();
}

/** From the Consumers list to one group's detail. */
export async function openGroup(page: Page, groupId: string): Promise<void> {
  await page.getByTestId('group-filter').fill(groupId);
  await page.locator(`[data-testid=group-row][data-group="${groupId}"]`).click();
  await expect(page.getByTestId('group-title')).toHaveText(groupId);
}

export function groupRow(page: Page, groupId: string): Locator {
  return page.locator(`[data-testid=group-row][data-group="${groupId}"]`);
}

export function partitionRow(page: Page, topic: string, partition: number): Locator {
  return page.locator(`[data-testid=group-partition-row][data-partition="${topic}/${partition}"]`);
}

/** Committed offset, log-end offset and lag of one partition row, as the page shows them. */
export async function expectPartitionLag(
  page: Page,
  topic: string,
  partition: number,
  committed: string,
  logEnd: string,
  lag: string,
): Promise<void> {
  const row = partitionRow(page, topic, partition);
  await expect(row.getByTestId('partition-committed')).toHaveText(committed);
  await expect(row.getByTestId('partition-log-end')).toHaveText(logEnd);
  await expect(row.getByTestId('partition-lag')).toHaveText(lag);
}

/** The (CSS) size of a canvas uPlot drew, 0×0 where it is missing. */
export async function canvasSize(chart: Locator): Promise<{ width: number; height: number }> {
  const box = await chart.locator('canvas').first().boundingBox();
  return { width: box?.width ?? 0, height: box?.height ?? 0 };
}

export interface RunningMember {
  stop(): Promise<void>;
}

/**
 * A kcat balanced consumer (a classic group member) that reads the topic and keeps running
 * until stopped; on SIGTERM kcat leaves the group and commits what it read.
 */
export function startKcatMember(bootstrap: string, group: string, topic: string): RunningMember {
  const child: ChildProcess = spawn('kcat', ['-b', bootstrap, '-G', group, '-q', '-X', 'client.id=e2e-member', topic], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return {
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
      await exited;
      clearTimeout(timer);
      if (stderr.includes('ERROR')) process.stderr.write(`[kcat member] ${stderr}\n`);
    },
  };
}
