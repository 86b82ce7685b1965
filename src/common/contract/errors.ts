// Error codes carried over every wire. A code is for programs (tests, retry logic);
// the message is for people and must say what happened and what to do next.
export const ERROR_CODES = [
  'INVALID_MESSAGE', // the envelope itself did not match the contract
  'UNKNOWN_METHOD',
  'INVALID_PARAMS', // the message names the field
  'CANCELLED',
  'NOT_FOUND',
  'DNS_FAILURE',
  'CONNECTION_REFUSED',
  'TIMEOUT', // no answer in time: a host that drops packets (unreachable, firewalled) or a listener that never speaks Kafka
  'UNREACHABLE', // the network says there is no route to the host
  'AUTH_FAILED',
  'TLS_FAILURE',
  'BAD_CONFIG',
  'UNKNOWN_TOPIC',
  'SECRET_STORAGE_INSECURE',
  'WRITE_NOT_ALLOWED', // the connection is not marked writable
  'KAFKA_ERROR',
  'INTERNAL',
  'DISCONNECTED',
  'DISK_FULL', // a file could not be written for lack of space: free some, then try again
  'WRITE_FAILED', // a file could not be written for another reason (the message names it)
  'GROUP_NOT_EMPTY', // a consumer group has members: its offsets cannot be moved, nor it deleted, until they stop
  'CONFLICT', // a file changed on disk since it was read: read it again (or save under another name)
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorDto {
  code: ErrorCode;
  message: string;
  /** Optional machine-readable detail, e.g. the field that was wrong. */
  field?: string;
}

/**
 * An error Eventscope raises on purpose: a code and a message for people. Thrown by the kafka,
 * log, connections and host layers alike, and carried over every wire as an ErrorDto.
 */
export class EventscopeError extends Error {
  readonly code: ErrorCode;
  readonly field: string | undefined;

  constructor(code: ErrorCode, message: string, field?: string) {
    super(message);
    this.name = 'EventscopeError';
    this.code = code;
    this.field = field;
  }

  toDto(): ErrorDto {
    return this.field === undefined
      ? { code: this.code, message: this.message }
      : { code: this.code, message: this.message, field: this.field };
  }

  static fromDto(dto: ErrorDto): EventscopeError {
    return new EventscopeError(dto.code, dto.message, dto.field);
  }
}

/** The wire's older name for EventscopeError (the same class: instanceof works either way). */
export const RpcError = EventscopeError;
export type RpcError = EventscopeError;

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
