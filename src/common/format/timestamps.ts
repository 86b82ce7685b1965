// Record timestamps for people, in the one time zone the user chose (Settings: local or UTC),
// the same in the message list, the detail pane and wherever else a record's time is shown.
// Plain Date arithmetic (no Intl time-zone data): "local" is the zone of the machine the page
// runs on.

export type TimeZoneChoice = 'local' | 'utc';

export const TIME_ZONE_CHOICES: readonly TimeZoneChoice[] = ['local', 'utc'];

/** Kafka says "no timestamp" with -1 (records written before 0.10); any negative time is shown as this. */
export const NO_TIMESTAMP = '—';

interface Parts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  ms: number;
  /** Minutes east of UTC. */
  offsetMinutes: number;
}

function partsOf(ms: number, zone: TimeZoneChoice): Parts {
  const d = new Date(ms);
  if (zone === 'utc') {
    return {
      year: d.getUTCFullYear(),
      month: d.getUTCMonth() + 1,
      day: d.getUTCDate(),
      hour: d.getUTCHours(),
      minute: d.getUTCMinutes(),
      second: d.getUTCSeconds(),
      ms: d.getUTCMilliseconds(),
      offsetMinutes: 0,
    };
  }
  return {
    year: d.getFullYear(),
    month: d.getMonth() + 1,
    day: d.getDate(),
    hour: d.getHours(),
    minute: d.getMinutes(),
    second: d.getSeconds(),
    ms: d.getMilliseconds(),
    offsetMinutes: -d.getTimezoneOffset(),
  };
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

function shown(ms: number): boolean {
  return Number.isFinite(ms) && ms >= 0 && ms <= 8.64e15;
}

/** "+01:00", "-05:30", or "UTC" for the UTC choice. */
export function zoneSuffix(ms: number, zone: TimeZoneChoice): string {
  if (zone === 'utc') return 'UTC';
  const offset = partsOf(shown(ms) ? ms : Date.now(), 'local').offsetMinutes;
  const sign = offset < 0 ? '-' : '+';
  const abs = Math.abs(offset);
  return `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
}

/**
 * "2026-11-28 13:29:17.123": to the millisecond, in the chosen zone, with no zone written (the
 * list's column header says which). Fixed width, so a column of them lines up.
 */
export function formatTimestamp(ms: number, zone: TimeZoneChoice): string {
  if (!shown(ms)) return NO_TIMESTAMP;
  const p = partsOf(ms, zone);
  return `${pad(p.year, 4)}-${pad(p.month)}-${pad(p.day)} ${pad(p.hour)}:${pad(p.minute)}:${pad(p.second)}.${pad(p.ms, 3)}`;
}

/** formatTimestamp with its zone written out: "2026-11-28 13:29:17.123 UTC", "2026-11-28 14:29:17.123 +01:00". */
export function formatTimestampWithZone(ms: number, zone: TimeZoneChoice): string {
  if (!shown(ms)) return NO_TIMESTAMP;
  return `${formatTimestamp(ms, zone)} ${zoneSuffix(ms, zone)}`;
}

/** For a column header or a label: "UTC", or "local time". */
export function zoneLabel(zone: TimeZoneChoice): string {
  return zone === 'utc' ? 'UTC' : 'local time';
}

/**
 * A time typed by the user, read in the chosen zone unless it names its own ("Z", "+02:00"):
 * "2026-11-26 10:00", "2026-11-26T10:00:00.5", "2026-11-26" (midnight), or an ISO time with a
 * zone. Returns epoch milliseconds, or null if it is not such a time.
 */
export function parseTimestamp(text: string, zone: TimeZoneChoice): number | null {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?\s*(Z|UTC|[+-]\d{2}:?\d{2})?$/i.exec(
      text.trim(),
    );
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [m[1], m[2], m[3], m[4], m[5], m[6]].map((x) => Number(x ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const ms = Number((m[7] ?? '0').padEnd(3, '0'));
  // No rolling over: 2026-02-30 is not a day.
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hour > 23 || minute > 59 || second > 59) return null;
  const designator = m[8]?.toUpperCase();
  let result: number;
  if (designator === undefined) {
    result =
      zone === 'utc'
        ? Date.UTC(year, month - 1, day, hour, minute, second, ms)
        : new Date(year, month - 1, day, hour, minute, second, ms).getTime();
  } else {
    const offset =
      designator === 'Z' || designator === 'UTC'
        ? 0
        : (designator.startsWith('-') ? -1 : 1) * (Number(designator.slice(1, 3)) * 60 + Number(designator.slice(-2)));
    result = Date.UTC(year, month - 1, day, hour, minute, second, ms) - offset * 60_000;
  }
  return Number.isFinite(result) ? result : null;
}
