// Writing files on a full disk. Saving a connection, its secrets or the settings: the answer is
// DISK_FULL with a sentence saying what was not saved and what to do, no temporary file is left
// behind, the saved files keep their old content, and saving works again once there is room.
// `eventscope export --output`: DISK_FULL and exit 1, the records written so far kept under the
// .partial name (said), never a file by the asked name. The full disk is a real one: a 64 KB
// tmpfs mounted for each test (needs root or CAP_SYS_ADMIN, as CI has; elsewhere the tests say
// why they were skipped).
import { execFile, execFileSync } from 'node:child_process';
import {
  existsSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { type EventscopeService } from '../../src/node/host/eventscope-service.ts';
import { ReplayLog } from '../../src/node/log/replay-log.ts';
import { RpcClient } from '../../src/common/rpc/client.ts';
import { createTopicWithKafkaTool } from '../harness/kafka-tools.ts';
import { produceWithKcat } from '../harness/kcat.ts';
import { uniqueName } from '../support/unique.ts';
import { rpcClientOf, testServiceOn } from '../support/in-process-host.ts';

const BIN = new URL('../../bin/eventscope.js', import.meta.url).pathname;

/** Mounts a tmpfs of `size` on a new folder; null and the reason where this process may not mount. */
function mountTinyDisk(size = '64k'): { dir: string; unmount(): void } | { dir: null; reason: string } {
  const dir = mkdtempSync(join(tmpdir(), 'es-tiny-disk-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmSync(dir, { recursive: true, force: true });
    return {
      dir: null,
      reason: `cannot mount a tmpfs here (needs root or CAP_SYS_ADMIN): ${String((err as { stderr?: Buffer }).stderr ?? err).trim()}`,
    };
  }
  return {
    dir,
    unmount: () => {
      execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Writes a file until the disk says it is full; returns its path (delete it to make room again). */
function fillDisk(dir: string): string {
  const filler = join(dir, 'filler');
  try {
    writeFileSync(filler, Buffer.alloc(64 * 1024 * 1024));
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
    return filler;
  }
  throw new Error(`${dir} took 64 MB: it is not the tiny disk this test needs`);
}

type TinyDisk = ReturnType<typeof mountTinyDisk>;

describe('saving on a full disk', () => {
  // Mounted in beforeAll, not while collecting: a run that filters these tests out runs no afterAll either.
  let disk: TinyDisk = { dir: null, reason: 'not mounted' };
  let service: EventscopeService;
  let client: RpcClient;
  let log: ReplayLog;
  const logDir = mkdtempSync(join(tmpdir(), 'es-disk-full-log-'));

  beforeAll(async () => {
    disk = mountTinyDisk();
    if (disk.dir === null) return;
    // The replay log lives elsewhere: this is about the small JSON files in the data folder.
    log = new ReplayLog(join(logDir, 'replay-log.sqlite'));
    service = testServiceOn(disk.dir, { log });
    client = rpcClientOf(service).client;
  });
  afterAll(async () => {
    client?.close();
    await service?.close();
    log?.close();
    if (disk.dir !== null) disk.unmount();
    rmSync(logDir, { recursive: true, force: true });
  });

  const leftovers = (dir: string): string[] => readdirSync(dir).filter((f) => f.endsWith('.tmp'));

  it('answers DISK_FULL with what to do, leaves no temporary file, keeps the saved files, and saves again once there is room', async ({
    skip,
  }) => {
    if (disk.dir === null) return skip(disk.reason);
    const dir = disk.dir;
    await client.call('connections.save', {
      profile: { id: 'first', name: 'first', bootstrap: '127.0.0.1:9092' },
      secrets: { saslPassword: 'one' },
    });
    await client.call('settings.update', { logCapMb: 300 });
    const connectionsBefore = readFileSync(join(dir, 'connections.json'), 'utf8');
    const secretsBefore = readFileSync(join(dir, 'secrets.json'), 'utf8');
    const settingsBefore = readFileSync(join(dir, 'settings.json'), 'utf8');

    const filler = fillDisk(dir);
    const profile = { id: 'second', name: 'second', bootstrap: '127.0.0.1:9093' };
    await expect(client.call('connections.save', { profile })).rejects.toMatchObject({
      code: 'DISK_FULL',
      message: expect.stringMatching(
        /^The connection was not saved\. Cannot write .*connections\.json: the disk is full\. Free some space, then try again\./,
      ),
    });
    await expect(client.call('connections.save', { profile, secrets: { saslPassword: 'two' } })).rejects.toMatchObject({
      code: 'DISK_FULL',
      message: expect.stringMatching(/^The connection was not saved\. Cannot write .*secrets\.json: the disk is full/),
    });
    await expect(client.call('settings.update', { logCapMb: 400 })).rejects.toMatchObject({
      code: 'DISK_FULL',
      message: expect.stringMatching(/^The settings were not saved\. Cannot write .*settings\.json: the disk is full/),
    });
    await expect(client.call('connections.remove', { id: 'first' })).rejects.toMatchObject({
      code: 'DISK_FULL',
      message: expect.stringMatching(/^The connection was not removed\./),
    });

    expect(leftovers(dir)).toEqual([]);
    expect(readFileSync(join(dir, 'connections.json'), 'utf8')).toBe(connectionsBefore);
    expect(readFileSync(join(dir, 'secrets.json'), 'utf8')).toBe(secretsBefore);
    expect(readFileSync(join(dir, 'settings.json'), 'utf8')).toBe(settingsBefore);
    expect((await client.call('settings.get', {})).logCapMb).toBe(300);
    expect((await client.call('connections.list', {})).map((c) => c.profile.id)).toEqual(['first']);

    unlinkSync(filler);
    await client.call('connections.save', { profile, secrets: { saslPassword: 'two' } });
    await client.call('settings.update', { logCapMb: 400 });
    expect((await client.call('connections.list', {})).map((c) => [c.profile.id, c.hasSaslPassword])).toEqual([
      ['first', true],
      ['second', true],
    ]);
    expect((await client.call('settings.get', {})).logCapMb).toBe(400);
    expect(leftovers(dir)).toEqual([]);
  });
});

describe('export to a full disk', () => {
  const kafka = inject('kafka');
  let disk: TinyDisk = { dir: null, reason: 'not mounted' };
  beforeAll(() => {
    disk = mountTinyDisk();
  });
  afterAll(() => {
    if (disk.dir !== null) disk.unmount();
  });

  it('is DISK_FULL and exit 1, keeps what was written as FILE.partial and says so, never writes FILE', async ({
    skip,
  }) => {
    if (disk.dir === null) return skip(disk.reason);
    const topic = uniqueName('full-export');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 1 });
    // About 300 KB of NDJSON: more than the disk holds.
    produceWithKcat(
      kafka.bootstrap,
      topic,
      Array.from({ length: 300 }, (_, i) => `${i}:${'x'.repeat(1_000)}`),
      { partition: 0 },
    );
    const file = join(disk.dir, 'out.ndjson');
    const result = await new Promise<{ code: number | null; stderr: string }>((resolve) => {
      execFile(
        process.execPath,
        [BIN, 'export', topic, '--bootstrap', kafka.bootstrap, '--output', file],
        { timeout: 30_000 },
        (err, _stdout, stderr) => resolve({ code: err ? ((err as { code?: number }).code ?? null) : 0, stderr }),
      );
    });
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(
      new RegExp(
        `^eventscope: Cannot write ${file}: the disk is full\\. Free some space, then try again\\. The \\d+ bytes written so far are in ${file}\\.partial; ${file} was not written\\. \\[DISK_FULL\\]\\n$`,
      ),
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(file)).toBe(false);
    const kept = readFileSync(`${file}.partial`, 'utf8');
    expect(statSync(`${file}.partial`).size).toBeGreaterThan(0);
    // Whole lines as far as they go, in order from the first record: a start, not a jumble.
    const lines = kept.split('\n');
    expect(JSON.parse(lines[0]!)).toMatchObject({ offset: '0' });
    expect(lines.length).toBeLessThan(300);
  });
});
