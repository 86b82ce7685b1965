// Record bytes as JSON-safe DTOs: text where the bytes are valid UTF-8, base64 (flagged by
// `encoding`) where they are not, null for a null key or value. Universal: no Buffer, no DOM.
// The type is the contract's (src/common/contract/dto.ts Payload), re-exported for the codec's users.
import type { PayloadDto } from '../contract/dto.ts';

export type { PayloadDto };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** maxBytes: keep only a prefix (a list preview); the DTO says it was truncated and the full size. */
export function encodePayload(bytes: Uint8Array | null, maxBytes?: number): PayloadDto | null {
  if (bytes === null) return null;
  return maxBytes !== undefined && bytes.length > maxBytes
    ? payloadOfPrefix(bytes.subarray(0, maxBytes), bytes.length)
    : payloadOfPrefix(bytes, bytes.length);
}

/** The DTO of a payload of which only `prefix` is at hand (all of it when fullSize === prefix.length). */
export function payloadOfPrefix(prefix: Uint8Array, fullSize: number): PayloadDto {
  if (prefix.length >= fullSize) {
    const text = tryUtf8(prefix);
    return text !== null
      ? { encoding: 'utf8', text, size: fullSize }
      : { encoding: 'base64', base64: toBase64(prefix), size: fullSize };
  }
  // A cut may split a UTF-8 sequence: drop up to three trailing bytes before calling it binary.
  for (let trim = 0; trim <= 3; trim++) {
    const text = tryUtf8(prefix.subarray(0, prefix.length - trim));
    if (text !== null) return { encoding: 'utf8', text, size: fullSize, truncated: true };
  }
  return { encoding: 'base64', base64: toBase64(prefix), size: fullSize, truncated: true };
}

function tryUtf8(bytes: Uint8Array): string | null {
  try {
    return strictUtf8.decode(bytes);
  } catch {
    return null;
  }
}

export function decodePayload(dto: PayloadDto | null): Uint8Array | null {
  if (dto === null) return null;
  return dto.encoding === 'utf8' ? utf8Encoder.encode(dto.text) : fromBase64(dto.base64);
}

export function toBase64(bytes: Uint8Array): string {
  let out = '';
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + ALPHABET[n & 63]!;
  }
  const rest = bytes.length - i;
  if (rest === 1) {
    const n = bytes[i]! << 16;
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + '==';
  } else if (rest === 2) {
    const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8);
    out += ALPHABET[n >> 18]! + ALPHABET[(n >> 12) & 63]! + ALPHABET[(n >> 6) & 63]! + '=';
  }
  return out;
}

export function fromBase64(text: string): Uint8Array {
  const clean = text.replace(/=+$/, '');
  const out = new Uint8Array(Math.floor((clean.length * 3) / 4));
  let bits = 0;
  let value = 0;
  let at = 0;
  for (const ch of clean) {
    const v = ALPHABET.indexOf(ch);
    if (v < 0) throw new Error(`Not base64: character "${ch}"`);
    value = (value << 6) | v;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[at++] = (value >> bits) & 0xff;
    }
  }
  return out.subarray(0, at);
}
