// The byte encoder of `tail` lines (src/common/export/record-lines.ts) must write exactly what the
// RecordDto path writes: formatRecordLine(toRecordDto(record)) + "\n", encoded as UTF-8 the way
// a stream encodes a string. Checked on arbitrary records, with the JS UTF-8 check and with Node's.
import { isUtf8 as nodeIsUtf8 } from 'node:buffer';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { toRecordDto, type RecordBytes } from '../../src/common/codecs/record-dto.ts';
import { createRecordLineEncoder, isUtf8, type ByteLineFormat } from '../../src/common/export/record-lines.ts';
import { formatRecordLine } from '../../src/node/host/cli-tail.ts';

const utf8 = (text: string): Uint8Array => new TextEncoder().encode(text);

function reference(records: readonly RecordBytes[], format: ByteLineFormat): Buffer {
  return Buffer.from(records.map((r) => formatRecordLine(toRecordDto(r), format) + '\n').join(''), 'utf8');
}

// Text with everything JSON escapes or leaves alone: quotes, backslashes, C0 controls, DEL,
// a BOM, U+2028, astral characters; bytes that are almost UTF-8 (cut sequences, overlongs,
// surrogates, above U+10FFFF); and plain random bytes.
const nastyText = fc.string({
  unit: fc.constantFrom(
    '"',
    '\\',
    '\u0000',
    '\u0008',
    '\t',
    '\n',
    '\u000b',
    '\f',
    '\r',
    '\u001f',
    '\u007f',
    '\ufeff',
    '\u2028',
    'é',
    '€',
    '😀',
    'a',
    '/',
    '<',
  ),
});
const almostUtf8 = fc.constantFrom(
  [0xc0, 0x80],
  [0xc2],
  [0xe0, 0x80, 0x80],
  [0xed, 0xa0, 0x80],
  [0xf4, 0x90, 0x80, 0x80],
  [0xf0, 0x9f, 0x98],
  [0xff],
  [0x80],
  [0xef, 0xbb, 0xbf],
  [0xf0, 0x9f, 0x98, 0x80],
);
const bytes: fc.Arbitrary<Uint8Array> = fc.oneof(
  fc.uint8Array({ maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }).map(utf8),
  nastyText.map(utf8),
  fc.tuple(nastyText, almostUtf8, nastyText).map(([a, mid, b]) => new Uint8Array([...utf8(a), ...mid, ...utf8(b)])),
);
// Fetched payloads are views into a larger response buffer.
const payload = fc.option(
  fc.oneof(
    bytes,
    bytes.map((b) => Buffer.concat([Buffer.from('xx'), b, Buffer.from('yy')]).subarray(2, 2 + b.length)),
  ),
  { nil: null },
);
const record: fc.Arbitrary<RecordBytes> = fc.record({
  partition: fc.oneof(fc.integer({ min: 0, max: 2 ** 31 - 1 }), fc.constantFrom(0, 9, 10)),
  offset: fc.oneof(
    fc.bigInt({ min: 0n, max: 2n ** 63n - 1n }),
    fc.constantFrom(0n, 9n, 10n, 9007199254740991n, 9007199254740992n),
  ),
  timestampMs: fc.oneof(fc.integer({ min: -1, max: 2 ** 45 }), fc.constantFrom(-1, 0, 1764150000123, -0, 2 ** 60)),
  key: payload,
  value: payload,
  headers: fc.array(
    fc.record({
      key: fc.oneof(fc.string(), nastyText, fc.constantFrom('\ud800', 'a\udfffb', 'event-type')),
      value: payload,
    }),
    { maxLength: 3 },
  ),
});

describe('record lines as bytes', () => {
  for (const format of ['text', 'ndjson'] as const) {
    for (const [name, check] of [
      ['JS', undefined],
      ['node:buffer', nodeIsUtf8],
    ] as const) {
      it(`${format} with the ${name} UTF-8 check: the same bytes as the RecordDto path`, () => {
        const { encode } = createRecordLineEncoder(format, check ? { isUtf8: check } : {});
        fc.assert(
          fc.property(fc.array(record, { maxLength: 20 }), (records) => {
            expect(Buffer.from(encode(records))).toEqual(reference(records, format));
          }),
          { numRuns: 400 },
        );
      });
    }
  }

  it('grows past its estimate: a value of control bytes (6 output bytes each), large binary', () => {
    const controls = new Uint8Array(100_000).fill(1);
    const binary = new Uint8Array(50_000).map((_, i) => (i * 7919) & 0xff);
    const records: RecordBytes[] = [
      {
        partition: 0,
        offset: 1n,
        timestampMs: 1,
        key: controls,
        value: binary,
        headers: [{ key: 'h', value: controls }],
      },
      { partition: 1, offset: 2n, timestampMs: 2, key: null, value: new Uint8Array(0), headers: [] },
    ];
    // Buffer.equals: a deep toEqual over 600 KB takes seconds.
    for (const format of ['text', 'ndjson'] as const) {
      const expected = reference(records, format);
      expect(Buffer.from(createRecordLineEncoder(format).encode(records)).equals(expected)).toBe(true);
      expect(
        Buffer.from(
          createRecordLineEncoder(format, { isUtf8: nodeIsUtf8, allocate: (n) => Buffer.allocUnsafe(n) }).encode(
            records,
          ),
        ).equals(expected),
      ).toBe(true);
    }
  });

  it('an empty batch is no bytes; a buffer is written again only once released', () => {
    const encoder = createRecordLineEncoder('ndjson');
    expect(encoder.encode([]).length).toBe(0);
    const r: RecordBytes = { partition: 0, offset: 0n, timestampMs: 0, key: null, value: utf8('v'), headers: [] };
    const first = encoder.encode([r]);
    const copy = Buffer.from(first);
    const second = encoder.encode([{ ...r, value: utf8('w') }]);
    expect(Buffer.from(first)).toEqual(copy);
    encoder.release(second);
    encoder.release(second);
    const third = encoder.encode([{ ...r, value: utf8('x') }]);
    expect(third.buffer).toBe(second.buffer);
    expect(Buffer.from(third)).toEqual(reference([{ ...r, value: utf8('x') }], 'ndjson'));
    // A late release of `second` (its write callback, after `third` reused the buffer) frees nothing.
    encoder.release(second);
    const fourth = encoder.encode([{ ...r, value: utf8('y') }]);
    expect(fourth.buffer).not.toBe(third.buffer);
    expect(Buffer.from(third)).toEqual(reference([{ ...r, value: utf8('x') }], 'ndjson'));
  });

  it('reusing released buffers: batches of any size in turn stay exact', () => {
    for (const format of ['text', 'ndjson'] as const) {
      const encoder = createRecordLineEncoder(format, { isUtf8: nodeIsUtf8, allocate: (n) => Buffer.allocUnsafe(n) });
      fc.assert(
        fc.property(fc.array(record, { maxLength: 30 }), (records) => {
          const bytes = encoder.encode(records);
          expect(Buffer.from(bytes)).toEqual(reference(records, format));
          encoder.release(bytes);
        }),
        { numRuns: 300 },
      );
    }
  });

  it('isUtf8 agrees with TextDecoder in fatal mode and with Node', () => {
    const fatal = new TextDecoder('utf-8', { fatal: true });
    const decodes = (b: Uint8Array): boolean => {
      try {
        fatal.decode(b);
        return true;
      } catch {
        return false;
      }
    };
    fc.assert(
      fc.property(bytes, (b) => {
        expect(isUtf8(b)).toBe(decodes(b));
        expect(isUtf8(b)).toBe(nodeIsUtf8(b));
      }),
      { numRuns: 2_000 },
    );
  });
});
