// Where connection secrets (SASL password, TLS key password) live. Two kinds:
// - EncryptedSecretVault: encrypted by the OS keychain (Electron safeStorage, injected by
//   main/ as an Encryptor so src/ never imports electron). Where the keychain is only
//   Linux's basic_text backend, storing needs the user's explicit consent.
// - PlaintextFileSecretVault: browser mode and the CLI; a JSON file with mode 0600, and
//   the UI says so next to the password field.
import { chmod } from 'node:fs/promises';
import { join } from 'node:path';
import type { ConnectionSecrets, SecretStorageInfo } from '../../common/contract/dto.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import { writeFileAtomic } from '../files/atomic-file.ts';
import { readJsonFile } from '../files/json-file.ts';

export interface SecretVault {
  info(): SecretStorageInfo;
  load(id: string): Promise<ConnectionSecrets>;
  /** allowPlaintext: the user agreed to store secrets where no keychain protects them. */
  save(id: string, secrets: ConnectionSecrets, options: { allowPlaintext: boolean }): Promise<void>;
  remove(id: string): Promise<void>;
}

export interface Encryptor {
  /** e.g. "gnome_libsecret", "kwallet5", "basic_text" on Linux; "keychain"/"dpapi" elsewhere. */
  backend(): string;
  /** False where the backend stores with a hard-coded key (Linux basic_text). */
  isSecure(): boolean;
  encrypt(plain: string): Buffer;
  decrypt(cipher: Buffer): string;
}

type SecretFile = Record<string, ConnectionSecrets>;

function hasAny(secrets: ConnectionSecrets): boolean {
  return Object.values(secrets).some((v) => v !== undefined && v !== '');
}

function clean(secrets: ConnectionSecrets): ConnectionSecrets {
  const out: ConnectionSecrets = {};
  if (secrets.saslPassword) out.saslPassword = secrets.saslPassword;
  if (secrets.tlsKeyPassword) out.tlsKeyPassword = secrets.tlsKeyPassword;
  return out;
}

/** The vault's file as saved; an empty one while nothing is. */
async function readJson<T>(path: string, fallback: T): Promise<T> {
  const json = await readJsonFile(path, 'Fix or remove it (it holds saved secrets).');
  return json === undefined ? fallback : (json as T);
}

export class PlaintextFileSecretVault implements SecretVault {
  private readonly path: string;

  constructor(dataDir: string) {
    this.path = join(dataDir, 'secrets.json');
  }

  info(): SecretStorageInfo {
    return {
      kind: 'plaintext-file',
      description: `Secrets are kept unencrypted in ${this.path}, readable only by your user (mode 0600).`,
      requiresConsent: false,
    };
  }

  async load(id: string): Promise<ConnectionSecrets> {
    const all = await readJson<SecretFile>(this.path, {});
    return all[id] ?? {};
  }

  /** No consent is asked: the file's mode and the description say what protects it. */
  async save(id: string, secrets: ConnectionSecrets, _options?: { allowPlaintext: boolean }): Promise<void> {
    const all = await readJson<SecretFile>(this.path, {});
    if (hasAny(secrets)) all[id] = clean(secrets);
    else delete all[id];
    await writeFileAtomic(this.path, JSON.stringify(all, null, 2), 0o600);
    await chmod(this.path, 0o600);
  }

  async remove(id: string): Promise<void> {
    const all = await readJson<SecretFile>(this.path, {});
    if (!(id in all)) return;
    delete all[id];
    await writeFileAtomic(this.path, JSON.stringify(all, null, 2), 0o600);
  }
}

export class EncryptedSecretVault implements SecretVault {
  private readonly path: string;
  private readonly encryptor: Encryptor;

  constructor(dataDir: string, encryptor: Encryptor) {
    this.path = join(dataDir, 'secrets.enc.json');
    this.encryptor = encryptor;
  }

  info(): SecretStorageInfo {
    const backend = this.encryptor.backend();
    if (this.encryptor.isSecure()) {
      return {
        kind: 'os-keychain',
        description: `Secrets are encrypted with the OS keychain (${backend}).`,
        requiresConsent: false,
      };
    }
    return {
      kind: 'plaintext-file',
      description: `No OS keychain is available (backend "${backend}"): secrets would be stored with a fixed key, which is as good as plain text. Install and unlock a keyring (GNOME Keyring, KWallet), or agree to store them anyway.`,
      requiresConsent: true,
    };
  }

  async load(id: string): Promise<ConnectionSecrets> {
    const all = await readJson<Record<string, string>>(this.path, {});
    const sealed = all[id];
    if (!sealed) return {};
    try {
      return JSON.parse(this.encryptor.decrypt(Buffer.from(sealed, 'base64'))) as ConnectionSecrets;
    } catch (err) {
      throw new EventscopeError(
        'BAD_CONFIG',
        `The saved secrets of connection ${id} cannot be decrypted (${(err as Error).message}); enter the password again.`,
      );
    }
  }

  async save(id: string, secrets: ConnectionSecrets, options: { allowPlaintext: boolean }): Promise<void> {
    const all = await readJson<Record<string, string>>(this.path, {});
    if (hasAny(secrets)) {
      if (!this.encryptor.isSecure() && !options.allowPlaintext) {
        throw new EventscopeError('SECRET_STORAGE_INSECURE', this.info().description, 'allowPlaintextSecrets');
      }
      all[id] = this.encryptor.encrypt(JSON.stringify(clean(secrets))).toString('base64');
    } else {
      delete all[id];
    }
    await writeFileAtomic(this.path, JSON.stringify(all, null, 2), 0o600);
  }

  async remove(id: string): Promise<void> {
    const all = await readJson<Record<string, string>>(this.path, {});
    if (!(id in all)) return;
    delete all[id];
    await writeFileAtomic(this.path, JSON.stringify(all, null, 2), 0o600);
  }
}
