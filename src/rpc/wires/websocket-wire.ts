// A wire over a WebSocket: browser mode (the browser's WebSocket on one end, `ws` on the
// host). Messages are JSON text frames. A frame that is not JSON is passed on as a
// NotJson marker so the server can reject it like any other malformed message.
import { Listeners, type Wire } from '../wire.ts';

/** The part of a browser WebSocket (or `ws`'s WebSocket) this wire uses. */
export interface WebSocketLike {
  readonly readyState: number;
  send(data: string): void;
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
  addEventListener(type: 'close', listener: () => void): void;
  close(code?: number, reason?: string): void;
}

const OPEN = 1;

export interface NotJson {
  notJson: string;
}

export function webSocketWire(socket: WebSocketLike): Wire {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[]>();
  let closed = false;
  socket.addEventListener('message', (event) => {
    const text = typeof event.data === 'string' ? event.data : String(event.data);
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch {
      value = { notJson: text.slice(0, 200) } satisfies NotJson;
    }
    messages.emit(value);
  });
  socket.addEventListener('close', () => {
    if (closed) return;
    closed = true;
    closes.emit();
    messages.clear();
  });
  return {
    send: (message) => {
      if (!closed && socket.readyState === OPEN) socket.send(JSON.stringify(message));
    },
    onMessage: (listener) => messages.add(listener),
    onClose: (listener) => closes.add(listener),
    close: () => socket.close(1000, 'closed by Eventscope'),
  };
}
