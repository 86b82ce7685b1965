// The eventscope command (the built bin) given a bootstrap that is not host:port: a usage
// error (exit 2) that names what is wrong, before anything is sent. Text with colons is not
// guessed to be an IPv6 address; a real IPv6 address is asked for in brackets.
import { describe, expect, it } from 'vitest';
import { eventscope } from '../support/run-cli.ts';

/** The first line of standard error: the message (the usage text follows it). */
const firstLine = (stderr: string): string => stderr.split('\n')[0]!;

describe('eventscope --bootstrap that is not host:port', () => {
  it.each([
    [
      'foo:bar:baz',
      'eventscope: --bootstrap: "foo:bar:baz" is not host:port: it has 2 ":" and is not an IPv6 address (an IPv6 address goes in brackets, e.g. [::1]:9092; a host name has no ":").',
    ],
    [
      '::::',
      'eventscope: --bootstrap: "::::" is not host:port: it has 4 ":" and is not an IPv6 address (an IPv6 address goes in brackets, e.g. [::1]:9092; a host name has no ":").',
    ],
    [
      'localhost:9092,broker:9092:9093',
      'eventscope: --bootstrap: "broker:9092:9093" is not host:port: it has 2 ":" and is not an IPv6 address (an IPv6 address goes in brackets, e.g. [::1]:9092; a host name has no ":").',
    ],
    [
      '[foo]:9092',
      'eventscope: --bootstrap: "foo" in "[foo]:9092" is not an IPv6 address (groups of up to 4 hex digits separated by ":", e.g. [::1]:9092 or [2001:db8::10]:9092).',
    ],
    // IPv6 without brackets keeps its meaning: asked for with them.
    [
      '::1:9092',
      'eventscope: --bootstrap: "::1:9092" looks like an IPv6 address with a port: put the address in brackets, e.g. [::1]:9092.',
    ],
    ['::1', 'eventscope: --bootstrap: "::1" looks like an IPv6 address without a port: write it as [::1]:9092.'],
  ])('%j: exit 2 and what is wrong, then the usage', async (bootstrap, message) => {
    for (const args of [['topics'], ['tail', 'orders', '--end']]) {
      const { code, stdout, stderr } = await eventscope([...args, '--bootstrap', bootstrap]);
      expect(code).toBe(2);
      expect(stdout).toBe('');
      expect(firstLine(stderr)).toBe(message);
      expect(stderr).toContain(`Usage: eventscope ${args[0]} `);
    }
  });

  it('a bracketed IPv6 address is taken as one (nothing listens there: a connection error, exit 1, not a usage error)', async () => {
    const { code, stderr } = await eventscope(['topics', '--bootstrap', '[::1]:1', '--timeout', '2000']);
    expect(code).toBe(1);
    expect(stderr).toMatch(/\[::1\]:1/);
    expect(stderr).not.toMatch(/not host:port|not an IPv6 address/);
  });
});
