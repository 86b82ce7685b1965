// The consumer-group codecs (src/node/kafka/protocol/group-protocol.ts, metadata-topic-ids.ts) and
// the flexible-version primitives under them (flexible-codec.ts), without a broker: responses a
// real Kafka 4.1 broker sent (captured once through sendRawRequest, header tags already
// skipped, as the decoders receive them) decode to what the broker said; every version's
// request encodes to the bytes Kafka's message definitions prescribe; and a response cut short
// anywhere, with a byte too many, or replaced by random bytes raises a ProtocolDecodeError,
// never a RangeError.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  formatKafkaUuid,
  isZeroUuid,
  RequestWriter,
  ResponseDecodeError,
  ResponseReader,
} from '../../src/node/kafka/protocol/flexible-codec.ts';
import {
  decodeConsumerGroupDescribeResponse,
  decodeConsumerProtocolAssignment,
  decodeDeleteGroupsResponse,
  decodeDescribeGroupsResponse,
  decodeFindCoordinatorResponse,
  decodeListGroupsResponse,
  decodeOffsetCommitResponse,
  decodeOffsetFetchResponse,
  encodeConsumerGroupDescribeRequest,
  encodeDeleteGroupsRequest,
  encodeDescribeGroupsRequest,
  encodeFindCoordinatorRequest,
  encodeListGroupsRequest,
  encodeOffsetCommitRequest,
  encodeOffsetFetchRequest,
  GROUP_APIS,
  isFlexible,
  negotiateVersion,
} from '../../src/node/kafka/protocol/group-protocol.ts';
import {
  decodeMetadataTopicIdsResponse,
  encodeMetadataTopicIdsRequest,
} from '../../src/node/kafka/protocol/metadata-topic-ids.ts';
import { ProtocolDecodeError } from '../../src/node/kafka/protocol/protocol-decode-error.ts';

// Captured from Apache Kafka 4.1.1: groups "expg1" (classic, a kcat member, range assignor) and
// "expg2" (KIP-848 consumer group, a console consumer) on topic "exp1" (3 partitions).
const CAPTURED: Record<string, string> = {
  'ListGroups v0': '000000000002000565787067320008636f6e73756d6572000565787067310008636f6e73756d6572',
  'ListGroups v3': '0000000000000306657870673209636f6e73756d65720006657870673109636f6e73756d65720000',
  'ListGroups v4':
    '0000000000000306657870673209636f6e73756d657207537461626c650006657870673109636f6e73756d657207537461626c650000',
  'ListGroups v5':
    '0000000000000306657870673209636f6e73756d657207537461626c6509636f6e73756d65720006657870673109636f6e73756d657207537461626c6508636c61737369630000',
  'FindCoordinator v0': '00000000000100093132372e302e302e3100009747',
  'FindCoordinator v2': '00000000000000044e4f4e450000000100093132372e302e302e3100009747',
  'FindCoordinator v3': '000000000000054e4f4e45000000010a3132372e302e302e310000974700',
  'FindCoordinator v4':
    '0000000003066578706731000000010a3132372e302e302e310000974700000100066578706732000000010a3132372e302e302e31000097470000010000',
  'FindCoordinator v6':
    '0000000003066578706731000000010a3132372e302e302e310000974700000100066578706732000000010a3132372e302e302e31000097470000010000',
  'DescribeGroups v0':
    '00000002000000086e6f6e657869737400044465616400000000000000000000000565787067310006537461626c650008636f6e73756d6572000572616e676500000001002c72646b61666b612d6639' +
    '3432323765302d613862612d346339332d383566352d313865303838353439393466000772646b61666b61000a2f3132372e302e302e3100000014000100000001000465787031000000000000000000' +
    '0000200000000000010004657870310000000300000000000000010000000200000000',
  'DescribeGroups v3':
    '0000000000000002000000086e6f6e65786973740004446561640000000000000000800000000000000565787067310006537461626c650008636f6e73756d6572000572616e676500000001002c7264' +
    '6b61666b612d66393432323765302d613862612d346339332d383566352d313865303838353439393466000772646b61666b61000a2f3132372e302e302e310000001400010000000100046578703100' +
    '0000000000000000000020000000000001000465787031000000030000000000000001000000020000000080000000',
  'DescribeGroups v4':
    '0000000000000002000000086e6f6e65786973740004446561640000000000000000800000000000000565787067310006537461626c650008636f6e73756d6572000572616e676500000001002c7264' +
    '6b61666b612d66393432323765302d613862612d346339332d383566352d313865303838353439393466ffff000772646b61666b61000a2f3132372e302e302e31000000140001000000010004657870' +
    '31000000000000000000000020000000000001000465787031000000030000000000000001000000020000000080000000',
  'DescribeGroups v5':
    '00000000030000096e6f6e657869737405446561640101018000000000000006657870673107537461626c6509636f6e73756d65720672616e6765022d72646b61666b612d66393432323765302d6138' +
    '62612d346339332d383566352d313865303838353439393466000872646b61666b610b2f3132372e302e302e311500010000000100046578703100000000000000002100000000000100046578703100' +
    '0000030000000000000001000000020000000000800000000000',
  'DescribeGroups v6':
    '000000000300451a47726f7570206e6f6e6578697374206e6f7420666f756e642e096e6f6e65786973740544656164010101800000000000000006657870673107537461626c6509636f6e73756d6572' +
    '0672616e6765022d72646b61666b612d66393432323765302d613862612d346339332d383566352d313865303838353439393466000872646b61666b610b2f3132372e302e302e311500010000000100' +
    '0465787031000000000000000021000000000001000465787031000000030000000000000001000000020000000000800000000000',
  'ConsumerGroupDescribe v0':
    '000000000300000006657870673207537461626c65000000010000000108756e69666f726d02173965565567524569526775592d7a6b3744303568505100000000000111636f6e736f6c652d636f6e73' +
    '756d65720b2f3132372e302e302e3102056578703101020571153214544c1f9cc6b6a54f5bf8340565787031040000000000000001000000020000020571153214544c1f9cc6b6a54f5bf83405657870' +
    '3104000000000000000100000002000000800000000000452547726f7570206578706731206973206e6f74206120636f6e73756d65722067726f75702e06657870673101000000000000000001018000' +
    '00000000',
  'ConsumerGroupDescribe v1':
    '000000000300000006657870673207537461626c65000000010000000108756e69666f726d02173965565567524569526775592d7a6b3744303568505100000000000111636f6e736f6c652d636f6e73' +
    '756d65720b2f3132372e302e302e3102056578703101020571153214544c1f9cc6b6a54f5bf8340565787031040000000000000001000000020000020571153214544c1f9cc6b6a54f5bf83405657870' +
    '310400000000000000010000000200000100800000000000452547726f7570206578706731206973206e6f74206120636f6e73756d65722067726f75702e066578706731010000000000000000010180' +
    '0000000000',
  'OffsetFetch v2':
    '00000001000465787031000000030000000200000000000000000000000000000000000000000000000300000000000000010000000000000002000000000000',
  'OffsetFetch v5':
    '000000000000000100046578703100000003000000020000000000000000ffffffff00000000000000000000000000000003000000000000000000000001000000000000000200000000000000000000',
  'OffsetFetch v6':
    '0000000002056578703104000000020000000000000000ffffffff010000000000000000000000000000030000000001000000000000010000000000000002000000000100000000000000',
  'OffsetFetch v7':
    '0000000002056578703104000000020000000000000000ffffffff010000000000000000000000000000030000000001000000000000010000000000000002000000000100000000000000',
  'OffsetFetch v8':
    '000000000306657870673102056578703103000000000000000000000003ffffffff01000000000000010000000000000002ffffffff0100000000000000066578706732020565787031030000000000' +
    '000000000000030000000001000000000000020000000000000000ffffffff010000000000000000',
  'OffsetFetch v9':
    '000000000306657870673102056578703103000000000000000000000003ffffffff01000000000000010000000000000002ffffffff0100000000000000066578706732020565787031030000000000' +
    '000000000000030000000001000000000000020000000000000000ffffffff010000000000000000',
  'OffsetCommit v2': '0000000100046578703100000002000000000000000000010000',
  'OffsetCommit v7': '000000000000000100046578703100000002000000000000000000010000',
  'OffsetCommit v8': '000000000205657870310300000000000000000000010000000000',
  'OffsetCommit v9': '000000000205657870310300000000000000000000010000000000',
  'DeleteGroups v0': '00000000000000020004636170670000000565787067310044',
  'DeleteGroups v2': '0000000003056361706700450006657870673100440000',
  'Metadata v10':
    '0000000002000000010a3132372e302e302e3100009747000017363453386a42504d5461676a7a505f424b68425377510000000103000005657870310571153214544c1f9cc6b6a54f5bf83400040000' +
    '0000000100000001000000000200000001020000000101000000000000020000000100000000020000000102000000010100000000000000000000010000000002000000010200000001010080000000' +
    '000003056e6f706500000000000000000000000000000000000180000000008000000000',
  'Metadata v12':
    '0000000002000000010a3132372e302e302e3100009747000017363453386a42504d5461676a7a505f424b68425377510000000103000005657870310571153214544c1f9cc6b6a54f5bf83400040000' +
    '0000000100000001000000000200000001020000000101000000000000020000000100000000020000000102000000010100000000000000000000010000000002000000010200000001010080000000' +
    '000003056e6f7065000000000000000000000000000000000001800000000000',
  'Metadata v13':
    '0000000002000000010a3132372e302e302e3100009747000017363453386a42504d5461676a7a505f424b68425377510000000103000005657870310571153214544c1f9cc6b6a54f5bf83400040000' +
    '0000000100000001000000000200000001020000000101000000000000020000000100000000020000000102000000010100000000000000000000010000000002000000010200000001010080000000' +
    '000003056e6f70650000000000000000000000000000000000018000000000000000',
};

const bytes = (name: string): Buffer => Buffer.from(CAPTURED[name]!, 'hex');
const hex = (b: Buffer): string => b.toString('hex');

/** Every captured response with the decoder for its API and version. */
const DECODERS: [string, (payload: Buffer) => unknown][] = Object.keys(CAPTURED).map((name) => {
  const [api, v] = name.split(' v') as [string, string];
  const version = Number(v);
  const decode: Record<string, (p: Buffer) => unknown> = {
    ListGroups: (p) => decodeListGroupsResponse(p, version),
    FindCoordinator: (p) => decodeFindCoordinatorResponse(p, version, ['expg1']),
    DescribeGroups: (p) => decodeDescribeGroupsResponse(p, version),
    ConsumerGroupDescribe: (p) => decodeConsumerGroupDescribeResponse(p, version),
    OffsetFetch: (p) => decodeOffsetFetchResponse(p, version, ['expg2']),
    OffsetCommit: (p) => decodeOffsetCommitResponse(p, version),
    DeleteGroups: (p) => decodeDeleteGroupsResponse(p, version),
    Metadata: (p) => decodeMetadataTopicIdsResponse(p, version),
  };
  return [name, decode[api]!];
});

/** Decodes, and says whether it failed with anything but a ProtocolDecodeError. */
function onlyDecodeErrors(decode: (payload: Buffer) => unknown, payload: Buffer): void {
  try {
    decode(payload);
  } catch (err) {
    if (!(err instanceof ProtocolDecodeError))
      throw new Error(`not a ProtocolDecodeError: ${String(err)}`, { cause: err });
  }
}

describe('flexible-version primitives', () => {
  it('writes and reads unsigned varints at every width boundary', () => {
    for (const n of [0, 1, 127, 128, 16_383, 16_384, 2_097_151, 2_097_152, 268_435_455, 268_435_456, 0xffffffff]) {
      const w = new RequestWriter(true).uvarint(n).toBuffer();
      const r = new ResponseReader(w, 'test', true);
      expect(r.uvarint('n')).toBe(n);
      r.end();
    }
    expect(hex(new RequestWriter(true).uvarint(300).toBuffer())).toBe('ac02');
  });

  it('refuses a varint longer than five bytes or larger than 32 bits', () => {
    expect(() => new ResponseReader(Buffer.from('ffffffffff01', 'hex'), 'test', true).uvarint('n')).toThrow(
      ProtocolDecodeError,
    );
    expect(() => new ResponseReader(Buffer.from('ffffffff7f', 'hex'), 'test', true).uvarint('n')).toThrow(
      /larger than an unsigned 32-bit varint/,
    );
    expect(() => new ResponseReader(Buffer.from('80', 'hex'), 'test', true).uvarint('n')).toThrow(ProtocolDecodeError);
  });

  it('encodes strings, bytes and arrays compact in flexible versions and with fixed lengths in classic ones', () => {
    const flexible = new RequestWriter(true)
      .string('ab')
      .nullableString(null)
      .bytes(Buffer.from([1]))
      .bytes(null)
      .array([7], (n) => void n)
      .nullableArray(null, () => undefined)
      .tags()
      .toBuffer();
    // 'ab' | null | [1] | null bytes | an array of 1 (its element written by the caller: none) | null array | tags
    expect(hex(flexible)).toBe('036162' + '00' + '0201' + '00' + '02' + '00' + '00');
    const classic = new RequestWriter(false)
      .string('ab')
      .nullableString(null)
      .bytes(Buffer.from([1]))
      .array([], () => undefined)
      .nullableArray(null, () => undefined)
      .tags()
      .toBuffer();
    expect(hex(classic)).toBe('00026162' + 'ffff' + '0000000101' + '00000000' + 'ffffffff');
  });

  it('reads back what it writes, unicode and empty strings included', () => {
    for (const flexible of [false, true]) {
      const w = new RequestWriter(flexible);
      w.int8(-2)
        .int16(-300)
        .int32(-70_000)
        .int64(-(2n ** 62n))
        .bool(true)
        .string('')
        .string('grüße-✓')
        .nullableString(null)
        .bytes(Buffer.from('xyz'))
        .uuid(Buffer.alloc(16, 9))
        .array([1, 2, 3], (n) => w.int32(n))
        .tags();
      const r = new ResponseReader(w.toBuffer(), 'test', flexible);
      expect([
        r.int8('a'),
        r.int16('b'),
        r.int32('c'),
        r.int64('d'),
        r.bool('e'),
        r.string('f'),
        r.string('g'),
        r.nullableString('h'),
        r.bytes('i').toString(),
        r.uuid('j')[0],
        r.int32Array('k'),
      ]).toEqual([-2, -300, -70_000, -(2n ** 62n), true, '', 'grüße-✓', null, 'xyz', 9, [1, 2, 3]]);
      r.tags();
      r.end();
    }
  });

  it('skips tagged fields it does not know', () => {
    // two tagged fields: tag 0 with 3 bytes, tag 5 with 0 bytes; then an int8
    const r = new ResponseReader(Buffer.from('02' + '0003aabbcc' + '0500' + '2a', 'hex'), 'test', true);
    r.tags();
    expect(r.int8('after')).toBe(42);
    r.end();
  });

  it('refuses counts the bytes left cannot hold, before looping', () => {
    const r = new ResponseReader(Buffer.from('7fffffff', 'hex'), 'ListGroups v0', false);
    expect(() => r.array('groups', 4, () => r.int32('x'))).toThrow(/cannot fit/);
    const f = new ResponseReader(Buffer.from('ffffffff0f', 'hex'), 'ListGroups v3', true);
    expect(() => f.array('groups', 1, () => f.int8('x'))).toThrow(ProtocolDecodeError);
    const t = new ResponseReader(Buffer.from('ffffffff0f', 'hex'), 'x', true);
    expect(() => t.tags()).toThrow(ProtocolDecodeError);
  });

  it('names the API, version and byte in its errors, as a ProtocolDecodeError', () => {
    const r = new ResponseReader(Buffer.from('0001', 'hex'), 'the OffsetFetch v9 response', true);
    const err = (() => {
      try {
        r.int32('throttle_time_ms');
      } catch (e) {
        return e;
      }
    })();
    expect(err).toBeInstanceOf(ProtocolDecodeError);
    expect(err).toBeInstanceOf(ResponseDecodeError);
    expect((err as Error).message).toBe(
      'Malformed Kafka data in the OffsetFetch v9 response: the bytes end inside throttle_time_ms (byte 0 of 2)',
    );
  });

  it('prints UUIDs as Kafka does (base64url, no padding) and knows the zero UUID', () => {
    expect(formatKafkaUuid(Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex'))).toBe('AAECAwQFBgcICQoLDA0ODw');
    expect(formatKafkaUuid(Buffer.from('057115321454' + '4c1f9cc6b6a54f5bf834', 'hex'))).toBe('BXEVMhRUTB-cxralT1v4NA');
    expect(isZeroUuid(Buffer.alloc(16))).toBe(true);
    expect(isZeroUuid(Buffer.from('00000000000000000000000000000001', 'hex'))).toBe(false);
  });
});

describe('versions', () => {
  it('picks the newest version both sides speak, or none', () => {
    expect(negotiateVersion(GROUP_APIS.ListGroups, { 16: { minVersion: 0, maxVersion: 5 } })).toBe(5);
    expect(negotiateVersion(GROUP_APIS.ListGroups, { 16: { minVersion: 0, maxVersion: 9 } })).toBe(5);
    expect(negotiateVersion(GROUP_APIS.ListGroups, { 16: { minVersion: 0, maxVersion: 2 } })).toBe(2);
    expect(negotiateVersion(GROUP_APIS.OffsetFetch, { 9: { minVersion: 1, maxVersion: 10 } })).toBe(9);
    expect(negotiateVersion(GROUP_APIS.OffsetFetch, { 9: { minVersion: 0, maxVersion: 1 } })).toBeNull(); // topics null needs v2
    expect(negotiateVersion(GROUP_APIS.ConsumerGroupDescribe, { 16: { minVersion: 0, maxVersion: 5 } })).toBeNull();
    expect(negotiateVersion(GROUP_APIS.ConsumerGroupDescribe, null)).toBeNull();
  });

  it('knows which versions are flexible', () => {
    expect([2, 3, 5].map((v) => isFlexible(GROUP_APIS.ListGroups, v))).toEqual([false, true, true]);
    expect([5, 6, 9].map((v) => isFlexible(GROUP_APIS.OffsetFetch, v))).toEqual([false, true, true]);
    expect(isFlexible(GROUP_APIS.ConsumerGroupDescribe, 0)).toBe(true);
  });

  it('refuses to encode or decode a version it does not speak', () => {
    expect(() => encodeListGroupsRequest(6)).toThrow(/not a version/);
    expect(() => encodeOffsetFetchRequest(1, [{ groupId: 'g', topics: null }])).toThrow(/not a version/);
    expect(() => decodeOffsetCommitResponse(Buffer.alloc(0), 10)).toThrow(/not a version/);
    expect(() => encodeMetadataTopicIdsRequest(9, [])).toThrow(/not a version/);
  });
});

describe("requests encode to the bytes of Kafka's message definitions", () => {
  it('ListGroups: no filters before v4, empty state and type filters from v4 and v5', () => {
    expect(hex(encodeListGroupsRequest(0))).toBe('');
    expect(hex(encodeListGroupsRequest(3))).toBe('00');
    expect(hex(encodeListGroupsRequest(4))).toBe('0100');
    expect(hex(encodeListGroupsRequest(5))).toBe('010100');
    expect(hex(encodeListGroupsRequest(5, { states: ['Stable'], types: ['consumer'] }))).toBe(
      '0207537461626c650209636f6e73756d657200',
    );
  });

  it('FindCoordinator: one key before v4, many from v4', () => {
    expect(hex(encodeFindCoordinatorRequest(0, ['g']))).toBe('000167');
    expect(hex(encodeFindCoordinatorRequest(2, ['g']))).toBe('00016700');
    expect(hex(encodeFindCoordinatorRequest(3, ['g']))).toBe('02670000');
    expect(hex(encodeFindCoordinatorRequest(4, ['a', 'b']))).toBe('0003026102620' + '0');
    expect(() => encodeFindCoordinatorRequest(3, ['a', 'b'])).toThrow(/one key/);
  });

  it('DescribeGroups and ConsumerGroupDescribe', () => {
    expect(hex(encodeDescribeGroupsRequest(0, ['g']))).toBe('00000001000167');
    expect(hex(encodeDescribeGroupsRequest(3, ['g']))).toBe('0000000100016700');
    expect(hex(encodeDescribeGroupsRequest(6, ['g']))).toBe('0202670000');
    expect(hex(encodeConsumerGroupDescribeRequest(1, ['g', 'h']))).toBe('030267026800' + '00');
  });

  it('OffsetFetch: one group (topics null: all) before v8, many groups from v8, a member id and epoch from v9', () => {
    expect(hex(encodeOffsetFetchRequest(2, [{ groupId: 'g', topics: null }]))).toBe('000167ffffffff');
    expect(hex(encodeOffsetFetchRequest(2, [{ groupId: 'g', topics: [{ name: 't', partitions: [3] }] }]))).toBe(
      '000167' + '00000001' + '000174' + '00000001' + '00000003',
    );
    expect(hex(encodeOffsetFetchRequest(7, [{ groupId: 'g', topics: null }]))).toBe('026700' + '00' + '00');
    expect(
      hex(
        encodeOffsetFetchRequest(8, [
          { groupId: 'g', topics: null },
          { groupId: 'h', topics: [{ name: 't', partitions: [0, 2] }] },
        ]),
      ),
    ).toBe(
      '03' + '026700' + '00' + '0268' + '02' + '0274' + '03' + '00000000' + '00000002' + '00' + '00' + '00' + '00',
    );
    expect(hex(encodeOffsetFetchRequest(9, [{ groupId: 'g', topics: null }]))).toBe(
      '02' + '0267' + '00' + 'ffffffff' + '00' + '00' + '00' + '00',
    );
    expect(() =>
      encodeOffsetFetchRequest(7, [
        { groupId: 'g', topics: null },
        { groupId: 'h', topics: null },
      ]),
    ).toThrow(/one group/);
  });

  it('OffsetCommit: a standalone commit (generation -1, no member), retention before v5, leader epoch from v6, group instance from v7', () => {
    const request = {
      groupId: 'g',
      generationIdOrMemberEpoch: -1,
      memberId: '',
      groupInstanceId: null,
      topics: [{ name: 't', partitions: [{ partition: 1, offset: 5n }] }],
    };
    expect(hex(encodeOffsetCommitRequest(2, request))).toBe(
      '000167' +
        'ffffffff' +
        '0000' +
        'ffffffffffffffff' +
        '00000001' +
        '000174' +
        '00000001' +
        '00000001' +
        '0000000000000005' +
        '0000',
    );
    expect(hex(encodeOffsetCommitRequest(6, request))).toBe(
      '000167' +
        'ffffffff' +
        '0000' +
        '00000001' +
        '000174' +
        '00000001' +
        '00000001' +
        '0000000000000005' +
        'ffffffff' +
        '0000',
    );
    expect(hex(encodeOffsetCommitRequest(9, request))).toBe(
      '0267' +
        'ffffffff' +
        '01' +
        '00' +
        '02' +
        '0274' +
        '02' +
        '00000001' +
        '0000000000000005' +
        'ffffffff' +
        '01' +
        '00' +
        '00' +
        '00',
    );
  });

  it('DeleteGroups and Metadata (topics by name, never created)', () => {
    expect(hex(encodeDeleteGroupsRequest(0, ['g']))).toBe('00000001000167');
    expect(hex(encodeDeleteGroupsRequest(2, ['g']))).toBe('02026700');
    const zeroUuid = '00'.repeat(16);
    expect(hex(encodeMetadataTopicIdsRequest(10, ['t']))).toBe(
      '02' + zeroUuid + '0274' + '00' + '00' + '00' + '00' + '00',
    );
    expect(hex(encodeMetadataTopicIdsRequest(12, ['t']))).toBe('02' + zeroUuid + '0274' + '00' + '00' + '00' + '00');
    expect(hex(encodeMetadataTopicIdsRequest(13, []))).toBe('01' + '00' + '00' + '00');
  });
});

describe('responses a Kafka 4.1 broker sent', () => {
  it('ListGroups: state from v4, type from v5', () => {
    expect(decodeListGroupsResponse(bytes('ListGroups v0'), 0).groups).toEqual([
      { groupId: 'expg2', protocolType: 'consumer', groupState: null, groupType: null },
      { groupId: 'expg1', protocolType: 'consumer', groupState: null, groupType: null },
    ]);
    expect(decodeListGroupsResponse(bytes('ListGroups v3'), 3).groups.map((g) => g.groupId)).toEqual([
      'expg2',
      'expg1',
    ]);
    expect(decodeListGroupsResponse(bytes('ListGroups v4'), 4).groups.map((g) => g.groupState)).toEqual([
      'Stable',
      'Stable',
    ]);
    expect(decodeListGroupsResponse(bytes('ListGroups v5'), 5)).toEqual({
      throttleTimeMs: 0,
      errorCode: 0,
      groups: [
        { groupId: 'expg2', protocolType: 'consumer', groupState: 'Stable', groupType: 'consumer' },
        { groupId: 'expg1', protocolType: 'consumer', groupState: 'Stable', groupType: 'classic' },
      ],
    });
  });

  it('FindCoordinator: one coordinator before v4, one per key from v4', () => {
    const one = { key: 'expg1', nodeId: 1, host: '127.0.0.1', port: 38727, errorCode: 0 };
    expect(decodeFindCoordinatorResponse(bytes('FindCoordinator v0'), 0, ['expg1']).coordinators).toEqual([
      { ...one, errorMessage: null },
    ]);
    expect(decodeFindCoordinatorResponse(bytes('FindCoordinator v2'), 2, ['expg1']).coordinators).toEqual([
      { ...one, errorMessage: 'NONE' },
    ]);
    expect(decodeFindCoordinatorResponse(bytes('FindCoordinator v3'), 3, ['expg1']).coordinators).toEqual([
      { ...one, errorMessage: 'NONE' },
    ]);
    for (const v of [4, 6]) {
      expect(decodeFindCoordinatorResponse(bytes(`FindCoordinator v${v}`), v, []).coordinators).toEqual([
        { ...one, errorMessage: '' },
        { ...one, key: 'expg2', errorMessage: '' },
      ]);
    }
  });

  it('DescribeGroups: an unknown group is Dead (GROUP_ID_NOT_FOUND from v6), a classic member with its consumer-protocol assignment', () => {
    for (const v of [0, 3, 4, 5, 6]) {
      const { groups } = decodeDescribeGroupsResponse(bytes(`DescribeGroups v${v}`), v);
      expect(groups[0]).toMatchObject({
        groupId: 'nonexist',
        groupState: 'Dead',
        errorCode: v >= 6 ? 69 : 0,
        errorMessage: v >= 6 ? 'Group nonexist not found.' : null,
        members: [],
      });
      expect(groups[1]).toMatchObject({
        groupId: 'expg1',
        errorCode: 0,
        groupState: 'Stable',
        protocolType: 'consumer',
        protocolData: 'range',
        authorizedOperations: v >= 3 ? -2147483648 : null,
      });
      const member = groups[1]!.members[0]!;
      expect(member).toMatchObject({
        memberId: 'rdkafka-f94227e0-a8ba-4c93-85f5-18e08854994f',
        groupInstanceId: null,
        clientId: 'rdkafka',
        clientHost: '/127.0.0.1',
      });
      expect(decodeConsumerProtocolAssignment(member.memberAssignment)).toEqual({
        version: 0,
        topics: [{ topic: 'exp1', partitions: [0, 1, 2] }],
      });
    }
  });

  it('ConsumerGroupDescribe: a KIP-848 group with its assignment; a classic group is not one (GROUP_ID_NOT_FOUND)', () => {
    for (const v of [0, 1]) {
      const { groups } = decodeConsumerGroupDescribeResponse(bytes(`ConsumerGroupDescribe v${v}`), v);
      expect(groups[0]).toMatchObject({
        groupId: 'expg2',
        errorCode: 0,
        groupState: 'Stable',
        groupEpoch: 1,
        assignmentEpoch: 1,
        assignorName: 'uniform',
      });
      const member = groups[0]!.members[0]!;
      expect(member).toMatchObject({
        memberId: '9eVUgREiRguY-zk7D05hPQ',
        instanceId: null,
        rackId: null,
        clientId: 'console-consumer',
        clientHost: '/127.0.0.1',
        subscribedTopicNames: ['exp1'],
        memberType: v >= 1 ? 1 : -1,
      });
      expect(
        member.assignment.map((a) => ({
          topic: a.topicName,
          id: formatKafkaUuid(a.topicId),
          partitions: a.partitions,
        })),
      ).toEqual([{ topic: 'exp1', id: 'BXEVMhRUTB-cxralT1v4NA', partitions: [0, 1, 2] }]);
      expect(groups[1]).toMatchObject({ groupId: 'expg1', errorCode: 69, members: [] });
    }
  });

  it('OffsetFetch: one group before v8, many from v8; committed offsets, leader epochs from v5', () => {
    for (const v of [2, 5, 6, 7]) {
      const { groups } = decodeOffsetFetchResponse(bytes(`OffsetFetch v${v}`), v, ['expg2']);
      expect(groups).toHaveLength(1);
      expect(groups[0]!.groupId).toBe('expg2');
      const offsets = groups[0]!.topics.flatMap((t) =>
        t.partitions.map((p) => [t.name, p.partition, p.committedOffset, p.errorCode]),
      );
      expect(offsets.sort()).toEqual([
        ['exp1', 0, 3n, 0],
        ['exp1', 1, 2n, 0],
        ['exp1', 2, 0n, 0],
      ]);
    }
    for (const v of [8, 9]) {
      const { groups } = decodeOffsetFetchResponse(bytes(`OffsetFetch v${v}`), v, []);
      expect(
        groups.map((g) => [
          g.groupId,
          g.errorCode,
          g.topics.flatMap((t) => t.partitions.map((p) => `${t.name}-${p.partition}@${p.committedOffset}`)),
        ]),
      ).toEqual([
        ['expg1', 0, ['exp1-0@3', 'exp1-1@2']],
        ['expg2', 0, ['exp1-0@3', 'exp1-2@0']],
      ]);
    }
  });

  it('OffsetCommit and DeleteGroups: errors per partition and per group', () => {
    for (const v of [2, 7, 8, 9]) {
      expect(decodeOffsetCommitResponse(bytes(`OffsetCommit v${v}`), v).topics).toEqual([
        {
          name: 'exp1',
          partitions: [
            { partition: 0, errorCode: 0 },
            { partition: 1, errorCode: 0 },
          ],
        },
      ]);
    }
    expect(decodeDeleteGroupsResponse(bytes('DeleteGroups v0'), 0).results).toEqual([
      { groupId: 'capg', errorCode: 0 },
      { groupId: 'expg1', errorCode: 68 },
    ]);
    expect(decodeDeleteGroupsResponse(bytes('DeleteGroups v2'), 2).results).toEqual([
      { groupId: 'capg', errorCode: 69 },
      { groupId: 'expg1', errorCode: 68 },
    ]);
  });

  it('Metadata v10–v13: topic IDs, leaders, and the all-zero ID of an unknown topic', () => {
    for (const v of [10, 12, 13]) {
      const md = decodeMetadataTopicIdsResponse(bytes(`Metadata v${v}`), v);
      expect(md.brokers).toEqual([{ nodeId: 1, host: '127.0.0.1', port: 38727, rack: null }]);
      expect(md.clusterId).toBe('64S8jBPMTagjzP_BKhBSwQ');
      expect(md.errorCode).toBe(0);
      const exp1 = md.topics.find((t) => t.name === 'exp1')!;
      expect(exp1).toMatchObject({ errorCode: 0, topicId: 'BXEVMhRUTB-cxralT1v4NA', isInternal: false });
      expect(exp1.partitions.map((p) => [p.partition, p.leader]).sort()).toEqual([
        [0, 1],
        [1, 1],
        [2, 1],
      ]);
      expect(md.topics.find((t) => t.name === 'nope')).toMatchObject({ errorCode: 3, topicId: null, partitions: [] });
    }
  });

  it('the consumer protocol assignment: later versions add fields at the end, which are left unread', () => {
    const v0 = Buffer.from('0000' + '00000001' + '000174' + '00000002' + '00000000' + '00000005' + 'ffffffff', 'hex');
    expect(decodeConsumerProtocolAssignment(v0)).toEqual({ version: 0, topics: [{ topic: 't', partitions: [0, 5] }] });
    expect(decodeConsumerProtocolAssignment(Buffer.concat([v0, Buffer.from('00000001', 'hex')]))).toEqual({
      version: 0,
      topics: [{ topic: 't', partitions: [0, 5] }],
    });
    expect(decodeConsumerProtocolAssignment(Buffer.from('0000' + '00000000', 'hex'))).toEqual({
      version: 0,
      topics: [],
    });
    for (let cut = 0; cut < v0.length - 4; cut++)
      expect(() => decodeConsumerProtocolAssignment(v0.subarray(0, cut)), `cut at ${cut}`).toThrow(ProtocolDecodeError);
  });
});

describe('damaged responses raise ProtocolDecodeError, never RangeError', () => {
  it.each(DECODERS)('%s cut short anywhere', (_name, decode) => {
    const payload = bytes(_name);
    expect(() => decode(payload)).not.toThrow();
    for (let cut = 0; cut < payload.length; cut++)
      expect(() => decode(payload.subarray(0, cut)), `cut at ${cut} of ${payload.length}`).toThrow(ProtocolDecodeError);
  });

  it.each(DECODERS)('%s with a byte too many', (_name, decode) => {
    expect(() => decode(Buffer.concat([bytes(_name), Buffer.from([0])]))).toThrow(/left over/);
  });

  it.each(DECODERS)('%s with any byte changed, or random bytes', (name, decode) => {
    const payload = bytes(name);
    fc.assert(
      fc.property(fc.nat(payload.length - 1), fc.integer({ min: 0, max: 255 }), (at, value) => {
        const damaged = Buffer.from(payload);
        damaged[at] = value;
        onlyDecodeErrors(decode, damaged);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), (random) => onlyDecodeErrors(decode, Buffer.from(random))),
      { numRuns: 300 },
    );
  });
});
