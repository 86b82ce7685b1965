import { describe, expect, it } from 'vitest';
import { importConnectionFile, parseJaas, parseProperties } from '../../src/node/connections/import-config-file.ts';
import { EventscopeError } from '../../src/common/contract/errors.ts';

function importError(text: string, name = 'client.properties'): EventscopeError {
  try {
    importConnectionFile(name, text);
  } catch (err) {
    if (err instanceof EventscopeError) return err;
    throw err;
  }
  throw new Error('expected an error');
}

describe('client.properties import', () => {
  it('reads a Java client SCRAM over TLS file', () => {
    const imported = importConnectionFile(
      'prod.properties',
      [
        '# production',
        'bootstrap.servers=b1.example.com:9093,b2.example.com:9093',
        'security.protocol=SASL_SSL',
        'sasl.mechanism=SCRAM-SHA-512',
        'sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required \\',
        // Two layers of escaping, as in Java: properties first, then JAAS.
        String.raw`    username="svc-orders" password="p\\\\a\\\"ss";`,
        'ssl.truststore.type=PEM',
        'ssl.truststore.location=/etc/kafka/ca.pem',
        'client.id = orders-debug',
      ].join('\n'),
    );
    expect(imported.profile).toMatchObject({
      name: 'prod',
      bootstrap: 'b1.example.com:9093,b2.example.com:9093',
      clientId: 'orders-debug',
      sasl: { mechanism: 'scram-sha-512', username: 'svc-orders' },
      tls: { caFile: '/etc/kafka/ca.pem', insecureSkipVerify: false },
    });
    expect(imported.secrets.saslPassword).toBe('p\\a"ss');
    expect(imported.warnings).toEqual([]);
  });

  it('reads a kcat (librdkafka) config file', () => {
    const imported = importConnectionFile(
      'kcat.conf',
      'metadata.broker.list=localhost:9092\nsecurity.protocol=sasl_plaintext\nsasl.mechanisms=PLAIN\nsasl.username=alice\nsasl.password=secret\n',
    );
    expect(imported.profile.sasl).toEqual({ mechanism: 'plain', username: 'alice' });
    expect(imported.secrets.saslPassword).toBe('secret');
    expect(imported.profile.tls).toBeUndefined();
  });

  it('warns about what it cannot use: JKS truststores, verification off', () => {
    const imported = importConnectionFile(
      'c.properties',
      'bootstrap.servers=k:9093\nsecurity.protocol=SSL\nssl.truststore.location=/x/truststore.jks\nenable.ssl.certificate.verification=false\n',
    );
    expect(imported.warnings.join('\n')).toMatch(/truststore .*JKS.*PEM/);
    expect(imported.warnings.join('\n')).toMatch(/verification off/);
    expect(imported.profile.tls?.insecureSkipVerify).toBe(true);
  });

  it('rejects files that are not Kafka client configs, naming the cause', () => {
    expect(importError('hello world\nfoo=bar').message).toMatch(/no bootstrap\.servers/);
    expect(importError('bootstrap.servers=localhost:99999').message).toMatch(/line 1: .*out of range/);
    expect(importError('bootstrap.servers=k:1\nsecurity.protocol=SASL_SSL\nsasl.mechanism=GSSAPI').message).toMatch(
      /GSSAPI is not supported/,
    );
    expect(importError('bootstrap.servers=k:1\nsecurity.protocol=TLS').message).toMatch(/security\.protocol "TLS"/);
    expect(
      importError('bootstrap.servers=k:1\nsecurity.protocol=SASL_PLAINTEXT\nsasl.mechanism=PLAIN').message,
    ).toMatch(/no user name/);
    expect(importError('=oops').message).toMatch(/line 1: a value without a key/);
    expect(importError('').code).toBe('BAD_CONFIG');
  });

  it('parses Java properties escapes and separators', () => {
    const props = parseProperties(
      'a\\ b = c\\td\nx:y\nunicode=\\u00e9\n! comment\n# comment\nlong=one \\\n   two',
      'f',
    );
    expect(props.get('a b')?.value).toBe('c\td');
    expect(props.get('x')?.value).toBe('y');
    expect(props.get('unicode')?.value).toBe('é');
    expect(props.get('long')?.value).toBe('one two');
  });

  it('pulls credentials out of JAAS', () => {
    expect(parseJaas('PlainLoginModule required username="u" password="p";')).toEqual({ username: 'u', password: 'p' });
  });
});
