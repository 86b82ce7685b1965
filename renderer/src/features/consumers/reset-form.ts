// The Reset offsets dialog's inputs turned into groups.resetOffsets params, or the one
// sentence that says what to fix. Nothing is sent while an input is wrong.
import type { OffsetResetTarget } from '@common/contract/group-dto.ts';

export type ResetKind = 'earliest' | 'latest' | 'datetime' | 'offset' | 'shift';

export interface ResetForm {
  kind: ResetKind;
  /** datetime-local text (local time), e.g. "2025-11-28T12:30" */
  datetime: string;
  offset: string;
  shift: string;
  scope: 'all' | 'chosen';
  /** "topic\u0000partition" keys */
  chosen: ReadonlySet<string>;
}

export interface ResetRequest {
  to: OffsetResetTarget;
  topics: { topic: string; partitions?: number[] }[];
}

const INT64_MAX = 9_223_372_036_854_775_807n;

export function partitionKey(topic: string, partition: number): string {
  return `${topic}\u0000${partition}`;
}

export function parseResetTarget(
  form: Pick<ResetForm, 'kind' | 'datetime' | 'offset' | 'shift'>,
): OffsetResetTarget | string {
  switch (form.kind) {
    case 'earliest':
      return { kind: 'earliest' };
    case 'latest':
      return { kind: 'latest' };
    case 'datetime': {
      if (form.datetime.trim() === '') return 'Choose a date and time to reset to.';
      const timestamp = new Date(form.datetime).getTime();
      if (!Number.isFinite(timestamp) || timestamp < 0) return `"${form.datetime}" is not a date and time.`;
      return { kind: 'timestamp', timestamp };
    }
    case 'offset': {
      const text = form.offset.trim();
      if (!/^\d+$/.test(text)) return `The offset must be a whole number of 0 or more; "${form.offset}" is not.`;
      if (BigInt(text) > INT64_MAX) return 'The offset is larger than any Kafka offset.';
      return { kind: 'offset', offset: BigInt(text).toString() };
    }
    case 'shift': {
      const text = form.shift.trim().replace(/^\+/, '');
      if (!/^-?\d+$/.test(text))
        return `Shift by a whole number of records (negative to go back, e.g. -100); "${form.shift}" is not.`;
      const by = BigInt(text);
      if (by > INT64_MAX || by < -INT64_MAX) return 'The shift is larger than any Kafka offset.';
      if (by === 0n) return 'A shift of 0 moves nothing; enter how many records to move (negative to go back).';
      return { kind: 'shift', by: by.toString() };
    }
  }
}

/**
 * Which partitions: "all" is every partition of each topic the group has offsets on (the host
 * lists them; a shift only those with a committed offset, as there is nothing to shift from on
 * the others); "chosen" the ones ticked.
 */
export function resetRequest(
  form: ResetForm,
  partitions: readonly { topic: string; partition: number; committedOffset: string | null }[],
): ResetRequest | string {
  const to = parseResetTarget(form);
  if (typeof to === 'string') return to;
  if (form.scope === 'all' && form.kind !== 'shift') {
    const topics = [...new Set(partitions.map((p) => p.topic))];
    if (topics.length === 0) return 'This group has no offsets on any topic yet: there is nothing to reset.';
    return { to, topics: topics.map((topic) => ({ topic })) };
  }
  const picked = partitions.filter((p) =>
    form.scope === 'all' ? p.committedOffset !== null : form.chosen.has(partitionKey(p.topic, p.partition)),
  );
  if (picked.length === 0)
    return form.scope === 'all'
      ? 'This group has no committed offset to shift from; reset to earliest, latest, a time or an offset instead.'
      : 'Choose at least one partition.';
  const byTopic = new Map<string, number[]>();
  for (const p of picked) byTopic.set(p.topic, [...(byTopic.get(p.topic) ?? []), p.partition]);
  return { to, topics: [...byTopic].map(([topic, list]) => ({ topic, partitions: list.sort((a, b) => a - b) })) };
}
