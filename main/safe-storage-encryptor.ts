// Electron safeStorage as the Encryptor the secret vault in src/ expects.
import { safeStorage } from 'electron';
import type { Encryptor } from '../src/node/connections/secret-vault.ts';

export function safeStorageEncryptor(): Encryptor {
  const backend = (): string =>
    process.platform === 'linux'
      ? safeStorage.getSelectedStorageBackend()
      : process.platform === 'darwin'
        ? 'keychain'
        : 'dpapi';
  return {
    backend,
    // On Linux "basic_text" means no keyring was found and a hard-coded key would be used.
    isSecure: () => safeStorage.isEncryptionAvailable() && backend() !== 'basic_text' && backend() !== 'unknown',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (cipher) => safeStorage.decryptString(cipher),
  };
}
