// Records straight to output bytes, one line each: the `tail` text line
// ("partition:offset<TAB>key<TAB>value") and the NDJSON line (`tail --json`, `export --format
// ndjson`). Byte for byte what formatRecordLine(toRecordDto(record)) (src/node/host/cli-tail.ts) gives
// once written as UTF-8 — test/unit/record-lines.test.ts checks that on arbitrary records — but
// without a RecordDto, a decoded string or a JSON.stringify per record: on a 2 M-record topic
// those and the re-encoding of the joined string cost more than fetching the records.
//
// Why bytes can be copied: a payload goes out as text only when it is valid UTF-8, and valid
// UTF-8 decoded (BOM kept) and encoded again is the same bytes; JSON.stringify escapes only `"`,
// `\` and C0 controls in such text (lone surrogates cannot come from valid UTF-8), all single
// bytes, so escaping works on the bytes. Universal: no Buffer — the host may pass Node's native
// UTF-8 check and an allocator that skips zero-filling.
import type { RecordBytes } from '../codecs/record-dto.ts';

export type ByteLineFormat = 'text' | 'ndjson';

export interface RecordLineOptions {
  /** A faster check than the JS one (Node: buffer.isUtf8); must accept exactly what TextDecoder's fatal mode accepts. */
  isUtf8?: (bytes: Uint8Array) => boolean;
  /** Where output buffers come from (Node: Buffer.allocUnsafe, no zero-fill). */
  allocate?: (size: number) => Uint8Array;
}

export interface RecordLineEncoder {
  /** A batch of records as lines, each ending in "\n". The bytes stay the caller's until it releases them. */
  encode(records: readonly RecordBytes[]): Uint8Array;
  /**
   * Bytes encode() returned are no longer held by anyone (the stream has written them): a later
   * batch may be written over them instead of into a new buffer. Optional — without it every
   * batch gets a fresh buffer — and harmless to call twice.
   */
  release(bytes: Uint8Array): void;
}

export function createRecordLineEncoder(format: ByteLineFormat, options: RecordLineOptions = {}): RecordLineEncoder {
  const writer = new LineWriter(options.allocate ?? ((size) => new Uint8Array(size)), options.isUtf8 ?? isUtf8);
  return {
    encode: format === 'text' ? (records) => writer.textLines(records) : (records) => writer.ndjsonLines(records),
    release: (bytes) => writer.release(bytes),
  };
}

const ascii = (text: string): Uint8Array => Uint8Array.from(text, (c) => c.charCodeAt(0));

// Pieces of the lines, as bytes. The NDJSON ones follow RecordDto's property order (toRecordDto).
const PARTITION = ascii('{"partition":');
const OFFSET = ascii(',"offset":"');
const TIMESTAMP = ascii('","timestamp":');
const CREATE_TIME = ascii(',"timestampType":"CreateTime"');
const LOG_APPEND_TIME = ascii(',"timestampType":"LogAppendTime"');
const KEY = ascii(',"key":');
const VALUE = ascii(',"value":');
const HEADERS = ascii(',"headers":[');
const HEADER_KEY = ascii('{"key":');
const END_HEADERS = ascii(']}\n');
const UTF8_PAYLOAD = ascii('{"encoding":"utf8","text":"');
const BASE64_PAYLOAD = ascii('{"encoding":"base64","base64":"');
const SIZE = ascii('","size":');
const NULL_JSON = ascii('null');
const NULL_TEXT = ascii('NULL');
const BASE64_TEXT = ascii('base64:');
/** Payloads up to this long are copied by a JS loop when ASCII: isUtf8 + set cost ~130 ns a payload here, the loop 1–2 ns a byte. */
const SHORT_PAYLOAD = 48;
/** Room for the fixed parts of one line: the pieces above and three numbers of at most 24 characters. */
const FIXED_ROOM = 256;

const HEX = ascii('0123456789abcdef');
const BASE64 = ascii('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/');
/** Per byte: 0 copied as is in a JSON string, 1 escaped, 2 starts a multi-byte UTF-8 sequence (or is invalid). */
const JSON_BYTE = new Uint8Array(256);
/** The short escapes JSON.stringify uses (\b \t \n \f \r \" \\); 0 where it writes \u00XX. */
const SHORT_ESCAPE = new Uint8Array(256);
for (let b = 0; b < 0x20; b++) JSON_BYTE[b] = 1;
JSON_BYTE[0x22] = 1;
JSON_BYTE[0x5c] = 1;
for (let b = 0x80; b < 0x100; b++) JSON_BYTE[b] = 2;
for (const [b, c] of [
  [0x08, 'b'],
  [0x09, 't'],
  [0x0a, 'n'],
  [0x0c, 'f'],
  [0x0d, 'r'],
  [0x22, '"'],
  [0x5c, '\\'],
] as const)
  SHORT_ESCAPE[b] = c.charCodeAt(0);
const MAX_SAFE_OFFSET = BigInt(Number.MAX_SAFE_INTEGER);
const EMPTY = new Uint8Array(0);
const MAX_HANDED_OUT = 8;
const utf8Encoder = new TextEncoder();

/**
 * The length of the valid UTF-8 sequence starting at bytes[i] (a byte ≥ 0x80), or 0 if it is
 * not one: the WHATWG decoder's rules (no overlongs, no surrogates, nothing above U+10FFFF),
 * which TextDecoder's fatal mode and Node's buffer.isUtf8 apply alike.
 */
function utf8SequenceLength(bytes: Uint8Array, i: number, end: number): number {
  const b0 = bytes[i]!;
  if (b0 >= 0xc2 && b0 <= 0xdf) return i + 1 < end && (bytes[i + 1]! & 0xc0) === 0x80 ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    if (i + 2 >= end) return 0;
    const b1 = bytes[i + 1]!;
    const ok =
      b1 >= (b0 === 0xe0 ? 0xa0 : 0x80) && b1 <= (b0 === 0xed ? 0x9f : 0xbf) && (bytes[i + 2]! & 0xc0) === 0x80;
    return ok ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    if (i + 3 >= end) return 0;
    const b1 = bytes[i + 1]!;
    const ok =
      b1 >= (b0 === 0xf0 ? 0x90 : 0x80) &&
      b1 <= (b0 === 0xf4 ? 0x8f : 0xbf) &&
      (bytes[i + 2]! & 0xc0) === 0x80 &&
      (bytes[i + 3]! & 0xc0) === 0x80;
    return ok ? 4 : 0;
  }
  return 0;
}

/** Whether the bytes are valid UTF-8 (what TextDecoder('utf-8', { fatal: true }) accepts). */
export function isUtf8(bytes: Uint8Array): boolean {
  const end = bytes.length;
  for (let i = 0; i < end;) {
    if (bytes[i]! < 0x80) {
      i++;
      continue;
    }
    const length = utf8SequenceLength(bytes, i, end);
    if (length === 0) return false;
    i += length;
  }
  return true;
}

/** Digits of 0 ≤ n < 1e9. */
function digitCount(n: number): number {
  let digits = 1;
  for (let limit = 10; n >= limit && digits < 9; limit *= 10) digits++;
  return digits;
}

/** One batch's output, grown as needed. Methods write at `pos`; callers make room first. */
class LineWriter {
  buf: Uint8Array = EMPTY;
  pos = 0;
  readonly allocate: (size: number) => Uint8Array;
  readonly isUtf8: (bytes: Uint8Array) => boolean;

  constructor(allocate: (size: number) => Uint8Array, utf8Check: (bytes: Uint8Array) => boolean) {
    this.allocate = allocate;
    this.isUtf8 = utf8Check;
  }

  textLines(records: readonly RecordBytes[]): Uint8Array {
    let estimate = 0;
    for (const r of records) estimate += 40 + (r.key?.length ?? 4) + (r.value?.length ?? 4);
    this.start(estimate);
    for (const r of records) {
      this.room(FIXED_ROOM);
      this.number(r.partition, false);
      this.buf[this.pos++] = 0x3a; // ':'
      this.offset(r.offset);
      this.buf[this.pos++] = 0x09;
      this.textPayload(r.key);
      this.room(1);
      this.buf[this.pos++] = 0x09;
      this.textPayload(r.value);
      this.room(1);
      this.buf[this.pos++] = 0x0a;
    }
    return this.finish();
  }

  ndjsonLines(records: readonly RecordBytes[]): Uint8Array {
    let estimate = 0;
    for (const r of records) {
      // Escapes lengthen JSON-ish text by about a tenth; a wrong guess only costs a copy.
      estimate += 200 + (((r.key?.length ?? 0) + (r.value?.length ?? 0)) * 9) / 8;
      for (const h of r.headers) estimate += 80 + h.key.length + (h.value?.length ?? 0);
    }
    this.start(estimate);
    for (const r of records) {
      this.room(FIXED_ROOM);
      this.piece(PARTITION);
      this.number(r.partition, true);
      this.piece(OFFSET);
      this.offset(r.offset);
      this.piece(TIMESTAMP);
      this.timestamp(r.timestampMs);
      if (r.timestampType !== undefined) this.piece(r.timestampType === 'CreateTime' ? CREATE_TIME : LOG_APPEND_TIME);
      this.piece(KEY);
      this.jsonPayload(r.key);
      this.room(FIXED_ROOM);
      this.piece(VALUE);
      this.jsonPayload(r.value);
      this.room(FIXED_ROOM);
      this.piece(HEADERS);
      const headers = r.headers;
      for (let h = 0; h < headers.length; h++) {
        this.room(FIXED_ROOM);
        if (h > 0) this.buf[this.pos++] = 0x2c; // ','
        this.piece(HEADER_KEY);
        this.string(JSON.stringify(headers[h]!.key));
        this.room(FIXED_ROOM);
        this.piece(VALUE);
        this.jsonPayload(headers[h]!.value);
        this.room(1);
        this.buf[this.pos++] = 0x7d; // '}'
      }
      this.room(FIXED_ROOM);
      this.piece(END_HEADERS);
    }
    return this.finish();
  }

  /**
   * Buffers handed out and not yet released, with the view encode() returned: release() matches
   * that view, not the buffer, so a late release of an earlier batch cannot free a buffer that a
   * later batch was written into. The newest few only: one never released is just not reused.
   */
  private handedOut: { view: Uint8Array; full: Uint8Array }[] = [];
  /** The largest released buffer, written over by the next batch that fits. */
  private spare: Uint8Array | null = null;

  release(bytes: Uint8Array): void {
    const i = this.handedOut.findIndex((h) => h.view === bytes);
    if (i < 0) return;
    const { full } = this.handedOut[i]!;
    this.handedOut.splice(i, 1);
    if (this.spare === null || full.length > this.spare.length) this.spare = full;
  }

  private start(estimate: number): void {
    const size = Math.max(1024, Math.ceil(estimate));
    // A released buffer is reused when large enough: no allocation, and no RSS held by
    // megabyte buffers waiting for a GC, per batch.
    if (this.spare !== null && this.spare.length >= size) {
      this.buf = this.spare;
      this.spare = null;
    } else this.buf = this.allocate(size);
    this.pos = 0;
  }

  private finish(): Uint8Array {
    const out = this.buf.subarray(0, this.pos);
    // The buffer now belongs to the caller (a stream may still hold it) until released.
    this.handedOut.push({ view: out, full: this.buf });
    if (this.handedOut.length > MAX_HANDED_OUT) this.handedOut.shift();
    this.buf = EMPTY;
    this.pos = 0;
    return out;
  }

  /** Makes room for n more bytes at pos. */
  private room(n: number): void {
    if (this.pos + n > this.buf.length) this.grow(n);
  }

  private grow(n: number): void {
    const next = this.allocate(Math.max(this.buf.length * 2, this.pos + n));
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  /** A constant piece (short: a loop beats TypedArray.set's call overhead). Room made by the caller. */
  private piece(bytes: Uint8Array): void {
    const buf = this.buf;
    let pos = this.pos;
    for (let i = 0; i < bytes.length; i++) buf[pos++] = bytes[i]!;
    this.pos = pos;
  }

  /** A number as String() and JSON.stringify() write it (the same for finite numbers; JSON says null for the rest). Room for 24 made by the caller. */
  private number(n: number, json: boolean): void {
    if (n >= 0 && n <= Number.MAX_SAFE_INTEGER && Number.isInteger(n)) this.digits(n);
    else this.asciiText(json ? JSON.stringify(n) : String(n));
  }

  /** A non-negative safe integer in decimal, in int32 arithmetic (a double's % is a slow call): up to 9 digits at a time. */
  private digits(n: number): void {
    if (n < 1e9) {
      this.fixedDigits(n, digitCount(n));
      return;
    }
    let high = Math.floor(n / 1e9);
    let low = n - high * 1e9; // exact: high * 1e9 ≤ n < 2^53
    if (low < 0) {
      high--;
      low += 1e9;
    } else if (low >= 1e9) {
      high++;
      low -= 1e9;
    }
    this.fixedDigits(high, digitCount(high)); // < 2^53 / 1e9: at most 7 digits
    this.fixedDigits(low, 9);
  }

  /** n < 1e9 as exactly `count` digits (leading zeros where n is shorter). */
  private fixedDigits(n: number, count: number): void {
    const buf = this.buf;
    const first = this.pos;
    for (let at = first + count - 1; at >= first; at--) {
      const q = (n / 10) | 0;
      buf[at] = 0x30 + n - q * 10;
      n = q;
    }
    this.pos = first + count;
  }

  /** Records of a batch mostly share a few timestamps: the last one's digits are kept and copied. */
  private lastTimestamp = NaN;
  private readonly timestampText = new Uint8Array(32);
  private timestampLength = 0;

  /** A timestamp as JSON.stringify writes it. Room for 24 made by the caller. */
  private timestamp(ms: number): void {
    const buf = this.buf;
    const cached = this.timestampText;
    // -0 === 0 and both print "0"; NaN never matches.
    if (ms === this.lastTimestamp) {
      for (let i = 0; i < this.timestampLength; i++) buf[this.pos++] = cached[i]!;
      return;
    }
    const start = this.pos;
    this.number(ms, true);
    this.timestampLength = this.pos - start;
    for (let i = 0; i < this.timestampLength; i++) cached[i] = buf[start + i]!;
    this.lastTimestamp = ms;
  }

  private offset(offset: bigint): void {
    if (offset >= 0n && offset <= MAX_SAFE_OFFSET) this.digits(Number(offset));
    else this.asciiText(offset.toString());
  }

  /** Text known to be ASCII (numbers). Room made by the caller. */
  private asciiText(text: string): void {
    for (let i = 0; i < text.length; i++) this.buf[this.pos++] = text.charCodeAt(i);
  }

  /** Any string, as UTF-8 (as a stream writes it: lone surrogates become U+FFFD). */
  private string(text: string): void {
    this.room(text.length);
    const buf = this.buf;
    let pos = this.pos;
    let i = 0;
    for (; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c >= 0x80) break;
      buf[pos++] = c;
    }
    this.pos = pos;
    if (i === text.length) return;
    const rest = text.slice(i);
    this.room(rest.length * 3);
    this.pos += utf8Encoder.encodeInto(rest, this.buf.subarray(this.pos)).written;
  }

  private textPayload(bytes: Uint8Array | null): void {
    if (bytes === null) {
      this.room(NULL_TEXT.length);
      this.piece(NULL_TEXT);
      return;
    }
    const length = bytes.length;
    this.room(length);
    if (length <= SHORT_PAYLOAD) {
      // Short (keys, mostly): an ASCII copy loop costs less than the two native calls below.
      const buf = this.buf;
      const pos = this.pos;
      let i = 0;
      while (i < length && bytes[i]! < 0x80) {
        buf[pos + i] = bytes[i]!;
        i++;
      }
      if (i === length) {
        this.pos = pos + length;
        return;
      }
    }
    if (this.isUtf8(bytes)) {
      this.buf.set(bytes, this.pos);
      this.pos += length;
    } else {
      this.room(BASE64_TEXT.length);
      this.piece(BASE64_TEXT);
      this.base64(bytes);
    }
  }

  /** {"encoding":"utf8","text":…,"size":N}, {"encoding":"base64","base64":…,"size":N} or null. Room for the framing made by the caller. */
  private jsonPayload(bytes: Uint8Array | null): void {
    if (bytes === null) {
      this.piece(NULL_JSON);
      return;
    }
    const start = this.pos;
    this.piece(UTF8_PAYLOAD);
    if (!this.jsonStringBytes(bytes)) {
      this.pos = start;
      this.piece(BASE64_PAYLOAD);
      this.base64(bytes);
    }
    this.room(FIXED_ROOM);
    this.piece(SIZE);
    this.digits(bytes.length);
    this.buf[this.pos++] = 0x7d; // '}'
  }

  /** The bytes as the inside of a JSON string, as JSON.stringify escapes their text; false (partly written) if they are not valid UTF-8. */
  private jsonStringBytes(bytes: Uint8Array): boolean {
    const end = bytes.length;
    this.room(end);
    let buf = this.buf;
    let pos = this.pos;
    // Invariant: buf has room for one byte per input byte left; an escape (up to 6) makes more.
    for (let i = 0; i < end;) {
      const b = bytes[i]!;
      // Printable ASCII but `"` and `\`: compares beat the table load on this, the common case.
      if ((b >= 0x23 && b < 0x80 && b !== 0x5c) || b === 0x20 || b === 0x21) {
        buf[pos++] = b;
        i++;
      } else if (JSON_BYTE[b] === 1) {
        if (pos + 6 + (end - i) > buf.length) {
          this.pos = pos;
          this.grow(6 + end - i);
          buf = this.buf;
        }
        buf[pos++] = 0x5c; // '\'
        const short = SHORT_ESCAPE[b]!;
        if (short !== 0) buf[pos++] = short;
        else {
          buf[pos++] = 0x75; // 'u'
          buf[pos++] = 0x30;
          buf[pos++] = 0x30;
          buf[pos++] = HEX[b >> 4]!;
          buf[pos++] = HEX[b & 15]!;
        }
        i++;
      } else {
        const length = utf8SequenceLength(bytes, i, end);
        if (length === 0) return false;
        for (let k = 0; k < length; k++) buf[pos++] = bytes[i + k]!;
        i += length;
      }
    }
    this.pos = pos;
    return true;
  }

  /** Standard base64 with padding (what toBase64 in src/common/codecs/payload.ts writes). */
  private base64(bytes: Uint8Array): void {
    const length = bytes.length;
    this.room(Math.ceil(length / 3) * 4);
    const buf = this.buf;
    let pos = this.pos;
    let i = 0;
    for (; i + 2 < length; i += 3) {
      const n = (bytes[i]! << 16) | (bytes[i + 1]! << 8) | bytes[i + 2]!;
      buf[pos++] = BASE64[n >> 18]!;
      buf[pos++] = BASE64[(n >> 12) & 63]!;
      buf[pos++] = BASE64[(n >> 6) & 63]!;
      buf[pos++] = BASE64[n & 63]!;
    }
    const rest = length - i;
    if (rest > 0) {
      const n = (bytes[i]! << 16) | (rest === 2 ? bytes[i + 1]! << 8 : 0);
      buf[pos++] = BASE64[n >> 18]!;
      buf[pos++] = BASE64[(n >> 12) & 63]!;
      buf[pos++] = rest === 2 ? BASE64[(n >> 6) & 63]! : 0x3d;
      buf[pos++] = 0x3d; // '='
    }
    this.pos = pos;
  }
}
