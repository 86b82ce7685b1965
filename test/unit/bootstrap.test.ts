import { describe, expect, it } from 'vitest';
import { formatBootstrap, isIpv6Address, parseBootstrap } from '../../src/common/contract/bootstrap.ts';

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
    expect(parseBootstrap('PLAINTEXT://broker-1:9092')).toEqual({
      ok: true,
      servers: [{ host: 'broker-1', port: 9092 }],
    });
    expect(parseBootstrap('[2001:db8::10]:9092,[fe80::1%eth0]:19092,[::ffff:10.0.0.1]:1')).toEqual({
      ok: true,
      servers: [
        { host: '2001:db8::10', port: 9092 },
        { host: 'fe80::1%eth0', port: 19092 },
        { host: '::ffff:10.0.0.1', port: 1 },
      ],
    });
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
    [
      '::1:9092',
      /^"::1:9092" looks like an IPv6 address with a port: put the address in brackets, e.g. \[::1\]:9092\.$/,
    ],
    ['2001:db8::10:9092', /put the address in brackets, e.g. \[2001:db8::10\]:9092/],
    ['[::1]9092', /IPv6/],
    ['!!!:9092', /not a valid host name/],
    // An IPv6 address alone: asked for with brackets and a port, not split at its last ":".
    ['fe80::1', /^"fe80::1" looks like an IPv6 address without a port: write it as \[fe80::1\]:9092\.$/],
    // Garbage with colons is not guessed to be IPv6.
    ['foo:bar:baz', /^"foo:bar:baz" is not host:port: it has 2 ":" and is not an IPv6 address/],
    ['::::', /^"::::" is not host:port: it has 4 ":" and is not an IPv6 address/],
    ['host:9092:9093', /^"host:9092:9093" is not host:port: it has 2 ":"/],
    ['1:2:3:4:5:6:7:8:9:9092', /is not host:port: it has 9 ":" and is not an IPv6 address/],
    ['[foo]:9092', /^"foo" in "\[foo\]:9092" is not an IPv6 address/],
    ['[::::]:9092', /"::::" in "\[::::\]:9092" is not an IPv6 address/],
    ['[1.2.3.4]:9092', /is not an IPv6 address/],
    ['[]:9092', /is not an IPv6 address/],
  ])('rejects %j with a message naming the problem', (input, message) => {
    const result = parseBootstrap(input);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(message);
  });

  it('tells IPv6 addresses from text with colons', () => {
    for (const ok of [
      '::',
      '::1',
      '1::',
      '2001:db8::10',
      '2001:0db8:0000:0000:0000:ff00:0042:8329',
      'fe80::1%eth0',
      '::ffff:192.0.2.1',
      '64:ff9b::192.0.2.33',
      '1:2:3:4:5:6:7::',
    ])
      expect(isIpv6Address(ok), ok).toBe(true);
    for (const bad of [
      '',
      ':',
      ':::',
      '::::',
      '1::2::3',
      'foo:bar',
      '12345::',
      '1:2:3:4:5:6:7:8:9',
      '1:2:3:4:5:6:7',
      '::1.2.3',
      '::256.0.0.1',
      'fe80::1%',
      'g::1',
      '1:2:3:4:5:6:7:8::',
    ])
      expect(isIpv6Address(bad), bad).toBe(false);
  });

  it('formats back what it parsed', () => {
    const parsed = parseBootstrap('[::1]:9092,b:1');
    expect(parsed.ok && formatBootstrap(parsed.servers)).toBe('[::1]:9092,b:1');
  });
});
