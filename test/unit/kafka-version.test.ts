import { describe, expect, it } from 'vitest';
import { inferKafkaVersion } from '../../src/node/kafka/kafka-version.ts';

const table = (entries: Record<number, [number, number]>) =>
  Object.fromEntries(Object.entries(entries).map(([k, [minVersion, maxVersion]]) => [k, { minVersion, maxVersion }]));

describe('inferKafkaVersion', () => {
  it('bounds the release from the request versions a broker accepts', () => {
    expect(inferKafkaVersion(table({ 0: [0, 13], 1: [4, 18], 2: [1, 10], 68: [0, 1] }))).toBe('≥ 4.0');
    expect(inferKafkaVersion(table({ 0: [0, 11], 1: [0, 16], 2: [0, 9], 60: [0, 1], 68: [0, 0] }))).toBe('≥ 3.7');
    expect(inferKafkaVersion(table({ 1: [0, 12], 2: [0, 6], 60: [0, 0] }))).toBe('≥ 2.8');
    expect(inferKafkaVersion(table({ 1: [0, 11], 2: [0, 5] }))).toBe('≥ 2.3');
    expect(inferKafkaVersion(null)).toBeNull();
  });
});
