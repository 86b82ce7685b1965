// CRC-32C (Castagnoli), the checksum of every Kafka record batch (magic 2). Verifying it is
// what tells a batch damaged on disk or on the wire from a good one, so it runs over every
// byte fetched: slicing-by-16 (sixteen 256-entry tables, 16 input bytes a step, read as four
// 32-bit words) keeps it within a small factor of a native CRC, with no native addon for
// Electron to rebuild.

const POLYNOMIAL = 0x82f63b78; // reflected

/** TABLES[k * 256 + b]: the CRC of byte b followed by k zero bytes. One flat array, one bounds check. */
const TABLES = buildTables();

function buildTables(): Int32Array {
  const t = new Int32Array(16 * 256);
  for (let b = 0; b < 256; b++) {
    let c = b;
    for (let i = 0; i < 8; i++) c = c & 1 ? (c >>> 1) ^ POLYNOMIAL : c >>> 1;
    t[b] = c;
  }
  for (let k = 1; k < 16; k++) {
    for (let b = 0; b < 256; b++) {
      const prev = t[(k - 1) * 256 + b]!;
      t[k * 256 + b] = (prev >>> 8) ^ t[prev & 0xff]!;
    }
  }
  return t;
}

/** Little-endian hosts (every platform Node and Electron ship for) read the input as 32-bit words. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
/** Below this, setting up a word view costs more than it saves. */
const WORDS_FROM_BYTES = 64;

/**
 * CRC-32C of bytes[start, end), as an unsigned 32-bit number. previous: the CRC of the bytes
 * before these, to checksum a sequence in parts (0 to start).
 */
export function crc32c(bytes: Uint8Array, start = 0, end = bytes.length, previous = 0): number {
  if (!(start >= 0 && end <= bytes.length && start <= end))
    throw new RangeError(`crc32c: range [${start}, ${end}) is outside the ${bytes.length} bytes given`);
  const t = TABLES;
  let crc = ~previous;
  let i = start;
  if (LITTLE_ENDIAN && end - start >= WORDS_FROM_BYTES) {
    // Bytes up to a 4-byte boundary, then 16 bytes (four aligned words) per step.
    for (const aligned = start + ((4 - ((bytes.byteOffset + start) & 3)) & 3); i < aligned; i++)
      crc = (crc >>> 8) ^ t[(crc ^ bytes[i]!) & 0xff]!;
    const words = new Int32Array(bytes.buffer, bytes.byteOffset + i, (end - i) >>> 2);
    let w = 0;
    for (const stop = words.length - 4; w <= stop; w += 4) {
      const a = crc ^ words[w]!;
      const b = words[w + 1]!;
      const c = words[w + 2]!;
      const d = words[w + 3]!;
      crc =
        t[3840 + (a & 0xff)]! ^
        t[3584 + ((a >>> 8) & 0xff)]! ^
        t[3328 + ((a >>> 16) & 0xff)]! ^
        t[3072 + (a >>> 24)]! ^
        t[2816 + (b & 0xff)]! ^
        t[2560 + ((b >>> 8) & 0xff)]! ^
        t[2304 + ((b >>> 16) & 0xff)]! ^
        t[2048 + (b >>> 24)]! ^
        t[1792 + (c & 0xff)]! ^
        t[1536 + ((c >>> 8) & 0xff)]! ^
        t[1280 + ((c >>> 16) & 0xff)]! ^
        t[1024 + (c >>> 24)]! ^
        t[768 + (d & 0xff)]! ^
        t[512 + ((d >>> 8) & 0xff)]! ^
        t[256 + ((d >>> 16) & 0xff)]! ^
        t[d >>> 24]!;
    }
    i += w * 4;
  }
  for (; i < end; i++) crc = (crc >>> 8) ^ t[(crc ^ bytes[i]!) & 0xff]!;
  return ~crc >>> 0;
}
