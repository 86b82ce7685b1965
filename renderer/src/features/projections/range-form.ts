// The range picker's fields as typed, and the projections.events read they ask for: which
// connection and topic, which partitions, where it starts (earliest, an offset, a time) and
// where it ends (the end offsets at the start, an offset, a time, or a consumer group's
// committed offsets). Pure: every field that is not valid gets a sentence naming it.
import type { StreamParamsOf } from '@common/contract/api.ts';
import { parseTimestamp, type TimeZoneChoice } from '@common/format/timestamps.ts';

export type FromKind = 'earliest' | 'offset' | 'time';
export type ToKind = 'latest' | 'offset' | 'time' | 'group';

export interface RangeForm {
  connectionId: string;
  topic: string;
  /** Comma-separated partition numbers; empty: every partition. */
  partitions: string;
  fromKind: FromKind;
  fromValue: string;
  toKind: ToKind;
  toValue: string;
}

export const EMPTY_RANGE: RangeForm = {
  connectionId: '',
  topic: '',
  partitions: '',
  fromKind: 'earliest',
  fromValue: '',
  toKind: 'latest',
  toValue: '',
};

export type RangeParams = Omit<StreamParamsOf<'projections.events'>, 'startAt' | 'maxEvents'>;

const OFFSET = /^\d{1,19}$/;

/** Epoch milliseconds from a typed time: an ISO-like time in the chosen zone, or epoch ms. */
function timeOf(text: string, zone: TimeZoneChoice): number | null {
  const t = text.trim();
  if (/^\d{10,15}$/.test(t)) return Number(t);
  return parseTimestamp(t, zone);
}

/** The read the form asks for, or the first thing wrong with it. */
export function rangeParams(
  form: RangeForm,
  zone: TimeZoneChoice,
): { ok: true; params: RangeParams } | { ok: false; error: string } {
  if (!form.connectionId)
    return { ok: false, error: 'Choose a connection (a cluster or an opened capture) to read the range from.' };
  const topic = form.topic.trim();
  if (!topic) return { ok: false, error: 'Choose the topic to replay.' };
  let partitions: number[] | undefined;
  if (form.partitions.trim() !== '') {
    const parts = form.partitions.split(',').map((p) => p.trim());
    if (parts.some((p) => !/^\d{1,6}$/.test(p)))
      return {
        ok: false,
        error: `Partitions "${form.partitions}" are not a list of partition numbers such as 0,1,2 (leave empty for every partition).`,
      };
    partitions = [...new Set(parts.map(Number))].sort((a, b) => a - b);
  }
  let from: RangeParams['from'];
  if (form.fromKind === 'earliest') from = { kind: 'earliest' };
  else if (form.fromKind === 'offset') {
    if (!OFFSET.test(form.fromValue.trim()))
      return { ok: false, error: `From offset "${form.fromValue}" is not an offset (a whole number, 0 or more).` };
    from = { kind: 'offset', offset: form.fromValue.trim() };
  } else {
    const ms = timeOf(form.fromValue, zone);
    if (ms === null)
      return {
        ok: false,
        error: `From time "${form.fromValue}" is not a time such as 2026-11-26 10:00, 2026-11-26T10:00:00Z or epoch milliseconds.`,
      };
    from = { kind: 'timestamp', timestamp: ms };
  }
  let to: RangeParams['to'];
  if (form.toKind === 'latest') to = { kind: 'latest' };
  else if (form.toKind === 'offset') {
    if (!OFFSET.test(form.toValue.trim()))
      return { ok: false, error: `To offset "${form.toValue}" is not an offset (a whole number, 0 or more).` };
    to = { kind: 'offset', offset: form.toValue.trim() };
  } else if (form.toKind === 'time') {
    const ms = timeOf(form.toValue, zone);
    if (ms === null)
      return {
        ok: false,
        error: `To time "${form.toValue}" is not a time such as 2026-11-26 10:00, 2026-11-26T10:00:00Z or epoch milliseconds.`,
      };
    to = { kind: 'timestamp', timestamp: ms };
  } else {
    if (!form.toValue.trim())
      return { ok: false, error: 'Choose the consumer group whose committed offsets end the range.' };
    to = { kind: 'group', groupId: form.toValue.trim() };
  }
  return {
    ok: true,
    params: { connectionId: form.connectionId, topic, ...(partitions ? { partitions } : {}), from, to },
  };
}

/** The first topic a projection's source names in an `--topic T` (its usage comment), or null. */
export function topicNamedIn(source: string): string | null {
  const m = /--topic\s+([A-Za-z0-9._-]+)/.exec(source);
  return m ? m[1]! : null;
}
