// Temp folders for tests, removed when the test (or the describe block) is over, whether
// it passed or failed: a run leaves nothing in the system temp folder, and a failing test does
// not leave behind gigabytes of replay log for the next run's disk-space checks to trip on.
import { randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, onTestFinished } from 'vitest';

const remove = (dir: string): void => rmSync(dir, { recursive: true, force: true });

/** A fresh folder under the system temp folder, removed when the current test finishes. */
export function testTempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  onTestFinished(() => remove(dir));
  return dir;
}

/**
 * A fresh folder for a whole describe block, removed after its last test. Call it in the block's
 * body (where hooks may be registered), not inside a hook. The name is fixed now but the folder
 * is made in beforeAll: a run that filters the block's tests out makes none (and runs no afterAll).
 */
export function fileTempDir(prefix: string): string {
  const dir = join(tmpdir(), `${prefix}${randomUUID()}`);
  beforeAll(() => void mkdirSync(dir));
  afterAll(() => remove(dir));
  return dir;
}
