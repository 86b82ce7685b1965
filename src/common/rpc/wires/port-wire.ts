// What the MessagePort-like wires share: listener bookkeeping and close-once semantics.
// Each wire only says how to post, how to listen and how to close its kind of port.
import { Listeners, type Wire } from '../wire.ts';

export interface PortAdapter {
  post(message: unknown): void;
  /** Wires the port's message and close notifications to the two callbacks, and starts it. */
  listen(onMessage: (data: unknown) => void, onClose: () => void): void;
  close(): void;
}

export function portWire(port: PortAdapter): Wire {
  const messages = new Listeners<[unknown]>();
  const closes = new Listeners<[]>();
  let closed = false;
  const markClosed = (): void => {
    if (closed) return;
    closed = true;
    closes.emit();
    messages.clear();
  };
  port.listen((data) => messages.emit(data), markClosed);
  return {
    send: (message) => {
      if (!closed) port.post(message);
    },
    onMessage: (listener) => messages.add(listener),
    onClose: (listener) => closes.add(listener),
    close: () => {
      port.close();
      markClosed();
    },
  };
}
