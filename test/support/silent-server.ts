// A TCP server that accepts connections and never answers: what a firewalled or wrong
// (non-Kafka) port looks like to a client. Used to prove nothing hangs.
import { createServer, type Socket } from 'node:net';

export interface SilentServer {
  address: string;
  /** Resolves once a client has connected: its request is then in flight (and will never be answered). */
  connected(): Promise<void>;
  close(): Promise<void>;
}

export async function startSilentServer(): Promise<SilentServer> {
  const sockets = new Set<Socket>();
  let onConnection!: () => void;
  const firstConnection = new Promise<void>((resolve) => (onConnection = resolve));
  const server = createServer((socket) => {
    onConnection();
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => undefined);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  return {
    address: `127.0.0.1:${port}`,
    connected: () => firstConnection,
    close: async () => {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
