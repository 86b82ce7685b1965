// Hands RPC ports to the desktop window: only to its own top frame, and at most
// MAX_PORTS_PER_WINDOW at a time. The preload asks once per page load; a new request (the
// page reloaded, or a compromised renderer asking again and again) closes the port before
// it, so its streams (a running tail) end instead of piling up unseen. Electron objects are
// typed structurally, so this is tested without Electron; main/ wires it to ipcMain.

/** A port being served: closing it stops its RPC server; onClosed fires however it closes. */
export interface ServedPort {
  close(): void;
  onClosed(listener: () => void): void;
}

/** An ipcMain event, structurally: who sent it, from which frame. */
export interface PortRequestEvent<Sender> {
  sender: Sender;
  senderFrame: unknown;
}

export interface PortBrokerOptions<Sender> {
  /** The window's web contents and its top frame, or null once the window is gone. */
  owner(): { contents: unknown; mainFrame: unknown } | null;
  /** Creates a channel, serves the contract on one end and posts the other to `sender`. */
  open(sender: Sender): ServedPort;
  warn(message: string): void;
}

export interface PortBroker<Sender> {
  /** Answers a port request; false (and nothing opened) if it is refused. */
  request(event: PortRequestEvent<Sender>): boolean;
  closeAll(): void;
  openCount(): number;
}

export const MAX_PORTS_PER_WINDOW = 1;

export function createPortBroker<Sender>(options: PortBrokerOptions<Sender>): PortBroker<Sender> {
  const open: ServedPort[] = [];
  const forget = (port: ServedPort): void => {
    const i = open.indexOf(port);
    if (i >= 0) open.splice(i, 1);
  };
  return {
    request: (event) => {
      const owner = options.owner();
      // Only the window's own top frame: not a subframe, not another web contents.
      if (
        !owner ||
        event.sender !== owner.contents ||
        event.senderFrame == null ||
        event.senderFrame !== owner.mainFrame
      ) {
        options.warn("desktop: refused a port request that did not come from the window's own top frame");
        return false;
      }
      while (open.length >= MAX_PORTS_PER_WINDOW) {
        const oldest = open.shift()!;
        oldest.close();
      }
      const port = options.open(event.sender);
      open.push(port);
      port.onClosed(() => forget(port));
      return true;
    },
    closeAll: () => {
      for (const port of open.splice(0)) port.close();
    },
    openCount: () => open.length,
  };
}
