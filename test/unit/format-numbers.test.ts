import { describe, expect, it } from 'vitest';
import { formatBytes, formatCount } from '../../src/common/format/numbers.ts';

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

describe('durations for people', () => {
  it('use the two largest units that matter', async () => {
    const { formatDuration } = await import('../../src/common/format/durations.ts');
    expect(
      [0, 999, 1_000, 59_999, 60_000, 200_000, 3_600_000, 7_500_000, 86_400_000, 97_200_000, -5_000, Infinity].map(
        formatDuration,
      ),
    ).toEqual([
      '0 ms',
      '999 ms',
      '1 s',
      '59 s',
      '1 min',
      '3 min 20 s',
      '1 h',
      '2 h 5 min',
      '1 d',
      '1 d 3 h',
      '-5 s',
      '∞',
    ]);
  });
});
