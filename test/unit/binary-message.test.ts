import { describe, expect, it } from 'vitest';
import { BinaryMessageError, decodeBinaryMessage, encodeMessage } from '../../src/common/rpc/wires/binary-message.ts';

describe('binary messages', () => {
  it('leave a message without bytes as one JSON text', () => {
    const message = { t: 'event', id: 1, seq: 0, data: { type: 'status', nested: [{ a: 1 }, null, 'x'] } };
    expect(encodeMessage(message)).toBe(JSON.stringify(message));
  });

  it('carry Uint8Arrays anywhere in a message as bytes, alongside the JSON', () => {
    const frame = new Uint8Array([0, 1, 2, 255]);
    const message = {
      t: 'event',
      id: 7,
      seq: 3,
      data: { type: 'records', frame, parts: [new Uint8Array(0), { deep: new Uint8Array([9]) }], count: 2 },
    };
    const encoded = encodeMessage(message);
    expect(encoded).toBeInstanceOf(Uint8Array);
    const decoded = decodeBinaryMessage(encoded as Uint8Array) as typeof message;
    expect(decoded).toEqual({
      ...message,
      data: {
        ...message.data,
        frame: expect.any(Uint8Array),
        parts: [expect.any(Uint8Array), { deep: expect.any(Uint8Array) }],
      },
    });
    expect([...decoded.data.frame]).toEqual([0, 1, 2, 255]);
    expect(decoded.data.parts[0]).toHaveLength(0);
    expect([...(decoded.data.parts[1] as { deep: Uint8Array }).deep]).toEqual([9]);
    // The sender's message is left as it was.
    expect(message.data.frame).toBe(frame);
  });

  it('refuse malformed binary frames with a clear error', () => {
    const good = encodeMessage({ data: new Uint8Array([1, 2, 3]) }) as Uint8Array;
    expect(() => decodeBinaryMessage(good.subarray(0, 2))).toThrow(BinaryMessageError);
    expect(() => decodeBinaryMessage(good.subarray(0, good.length - 1))).toThrow(/cut short/);
    const json = new TextEncoder().encode('{"data":{"$binary":3}}');
    const pointsNowhere = new Uint8Array(4 + json.length);
    new DataView(pointsNowhere.buffer).setUint32(0, json.length, true);
    pointsNowhere.set(json, 4);
    expect(() => decodeBinaryMessage(pointsNowhere)).toThrow(/refers to part 3 of 0/);
    const notJson = new Uint8Array([3, 0, 0, 0, 0x7b, 0x7b, 0x7b]);
    expect(() => decodeBinaryMessage(notJson)).toThrow(SyntaxError);
  });
});
