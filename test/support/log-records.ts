// Records to store in a replay log in tests: every kind of key, value and header (nulls,
// empties, repeats, non-ASCII), or incompressible values when sizes on disk must be predictable.
import { randomBytes } from 'node:crypto';
import type { KafkaRecord } from '../../src/node/kafka/index.ts';

/** incompressible: random 300-byte values, so sizes on disk are predictable despite zstd. */
export function records(
  partition: number,
  from: number,
  count: number,
  step = 1,
  incompressible = false,
): KafkaRecord[] {
  return Array.from({ length: count }, (_, i) => ({
    partition,
    offset: BigInt(from + i * step),
    timestampMs: 1_000 + from + i * step,
    key: i % 5 === 0 ? null : Buffer.from(`k${from + i * step}`),
    value: incompressible ? randomBytes(300) : i % 7 === 0 ? null : Buffer.from([0xff, 0x00, (from + i) % 256]),
    headers:
      i % 3 === 0
        ? [
            { key: 'a', value: Buffer.from('1') },
            { key: 'a', value: null },
            { key: 'ü', value: Buffer.alloc(0) },
          ]
        : [],
  }));
}
export const offsets = (rs: KafkaRecord[]) => rs.map((r) => Number(r.offset));
