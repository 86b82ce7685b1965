// Registers the snappy, lz4 and zstd codecs with kafkajs (it ships gzip only). Pure-JS
// snappy (xerial-framed, in protocol/snappy-framing.ts) and lz4 and Node's own zstd, so
// nothing native has to be rebuilt for Electron.
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import kafkajs from 'kafkajs';
import * as lz4js from 'lz4js';
import { snappyCompress, snappyDecompress } from '../protocol/snappy-framing.ts';

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

const codecs: Record<'Snappy' | 'LZ4' | 'ZSTD', () => Codec> = {
  Snappy: () => ({
    compress: async (encoder) => snappyCompress(encoder.buffer),
    decompress: async (buffer) => snappyDecompress(buffer),
  }),
  LZ4: () => ({
    compress: async (encoder) => Buffer.from(lz4js.compress(encoder.buffer)),
    decompress: async (buffer) => Buffer.from(lz4js.decompress(buffer)),
  }),
  ZSTD: () => ({
    compress: async (encoder) => zstdCompressSync(encoder.buffer),
    decompress: async (buffer) => zstdDecompressSync(buffer),
  }),
};

let registered = false;

export function registerCompressionCodecs(): void {
  if (registered) return;
  const table = kafkajs.CompressionCodecs as unknown as Record<number, () => Codec>;
  for (const name of ['Snappy', 'LZ4', 'ZSTD'] as const) table[kafkajs.CompressionTypes[name]] = codecs[name];
  registered = true;
}
