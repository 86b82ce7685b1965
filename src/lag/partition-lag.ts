// Lag of one group on its partitions, as Kafka's ConsumerGroupCommand computes it: log-end
// offset (high watermark) minus committed offset. Pure; offsets stay bigint (int64).
//
// - Nothing committed: lag null ("not known"), never 0.
// - A committed offset above the log end (the log was truncated, or the topic recreated
//   with the same name) is lag 0: there is nothing left to consume, and a negative lag would
//   read as a bug to the user.
// - Total lag: the sum of the known lags; null when none is known.

export interface CommittedOffsetInput {
  topic: string;
  partition: number;
  /** null: the group has no committed offset for this partition. */
  offset: bigint | null;
}

export interface PartitionLagValue {
  topic: string;
  partition: number;
  committed: bigint | null;
  /** null: the partition has no known log end (its topic was deleted). */
  end: bigint | null;
  lag: bigint | null;
}

/** end − committed, never negative; null when nothing is committed. */
export function partitionLag(committed: bigint | null, end: bigint): bigint | null {
  if (committed === null) return null;
  const lag = end - committed;
  return lag > 0n ? lag : 0n;
}

/** The sum of the known lags; null when no lag is known. */
export function totalLag(lags: Iterable<bigint | null>): bigint | null {
  let total: bigint | null = null;
  for (const lag of lags) if (lag !== null) total = (total ?? 0n) + lag;
  return total;
}

/**
 * Per partition lag of one group: every committed offset, plus — for each topic the group has
 * committed on — the topic's partitions it has not committed on (lag null), as Kafka's tool
 * lists them. Sorted by topic, then partition.
 */
export function partitionLags(committed: readonly CommittedOffsetInput[], logEnd: ReadonlyMap<string, ReadonlyMap<number, bigint>>): PartitionLagValue[] {
  const rows = new Map<string, PartitionLagValue>();
  const key = (topic: string, partition: number): string => `${topic}\u0000${partition}`;
  for (const c of committed) {
    const end = logEnd.get(c.topic)?.get(c.partition) ?? null;
    rows.set(key(c.topic, c.partition), { topic: c.topic, partition: c.partition, committed: c.offset, end, lag: end === null ? null : partitionLag(c.offset, end) });
  }
  for (const topic of new Set(committed.map((c) => c.topic))) {
    for (const [partition, end] of logEnd.get(topic) ?? []) {
      if (!rows.has(key(topic, partition))) rows.set(key(topic, partition), { topic, partition, committed: null, end, lag: null });
    }
  }
  return [...rows.values()].sort(byTopicPartition);
}

export function byTopicPartition(a: { topic: string; partition: number }, b: { topic: string; partition: number }): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}
