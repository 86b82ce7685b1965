import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SettingsStore } from '../../src/node/host/settings-store.ts';
import { testTempDir } from '../support/temp-dir.ts';

const tempDir = () => testTempDir('es-settings-');

describe('SettingsStore', () => {
  it('starts empty, and keeps what is saved', async () => {
    const dir = tempDir();
    expect(new SettingsStore(dir).load()).toEqual({ settings: { version: 1 }, problem: null });
    await new SettingsStore(dir).save({ version: 1, logCapMb: 512 });
    expect(new SettingsStore(dir).load()).toEqual({ settings: { version: 1, logCapMb: 512 }, problem: null });
  });

  it('does not overwrite a file it cannot use: the defaults apply and the problem names the file and the cause', () => {
    const dir = tempDir();
    const path = join(dir, 'settings.json');
    writeFileSync(path, '{ "version": 1, "logCapMb": ');
    const broken = new SettingsStore(dir).load();
    expect(broken.settings).toEqual({ version: 1 });
    expect(broken.problem).toMatch(/settings\.json is not JSON/);
    expect(readFileSync(path, 'utf8')).toBe('{ "version": 1, "logCapMb": ');

    writeFileSync(path, JSON.stringify({ version: 1, logCapMb: 3 }));
    expect(new SettingsStore(dir).load().problem).toMatch(/logCapMb: Too small/);
    writeFileSync(path, JSON.stringify({ version: 2 }));
    expect(new SettingsStore(dir).load().problem).toMatch(/version/);
  });
});
