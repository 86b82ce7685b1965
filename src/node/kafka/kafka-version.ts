// Kafka brokers do not say their release version on the wire. What they do say is which
// request versions they accept (ApiVersions); some of those appeared or disappeared in
// known releases, which bounds the release from below.

export type ApiVersionTable = Record<number, { minVersion: number; maxVersion: number }>;

const API = { Fetch: 1, ListOffsets: 2, DescribeCluster: 60, ConsumerGroupHeartbeat: 68 } as const;

export function inferKafkaVersion(versions: ApiVersionTable | null | undefined): string | null {
  if (!versions || Object.keys(versions).length === 0) return null;
  const fetch = versions[API.Fetch];
  const listOffsets = versions[API.ListOffsets];
  // KIP-896 removed Fetch v0–v3 and ListOffsets v0 in Apache Kafka 4.0 (Produce v0–v2
  // were put back for old librdkafka clients, so Produce says nothing).
  if ((fetch && fetch.minVersion >= 4) || (listOffsets && listOffsets.minVersion >= 1)) return '≥ 4.0';
  // ConsumerGroupHeartbeat (KIP-848) became generally available in 4.0 but was exposed from 3.7.
  if (versions[API.ConsumerGroupHeartbeat]) return '≥ 3.7';
  if (versions[API.DescribeCluster]) return '≥ 2.8';
  if (fetch && fetch.maxVersion >= 11) return '≥ 2.3';
  if (fetch && fetch.maxVersion >= 4) return '≥ 0.11';
  return '< 0.11';
}
