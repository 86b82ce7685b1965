// Messages with binary parts (Uint8Array, e.g. a tail flush's record frame) on a wire that
// carries text or bytes, like a WebSocket. A message without binary parts stays one JSON
// text frame. One with binary parts becomes one binary frame: u32 length of the JSON, the
// JSON with each part replaced by {"$binary": i}, then per part u32 length + its bytes.
// The receiver gets the parts as views of the frame, without copying them. MessagePort
// wires need none of this: structured clone carries Uint8Array as it is.

const BINARY_KEY = '$binary';
const utf8 = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export class BinaryMessageError extends Error {}

/** The message with its Uint8Arrays taken out into `parts` (the same object when it has none). */
function takeOutBinaries(value: unknown, parts: Uint8Array[]): unknown {
  if (value instanceof Uint8Array) {
    parts.push(value);
    return { [BINARY_KEY]: parts.length - 1 };
  }
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    let copy: unknown[] | null = null;
    for (let i = 0; i < value.length; i++) {
      const item: unknown = value[i];
      const taken = takeOutBinaries(item, parts);
      if (taken !== item) (copy ??= value.slice())[i] = taken;
    }
    return copy ?? value;
  }
  let copy: Record<string, unknown> | null = null;
  for (const [key, item] of Object.entries(value)) {
    const taken = takeOutBinaries(item, parts);
    if (taken !== item) (copy ??= { ...value })[key] = taken;
  }
  return copy ?? value;
}

function putBackBinaries(value: unknown, parts: readonly Uint8Array[]): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) return value.map((item) => putBackBinaries(item, parts));
  const entries = Object.entries(value);
  if (entries.length === 1 && entries[0]![0] === BINARY_KEY) {
    const index = entries[0]![1];
    if (typeof index !== 'number' || !Number.isInteger(index) || index < 0 || index >= parts.length)
      throw new BinaryMessageError(`A binary message refers to part ${String(index)} of ${parts.length}.`);
    return parts[index];
  }
  return Object.fromEntries(entries.map(([k, v]) => [k, putBackBinaries(v, parts)]));
}

/** A JSON string, or one binary frame when the message holds Uint8Arrays. */
export function encodeMessage(message: unknown): string | Uint8Array {
  const parts: Uint8Array[] = [];
  const json = JSON.stringify(takeOutBinaries(message, parts));
  if (parts.length === 0) return json;
  const jsonBytes = utf8.encode(json);
  const frame = new Uint8Array(4 + jsonBytes.length + parts.reduce((n, p) => n + 4 + p.length, 0));
  const view = new DataView(frame.buffer);
  view.setUint32(0, jsonBytes.length, true);
  frame.set(jsonBytes, 4);
  let at = 4 + jsonBytes.length;
  for (const part of parts) {
    view.setUint32(at, part.length, true);
    frame.set(part, at + 4);
    at += 4 + part.length;
  }
  return frame;
}

/** The message of a binary frame. Throws BinaryMessageError (or SyntaxError for its JSON) when malformed. */
export function decodeBinaryMessage(frame: Uint8Array): unknown {
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  const fail = (what: string): never => {
    throw new BinaryMessageError(`A binary message of ${frame.byteLength} bytes is malformed: ${what}.`);
  };
  if (frame.byteLength < 4) fail('no JSON length');
  const jsonLength = view.getUint32(0, true);
  if (4 + jsonLength > frame.byteLength) fail('its JSON is cut short');
  const json: unknown = JSON.parse(utf8Decoder.decode(frame.subarray(4, 4 + jsonLength)));
  const parts: Uint8Array[] = [];
  let at = 4 + jsonLength;
  while (at < frame.byteLength) {
    if (at + 4 > frame.byteLength) fail('a part length is cut short');
    const length = view.getUint32(at, true);
    if (at + 4 + length > frame.byteLength) fail(`part ${parts.length} is cut short`);
    parts.push(frame.subarray(at + 4, at + 4 + length));
    at += 4 + length;
  }
  return putBackBinaries(json, parts);
}
