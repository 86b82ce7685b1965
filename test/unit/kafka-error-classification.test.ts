// classifyKafkaError on the failures kafkajs raises (its own error classes, wrapped as its
// retries wrap them): each named for what it is. The network's "no route to host" cannot be
// caused on loopback, so it is built here; refused, black-holed and silent hosts are caused
// for real in test/integration/connection-faults.test.ts.
import kafkajs from 'kafkajs';
import { describe, expect, it } from 'vitest';
import { classifyKafkaError, isRetriable } from '../../src/node/kafka/kafkajs/errors.ts';

const target = '10.1.2.3:9092';
// kafkajs exports it, but its type definitions leave it out.
const { KafkaJSConnectionClosedError } = kafkajs as unknown as {
  KafkaJSConnectionClosedError: new (message: string, where: { host: string; port: number }) => Error;
};

/** What kafkajs's retrier throws once its retries are spent: the last failure as originalError. */
function retriesExceeded(last: Error): Error {
  return Object.assign(new Error(last.message), { name: 'KafkaJSNumberOfRetriesExceeded', originalError: last });
}

describe('classifyKafkaError', () => {
  it.each(['EHOSTUNREACH', 'ENETUNREACH'])('%s (no route to the host) is UNREACHABLE, not a Kafka error', (code) => {
    const err = retriesExceeded(
      new kafkajs.KafkaJSConnectionError(`Connection error: connect ${code} ${target}`, { broker: target, code }),
    );
    expect(classifyKafkaError(err, target)).toMatchObject({
      code: 'UNREACHABLE',
      message: `${target} is unreachable: the network has no route to it (${code}). Check the address, and your network or VPN.`,
    });
    expect(isRetriable(err)).toBe(true);
  });

  it('a connection that timed out is a timeout that says the host may be unreachable, whatever else the chain holds', () => {
    const timedOut = new kafkajs.KafkaJSConnectionError('Connection timeout', { broker: target });
    const closedAfter = Object.assign(
      new KafkaJSConnectionClosedError('Closed connection', { host: '10.1.2.3', port: 9092 }),
      { originalError: timedOut },
    );
    for (const err of [retriesExceeded(timedOut), closedAfter]) {
      const classified = classifyKafkaError(err, target);
      expect(classified.code).toBe('TIMEOUT');
      expect(classified.message).toMatch(
        /^No connection to 10\.1\.2\.3:9092: it timed out without any answer\. The host may be unreachable/,
      );
      expect(classified.message).not.toMatch(/closed|TLS or SASL/);
    }
  });

  it('"Broker not connected" (kafkajs after a first request that got no answer) is a timeout naming a silent listener', () => {
    const classified = classifyKafkaError(new Error('Broker not connected'), target);
    expect(classified).toMatchObject({
      code: 'TIMEOUT',
      message: expect.stringMatching(
        /^10\.1\.2\.3:9092 accepted the connection but did not answer Kafka's first request in time/,
      ),
    });
  });

  it('a connection the other end closed is still said as such', () => {
    const classified = classifyKafkaError(
      new KafkaJSConnectionClosedError('Closed connection', { host: '10.1.2.3', port: 9092 }),
      target,
    );
    expect(classified).toMatchObject({
      code: 'CONNECTION_REFUSED',
      message: expect.stringMatching(/closed the connection without a Kafka answer/),
    });
  });
});
