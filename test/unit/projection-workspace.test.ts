// The projections folder through the contract (an in-process host over a temp data folder):
// first use makes the default folder with the sample projections; files are written, read,
// listed and deleted; a save over a file changed on disk is refused; a folder that is missing,
// is a file, or is given as a relative path is refused by name, and a choice is kept across a
// restart of the host.
import { mkdtempSync, rmSync, utimesSync, writeFileSync, readdirSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { sampleCapturePath } from '../../src/node/host/app-paths.ts';
import { startInProcessHost, type TestHost } from '../support/in-process-host.ts';

describe('projections workspace', () => {
  const hosts: TestHost[] = [];
  const dirs: string[] = [];
  const scratch = (): string => {
    const dir = mkdtempSync(join(tmpdir(), 'eventscope-projections-'));
    dirs.push(dir);
    return dir;
  };
  afterEach(async () => {
    for (const h of hosts.splice(0)) await h.close();
    for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
  });
  const start = async (dataDir?: string): Promise<TestHost> => {
    const host = await startInProcessHost({ sampleCapturePath: sampleCapturePath(), ...(dataDir ? { dataDir } : {}) });
    hosts.push(host);
    return host;
  };

  it('makes the default folder with the sample projections on first use', async () => {
    const host = await start();
    const ws = await host.client.call('projections.workspace', {});
    expect(ws.isDefault).toBe(true);
    expect(ws.problem).toBeNull();
    const samples = readdirSync(join(sampleCapturePath(), '..', 'projections'))
      .filter((n) => n.endsWith('.js'))
      .sort();
    expect(samples.length).toBeGreaterThan(0);
    expect(ws.files.map((f) => f.name)).toEqual(samples);
  });

  it('writes, reads, lists and deletes files; refuses a save over a file changed on disk', async () => {
    const host = await start();
    const ws = await host.client.call('projections.workspace', {});
    const saved = await host.client.call('projections.write', {
      name: 'count.js',
      source: 'export default { init: () => 0, any: (s) => s + 1 };',
      expectedModifiedMs: null,
    });
    expect((await host.client.call('projections.read', { name: 'count.js' })).source).toContain('s + 1');
    expect((await host.client.call('projections.workspace', {})).files.map((f) => f.name)).toContain('count.js');
    await expect(
      host.client.call('projections.write', { name: 'count.js', source: 'x', expectedModifiedMs: null }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('already exists') });
    // Another editor writes the file: the app's save names the time it read and is refused.
    writeFileSync(join(ws.folder, 'count.js'), 'export default { init: () => 1, any: (s) => s };');
    utimesSync(join(ws.folder, 'count.js'), new Date(), new Date(saved.modifiedMs + 5_000));
    await expect(
      host.client.call('projections.write', { name: 'count.js', source: 'y', expectedModifiedMs: saved.modifiedMs }),
    ).rejects.toMatchObject({ code: 'CONFLICT', message: expect.stringContaining('changed on disk') });
    expect(await host.client.call('projections.delete', { name: 'count.js' })).toEqual({ deleted: true });
    expect(await host.client.call('projections.delete', { name: 'count.js' })).toEqual({ deleted: false });
    await expect(host.client.call('projections.read', { name: 'count.js' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining('count.js is not in'),
    });
  });

  it('refuses names with folders, relative or missing folders and files as folders; keeps a chosen folder across restarts', async () => {
    const dataDir = scratch();
    const host = await start(dataDir);
    for (const name of ['../escape.js', 'a/b.js', 'notes.txt', '.hidden.js']) {
      await expect(host.client.call('projections.read', { name })).rejects.toMatchObject({
        code: 'INVALID_PARAMS',
        message: expect.stringContaining('name'),
      });
    }
    await expect(host.client.call('projections.setFolder', { folder: 'relative/dir' })).rejects.toMatchObject({
      code: 'INVALID_PARAMS',
      message: expect.stringContaining('not an absolute path'),
    });
    const missing = join(scratch(), 'not-yet');
    await expect(host.client.call('projections.setFolder', { folder: missing })).rejects.toMatchObject({
      code: 'NOT_FOUND',
      message: expect.stringContaining(missing),
    });
    const file = join(scratch(), 'a-file.js');
    writeFileSync(file, '');
    await expect(host.client.call('projections.setFolder', { folder: file })).rejects.toMatchObject({
      code: 'BAD_CONFIG',
      message: expect.stringContaining('is a file, not a folder'),
    });
    const chosen = await host.client.call('projections.setFolder', { folder: missing, create: true });
    expect(chosen).toMatchObject({ folder: missing, isDefault: false, files: [], problem: null });
    await host.client.call('projections.write', { name: 'kept.js', source: '// kept' });
    await hosts.pop()!.close();
    const again = await start(dataDir);
    expect(await again.client.call('projections.workspace', {})).toMatchObject({
      folder: missing,
      files: [{ name: 'kept.js' }],
    });
    // The folder goes away under the app: said, not thrown.
    rmSync(missing, { recursive: true });
    expect((await again.client.call('projections.workspace', {})).problem).toContain('does not exist');
    mkdirSync(missing);
  });
});
