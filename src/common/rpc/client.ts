// The calling end of the contract: typed calls that can be cancelled, and subscriptions.
// Used by the renderer, the CLI's tests and the contract suite, over any wire.
import type { EventOf, MethodName, ParamsOf, ResultOf, StreamName, StreamParamsOf } from '../contract/api.ts';
import { isErrorCode, EventscopeError } from '../contract/errors.ts';
import type { ClientMessage } from './envelope.ts';
import type { Wire } from './wire.ts';

export interface CallOptions {
  signal?: AbortSignal;
}

export interface Subscription {
  /** Stops the stream; the server is told to stop producing. */
  close(): void;
  /** Settles when the stream ends: resolves on a normal end or close(), rejects with the server's error. */
  readonly done: Promise<void>;
}

export interface StreamListener<E> {
  onEvent(event: E, seq: number): void;
}

interface PendingCall {
  resolve(value: unknown): void;
  reject(err: EventscopeError): void;
}

interface OpenStream {
  onEvent(data: unknown, seq: number): void;
  end(error?: EventscopeError): void;
}

export class RpcClient {
  private nextId = 1;
  private readonly calls = new Map<number, PendingCall>();
  private readonly streams = new Map<number, OpenStream>();
  private closed = false;
  private readonly closeListeners = new Set<() => void>();

  private readonly wire: Wire;

  constructor(wire: Wire) {
    this.wire = wire;
    wire.onMessage((message) => this.receive(message));
    wire.onClose(() => this.failAll());
  }

  call<M extends MethodName>(method: M, params: ParamsOf<M>, options: CallOptions = {}): Promise<ResultOf<M>> {
    if (this.closed)
      return Promise.reject(new EventscopeError('DISCONNECTED', 'Not connected to the Eventscope host.'));
    const id = this.nextId++;
    const { signal } = options;
    return new Promise<ResultOf<M>>((resolve, reject) => {
      if (signal?.aborted) return reject(new EventscopeError('CANCELLED', 'Cancelled.'));
      const onAbort = (): void => {
        if (!this.calls.delete(id)) return;
        this.send({ t: 'cancel', id });
        reject(new EventscopeError('CANCELLED', 'Cancelled.'));
      };
      signal?.addEventListener('abort', onAbort, { once: true });
      this.calls.set(id, {
        resolve: (value) => {
          signal?.removeEventListener('abort', onAbort);
          resolve(value as ResultOf<M>);
        },
        reject: (err) => {
          signal?.removeEventListener('abort', onAbort);
          reject(err);
        },
      });
      this.send({ t: 'call', id, method, params });
    });
  }

  subscribe<S extends StreamName>(
    stream: S,
    params: StreamParamsOf<S>,
    handlers: StreamListener<EventOf<S>>,
  ): Subscription {
    const id = this.nextId++;
    let settle!: { resolve(): void; reject(e: EventscopeError): void };
    const done = new Promise<void>((resolve, reject) => (settle = { resolve, reject }));
    // A subscription nobody awaits must not surface as an unhandled rejection.
    done.catch(() => undefined);
    if (this.closed) {
      settle.reject(new EventscopeError('DISCONNECTED', 'Not connected to the Eventscope host.'));
      return { close: () => undefined, done };
    }
    this.streams.set(id, {
      onEvent: (data, seq) => handlers.onEvent(data as EventOf<S>, seq),
      end: (error) => (error ? settle.reject(error) : settle.resolve()),
    });
    this.send({ t: 'subscribe', id, stream, params });
    return {
      done,
      close: () => {
        if (!this.streams.delete(id)) return;
        this.send({ t: 'unsubscribe', id });
        settle.resolve();
      },
    };
  }

  /** Called once when the wire closes or the client is closed. */
  onClose(listener: () => void): () => void {
    this.closeListeners.add(listener);
    return () => this.closeListeners.delete(listener);
  }

  close(): void {
    this.wire.close();
    this.failAll();
  }

  private send(message: ClientMessage): void {
    this.wire.send(message);
  }

  private receive(raw: unknown): void {
    if (typeof raw !== 'object' || raw === null) return;
    const message = raw as {
      t?: unknown;
      id?: unknown;
      ok?: unknown;
      value?: unknown;
      error?: unknown;
      seq?: unknown;
      data?: unknown;
    };
    if (typeof message.id !== 'number') return;
    if (message.t === 'result') {
      const call = this.calls.get(message.id);
      if (!call) return; // cancelled earlier; its late answer is dropped
      this.calls.delete(message.id);
      if (message.ok === true) call.resolve(message.value);
      else call.reject(toRpcError(message.error));
    } else if (message.t === 'event') {
      this.streams.get(message.id)?.onEvent(message.data, typeof message.seq === 'number' ? message.seq : -1);
    } else if (message.t === 'end') {
      const stream = this.streams.get(message.id);
      if (!stream) return;
      this.streams.delete(message.id);
      stream.end(message.error === undefined ? undefined : toRpcError(message.error));
    }
  }

  private failAll(): void {
    if (this.closed) return;
    this.closed = true;
    const error = new EventscopeError('DISCONNECTED', 'The connection to the Eventscope host closed.');
    for (const call of this.calls.values()) call.reject(error);
    this.calls.clear();
    for (const stream of this.streams.values()) stream.end(error);
    this.streams.clear();
    for (const listener of this.closeListeners) listener();
  }
}

function toRpcError(raw: unknown): EventscopeError {
  const dto = raw as { code?: unknown; message?: unknown; field?: unknown } | null;
  if (dto && isErrorCode(dto.code) && typeof dto.message === 'string') {
    return new EventscopeError(dto.code, dto.message, typeof dto.field === 'string' ? dto.field : undefined);
  }
  return new EventscopeError('INTERNAL', 'The host sent an error that does not match the contract.');
}
