// What one Kafka API's codecs speak (its key, the versions, the first flexible one) and the
// reader and writer of a version of it, checked against that range. Every request Eventscope
// encodes itself (group-protocol.ts, topic-admin-protocol.ts) starts here, so that a version
// out of range fails with one message and flexible encoding (KIP-482) is decided in one place.
import type { ApiVersionTable } from '../kafka-version.ts';
import { RequestWriter, ResponseReader } from './flexible-codec.ts';

export interface ApiSpec {
  name: string;
  apiKey: number;
  /** The versions these codecs speak. */
  minVersion: number;
  maxVersion: number;
  /** The first flexible version (KIP-482). */
  flexibleFrom: number;
}

export function isFlexible(api: ApiSpec, version: number): boolean {
  return version >= api.flexibleFrom;
}

/** The newest version both we and the broker speak, or null where there is none (the broker lacks the API, or has only versions we do not speak). */
export function negotiateVersion(api: ApiSpec, versions: ApiVersionTable | null | undefined): number | null {
  const broker = versions?.[api.apiKey];
  if (!broker) return null;
  const high = Math.min(broker.maxVersion, api.maxVersion);
  return high >= Math.max(broker.minVersion, api.minVersion) ? high : null;
}

function checkVersion(api: ApiSpec, version: number): void {
  if (!Number.isInteger(version) || version < api.minVersion || version > api.maxVersion) {
    throw new RangeError(
      `${api.name} v${version} is not a version Eventscope speaks (v${api.minVersion}–v${api.maxVersion})`,
    );
  }
}

/** The writer of a request body of this version (RangeError for a version we do not speak). */
export function apiRequestWriter(api: ApiSpec, version: number): RequestWriter {
  checkVersion(api, version);
  return new RequestWriter(isFlexible(api, version));
}

/** The reader of a response of this version (RangeError for a version we do not speak). */
export function apiResponseReader(api: ApiSpec, version: number, payload: Buffer): ResponseReader {
  checkVersion(api, version);
  return new ResponseReader(payload, `the ${api.name} v${version} response`, isFlexible(api, version));
}

/** The fewest bytes a string takes: an int16 length (classic) or one varint byte (flexible). */
export function minStringBytes(r: ResponseReader): number {
  return r.flexible ? 1 : 2;
}
