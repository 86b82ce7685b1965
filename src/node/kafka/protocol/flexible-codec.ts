// The Kafka protocol's primitive types, for the requests Eventscope encodes itself (kafkajs
// stops before the "flexible" versions of KIP-482): fixed-width integers, and in flexible
// versions compact strings, arrays and bytes (an unsigned varint holding length + 1, 0 for
// null) and a tagged-field section after every struct. RequestWriter writes a request body;
// ResponseReader reads a response, checking every read against the bytes that are there, so
// that a response that is cut short or declares more than it holds raises a
// ProtocolDecodeError naming the API, the version and the byte, never a RangeError.
//
// Headers: kafkajs writes request header v1 and reads response header v0. A flexible version
// needs request header v2 (v1 and an empty tagged-field section: REQUEST_HEADER_TAGS, sent at
// the start of the body) and answers with response header v1 (a tagged-field section after the
// correlation id: ResponseReader.headerTags() reads it first).
import { ProtocolDecodeError } from './protocol-decode-error.ts';

/** An empty tagged-field section: the byte that turns kafkajs's request header v1 into v2. */
export const REQUEST_HEADER_TAGS: Buffer = Buffer.from([0]);

const MAX_UVARINT_BYTES = 5;

/** Bytes we could not read: what they were (e.g. "the ListGroups v5 response"), where, and why. */
export class ResponseDecodeError extends ProtocolDecodeError {
  readonly source: string;

  constructor(source: string, reason: string) {
    super({ topic: null, partition: null, offset: null }, reason);
    this.source = source;
    this.message = `Malformed Kafka data in ${source}: ${reason}`;
  }
}

export class RequestWriter {
  readonly flexible: boolean;
  private buffer = Buffer.alloc(256);
  private at = 0;

  constructor(flexible: boolean) {
    this.flexible = flexible;
  }

  private ensure(bytes: number): void {
    if (this.at + bytes <= this.buffer.length) return;
    const grown = Buffer.alloc(Math.max(this.buffer.length * 2, this.at + bytes));
    this.buffer.copy(grown, 0, 0, this.at);
    this.buffer = grown;
  }

  int8(value: number): this {
    this.ensure(1);
    this.at = this.buffer.writeInt8(value, this.at);
    return this;
  }

  bool(value: boolean): this {
    return this.int8(value ? 1 : 0);
  }

  int16(value: number): this {
    this.ensure(2);
    this.at = this.buffer.writeInt16BE(value, this.at);
    return this;
  }

  int32(value: number): this {
    this.ensure(4);
    this.at = this.buffer.writeInt32BE(value, this.at);
    return this;
  }

  int64(value: bigint): this {
    this.ensure(8);
    this.at = this.buffer.writeBigInt64BE(value, this.at);
    return this;
  }

  /** A UUID: 16 bytes. */
  uuid(value: Uint8Array): this {
    if (value.length !== 16) throw new RangeError(`a UUID has 16 bytes, not ${value.length}`);
    return this.raw(value);
  }

  uvarint(value: number): this {
    if (!Number.isInteger(value) || value < 0 || value > 0xffffffff)
      throw new RangeError(`${value} is not an unsigned 32-bit integer`);
    let v = value;
    this.ensure(MAX_UVARINT_BYTES);
    while (v >= 0x80) {
      this.buffer[this.at++] = (v & 0x7f) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buffer[this.at++] = v;
    return this;
  }

  raw(bytes: Uint8Array): this {
    this.ensure(bytes.length);
    this.buffer.set(bytes, this.at);
    this.at += bytes.length;
    return this;
  }

  /** A length: int16/int32 in classic versions (-1 for null), length + 1 as an unsigned varint in flexible ones (0 for null). */
  private length(n: number | null, classicWidth: 2 | 4): this {
    if (this.flexible) return this.uvarint(n === null ? 0 : n + 1);
    return classicWidth === 2 ? this.int16(n ?? -1) : this.int32(n ?? -1);
  }

  string(value: string): this {
    const bytes = Buffer.from(value, 'utf8');
    if (!this.flexible && bytes.length > 0x7fff)
      throw new RangeError(`a string of ${bytes.length} bytes is longer than Kafka's int16 length allows`);
    return this.length(bytes.length, 2).raw(bytes);
  }

  nullableString(value: string | null): this {
    return value === null ? this.length(null, 2) : this.string(value);
  }

  bytes(value: Uint8Array | null): this {
    return value === null ? this.length(null, 4) : this.length(value.length, 4).raw(value);
  }

  array<T>(items: readonly T[], write: (item: T) => void): this {
    this.length(items.length, 4);
    for (const item of items) write(item);
    return this;
  }

  nullableArray<T>(items: readonly T[] | null, write: (item: T) => void): this {
    return items === null ? this.length(null, 4) : this.array(items, write);
  }

  /** The end of a struct: an empty tagged-field section in flexible versions, nothing in classic ones. */
  tags(): this {
    return this.flexible ? this.uvarint(0) : this;
  }

  toBuffer(): Buffer {
    return Buffer.from(this.buffer.subarray(0, this.at));
  }
}

export class ResponseReader {
  readonly flexible: boolean;
  private readonly payload: Buffer;
  private readonly source: string;
  private at = 0;

  /** source: what the bytes are, named in errors, e.g. "the ListGroups v5 response". */
  constructor(payload: Buffer, source: string, flexible: boolean) {
    this.payload = payload;
    this.source = source;
    this.flexible = flexible;
  }

  get offset(): number {
    return this.at;
  }

  get remaining(): number {
    return this.payload.length - this.at;
  }

  fail(reason: string): never {
    throw new ResponseDecodeError(this.source, `${reason} (byte ${this.at} of ${this.payload.length})`);
  }

  private need(bytes: number, what: string): void {
    if (bytes > this.payload.length - this.at) this.fail(`the bytes end inside ${what}`);
  }

  int8(what: string): number {
    this.need(1, what);
    return this.payload.readInt8(this.at++);
  }

  bool(what: string): boolean {
    return this.int8(what) !== 0;
  }

  int16(what: string): number {
    this.need(2, what);
    const v = this.payload.readInt16BE(this.at);
    this.at += 2;
    return v;
  }

  int32(what: string): number {
    this.need(4, what);
    const v = this.payload.readInt32BE(this.at);
    this.at += 4;
    return v;
  }

  int64(what: string): bigint {
    this.need(8, what);
    const v = this.payload.readBigInt64BE(this.at);
    this.at += 8;
    return v;
  }

  uuid(what: string): Buffer {
    return Buffer.from(this.take(16, what));
  }

  uvarint(what: string): number {
    let value = 0;
    for (let i = 0; i < MAX_UVARINT_BYTES; i++) {
      this.need(1, what);
      const byte = this.payload[this.at++]!;
      value += (byte & 0x7f) * 2 ** (7 * i);
      if ((byte & 0x80) === 0) {
        if (value > 0xffffffff) this.fail(`${what} is larger than an unsigned 32-bit varint`);
        return value;
      }
    }
    return this.fail(`${what} is a varint longer than ${MAX_UVARINT_BYTES} bytes`);
  }

  private take(bytes: number, what: string): Buffer {
    this.need(bytes, what);
    const view = this.payload.subarray(this.at, this.at + bytes);
    this.at += bytes;
    return view;
  }

  /** A length or count: -1 (classic) or 0 (flexible) is null. */
  private length(what: string, classicWidth: 2 | 4): number | null {
    if (this.flexible) {
      const n = this.uvarint(`the length of ${what}`);
      return n === 0 ? null : n - 1;
    }
    const n = classicWidth === 2 ? this.int16(`the length of ${what}`) : this.int32(`the length of ${what}`);
    if (n === -1) return null;
    if (n < 0) this.fail(`${what} has a length of ${n}`);
    return n;
  }

  nullableString(what: string): string | null {
    const n = this.length(what, 2);
    if (n === null) return null;
    if (n === 0) return '';
    this.need(n, what);
    const s = this.payload.toString('utf8', this.at, this.at + n);
    this.at += n;
    return s;
  }

  string(what: string): string {
    const s = this.nullableString(what);
    return s ?? this.fail(`${what} is null`);
  }

  nullableBytes(what: string): Buffer | null {
    const n = this.length(what, 4);
    return n === null ? null : Buffer.from(this.take(n, what));
  }

  bytes(what: string): Buffer {
    return this.nullableBytes(what) ?? Buffer.alloc(0);
  }

  /**
   * An array of elements of at least minElementBytes each: a count the bytes left cannot hold
   * is refused before the loop starts. null arrays are returned as null.
   */
  nullableArray<T>(what: string, minElementBytes: number, read: (index: number) => T): T[] | null {
    const n = this.length(`the ${what} array`, 4);
    if (n === null) return null;
    if (n * Math.max(1, minElementBytes) > this.remaining)
      this.fail(`${n} ${what} cannot fit in the ${this.remaining} bytes left`);
    const items: T[] = [];
    for (let i = 0; i < n; i++) items.push(read(i));
    return items;
  }

  /** An array that must not be null. */
  array<T>(what: string, minElementBytes: number, read: (index: number) => T): T[] {
    return this.nullableArray(what, minElementBytes, read) ?? this.fail(`the ${what} array is null`);
  }

  int32Array(what: string): number[] {
    return this.array(what, 4, () => this.int32(`one of the ${what}`));
  }

  /** A tagged-field section (flexible versions only): every field is skipped, none is needed. */
  tags(): void {
    if (!this.flexible) return;
    const count = this.uvarint('the tagged-field count');
    if (count * 2 > this.remaining) this.fail(`${count} tagged fields cannot fit in the ${this.remaining} bytes left`);
    for (let i = 0; i < count; i++) {
      this.uvarint('a tag');
      const size = this.uvarint('a tagged field size');
      this.take(size, 'a tagged field');
    }
  }

  /** Response header v1's tagged fields (flexible versions), before the body. */
  headerTags(): void {
    this.tags();
  }

  /** The end of the response: bytes left over mean the version was misread. */
  end(): void {
    if (this.at !== this.payload.length) this.fail(`${this.payload.length - this.at} bytes are left over at the end`);
  }
}

/** Kafka's printed form of a UUID (Uuid.toString): base64url without padding. */
export function formatKafkaUuid(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString('base64url');
}

export const ZERO_UUID: Buffer = Buffer.alloc(16);

export function isZeroUuid(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}
