// LZ4 frames (what Kafka's lz4 codec writes: magic, frame descriptor, length-prefixed blocks,
// end mark) decoded strictly. lz4js, which compresses for kafkajs's producer, decodes
// malformed input without noticing: reads past the end give zeros, a copy from before the
// start gives zeros, and a block length near 2^31 makes it loop for seconds. Here every
// length and copy is checked against the data, so a damaged frame is an error (the record
// decoder turns it into a ProtocolDecodeError) and the work is bounded by the input's size.

const MAGIC = 0x184d2204;
const FLG_VERSION_MASK = 0xc0;
const FLG_VERSION_01 = 0x40;
const FLG_BLOCK_CHECKSUM = 0x10;
const FLG_CONTENT_SIZE = 0x08;
const FLG_CONTENT_CHECKSUM = 0x04;
const FLG_RESERVED = 0x02;
const FLG_DICTIONARY = 0x01;
const BLOCK_UNCOMPRESSED = 0x80000000;
const MIN_MATCH = 4;
/** A sequence can add at most 255 bytes of match per input byte. */
const MAX_INFLATION = 256;

function fail(why: string): never {
  throw new Error(`lz4: ${why}`);
}

/** Decodes one LZ4 frame; bytes after its end mark are ignored, as Kafka's Java client does. */
export function lz4DecompressFrame(input: Uint8Array): Buffer {
  const end = input.length;
  if (end < 7) fail(`${end} bytes are too few for a frame`);
  const magic = (input[0]! | (input[1]! << 8) | (input[2]! << 16) | (input[3]! << 24)) >>> 0;
  if (magic !== MAGIC) fail(`the frame starts with 0x${magic.toString(16)}, not the LZ4 magic number`);
  const flg = input[4]!;
  if ((flg & FLG_VERSION_MASK) !== FLG_VERSION_01) fail(`unknown frame version ${flg >>> 6}`);
  if (flg & FLG_RESERVED) fail('a reserved frame flag is set');
  if (flg & FLG_DICTIONARY) fail('the frame needs a dictionary');
  const bd = input[5]!;
  const sizeId = (bd >>> 4) & 7;
  if (sizeId < 4 || (bd & 0x8f) !== 0) fail(`invalid block descriptor 0x${bd.toString(16)}`);
  const blockMax = 1 << (2 * sizeId + 8); // 64 KB, 256 KB, 1 MB, 4 MB
  let at = 6;
  let contentSize = -1;
  if (flg & FLG_CONTENT_SIZE) {
    if (at + 8 > end) fail('the content size is cut off');
    contentSize =
      (input[at]! | (input[at + 1]! << 8) | (input[at + 2]! << 16)) +
      input[at + 3]! * 2 ** 24 +
      (input[at + 4]! | (input[at + 5]! << 8) | (input[at + 6]! << 16)) * 2 ** 32 +
      input[at + 7]! * 2 ** 56;
    if (contentSize > end * MAX_INFLATION)
      fail(`the frame declares ${contentSize} bytes, more than its ${end} compressed bytes can hold`);
    at += 8;
  }
  at += 1; // header checksum: the record batch's CRC already covers these bytes
  const blockChecksums = (flg & FLG_BLOCK_CHECKSUM) !== 0;

  let out = Buffer.allocUnsafe(contentSize >= 0 ? contentSize : Math.min(Math.max(end * 4, 1024), blockMax * 4));
  let pos = 0;
  const room = (needed: number): void => {
    if (needed <= out.length) return;
    const grown = Buffer.allocUnsafe(Math.max(needed, out.length * 2));
    out.copy(grown, 0, 0, pos);
    out = grown;
  };
  for (;;) {
    if (at + 4 > end) fail('the frame ends without an end mark');
    const word = (input[at]! | (input[at + 1]! << 8) | (input[at + 2]! << 16) | (input[at + 3]! << 24)) >>> 0;
    at += 4;
    if (word === 0) break;
    const size = word & ~BLOCK_UNCOMPRESSED;
    if (size > blockMax) fail(`a block of ${size} bytes is larger than the frame's ${blockMax}-byte blocks`);
    const blockEnd = at + size;
    if (blockEnd > end) fail(`a block of ${size} bytes runs past the end of the frame`);
    if (word & BLOCK_UNCOMPRESSED) {
      room(pos + size);
      out.set(input.subarray(at, blockEnd), pos);
      pos += size;
      at = blockEnd;
    } else {
      const blockStart = pos;
      while (at < blockEnd) {
        const token = input[at++]!;
        let literals = token >>> 4;
        if (literals === 15) {
          let more: number;
          do {
            if (at >= blockEnd) fail('a literal length is cut off');
            more = input[at++]!;
            literals += more;
          } while (more === 255);
        }
        if (at + literals > blockEnd) fail(`${literals} literal bytes run past the end of their block`);
        room(pos + literals);
        if (literals <= 16) for (let i = 0; i < literals; i++) out[pos + i] = input[at + i]!;
        else out.set(input.subarray(at, at + literals), pos);
        at += literals;
        pos += literals;
        if (at === blockEnd) break; // the last sequence of a block has literals only
        if (at + 2 > blockEnd) fail('a match offset is cut off');
        const offset = input[at]! | (input[at + 1]! << 8);
        at += 2;
        if (offset === 0 || offset > pos) fail(`a match refers ${offset} bytes back from byte ${pos} of the output`);
        let match = token & 15;
        if (match === 15) {
          let more: number;
          do {
            if (at >= blockEnd) fail('a match length is cut off');
            more = input[at++]!;
            match += more;
          } while (more === 255);
        }
        match += MIN_MATCH;
        if (pos + match - blockStart > blockMax) fail(`a block decodes to more than ${blockMax} bytes`);
        room(pos + match);
        if (offset >= match && match > 16) out.copyWithin(pos, pos - offset, pos - offset + match);
        else for (let i = 0; i < match; i++) out[pos + i] = out[pos - offset + i]!; // may overlap: repeats a pattern
        pos += match;
      }
      if (pos - blockStart > blockMax) fail(`a block decodes to more than ${blockMax} bytes`);
    }
    if (blockChecksums) at += 4; // xxHash32 of the block: covered by the batch's CRC
  }
  if (flg & FLG_CONTENT_CHECKSUM && at + 4 > end) fail('the content checksum is cut off');
  if (contentSize >= 0 && pos !== contentSize) fail(`the frame decodes to ${pos} bytes but declares ${contentSize}`);
  return out.subarray(0, pos);
}
