// A wire over Electron's MessagePortMain, the main-process end of the port handed to the
// sandboxed renderer. Typed structurally so src/ never imports electron and the adapter
// can be tested without it.
import { Listeners, type Wire } from '../wire.ts';

export interface MessagePortMainLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  on(event: 'close', listener: () => void): unknown;
  start(): void;
  close(): void;
}

export function electronPortWire(port: MessagePortMainLike): Wire {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[]>();
  let closed = false;
  const markClosed = (): void => {
    if (closed) return;
    closed = true;
    closes.emit();
    messages.clear();
  };
  port.on('message', (event) => messages.emit(event.data));
  port.on('close', markClosed);
  port.start();
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
