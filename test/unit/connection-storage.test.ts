import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConnectionStore } from '../../src/node/connections/connection-store.ts';
import {
  EncryptedSecretVault,
  PlaintextFileSecretVault,
  type Encryptor,
} from '../../src/node/connections/secret-vault.ts';
import { ConnectionProfile } from '../../src/common/contract/dto.ts';
import { testTempDir } from '../support/temp-dir.ts';

const tempDir = async () => testTempDir('eventscope-unit-');
const profile = (id: string, name = id) => ConnectionProfile.parse({ id, name, bootstrap: 'localhost:9092' });

// Reversible stand-in for safeStorage: encryption itself is Electron's job; what is tested
// here is what the vault does around it (consent, what reaches the disk).
function xorEncryptor(secure: boolean): Encryptor {
  const flip = (b: Buffer) => Buffer.from(b.map((x) => x ^ 0x5a));
  return {
    backend: () => (secure ? 'gnome_libsecret' : 'basic_text'),
    isSecure: () => secure,
    encrypt: (s) => flip(Buffer.from(s)),
    decrypt: (b) => flip(b).toString(),
  };
}

describe('ConnectionStore', () => {
  it('saves, lists, updates and removes profiles, and keeps no secrets', async () => {
    const dir = await tempDir();
    const store = new ConnectionStore(dir);
    expect(await store.list()).toEqual([]);
    await Promise.all([store.upsert(profile('a')), store.upsert(profile('b'))]);
    await store.upsert(profile('a', 'renamed'));
    expect((await store.list()).map((p) => [p.id, p.name])).toEqual([
      ['a', 'renamed'],
      ['b', 'b'],
    ]);
    expect(await store.remove('a')).toBe(true);
    expect(await store.remove('a')).toBe(false);
    expect((await new ConnectionStore(dir).list()).map((p) => p.id)).toEqual(['b']);
    await expect(store.get('nope')).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('says which file is broken instead of starting empty', async () => {
    const dir = await tempDir();
    await writeFile(join(dir, 'connections.json'), '{not json');
    await expect(new ConnectionStore(dir).list()).rejects.toMatchObject({
      code: 'BAD_CONFIG',
      message: expect.stringContaining('connections.json is not valid JSON'),
    });
    await writeFile(join(dir, 'connections.json'), JSON.stringify({ version: 1, connections: [{ id: 'x' }] }));
    await expect(new ConnectionStore(dir).list()).rejects.toMatchObject({ code: 'BAD_CONFIG' });
  });
});

describe('PlaintextFileSecretVault (browser mode)', () => {
  it('keeps secrets in a 0600 file and says so', async () => {
    const dir = await tempDir();
    const vault = new PlaintextFileSecretVault(dir);
    await vault.save('a', { saslPassword: 'pw' }, { allowPlaintext: false });
    expect(await vault.load('a')).toEqual({ saslPassword: 'pw' });
    expect((await stat(join(dir, 'secrets.json'))).mode & 0o777).toBe(0o600);
    expect(vault.info()).toMatchObject({ kind: 'plaintext-file', description: expect.stringContaining('0600') });
    await vault.remove('a');
    expect(await vault.load('a')).toEqual({});
  });
});

describe('EncryptedSecretVault (desktop)', () => {
  it('stores only ciphertext when a keychain is there', async () => {
    const dir = await tempDir();
    const vault = new EncryptedSecretVault(dir, xorEncryptor(true));
    await vault.save('a', { saslPassword: 'hunter2' }, { allowPlaintext: false });
    expect(await readFile(join(dir, 'secrets.enc.json'), 'utf8')).not.toContain('hunter2');
    expect(await vault.load('a')).toEqual({ saslPassword: 'hunter2' });
    expect(vault.info().kind).toBe('os-keychain');
  });

  it('refuses to store with the basic_text backend unless the user agreed', async () => {
    const dir = await tempDir();
    const vault = new EncryptedSecretVault(dir, xorEncryptor(false));
    expect(vault.info()).toMatchObject({ requiresConsent: true, description: expect.stringContaining('basic_text') });
    await expect(vault.save('a', { saslPassword: 'pw' }, { allowPlaintext: false })).rejects.toMatchObject({
      code: 'SECRET_STORAGE_INSECURE',
    });
    expect(await vault.load('a')).toEqual({});
    await vault.save('a', { saslPassword: 'pw' }, { allowPlaintext: true });
    expect(await vault.load('a')).toEqual({ saslPassword: 'pw' });
  });
});
