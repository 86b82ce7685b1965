// One of our own API requests (src/node/kafka/protocol/), at a version both sides speak, sent on
// kafkajs's connection to a broker. The consumer-group reads and the topic administration both
// negotiate and send this way; only what they need the API for and their timeouts differ.
import { EventscopeError } from '../../../common/contract/errors.ts';
import type { ApiVersionTable } from '../kafka-version.ts';
import { isFlexible, negotiateVersion, type ApiSpec } from '../protocol/api-spec.ts';
import { sendRawRequest, type InternalBroker } from './internals.ts';

/**
 * The highest version of `api` that the broker (its `versions`) and Eventscope both speak; a
 * KAFKA_ERROR naming `who` refuses it and what Eventscope `needs` it for when there is none.
 */
export function agreedVersion(api: ApiSpec, versions: ApiVersionTable | null, who: string, needs: string): number {
  const v = negotiateVersion(api, versions);
  if (v === null)
    throw new EventscopeError(
      'KAFKA_ERROR',
      `${who} does not accept ${api.name} v${api.minVersion}–v${api.maxVersion}, which Eventscope needs ${needs}.`,
    );
  return v;
}

/** Sends `body` as `api` at `version` (flexible or not, as the spec says) and decodes the answer. */
export function sendApiRequest<T>(
  broker: InternalBroker,
  api: ApiSpec,
  version: number,
  body: Buffer,
  decode: (payload: Buffer) => T,
  requestTimeout?: number,
): Promise<T> {
  return sendRawRequest(broker, {
    apiKey: api.apiKey,
    apiName: api.name,
    apiVersion: version,
    flexible: isFlexible(api, version),
    body,
    decode,
    ...(requestTimeout !== undefined ? { requestTimeout } : {}),
  });
}
