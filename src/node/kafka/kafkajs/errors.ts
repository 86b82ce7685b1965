// Turns whatever kafkajs or Node threw into an EventscopeError whose message names the cause
// (DNS, refused, unreachable, timeout, authentication, TLS) and says what to do next, and
// decides whether a failure is worth retrying (isRetriable). Kafka error codes are judged by
// the one table in protocol/kafka-error-codes.ts, whoever raised them (kafkajs or our decoders).
import { EventscopeError } from '../../../common/contract/errors.ts';
import { unknownTopicError } from '../errors.ts';
import {
  KAFKA_ERROR,
  isRetriableKafkaCode,
  kafkaErrorCodeByName,
  KafkaProtocolError,
} from '../protocol/kafka-error-codes.ts';

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string | number;
  type?: string;
  originalError?: unknown;
  cause?: unknown;
  errors?: unknown[];
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
  'ERR_SSL_PACKET_LENGTH_TOO_LONG',
]);

function chain(err: unknown): ErrorLike[] {
  const seen: ErrorLike[] = [];
  let current: unknown = err;
  while (current && typeof current === 'object' && seen.length < 8 && !seen.includes(current as ErrorLike)) {
    const e = current as ErrorLike;
    seen.push(e);
    current = e.originalError ?? e.cause ?? (Array.isArray(e.errors) ? e.errors[0] : undefined);
  }
  return seen;
}

/** The Kafka error code an error carries: ours (KafkaProtocolError) or kafkajs's (its `type` is Kafka's name). */
function kafkaCodeOf(e: ErrorLike): number | undefined {
  if (e instanceof KafkaProtocolError) return e.code;
  return typeof e.type === 'string' ? kafkaErrorCodeByName(e.type) : undefined;
}

/** True if err, or an error it wraps (kafkajs wraps through retries), carries this Kafka error code. */
export function hasKafkaErrorCode(err: unknown, code: number): boolean {
  return chain(err).some((e) => kafkaCodeOf(e) === code);
}

/** Socket failures that a later attempt may not meet (the broker restarting, a network blip). */
const TRANSIENT_SOCKET_CODES = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'EHOSTDOWN',
  'ENETDOWN',
  'EAI_AGAIN',
]);
/** kafkajs's names for "no answer from the broker" (connection lost, timed out, broker or metadata not there yet). */
const TRANSIENT_KAFKAJS_ERRORS = new Set([
  'KafkaJSConnectionError',
  'KafkaJSConnectionClosedError',
  'KafkaJSRequestTimeoutError',
  'KafkaJSBrokerNotFound',
  'KafkaJSMetadataNotLoaded',
  'KafkaJSNoBrokerAvailableError',
]);

/**
 * Worth trying again after a metadata refresh and a pause? Kafka error codes by Kafka's own
 * table; lost or refused connections and timeouts yes; our own verdicts (EventscopeError: unknown
 * topic, bad input) and corrupt data no. Looks through kafkajs's wrappers (retries exceeded).
 */
export function isRetriable(err: unknown): boolean {
  for (const e of chain(err)) {
    if (e instanceof EventscopeError) return false;
    const code = kafkaCodeOf(e);
    if (code !== undefined) return isRetriableKafkaCode(code);
    if (typeof e.code === 'string' && TRANSIENT_SOCKET_CODES.has(e.code)) return true;
    if (e.name !== undefined && TRANSIENT_KAFKAJS_ERRORS.has(e.name)) return true;
  }
  return false;
}

/** The network's "no route": an address no packet can reach (as opposed to one that drops them: a timeout). */
const UNREACHABLE_CODES = new Set(['EHOSTUNREACH', 'ENETUNREACH', 'EHOSTDOWN', 'ENETDOWN']);

/** No TCP connection within the connect timeout: a black hole (unroutable, firewalled), not a refusal. */
export function connectTimeoutError(target: string, ms?: number): EventscopeError {
  const within = ms === undefined ? '' : ` within ${Math.round(ms / 1000)} s`;
  return new EventscopeError(
    'TIMEOUT',
    `No connection to ${target}${within}: it timed out without any answer. The host may be unreachable, or a firewall drops the traffic; check the address and port, and your network or VPN.`,
  );
}

/** A TCP connection, but no answer to Kafka's first request: something listens there that does not speak Kafka (or speaks TLS). */
export function silentListenerError(target: string, ms?: number): EventscopeError {
  const within = ms === undefined ? ' in time' : ` within ${Math.round(ms / 1000)} s`;
  return new EventscopeError(
    'TIMEOUT',
    `${target} accepted the connection but did not answer Kafka's first request${within}: it may not be a Kafka listener (or expects TLS), or the broker is stuck.`,
  );
}

/** topic: the topic the failed operation was about, named in an "unknown topic" message. */
export function classifyKafkaError(err: unknown, target: string, topic?: string): EventscopeError {
  if (err instanceof EventscopeError) return err;
  const errors = chain(err);
  const has = (pred: (e: ErrorLike) => boolean): ErrorLike | undefined => errors.find(pred);
  const text = errors.map((e) => e.message ?? '').join(' | ');

  const authCodes: readonly number[] = [
    KAFKA_ERROR.SASL_AUTHENTICATION_FAILED,
    KAFKA_ERROR.ILLEGAL_SASL_STATE,
    KAFKA_ERROR.UNSUPPORTED_SASL_MECHANISM,
  ];
  const auth = has((e) => e.name === 'KafkaJSSASLAuthenticationError' || authCodes.includes(kafkaCodeOf(e) ?? 0));
  if (auth) {
    return new EventscopeError(
      'AUTH_FAILED',
      `Authentication failed at ${target}: ${auth.message ?? 'the broker refused the credentials'}. Check the user name, password and SASL mechanism.`,
    );
  }
  const dns = has((e) => e.code === 'ENOTFOUND' || e.code === 'EAI_AGAIN' || e.code === 'EAI_NONAME');
  if (dns)
    return new EventscopeError(
      'DNS_FAILURE',
      `DNS lookup failed for ${target}: the host name does not resolve. Check its spelling or your network/VPN.`,
    );
  const refused = has((e) => e.code === 'ECONNREFUSED');
  if (refused)
    return new EventscopeError(
      'CONNECTION_REFUSED',
      `Connection refused by ${target}: nothing is listening there. Is the broker running, and is the port right?`,
    );
  const unreachable = has((e) => typeof e.code === 'string' && UNREACHABLE_CODES.has(e.code));
  if (unreachable)
    return new EventscopeError(
      'UNREACHABLE',
      `${target} is unreachable: the network has no route to it (${unreachable.code}). Check the address, and your network or VPN.`,
    );
  const tls = has(
    (e) =>
      (typeof e.code === 'string' && TLS_CODES.has(e.code)) ||
      /certificate|SSL routines|TLS|self[- ]signed/i.test(e.message ?? ''),
  );
  if (tls)
    return new EventscopeError(
      'TLS_FAILURE',
      `TLS failed with ${target}: ${tls.message ?? tls.code}. Check the CA file, the server name, or whether this listener speaks TLS at all.`,
    );
  // Timeouts before anything closed: a host that drops packets must never read as "closed".
  // The TCP connection never came up: nothing answered at all.
  if (has((e) => e.code === 'ETIMEDOUT' || /^Connection timeout/i.test(e.message ?? '')))
    return connectTimeoutError(target);
  // Connected, but the first request (ApiVersions) got no answer: kafkajs then calls the broker "not connected".
  if (has((e) => e.message === 'Broker not connected')) return silentListenerError(target);
  const timeout = has((e) => e.name === 'KafkaJSRequestTimeoutError' || /timeout|timed out/i.test(e.message ?? ''));
  if (timeout)
    return new EventscopeError(
      'TIMEOUT',
      `${target} did not answer in time (${timeout.message}): the broker may be overloaded or stuck, or the network is dropping traffic.`,
    );
  const closed = has((e) => e.name === 'KafkaJSConnectionClosedError' || /closed by the server/i.test(e.message ?? ''));
  if (closed)
    return new EventscopeError(
      'CONNECTION_REFUSED',
      `${target} closed the connection without a Kafka answer: it may expect TLS or SASL that this connection does not use, or it is not a Kafka listener.`,
    );
  const unknownTopic = has((e) => kafkaCodeOf(e) === KAFKA_ERROR.UNKNOWN_TOPIC_OR_PARTITION);
  if (unknownTopic) return unknownTopicError(topic, target);
  return new EventscopeError('KAFKA_ERROR', `Kafka error from ${target}: ${text || String(err)}`);
}
