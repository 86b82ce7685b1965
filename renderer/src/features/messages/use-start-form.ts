// The toolbar's start fields (from where, which partition) and what the tail was last started
// with (what the address carries). Reading the fields into a position is here too, with the
// message that says what to type when they do not make one.
import { useState } from 'react';
import type { Position } from '@common/contract/dto.ts';
import { parseTimestamp, type TimeZoneChoice } from '@common/format/timestamps.ts';

export type FromKind = 'last' | 'latest' | 'earliest' | 'offset' | 'timestamp';

export function positionOf(kind: FromKind, value: string, zone: TimeZoneChoice): Position | string {
  switch (kind) {
    case 'latest':
    case 'earliest':
      return { kind };
    case 'last':
      return /^\d{1,12}$/.test(value)
        ? { kind: 'last', count: value }
        : 'Give how many of the last records to show (a whole number).';
    case 'offset':
      return /^\d{1,19}$/.test(value) ? { kind: 'offset', offset: value } : 'Give an offset (a whole number).';
    case 'timestamp': {
      // Read in the chosen time zone unless it names its own; other forms as the browser reads them.
      const ms = parseTimestamp(value, zone) ?? Date.parse(value);
      return Number.isFinite(ms)
        ? { kind: 'timestamp', timestamp: ms }
        : `Give a time like 2026-11-26 10:00:00 (${zone === 'utc' ? 'UTC' : 'local time'}) or 2026-11-26T10:00:00Z.`;
    }
  }
}

/** The start position as an address carries it (view-routes.ts MessagesQuery.from). */
export function fromText(position: Position): string | undefined {
  switch (position.kind) {
    case 'earliest':
    case 'latest':
      return position.kind;
    case 'last':
      return `last:${position.count}`;
    case 'offset':
      return `offset:${position.offset}`;
    case 'timestamp':
      return `time:${new Date(position.timestamp).toISOString()}`;
    default:
      return undefined;
  }
}

/** The form's start fields for an address's from= (null: none, or not one this view reads). */
export function fromFields(from: string | undefined): { kind: FromKind; value: string } | null {
  if (from === 'earliest' || from === 'latest') return { kind: from, value: '' };
  const m = /^(last|offset|time):(.+)$/.exec(from ?? '');
  if (!m) return null;
  if (m[1] === 'time')
    return { kind: 'timestamp', value: /^\d+$/.test(m[2]!) ? new Date(Number(m[2])).toISOString() : m[2]! };
  return { kind: m[1] as 'last' | 'offset', value: m[2]! };
}

/** The position and partition the tail was last started with: what the address carries. */
export interface StartedWith {
  from: string | undefined;
  partition: string;
}

export interface StartForm {
  fromKind: FromKind;
  fromValue: string;
  partition: string;
  error: string | null;
  startedWith: StartedWith | null;
  setFromKind(kind: FromKind): void;
  setFromValue(value: string): void;
  setPartition(partition: string): void;
  /** The fields as a start (and remembered as what the tail started with), or null with the error shown. */
  take(zone: TimeZoneChoice): { position: Position; partitions: number[] | undefined } | null;
}

export function useStartForm(
  initialFrom: { kind: FromKind; value: string } | null,
  initialPartition: string | undefined,
): StartForm {
  const [fromKind, setFromKind] = useState<FromKind>(initialFrom?.kind ?? 'last');
  const [fromValue, setFromValue] = useState(initialFrom && initialFrom.value !== '' ? initialFrom.value : '100');
  const [partition, setPartition] = useState(initialPartition ?? 'all');
  const [error, setError] = useState<string | null>(null);
  const [startedWith, setStartedWith] = useState<StartedWith | null>(null);

  const take: StartForm['take'] = (zone) => {
    const position = positionOf(fromKind, fromValue, zone);
    if (typeof position === 'string') {
      setError(position);
      return null;
    }
    setError(null);
    setStartedWith({ from: fromText(position), partition });
    return { position, partitions: partition === 'all' ? undefined : [Number(partition)] };
  };

  return { fromKind, fromValue, partition, error, startedWith, setFromKind, setFromValue, setPartition, take };
}
