// A throwaway CA and a server certificate for the harness broker's TLS listener, made with
// the openssl command line. The server certificate names localhost and 127.0.0.1.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface TestCertificates {
  caFile: string;
  /** Private key and certificate in one PEM file, as Kafka's PEM keystore wants them. */
  serverKeystoreFile: string;
}

export function opensslAvailable(): boolean {
  return spawnSync('openssl', ['version'], { stdio: 'ignore' }).status === 0;
}

export function makeTestCertificates(dir: string): TestCertificates {
  const file = (name: string) => join(dir, name);
  const openssl = (args: string[]) => execFileSync('openssl', args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir });
  openssl([
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('ca.key'),
    '-out',
    file('ca.pem'),
    '-days',
    '3',
    '-subj',
    '/CN=Eventscope test CA',
  ]);
  openssl([
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-keyout',
    file('server.key'),
    '-out',
    file('server.csr'),
    '-subj',
    '/CN=localhost',
  ]);
  writeFileSync(file('server.ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1\n');
  openssl([
    'x509',
    '-req',
    '-in',
    file('server.csr'),
    '-CA',
    file('ca.pem'),
    '-CAkey',
    file('ca.key'),
    '-CAcreateserial',
    '-out',
    file('server.pem'),
    '-days',
    '3',
    '-extfile',
    file('server.ext'),
  ]);
  const keystore = file('server-keystore.pem');
  writeFileSync(keystore, readFileSync(file('server.key'), 'utf8') + readFileSync(file('server.pem'), 'utf8'));
  return { caFile: file('ca.pem'), serverKeystoreFile: keystore };
}
