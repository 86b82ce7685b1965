// Serves the contract over one wire. Every incoming message is validated: the envelope
// first, then the params against the method's schema. A malformed message is answered
// with an error where it carries an id, logged, and never takes the host down.
import { z } from 'zod';
import {
  isMethodName,
  isStreamName,
  methods,
  streams,
  type EventOf,
  type MethodName,
  type ParsedParamsOf,
  type ParsedStreamParamsOf,
  type ResultOf,
  type StreamName,
} from '../contract/api.ts';
import { EventscopeError, type ErrorDto } from '../contract/errors.ts';
import { ClientMessage, type ServerMessage } from './envelope.ts';
import { isUndecodableFrame, type Wire } from './wire.ts';

export interface CallContext {
  signal: AbortSignal;
}

export type MethodHandlers = {
  [M in MethodName]: (params: ParsedParamsOf<M>, ctx: CallContext) => Promise<ResultOf<M>>;
};

/** Runs until ctx.signal aborts (the client unsubscribed) or it returns/throws (the stream ended). */
export type StreamHandlers = {
  [S in StreamName]: (
    params: ParsedStreamParamsOf<S>,
    emit: (event: EventOf<S>) => void,
    ctx: CallContext,
  ) => Promise<void>;
};

export interface ServerLog {
  warn(message: string): void;
}

export function serveRpc(
  wire: Wire,
  handlers: MethodHandlers,
  streamHandlers: StreamHandlers,
  log: ServerLog,
): () => void {
  const inFlight = new Map<number, AbortController>();
  const subscriptions = new Map<number, AbortController>();
  let closed = false;

  const send = (message: ServerMessage): void => {
    if (closed) return;
    try {
      wire.send(message);
    } catch (err) {
      log.warn(`rpc: could not send ${message.t} #${message.id}: ${String(err)}`);
    }
  };

  const reject = (raw: unknown, error: ErrorDto): void => {
    log.warn(`rpc: rejected message: ${error.message}`);
    const id = (raw as { id?: unknown } | null)?.id;
    if (typeof id === 'number' && Number.isSafeInteger(id) && id >= 0) send({ t: 'result', id, ok: false, error });
  };

  const onMessage = (raw: unknown): void => {
    if (isUndecodableFrame(raw)) {
      reject(raw, { code: 'INVALID_MESSAGE', message: `Message could not be decoded: ${raw.undecodable}` });
      return;
    }
    const envelope = ClientMessage.safeParse(raw);
    if (!envelope.success) {
      reject(raw, {
        code: 'INVALID_MESSAGE',
        message: `Message does not match the contract: ${describeIssues(envelope.error)}`,
      });
      return;
    }
    const message = envelope.data;
    switch (message.t) {
      case 'call':
        void runCall(message.id, message.method, message.params, raw);
        return;
      case 'cancel':
        inFlight.get(message.id)?.abort();
        return;
      case 'subscribe':
        void runStream(message.id, message.stream, message.params, raw);
        return;
      case 'unsubscribe':
        subscriptions.get(message.id)?.abort();
        return;
    }
  };

  const runCall = async (id: number, method: string, rawParams: unknown, raw: unknown): Promise<void> => {
    if (!isMethodName(method)) {
      reject(raw, { code: 'UNKNOWN_METHOD', message: `Unknown method "${method}".` });
      return;
    }
    if (inFlight.has(id)) {
      reject(raw, { code: 'INVALID_MESSAGE', message: `Call id ${id} is already in flight.` });
      return;
    }
    const parsed = methods[method].params.safeParse(rawParams);
    if (!parsed.success) {
      const issue = firstIssue(parsed.error);
      reject(raw, {
        code: 'INVALID_PARAMS',
        message: `Invalid params for ${method}: ${describeIssues(parsed.error)}`,
        field: issue,
      });
      return;
    }
    const controller = new AbortController();
    inFlight.set(id, controller);
    try {
      const handler = handlers[method] as (p: unknown, ctx: CallContext) => Promise<unknown>;
      const value = await raceAbort(handler(parsed.data, { signal: controller.signal }), controller.signal);
      send({ t: 'result', id, ok: true, value });
    } catch (err) {
      send({ t: 'result', id, ok: false, error: toErrorDto(err, log) });
    } finally {
      inFlight.delete(id);
    }
  };

  const runStream = async (id: number, stream: string, rawParams: unknown, raw: unknown): Promise<void> => {
    if (!isStreamName(stream)) {
      reject(raw, { code: 'UNKNOWN_METHOD', message: `Unknown stream "${stream}".` });
      return;
    }
    if (subscriptions.has(id)) {
      reject(raw, { code: 'INVALID_MESSAGE', message: `Subscription id ${id} is already open.` });
      return;
    }
    const parsed = streams[stream].params.safeParse(rawParams);
    if (!parsed.success) {
      send({
        t: 'end',
        id,
        error: {
          code: 'INVALID_PARAMS',
          message: `Invalid params for ${stream}: ${describeIssues(parsed.error)}`,
          field: firstIssue(parsed.error),
        },
      });
      return;
    }
    const controller = new AbortController();
    subscriptions.set(id, controller);
    let seq = 0;
    const emit = (data: unknown): void => {
      if (!controller.signal.aborted) send({ t: 'event', id, seq: seq++, data });
    };
    try {
      const handler = streamHandlers[stream] as (
        p: unknown,
        emit: (e: unknown) => void,
        ctx: CallContext,
      ) => Promise<void>;
      await handler(parsed.data, emit, { signal: controller.signal });
      send(
        controller.signal.aborted
          ? { t: 'end', id, error: { code: 'CANCELLED', message: 'Unsubscribed.' } }
          : { t: 'end', id },
      );
    } catch (err) {
      send({ t: 'end', id, error: toErrorDto(err, log) });
    } finally {
      subscriptions.delete(id);
    }
  };

  const offMessage = wire.onMessage(onMessage);
  const stop = (): void => {
    if (closed) return;
    closed = true;
    offMessage();
    for (const c of inFlight.values()) c.abort();
    for (const c of subscriptions.values()) c.abort();
  };
  wire.onClose(stop);
  return stop;
}

function raceAbort<T>(promise: Promise<T>, signal: AbortSignal): Promise<T> {
  // A handler that cannot stop its work early (a Kafka request in flight) still answers
  // the caller at once; its late result is dropped.
  return new Promise<T>((resolve, reject) => {
    const onAbort = (): void => reject(new EventscopeError('CANCELLED', 'Cancelled by the caller.'));
    if (signal.aborted) return onAbort();
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', onAbort));
  });
}

export function toErrorDto(err: unknown, log?: ServerLog): ErrorDto {
  if (err instanceof EventscopeError) return err.toDto();
  log?.warn(`rpc: unexpected error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
  return { code: 'INTERNAL', message: `Internal error: ${err instanceof Error ? err.message : String(err)}` };
}

function firstIssue(error: z.ZodError): string | undefined {
  const issue = error.issues[0];
  return issue && issue.path.length > 0 ? issue.path.join('.') : undefined;
}

function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => (i.path.length > 0 ? `${i.path.join('.')}: ${i.message}` : i.message))
    .join('; ');
}
