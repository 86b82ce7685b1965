import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount } from '../../src/format/numbers.ts';

describe('formatCount', () => {
  it('groups digits of int64 strings without going through floating point', () => {
    expect(formatCount('1204331')).toBe('1,204,331');
    expect(formatCount('9223372036854775807')).toBe('9,223,372,036,854,775,807');
    expect(formatCount('9007199254740993')).toBe('9,007,199,254,740,993'); // 2^53 + 1: a double would print …992
    expect(formatCount('0')).toBe('0');
    expect(formatCount('-1')).toBe('-1');
    expect(formatCount(1000n)).toBe('1,000');
  });
  it('formats bytes for reading', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(3.2 * 1024 * 1024)).toBe('3.2 MB');
  });
});
