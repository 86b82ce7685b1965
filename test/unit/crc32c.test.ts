// CRC-32C against published check values and against the bit-at-a-time definition, on
// aligned and unaligned views of every length the word loop and the byte tail split
// differently, and in parts: a wrong table entry would pass Kafka's CRC for no batch at all.
import { randomBytes } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { crc32c } from '../../src/node/kafka/protocol/crc32c.ts';

/** CRC-32C straight from its definition (reflected polynomial 0x82F63B78), one bit at a time. */
function reference(bytes: Uint8Array): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let bit = 0; bit < 8; bit++) crc = crc & 1 ? (crc >>> 1) ^ 0x82f63b78 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

describe('crc32c', () => {
  it('gives the published check values', () => {
    expect(crc32c(Buffer.from('123456789'))).toBe(0xe3069283);
    expect(crc32c(new Uint8Array(0))).toBe(0);
    // RFC 3720 (iSCSI), appendix B.4.
    expect(crc32c(new Uint8Array(32))).toBe(0x8a9136aa);
    expect(crc32c(new Uint8Array(32).fill(0xff))).toBe(0x62a8ab43);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => i))).toBe(0x46dd794e);
    expect(crc32c(Uint8Array.from({ length: 32 }, (_, i) => 31 - i))).toBe(0x113fdb5c);
  });

  it('equals the bitwise definition for every length to 300 at every alignment', () => {
    const data = randomBytes(304);
    for (let shift = 0; shift < 4; shift++) {
      for (let length = 0; length <= 300; length++) {
        const view = data.subarray(shift, shift + length);
        expect(crc32c(view), `length ${length}, byte offset ${shift}`).toBe(reference(view));
      }
    }
  });

  it('equals the bitwise definition on long inputs (1 MB)', () => {
    const data = randomBytes(1 << 20);
    expect(crc32c(data)).toBe(reference(data));
    expect(crc32c(data, 3, data.length - 5)).toBe(reference(data.subarray(3, data.length - 5)));
  });

  it('checksums a range of a buffer, and a sequence in parts', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2000 }), fc.nat(), fc.nat(), (bytes, a, b) => {
        const start = bytes.length === 0 ? 0 : a % (bytes.length + 1);
        const end = start + (b % (bytes.length - start + 1));
        const whole = reference(bytes.subarray(start, end));
        expect(crc32c(bytes, start, end)).toBe(whole);
        const middle = start + Math.floor((end - start) / 2);
        expect(crc32c(bytes, middle, end, crc32c(bytes, start, middle))).toBe(whole);
      }),
      { numRuns: 300 },
    );
  });

  it('refuses a range outside the bytes instead of reading undefined as zero', () => {
    const bytes = new Uint8Array(10);
    expect(() => crc32c(bytes, 0, 11)).toThrow(RangeError);
    expect(() => crc32c(bytes, -1, 5)).toThrow(RangeError);
    expect(() => crc32c(bytes, 6, 5)).toThrow(RangeError);
    expect(() => crc32c(bytes, Number.NaN, 5)).toThrow(RangeError);
  });
});
