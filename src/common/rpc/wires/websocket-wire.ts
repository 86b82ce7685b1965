// A wire over a WebSocket: browser mode (the browser's WebSocket on one end, `ws` on the
// host). Messages are JSON text frames, or binary frames when they carry bytes (see
// binary-message.ts). A frame that cannot be decoded is passed on as an UndecodableFrame so
// the server can reject it like any other malformed message.
import { Listeners, type UndecodableFrame, type Wire } from '../wire.ts';
import { decodeBinaryMessage, encodeMessage } from './binary-message.ts';

/** The part of a browser WebSocket (or `ws`'s WebSocket) this wire uses. */
export interface WebSocketLike {
  readonly readyState: number;
  binaryType: string;
  send(data: string | Uint8Array): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
  close(code?: number, reason?: string): void;
}

const OPEN = 1;

function decodeFrame(data: unknown): unknown {
  if (typeof data === 'string') {
    try {
      return JSON.parse(data);
    } catch {
      return { undecodable: `not JSON: ${data.slice(0, 200)}` } satisfies UndecodableFrame;
    }
  }
  const bytes = data instanceof ArrayBuffer ? new Uint8Array(data) : data instanceof Uint8Array ? data : null;
  if (!bytes) return { undecodable: `a frame of type ${typeof data}` } satisfies UndecodableFrame;
  try {
    return decodeBinaryMessage(bytes);
  } catch (err) {
    return { undecodable: `a binary frame: ${(err as Error).message}`.slice(0, 300) } satisfies UndecodableFrame;
  }
}

export function webSocketWire(socket: WebSocketLike): Wire {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[]>();
  let closed = false;
  // Binary frames as ArrayBuffer on both ends (the browser's default is Blob, ws's is Buffer).
  socket.binaryType = 'arraybuffer';
  socket.addEventListener('message', (event) => messages.emit(decodeFrame(event.data)));
  socket.addEventListener('close', () => {
    if (closed) return;
    closed = true;
    closes.emit();
    messages.clear();
  });
  return {
    send: (message) => {
      if (!closed && socket.readyState === OPEN) socket.send(encodeMessage(message));
    },
    onMessage: (listener) => messages.add(listener),
    onClose: (listener) => closes.add(listener),
    close: () => socket.close(1000, 'closed by Eventscope'),
  };
}
