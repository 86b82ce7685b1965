// Errors every ClusterClient (a live cluster or a capture) raises in the same words.
import { EventscopeError } from '../../common/contract/errors.ts';

/** The topic is not there: `where` is the cluster address or the capture's name. */
export function unknownTopicError(topic: string | undefined, where: string): EventscopeError {
  return new EventscopeError(
    'UNKNOWN_TOPIC',
    topic === undefined ? `The topic does not exist on ${where}.` : `Topic "${topic}" does not exist on ${where}.`,
  );
}
