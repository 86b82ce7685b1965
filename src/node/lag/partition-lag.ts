// Lag of one group on its partitions, as Kafka's ConsumerGroupCommand computes it: log-end
// offset (high watermark) minus committed offset. Pure; offsets stay bigint (int64).
//
// - Nothing committed: lag null ("not known"), never 0.
// - A committed offset above the log end (the log was truncated, or the topic recreated
//   with the same name) is lag 0: there is nothing left to consume, and a negative lag would
//   read as a bug to the user.
// - Total lag: the sum of the known lags; null when none is known.
// Which partitions a group's rows cover (committed or assigned, as Kafka's tool lists them) is
// group-lag-reader.ts's business.

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

export function byTopicPartition(
  a: { topic: string; partition: number },
  b: { topic: string; partition: number },
): number {
  return a.topic < b.topic ? -1 : a.topic > b.topic ? 1 : a.partition - b.partition;
}
