// A wire over a MessagePort: the in-process MessageChannel used by tests, and the
// renderer's end of the port the Electron preload hands over. Messages are structured
// clones of JSON-safe values.
import { Listeners, type Wire } from '../wire.ts';

/** The part of a DOM (or Node worker_threads) MessagePort this wire uses. */
export interface PortLike {
  postMessage(message: unknown): void;
  // The listener takes `object` so DOM and Node ports, whose listeners take an Event, both fit.
  addEventListener(type: 'message' | 'close', listener: (event: object) => void): void;
  start?(): void;
  close(): void;
}

export function messagePortWire(port: PortLike): Wire {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[]>();
  let closed = false;
  const markClosed = (): void => {
    if (closed) return;
    closed = true;
    closes.emit();
    messages.clear();
  };
  port.addEventListener('message', (event) => messages.emit((event as { data: unknown }).data));
  port.addEventListener('close', markClosed);
  port.start?.();
  return {
    send: (message) => {
      if (!closed) port.postMessage(message);
    },
    onMessage: (listener) => messages.add(listener),
    onClose: (listener) => closes.add(listener),
    close: () => {
      port.close();
      markClosed();
    },
  };
}
