// The projection range picker's fields → the projections.events read
// (renderer/src/features/projections/range-form.ts): every kind of start and end, and a
// sentence naming the field for each thing typed wrong.
import { describe, expect, it } from 'vitest';
import { EMPTY_RANGE, rangeParams, topicNamedIn } from '../../renderer/src/features/projections/range-form.ts';

const base = { ...EMPTY_RANGE, connectionId: 'sample', topic: 'orders' };

describe('projection range form', () => {
  it('reads every start and end the picker offers', () => {
    expect(rangeParams(base, 'utc')).toEqual({
      ok: true,
      params: { connectionId: 'sample', topic: 'orders', from: { kind: 'earliest' }, to: { kind: 'latest' } },
    });
    expect(
      rangeParams(
        { ...base, partitions: ' 2, 0,2 ', fromKind: 'offset', fromValue: '10', toKind: 'offset', toValue: '99' },
        'utc',
      ),
    ).toEqual({
      ok: true,
      params: {
        connectionId: 'sample',
        topic: 'orders',
        partitions: [0, 2],
        from: { kind: 'offset', offset: '10' },
        to: { kind: 'offset', offset: '99' },
      },
    });
    const timed = rangeParams(
      { ...base, fromKind: 'time', fromValue: '2026-11-26 10:00', toKind: 'time', toValue: '1764150000123' },
      'utc',
    );
    expect(timed).toMatchObject({
      ok: true,
      params: {
        from: { kind: 'timestamp', timestamp: Date.UTC(2026, 10, 26, 10) },
        to: { kind: 'timestamp', timestamp: 1764150000123 },
      },
    });
    expect(rangeParams({ ...base, toKind: 'group', toValue: ' billing ' }, 'utc')).toMatchObject({
      ok: true,
      params: { to: { kind: 'group', groupId: 'billing' } },
    });
  });

  it('names what is wrong', () => {
    const error = (change: Partial<typeof base>): string => {
      const r = rangeParams({ ...base, ...change }, 'utc');
      if (r.ok) throw new Error('accepted');
      return r.error;
    };
    expect(error({ connectionId: '' })).toMatch(/Choose a connection/);
    expect(error({ topic: '  ' })).toMatch(/Choose the topic/);
    expect(error({ partitions: '0,x' })).toMatch(/Partitions "0,x" are not a list/);
    expect(error({ fromKind: 'offset', fromValue: '-1' })).toMatch(/From offset "-1" is not an offset/);
    expect(error({ fromKind: 'time', fromValue: 'yesterday' })).toMatch(/From time "yesterday" is not a time/);
    expect(error({ toKind: 'offset', toValue: '' })).toMatch(/To offset "" is not an offset/);
    expect(error({ toKind: 'time', toValue: '2026-02-30' })).toMatch(/To time "2026-02-30" is not a time/);
    expect(error({ toKind: 'group', toValue: '' })).toMatch(/consumer group/);
  });

  it('finds the topic a projection’s usage comment names', () => {
    expect(topicNamedIn('//   eventscope replay --projection x.js \\\n//     --topic orders --topic payments')).toBe(
      'orders',
    );
    expect(topicNamedIn('export default {}')).toBeNull();
  });
});
