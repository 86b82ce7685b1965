// Kafka brokers do not say their release version on the wire. What they do say is which
// request versions they accept (ApiVersions); some of those appeared or disappeared in
// known releases, which bounds the release from below.

export type ApiVersionTable = Record<number, { minVersion: number; maxVersion: number }>;

const API = { Produce: 0, Fetch: 1, ListOffsets: 2, DescribeCluster: 60, ConsumerGroupHeartbeat: 68, ShareGroupHeartbeat: 76 } as const;

export function inferKafkaVersion(versions: ApiVersionTable | null | undefined): string | null {
  if (!versions || Object.keys(versions).length === 0) return null;
  const produce = versions[API.Produce];
  // KIP-896 removed Produce v0–v2 in Apache Kafka 4.0.
  if (produce && produce.minVersion >= 3) return '≥ 4.0';
  // ConsumerGroupHeartbeat (KIP-848) became generally available in 4.0 but was exposed from 3.7.
  if (versions[API.ConsumerGroupHeartbeat]) return '≥ 3.7';
  if (versions[API.DescribeCluster]) return '≥ 2.8';
  const fetch = versions[API.Fetch];
  if (fetch && fetch.maxVersion >= 11) return '≥ 2.3';
  if (fetch && fetch.maxVersion >= 4) return '≥ 0.11';
  return '< 0.11';
}
