// Record bytes as JSON-safe DTOs: text where the bytes are valid UTF-8, base64 (flagged by
// `encoding`) where they are not, null for a null key or value. Universal: no Buffer, no DOM.

export type PayloadDto = { encoding: 'utf8'; text: string; size: number } | { encoding: 'base64'; base64: string; size: number };

const strictUtf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });
const utf8Encoder = new TextEncoder();
const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

export function encodePayload(bytes: Uint8Array | null): PayloadDto | null {
  if (bytes === null) return null;
  try {
    return { encoding: 'utf8', text: strictUtf8.decode(bytes), size: bytes.length };
  } catch {
    return { encoding: 'base64', base64: toBase64(bytes), size: bytes.length };
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
