// The one table of Kafka error codes: names and retriable flags as Kafka publishes them, the
// names kafkajs gives its errors resolve to the same codes, and isRetriable judges thrown
// errors by that table (not by their message text).
import kafkajsErrors from 'kafkajs/src/protocol/error.js';
import { describe, expect, it } from 'vitest';
import { EventscopeError } from '../../src/common/contract/errors.ts';
import { isRetriable } from '../../src/node/kafka/kafkajs/errors.ts';
import {
  isRetriableKafkaCode,
  kafkaErrorCodeByName,
  kafkaErrorName,
  KafkaProtocolError,
} from '../../src/node/kafka/protocol/kafka-error-codes.ts';

describe('Kafka error codes', () => {
  it('knows names and retriable flags as Kafka publishes them', () => {
    expect([kafkaErrorName(1), isRetriableKafkaCode(1)]).toEqual(['OFFSET_OUT_OF_RANGE', false]);
    expect([kafkaErrorName(6), isRetriableKafkaCode(6)]).toEqual(['NOT_LEADER_OR_FOLLOWER', true]);
    expect([kafkaErrorName(74), isRetriableKafkaCode(74)]).toEqual(['FENCED_LEADER_EPOCH', true]);
    expect([kafkaErrorName(29), isRetriableKafkaCode(29)]).toEqual(['TOPIC_AUTHORIZATION_FAILED', false]);
    expect([kafkaErrorName(100), isRetriableKafkaCode(100)]).toEqual(['UNKNOWN_TOPIC_ID', true]);
    // A code newer than the table: named by number, and not retried.
    expect([kafkaErrorName(9999), isRetriableKafkaCode(9999)]).toEqual(['ERROR_9999', false]);
  });

  it('agrees with every error kafkajs knows, by code and by kafkajs name', () => {
    const theirs = (kafkajsErrors as { errorCodes: { code: number; type: string; retriable: boolean }[] }).errorCodes;
    expect(theirs.length).toBeGreaterThan(50);
    for (const e of theirs) {
      expect(kafkaErrorCodeByName(e.type), e.type).toBe(e.code);
      expect(isRetriableKafkaCode(e.code), e.type).toBe(e.retriable);
    }
  });

  it('isRetriable: by the table for Kafka codes (ours or kafkajs-wrapped), yes for lost connections, no for our own verdicts', () => {
    expect(isRetriable(new KafkaProtocolError(6, 'reading t-0'))).toBe(true);
    expect(isRetriable(new KafkaProtocolError(29, 'reading t-0'))).toBe(false);
    // kafkajs: a protocol error (type = Kafka's name) wrapped by its retrier.
    const protocol = Object.assign(new Error('This server is not the leader for that topic-partition'), {
      name: 'KafkaJSProtocolError',
      type: 'NOT_LEADER_FOR_PARTITION',
      code: 6,
    });
    expect(
      isRetriable(
        Object.assign(new Error('retries exceeded'), { name: 'KafkaJSNumberOfRetriesExceeded', cause: protocol }),
      ),
    ).toBe(true);
    expect(
      isRetriable(
        Object.assign(new Error('Connection error: connect ECONNREFUSED'), {
          name: 'KafkaJSConnectionError',
          code: 'ECONNREFUSED',
        }),
      ),
    ).toBe(true);
    expect(isRetriable(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }))).toBe(true);
    expect(isRetriable(new EventscopeError('UNKNOWN_TOPIC', 'Topic "x" does not exist'))).toBe(false);
    // Message text alone decides nothing (the old regex took any "closed" or "timeout" as retriable).
    expect(isRetriable(new Error('the window was closed after a timeout'))).toBe(false);
  });
});
