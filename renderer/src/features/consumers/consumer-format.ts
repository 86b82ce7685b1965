// How the Consumers screens word lag for people. Counts go through src/common/format/numbers.ts and
// durations through src/common/format/durations.ts; "not known" is "—", never 0.
// (src/node/lag/lag-text.ts words rates for the CLI, but src/node/lag is Node-only core the sandboxed
// page may not import, so the page keeps its own small formatRate with the same rules.)
import type { GroupStatusLevel, PartitionStatusLevel } from '@common/contract/group-dto.ts';
import { formatDuration } from '@common/format/durations.ts';
import { formatCount } from '@common/format/numbers.ts';

export const NOT_KNOWN = '—';
export const NO_COMMITTED_OFFSET = 'no committed offset';

/** A lag (decimal string) for a table cell: "1,204" or "—" where it is not known. */
export function lagText(lag: string | null): string {
  return lag === null ? NOT_KNOWN : formatCount(lag);
}

/** A time lag (ms) for a table cell: "3 min 20 s" or "—". */
export function timeLagText(ms: number | null): string {
  return ms === null ? NOT_KNOWN : formatDuration(ms);
}

/** Records per second: 1234.5 → "1,235", 12.4 → "12", 2.46 → "2.5", 0.04 → "0.04". */
export function formatRate(perSecond: number): string {
  const value = Math.abs(perSecond);
  const sign = perSecond < 0 ? '-' : '';
  if (value >= 10) return sign + formatCount(Math.round(value));
  if (value === 0) return '0';
  const oneDecimal = value.toFixed(1);
  if (oneDecimal !== '0.0') return sign + (oneDecimal.endsWith('.0') ? oneDecimal.slice(0, -2) : oneDecimal);
  return sign + String(Number(value.toPrecision(1)));
}

/** A rough duration, its largest unit only: 260_000 → "about 4 min". */
export function aboutDuration(ms: number): string {
  if (ms < 1_000) return 'under a second';
  const [first] = formatDuration(ms).split(/ (?=\d)/);
  return `about ${first}`;
}

/** The catch-up estimate as a sentence: "Catches up in about 4 min." or the host's reason why not. */
export function catchUpSentence(catchUp: { seconds: number | null; reason: string }): string {
  if (catchUp.seconds === null) return sentence(catchUp.reason);
  if (catchUp.seconds <= 0) return 'Caught up.';
  return `Catches up in ${aboutDuration(catchUp.seconds * 1000)} at the current rate.`;
}

/** "lag is growing…" → "Lag is growing…." */
export function sentence(text: string): string {
  const trimmed = text.trim();
  if (trimmed === '') return trimmed;
  const capital = trimmed[0]!.toUpperCase() + trimmed.slice(1);
  return /[.!?]$/.test(capital) ? capital : `${capital}.`;
}

export type AnyStatusLevel = GroupStatusLevel | PartitionStatusLevel;

/** Worst first; a status not judged (not watched) sorts after every judged one. */
export const STATUS_RANK: Record<AnyStatusLevel, number> = {
  ERR: 5,
  STOP: 5,
  STALL: 5,
  REWIND: 5,
  WARN: 3,
  UNKNOWN: 1,
  OK: 0,
};

export function statusClass(level: AnyStatusLevel): string {
  switch (level) {
    case 'OK':
      return 'badge badge-ok';
    case 'WARN':
      return 'badge badge-warn';
    case 'UNKNOWN':
      return 'badge';
    default:
      return 'badge badge-bad';
  }
}

/** What a level means, for people who do not know Burrow's words. */
export function statusWord(level: AnyStatusLevel): string {
  switch (level) {
    case 'OK':
      return 'OK';
    case 'WARN':
      return 'Falling behind';
    case 'ERR':
      return 'Error';
    case 'STALL':
      return 'Stalled';
    case 'STOP':
      return 'Stopped';
    case 'REWIND':
      return 'Rewound';
    case 'UNKNOWN':
      return 'Not enough samples';
  }
}
