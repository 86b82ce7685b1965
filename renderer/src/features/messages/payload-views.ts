// Ways to show record bytes: text, pretty JSON, hex dump, base64. Large values are shown in
// part first; the full text is only built when asked for.
import { decodePayload, toBase64 } from '@common/codecs/payload.ts';
import type { RecordDto } from '@common/contract/dto.ts';

export const INITIAL_SHOW_BYTES = 256 * 1024;

export function payloadBytes(p: RecordDto['value']): Uint8Array | null {
  return decodePayload(p);
}

export function asText(p: RecordDto['value']): string | null {
  if (p === null) return null;
  return p.encoding === 'utf8' ? p.text : null;
}

export function asJson(p: RecordDto['value']): { ok: true; value: unknown } | { ok: false; error: string } {
  const text = asText(p);
  if (text === null) return { ok: false, error: 'The value is not UTF-8 text, so it is not JSON.' };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch (err) {
    return { ok: false, error: `Not valid JSON: ${(err as Error).message}` };
  }
}

export function hexDump(bytes: Uint8Array, limit: number): string {
  const lines: string[] = [];
  const end = Math.min(bytes.length, limit);
  for (let at = 0; at < end; at += 16) {
    const row = bytes.subarray(at, Math.min(at + 16, end));
    const hex = Array.from(row, (b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = Array.from(row, (b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${at.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  return lines.join('\n');
}

export function asBase64(bytes: Uint8Array): string {
  return toBase64(bytes);
}
