// The one error the protocol decoders raise for bytes that are not what Kafka sends: a record
// batch whose CRC does not match, a length that runs past the end, a varint that never ends.
// It names where (topic, partition, offset) so a user can find the damaged batch with Kafka's
// own tools, and so nothing downstream ever sees a RangeError or a record read as zeros.

export class ProtocolDecodeError extends Error {
  /** null where the damage came before the topic could be read (a Fetch response's header). */
  readonly topic: string | null;
  readonly partition: number | null;
  /** The batch's base offset, or the record's offset once read; null outside a record set. */
  readonly offset: bigint | null;
  /** What was wrong, without the where (the message has both). */
  readonly reason: string;

  constructor(
    where: { topic: string | null; partition: number | null; offset: bigint | null },
    reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Malformed Kafka data ${describeWhere(where)}: ${reason}`, options);
    this.name = 'ProtocolDecodeError';
    this.topic = where.topic;
    this.partition = where.partition;
    this.offset = where.offset;
    this.reason = reason;
  }
}

function describeWhere(where: { topic: string | null; partition: number | null; offset: bigint | null }): string {
  if (where.topic === null) return 'in a Fetch response';
  let at = `in topic ${where.topic}`;
  if (where.partition !== null) at += ` partition ${where.partition}`;
  if (where.offset !== null) at += ` at offset ${where.offset}`;
  return at;
}
