// Connects the renderer to the host: in the desktop app through the MessagePort the
// preload hands over, in browser mode through the WebSocket of the page's own origin.
import { RpcClient } from '@common/rpc/client.ts';
import { messagePortWire } from '@common/rpc/wires/message-port-wire.ts';
import { webSocketWire } from '@common/rpc/wires/websocket-wire.ts';

const PORT_WAIT_MS = 5_000;

export function isDesktop(): boolean {
  return window.location.protocol === 'file:';
}

export async function connectHost(): Promise<RpcClient> {
  return isDesktop() ? connectThroughPreloadPort() : connectThroughWebSocket();
}

function connectThroughPreloadPort(): Promise<RpcClient> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error('The desktop shell did not hand over its message port.')),
      PORT_WAIT_MS,
    );
    const onMessage = (event: MessageEvent): void => {
      if (event.source !== window || event.data !== 'eventscope:port' || !event.ports[0]) return;
      window.removeEventListener('message', onMessage);
      clearTimeout(timer);
      resolve(new RpcClient(messagePortWire(event.ports[0])));
    };
    window.addEventListener('message', onMessage);
  });
}

function connectThroughWebSocket(): Promise<RpcClient> {
  return new Promise((resolve, reject) => {
    const url = new URL('/rpc', window.location.href);
    url.protocol = url.protocol === 'https:' ? 'wss:' : 'ws:';
    url.search = '';
    const socket = new WebSocket(url);
    socket.addEventListener('open', () => resolve(new RpcClient(webSocketWire(socket))), { once: true });
    socket.addEventListener(
      'error',
      () => reject(new Error(`Cannot reach the Eventscope host at ${url.host}. Is "eventscope serve" still running?`)),
      { once: true },
    );
  });
}
