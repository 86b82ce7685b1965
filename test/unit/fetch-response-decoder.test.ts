// The Fetch response decoder against responses a real broker sent (test/fixtures/fetch/),
// the same responses re-encoded for every version kafkajs may negotiate (4–11), and damaged
// ones: cut short anywhere, a byte too many, absurd counts, random bytes, single-byte
// mutations. It raises a ProtocolDecodeError naming the topic and partition it had reached,
// never a RangeError, and a damaged record set inside a well-formed response is caught by
// the record decoder's CRC check with its offset.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeFetchResponse, type FetchResponseData } from '../../src/node/kafka/protocol/fetch-response.ts';
import { ProtocolDecodeError } from '../../src/node/kafka/protocol/protocol-decode-error.ts';
import { decodeRecordSet } from '../../src/node/kafka/protocol/record-batch.ts';
import { decodeError, FIXTURE_NAMES, loadFixture } from '../fixtures/fetch/fixtures.ts';

const FIXTURES = FIXTURE_NAMES.map((name) => ({ name, ...loadFixture(name) }));

/** A Fetch response as a broker writes it (v4–v11: fixed-width, no tagged fields). */
function encode(data: FetchResponseData, version: number, sessionId = 0): Buffer {
  const parts: Buffer[] = [];
  const int16 = (v: number) => parts.push(Buffer.from([(v >> 8) & 0xff, v & 0xff]));
  const int32 = (v: number) => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(v);
    parts.push(b);
  };
  const int64 = (v: bigint) => {
    const b = Buffer.alloc(8);
    b.writeBigInt64BE(v);
    parts.push(b);
  };
  int32(data.throttleTimeMs);
  if (version >= 7) {
    int16(data.errorCode);
    int32(sessionId);
  }
  int32(data.topics.length);
  for (const t of data.topics) {
    int16(Buffer.byteLength(t.topic));
    parts.push(Buffer.from(t.topic));
    int32(t.partitions.length);
    for (const p of t.partitions) {
      int32(p.partition);
      int16(p.errorCode);
      int64(p.highWatermark);
      int64(p.lastStableOffset);
      if (version >= 5) int64(p.logStartOffset);
      int32(p.aborted.length);
      for (const a of p.aborted) {
        int64(a.producerId);
        int64(a.firstOffset);
      }
      if (version >= 11) int32(-1);
      int32(p.records.length);
      parts.push(p.records);
    }
  }
  return Buffer.concat(parts);
}

/** The response and every record set in it decoded; only a ProtocolDecodeError may stop it. */
function decodeAll(payload: Buffer, version: number): void {
  try {
    const response = decodeFetchResponse(payload, version);
    for (const t of response.topics)
      for (const p of t.partitions)
        decodeRecordSet({ topic: t.topic, partition: p.partition }, p.records, 0n, p.aborted);
  } catch (err) {
    if (!(err instanceof ProtocolDecodeError))
      throw new Error(`threw ${(err as Error)?.name}: ${String(err)}`, { cause: err });
  }
}

describe('decodeFetchResponse', () => {
  it.each(FIXTURES.map((f) => [f.name, f] as const))(
    '%s: the topic and partitions the broker answered',
    (_name, { payload, fixture }) => {
      const response = decodeFetchResponse(payload, fixture.fetchVersion);
      expect(response.errorCode).toBe(0);
      expect(response.throttleTimeMs).toBe(0);
      expect(response.topics.map((t) => t.topic)).toEqual([fixture.topic]);
      const partitions = response.topics[0]!.partitions;
      expect(partitions.map((p) => p.partition)).toEqual(fixture.partitions.map((p) => p.partition));
      for (const expected of fixture.partitions) {
        const p = partitions.find((x) => x.partition === expected.partition)!;
        expect(p.errorCode).toBe(0);
        expect(p.highWatermark).toBe(BigInt(expected.highWatermark));
        expect(p.lastStableOffset).toBe(BigInt(expected.highWatermark));
        expect(p.logStartOffset).toBe(0n);
        expect(p.aborted).toHaveLength(expected.abortedTransactions);
        expect(p.records.length).toBeLessThanOrEqual(expected.maxBytes);
      }
      // The record sets are views of the payload, ending where the response does.
      const last = partitions[partitions.length - 1]!.records;
      expect(last.byteOffset + last.length - payload.byteOffset).toBe(payload.length);
    },
  );

  it('reads the same response in every version from 4 to 11', () => {
    const { payload, fixture } = FIXTURES.find((f) => f.name === 'transactions')!;
    const original = decodeFetchResponse(payload, fixture.fetchVersion);
    for (let version = 4; version <= 11; version++) {
      const decoded = decodeFetchResponse(encode(original, version), version);
      const expected =
        version >= 5
          ? original
          : {
              ...original,
              topics: original.topics.map((t) => ({
                ...t,
                partitions: t.partitions.map((p) => ({ ...p, logStartOffset: -1n })),
              })),
            };
      expect(decoded, `v${version}`).toEqual(expected);
    }
    expect(encode(original, 11).equals(payload)).toBe(true);
  });

  it('reads a null record set and a null aborted list as empty', () => {
    const response = Buffer.from(
      encode(
        {
          throttleTimeMs: 5,
          errorCode: 0,
          topics: [
            {
              topic: 't',
              partitions: [
                {
                  partition: 0,
                  errorCode: 1,
                  highWatermark: -1n,
                  lastStableOffset: -1n,
                  logStartOffset: -1n,
                  aborted: [],
                  records: Buffer.alloc(0),
                },
              ],
            },
          ],
        },
        11,
      ),
    );
    response.writeInt32BE(-1, response.length - 4); // records: null
    response.writeInt32BE(-1, response.length - 12); // aborted transactions: null
    const decoded = decodeFetchResponse(response, 11);
    expect(decoded.throttleTimeMs).toBe(5);
    expect(decoded.topics[0]!.partitions[0]).toMatchObject({ errorCode: 1, aborted: [], records: Buffer.alloc(0) });
  });

  it('refuses a response cut short anywhere, naming the topic and partition it had reached', () => {
    for (const { name, payload, fixture } of FIXTURES) {
      const recordSets = decodeFetchResponse(payload, fixture.fetchVersion).topics[0]!.partitions.map((p) => ({
        partition: p.partition,
        start: p.records.byteOffset - payload.byteOffset,
        end: p.records.byteOffset - payload.byteOffset + p.records.length,
      }));
      for (let length = 0; length < payload.length; length++) {
        const err = decodeError(() => decodeFetchResponse(payload.subarray(0, length), fixture.fetchVersion));
        expect(err.offset).toBeNull();
        expect(err.reason).toMatch(/ends inside|cannot fit/);
        // Past the topic name (throttle time, error code, session id, topic count, name length, name).
        if (length >= 16 + fixture.topic.length) expect(err.topic, `${name} cut at ${length}`).toBe(fixture.topic);
        else expect(err.topic).toBeNull();
        // Inside the last record set (earlier, a partition count can already be more than the cut response holds).
        const last = recordSets[recordSets.length - 1]!;
        if (length >= last.start) expect(err.partition, `${name} cut at ${length}`).toBe(last.partition);
      }
    }
  });

  it('refuses bytes left over after the response (a version misread)', () => {
    const { payload, fixture } = FIXTURES[0]!;
    expect(
      decodeError(() => decodeFetchResponse(Buffer.concat([payload, Buffer.from([0])]), fixture.fetchVersion)).reason,
    ).toMatch(/1 bytes are left over/);
    expect(decodeError(() => decodeFetchResponse(payload, 10)).reason).toMatch(/left over|ends inside|cannot fit/);
  });

  it('refuses negative and impossible counts and lengths at once', () => {
    const { payload, fixture } = FIXTURES.find((f) => f.name === 'transactions')!;
    const topicLength = fixture.topic.length;
    const topicCountAt = 4 + 2 + 4;
    const partitionCountAt = topicCountAt + 4 + 2 + topicLength;
    const abortedCountAt = partitionCountAt + 4 + 4 + 2 + 8 + 8 + 8;
    const recordsSizeAt = abortedCountAt + 4 + 3 * 16 + 4;
    const cases: [number, number, RegExp][] = [
      [topicCountAt, 0x7fffffff, /2147483647 topics cannot fit/],
      [topicCountAt, -1, /topics count is -1/],
      [topicCountAt + 4, 0x7fff, /response ends inside a topic name/],
      [topicCountAt + 4, 0xfffe, /topic name has a length of -2/],
      [partitionCountAt, 0x7fffffff, /partitions cannot fit/],
      [abortedCountAt, 0x7fffffff, /aborted transactions cannot fit/],
      [abortedCountAt, -2, /aborted transactions count is -2/],
      [recordsSizeAt, -2, /record set has a size of -2/],
      [recordsSizeAt, 0x7fffffff, /ends inside a record set of 2147483647 bytes/],
    ];
    for (const [at, value, reason] of cases) {
      const damaged = Buffer.from(payload);
      if (at === topicCountAt + 4) damaged.writeUInt16BE(value, at);
      else damaged.writeInt32BE(value, at);
      const started = performance.now();
      const err = decodeError(() => decodeFetchResponse(damaged, fixture.fetchVersion));
      expect(err.reason).toMatch(reason);
      expect(performance.now() - started).toBeLessThan(500);
      if (at >= recordsSizeAt) expect(err).toMatchObject({ topic: fixture.topic, partition: 0 });
    }
    expect(decodeError(() => decodeFetchResponse(payload, 3)).reason).toMatch(/not a version this decoder reads/);
    expect(decodeError(() => decodeFetchResponse(payload, 12)).reason).toMatch(/not a version this decoder reads/);
  });

  it('a damaged record set in a well-formed response fails its CRC with topic, partition and offset', () => {
    const { payload, fixture } = FIXTURES.find((f) => f.name === 'codec-zstd')!;
    const damaged = Buffer.from(payload);
    damaged[damaged.length - 3]! ^= 0xff; // inside the last batch (offsets 12–20)
    const p = decodeFetchResponse(damaged, fixture.fetchVersion).topics[0]!.partitions[0]!;
    const err = decodeError(() =>
      decodeRecordSet({ topic: fixture.topic, partition: p.partition }, p.records, 0n, p.aborted),
    );
    expect(err).toMatchObject({ topic: fixture.topic, partition: 0, offset: 12n });
    expect(err.message).toContain(`in topic ${fixture.topic} partition 0 at offset 12: the batch's CRC-32C is`);
  });

  it('random bytes and random mutations of real responses: a ProtocolDecodeError at most', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.integer({ min: 4, max: 11 }), (bytes, version) =>
        decodeAll(Buffer.from(bytes), version),
      ),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...FIXTURES),
        fc.array(fc.tuple(fc.nat(), fc.integer({ min: 1, max: 255 })), { minLength: 1, maxLength: 3 }),
        (f, mutations) => {
          const damaged = Buffer.from(f.payload);
          for (const [position, xor] of mutations) damaged[position % damaged.length]! ^= xor;
          decodeAll(damaged, f.fixture.fetchVersion);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('every single-byte change in the response header and partition fields: a ProtocolDecodeError at most', () => {
    for (const { payload, fixture } of FIXTURES) {
      const response = decodeFetchResponse(payload, fixture.fetchVersion);
      const firstRecords = response.topics[0]!.partitions[0]!.records.byteOffset - payload.byteOffset;
      for (let at = 0; at < firstRecords; at++) {
        for (const xor of [0x01, 0x80, 0xff]) {
          const damaged = Buffer.from(payload);
          damaged[at]! ^= xor;
          decodeAll(damaged, fixture.fetchVersion);
        }
      }
    }
  });
});
