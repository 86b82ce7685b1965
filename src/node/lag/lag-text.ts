// How the lag domain words numbers for people: counts with thousands separators (via
// src/common/format/numbers.ts), rates in records/s; durations come from src/common/format/durations.ts.
import { formatCount } from '../../common/format/numbers.ts';

/** Records per second for reading: 1234.5 → "1,235", 12.4 → "12", 2.46 → "2.5", 0.04 → "0.04". */
export function formatRate(perSecond: number): string {
  const value = Math.abs(perSecond);
  if (value >= 10) return formatCount(Math.round(value));
  if (value === 0) return '0';
  const oneDecimal = value.toFixed(1);
  if (oneDecimal !== '0.0') return oneDecimal.endsWith('.0') ? oneDecimal.slice(0, -2) : oneDecimal;
  return String(Number(value.toPrecision(1)));
}

/** "partition 3 of orders" */
export function partitionName(topic: string, partition: number): string {
  return `partition ${partition} of ${topic}`;
}

/** "1 partition", "3 partitions" */
export function plural(count: number, noun: string): string {
  return `${formatCount(count)} ${noun}${count === 1 ? '' : 's'}`;
}
