// A wire over a MessagePort: the in-process MessageChannel used by tests, and the
// renderer's end of the port the Electron preload hands over. Messages are structured
// clones of JSON-safe values.
import type { Wire } from '../wire.ts';
import { portWire } from './port-wire.ts';

/** The part of a DOM (or Node worker_threads) MessagePort this wire uses. */
export interface PortLike {
  postMessage(message: unknown): void;
  // The listener takes `object` so DOM and Node ports, whose listeners take an Event, both fit.
  addEventListener(type: 'message' | 'close', listener: (event: object) => void): void;
  start?(): void;
  close(): void;
}

export function messagePortWire(port: PortLike): Wire {
  return portWire({
    post: (message) => port.postMessage(message),
    listen: (onMessage, onClose) => {
      port.addEventListener('message', (event) => onMessage((event as { data: unknown }).data));
      port.addEventListener('close', onClose);
      port.start?.();
    },
    close: () => port.close(),
  });
}
