import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  formatTimestamp,
  formatTimestampWithZone,
  NO_TIMESTAMP,
  parseTimestamp,
  zoneLabel,
  zoneSuffix,
} from '../../src/common/format/timestamps.ts';

// 2026-11-28T13:29:17.045Z, and a summer time in Berlin (+02:00).
const WINTER = Date.UTC(2026, 10, 28, 13, 29, 17, 45);
const SUMMER = Date.UTC(2026, 6, 1, 22, 30, 0, 0);

describe('record timestamps in the chosen time zone', () => {
  let tz: string | undefined;
  beforeEach(() => {
    tz = process.env['TZ'];
    process.env['TZ'] = 'Europe/Berlin';
  });
  afterEach(() => {
    if (tz === undefined) delete process.env['TZ'];
    else process.env['TZ'] = tz;
  });

  it('UTC: fixed width, to the millisecond, the same on every machine', () => {
    expect(formatTimestamp(WINTER, 'utc')).toBe('2026-11-28 13:29:17.045');
    expect(formatTimestampWithZone(WINTER, 'utc')).toBe('2026-11-28 13:29:17.045 UTC');
    expect(formatTimestamp(0, 'utc')).toBe('1970-01-01 00:00:00.000');
  });

  it('local: the machine zone, its offset written out where the zone is shown (summer and winter time)', () => {
    expect(formatTimestamp(WINTER, 'local')).toBe('2026-11-28 14:29:17.045');
    expect(formatTimestampWithZone(WINTER, 'local')).toBe('2026-11-28 14:29:17.045 +01:00');
    // Past midnight locally: the date changes too.
    expect(formatTimestampWithZone(SUMMER, 'local')).toBe('2026-07-02 00:30:00.000 +02:00');
    expect(zoneSuffix(SUMMER, 'utc')).toBe('UTC');
  });

  it('negative offsets and half hours', () => {
    process.env['TZ'] = 'America/St_Johns'; // -03:30 in winter
    expect(formatTimestampWithZone(WINTER, 'local')).toBe('2026-11-28 09:59:17.045 -03:30');
  });

  it('no timestamp (-1, as Kafka writes it) is a dash, not 1969', () => {
    expect(formatTimestamp(-1, 'utc')).toBe(NO_TIMESTAMP);
    expect(formatTimestampWithZone(-1, 'local')).toBe(NO_TIMESTAMP);
    expect(formatTimestamp(Number.NaN, 'local')).toBe(NO_TIMESTAMP);
  });

  it('labels', () => {
    expect(zoneLabel('utc')).toBe('UTC');
    expect(zoneLabel('local')).toBe('local time');
  });

  it('reads a typed time in the chosen zone unless it names its own', () => {
    expect(parseTimestamp('2026-11-28 13:29:17.045', 'utc')).toBe(WINTER);
    expect(parseTimestamp('2026-11-28T14:29:17.045', 'local')).toBe(WINTER);
    expect(parseTimestamp('2026-11-28T13:29:17.045Z', 'local')).toBe(WINTER);
    expect(parseTimestamp('2026-11-28 15:29:17.045 +02:00', 'utc')).toBe(WINTER);
    expect(parseTimestamp('2026-11-28 08:29:17.045-0500', 'local')).toBe(WINTER);
    expect(parseTimestamp('2026-11-28 13:29:17.045 UTC', 'local')).toBe(WINTER);
    expect(parseTimestamp('2026-11-28', 'utc')).toBe(Date.UTC(2026, 10, 28));
    expect(parseTimestamp('2026-11-28 13:29', 'utc')).toBe(Date.UTC(2026, 10, 28, 13, 29));
    expect(parseTimestamp('2026-11-28 13:29:17.5', 'utc')).toBe(Date.UTC(2026, 10, 28, 13, 29, 17, 500));
    // What it writes, it reads back.
    for (const zone of ['utc', 'local'] as const)
      expect(parseTimestamp(formatTimestamp(SUMMER, zone), zone)).toBe(SUMMER);
  });

  it.each(['', 'yesterday', '2026-02-30', '2026-13-01', '2026-11-28 24:00', '2026-11-28T10:61', '28.11.2026'])(
    '%j is not a time',
    (text) => {
      expect(parseTimestamp(text, 'utc')).toBeNull();
    },
  );
});
