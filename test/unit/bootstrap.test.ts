import { describe, expect, it } from 'vitest';
import { formatBootstrap, parseBootstrap } from '../../src/contract/bootstrap.ts';

describe('parseBootstrap', () => {
  it('accepts host:port lists, IPv6 in brackets and listener prefixes', () => {
    expect(parseBootstrap('localhost:9092')).toEqual({ ok: true, servers: [{ host: 'localhost', port: 9092 }] });
    expect(parseBootstrap(' a.example.com:9092 , 10.0.0.1:19092')).toEqual({
      ok: true,
      servers: [
        { host: 'a.example.com', port: 9092 },
        { host: '10.0.0.1', port: 19092 },
      ],
    });
    expect(parseBootstrap('[::1]:9092')).toEqual({ ok: true, servers: [{ host: '::1', port: 9092 }] });
    expect(parseBootstrap('PLAINTEXT://broker-1:9092')).toEqual({ ok: true, servers: [{ host: 'broker-1', port: 9092 }] });
  });

  it.each([
    ['', /empty/],
    ['localhost', /has no port/],
    ['localhost:', /not a number/],
    ['localhost:abc', /not a number/],
    ['localhost:0', /out of range/],
    ['localhost:65536', /out of range/],
    ['localhost:99999', /out of range/],
    ['a:1,,b:2', /empty entry/],
    ['bad host:9092', /not a valid host name/],
    ['::1:9092', /IPv6/],
    ['[::1]9092', /IPv6/],
    ['!!!:9092', /not a valid host name/],
  ])('rejects %j with a message naming the problem', (input, message) => {
    const result = parseBootstrap(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it('formats back what it parsed', () => {
    const parsed = parseBootstrap('[::1]:9092,b:1');
    expect(parsed.ok && formatBootstrap(parsed.servers)).toBe('[::1]:9092,b:1');
  });
});
