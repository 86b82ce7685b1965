// A wire over Electron's MessagePortMain, the main-process end of the port handed to the
// sandboxed renderer. Typed structurally so src/ never imports electron and the adapter
// can be tested without it.
import type { Wire } from '../wire.ts';
import { portWire } from './port-wire.ts';

export interface MessagePortMainLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

export function electronPortWire(port: MessagePortMainLike): Wire {
  return portWire({
    post: (message) => port.postMessage(message),
    listen: (onMessage, onClose) => {
      port.on('message', (event) => onMessage(event.data));
      port.on('close', onClose);
      port.start();
    },
    close: () => port.close(),
  });
}
