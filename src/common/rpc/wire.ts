// A wire carries JSON-safe messages between two ends. It knows nothing of methods or
// events; the rpc client and server sit on top. Implementations: in-process MessagePort,
// Electron MessagePortMain, WebSocket.
export interface Wire {
  send(message: unknown): void;
  /** Returns a function that removes the listener. */
  onMessage(listener: (message: unknown) => void): () => void;
  onClose(listener: () => void): () => void;
  close(): void;
}

/** Small helper for wire implementations: a set of listeners with safe dispatch. */
export class Listeners<T extends unknown[]> {
  private readonly set = new Set<(...args: T) => void>();

  add(listener: (...args: T) => void): () => void {
    this.set.add(listener);
    return () => this.set.delete(listener);
  }

  emit(...args: T): void {
    for (const listener of [...this.set]) listener(...args);
  }

  clear(): void {
    this.set.clear();
  }
}

/** What a wire passes on for a frame it could not decode, so the server rejects it like any malformed message. */
export interface UndecodableFrame {
  undecodable: string;
}

export function isUndecodableFrame(value: unknown): value is UndecodableFrame {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { undecodable?: unknown }).undecodable === 'string' &&
    Object.keys(value).length === 1
  );
}
