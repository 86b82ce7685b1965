import { randomBytes } from 'node:crypto';
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { registerCompressionCodecs } from '../../src/node/kafka/kafkajs/compression-codecs.ts';
import { snappyCompress, snappyDecompress } from '../../src/node/kafka/protocol/snappy-framing.ts';

describe('compression codecs', () => {
  const payload = Buffer.concat([Buffer.from('{"type":"OrderPlaced","id":1}'.repeat(3000)), randomBytes(70_000)]);

  it('registers snappy, lz4 and zstd with kafkajs and round-trips each', async () => {
    registerCompressionCodecs();
    const codecs = kafkajs.CompressionCodecs as unknown as Record<
      number,
      () => { compress(e: { buffer: Buffer }): Promise<Buffer>; decompress(b: Buffer): Promise<Buffer> }
    >;
    for (const type of [kafkajs.CompressionTypes.Snappy, kafkajs.CompressionTypes.LZ4, kafkajs.CompressionTypes.ZSTD]) {
      const codec = codecs[type];
      expect(codec, `codec ${type}`).toBeTypeOf('function');
      const compressed = await codec!().compress({ buffer: payload });
      expect(compressed.length).toBeLessThan(payload.length);
      expect((await codec!().decompress(compressed)).equals(payload)).toBe(true);
    }
  });

  it('writes xerial-framed snappy as Java clients do, and reads raw snappy too', () => {
    const framed = snappyCompress(payload);
    expect(framed.subarray(0, 8)).toEqual(Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]));
    expect(snappyDecompress(framed).equals(payload)).toBe(true);
  });
});
