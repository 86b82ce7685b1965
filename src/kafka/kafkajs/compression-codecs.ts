// Registers the snappy, lz4 and zstd codecs with kafkajs (it ships gzip only). Pure-JS
// snappy and lz4 and Node's own zstd, so nothing native has to be rebuilt for Electron.
import { zstdCompressSync, zstdDecompressSync } from 'node:zlib';
import kafkajs from 'kafkajs';
import * as lz4js from 'lz4js';
import * as snappy from 'snappyjs';

interface Codec {
  compress(encoder: { buffer: Buffer }): Promise<Buffer>;
  decompress(buffer: Buffer): Promise<Buffer>;
}

// Java clients frame snappy the way xerial's SnappyOutputStream does: a magic header,
// then blocks each prefixed with their compressed length.
const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;
const XERIAL_BLOCK_BYTES = 32 * 1024;

export function snappyDecompress(buffer: Buffer): Buffer {
  if (buffer.length < XERIAL_HEADER_BYTES || !buffer.subarray(0, 8).equals(XERIAL_MAGIC)) return Buffer.from(snappy.uncompress(buffer));
  const parts: Buffer[] = [];
  let at = XERIAL_HEADER_BYTES;
  while (at < buffer.length) {
    const size = buffer.readInt32BE(at);
    at += 4;
    parts.push(Buffer.from(snappy.uncompress(buffer.subarray(at, at + size))));
    at += size;
  }
  return Buffer.concat(parts);
}

export function snappyCompress(buffer: Buffer): Buffer {
  const header = Buffer.alloc(XERIAL_HEADER_BYTES);
  XERIAL_MAGIC.copy(header);
  header.writeInt32BE(1, 8); // version
  header.writeInt32BE(1, 12); // minimum compatible version
  const parts: Buffer[] = [header];
  for (let at = 0; at < buffer.length; at += XERIAL_BLOCK_BYTES) {
    const block = Buffer.from(snappy.compress(buffer.subarray(at, at + XERIAL_BLOCK_BYTES)));
    const size = Buffer.alloc(4);
    size.writeInt32BE(block.length);
    parts.push(size, block);
  }
  return Buffer.concat(parts);
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
