// Snappy as Kafka carries it. Java clients frame snappy the way xerial's SnappyOutputStream
// does (a magic header, then blocks each prefixed with their compressed length); librdkafka
// writes the same framing, and raw snappy is read too. Blocks are decoded here, strictly: a
// length or copy that points outside the data, or output shorter or longer than the block
// declares, is an error rather than bytes silently left as zeros (the record decoder turns it
// into a ProtocolDecodeError). snappyjs only compresses (what kafkajs's producer needs).
import * as snappy from 'snappyjs';

const XERIAL_MAGIC = Buffer.from([0x82, 0x53, 0x4e, 0x41, 0x50, 0x50, 0x59, 0x00]);
const XERIAL_HEADER_BYTES = 16;
const XERIAL_BLOCK_BYTES = 32 * 1024;
/** A copy element of 3 bytes writes at most 64: no snappy block inflates more than ~21×. */
const MAX_INFLATION = 22;

export function snappyDecompress(buffer: Buffer): Buffer {
  if (buffer.length < XERIAL_HEADER_BYTES || !buffer.subarray(0, 8).equals(XERIAL_MAGIC))
    return snappyUncompressBlock(buffer);
  const parts: Buffer[] = [];
  let at = XERIAL_HEADER_BYTES;
  while (at < buffer.length) {
    if (at + 4 > buffer.length)
      throw new Error(`snappy: a block length at byte ${at} is cut off (${buffer.length - at} of 4 bytes)`);
    const size = buffer.readInt32BE(at);
    at += 4;
    if (size < 0 || at + size > buffer.length)
      throw new Error(`snappy: a block at byte ${at} declares ${size} bytes, but ${buffer.length - at} are left`);
    parts.push(snappyUncompressBlock(buffer.subarray(at, at + size)));
    at += size;
  }
  return parts.length === 1 ? parts[0]! : Buffer.concat(parts);
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

/** One raw snappy block: the uncompressed length as a varint, then literal and copy elements. */
export function snappyUncompressBlock(input: Uint8Array): Buffer {
  const end = input.length;
  let at = 0;
  let length = 0;
  for (let shift = 0; ; shift += 7) {
    if (at >= end) throw new Error('snappy: the block ends inside its length');
    if (shift > 28) throw new Error('snappy: the block length is longer than 5 bytes');
    const byte = input[at++]!;
    length += (byte & 0x7f) * 2 ** shift;
    if (byte < 0x80) break;
  }
  if (length > end * MAX_INFLATION)
    throw new Error(`snappy: the block declares ${length} bytes, more than its ${end} compressed bytes can hold`);
  const out = Buffer.allocUnsafe(length);
  let pos = 0;
  while (at < end) {
    const tag = input[at++]!;
    const kind = tag & 3;
    if (kind === 0) {
      let n = (tag >>> 2) + 1;
      if (n > 60) {
        const extra = n - 60; // 1 to 4 little-endian length bytes follow
        if (at + extra > end) throw new Error('snappy: a literal length is cut off');
        n = 0;
        for (let i = extra - 1; i >= 0; i--) n = n * 256 + input[at + i]!;
        n += 1;
        at += extra;
      }
      if (at + n > end) throw new Error(`snappy: a literal of ${n} bytes runs past the end of the block`);
      if (pos + n > length) throw new Error(`snappy: the block decodes to more than the ${length} bytes it declares`);
      if (n <= 16) for (let i = 0; i < n; i++) out[pos + i] = input[at + i]!;
      else out.set(input.subarray(at, at + n), pos);
      at += n;
      pos += n;
      continue;
    }
    let n: number;
    let offset: number;
    if (kind === 1) {
      if (at + 1 > end) throw new Error('snappy: a copy is cut off');
      n = ((tag >>> 2) & 7) + 4;
      offset = ((tag >>> 5) << 8) | input[at]!;
      at += 1;
    } else if (kind === 2) {
      if (at + 2 > end) throw new Error('snappy: a copy is cut off');
      n = (tag >>> 2) + 1;
      offset = input[at]! | (input[at + 1]! << 8);
      at += 2;
    } else {
      if (at + 4 > end) throw new Error('snappy: a copy is cut off');
      n = (tag >>> 2) + 1;
      offset = (input[at]! | (input[at + 1]! << 8) | (input[at + 2]! << 16) | (input[at + 3]! << 24)) >>> 0;
      at += 4;
    }
    if (offset === 0 || offset > pos)
      throw new Error(`snappy: a copy refers ${offset} bytes back from byte ${pos} of the output`);
    if (pos + n > length) throw new Error(`snappy: the block decodes to more than the ${length} bytes it declares`);
    if (offset >= n && n > 16) out.copyWithin(pos, pos - offset, pos - offset + n);
    else for (let i = 0; i < n; i++) out[pos + i] = out[pos - offset + i]!; // may overlap: repeats a pattern
    pos += n;
  }
  if (pos !== length) throw new Error(`snappy: the block decodes to ${pos} bytes but declares ${length}`);
  return out;
}
