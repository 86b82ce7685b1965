// How many bytes one Fetch may bring back: per response and per partition. Measured on a 2 M
// record topic (6 partitions, 200 B values) and a single-partition one: 2 MB / 512 KB read as
// fast as 8 MB / 1 MB or faster (a response decoded while still in cache, less to collect) at
// about half the peak memory of the CLI (~120 MB against ~220 MB RSS). A response holds far less than every
// partition's share when a topic has many partitions: the reader rotates the order partitions
// are asked in so none starves (read-progress.ts). A batch larger than a partition's share
// still arrives: the broker always returns the first batch of the first partition in full.
//
// EVENTSCOPE_FETCH_MAX_BYTES and EVENTSCOPE_PARTITION_FETCH_MAX_BYTES override the defaults,
// for tuning and for tests that must reach "more than one response holds" with little data.
import { EventscopeError } from '../../common/contract/errors.ts';

export interface FetchLimits {
  /** The response's byte budget (Fetch max_bytes). */
  responseMaxBytes: number;
  /** Each partition's byte budget (Fetch partition max_bytes), grown for a partition whose next batch is larger. */
  partitionMaxBytes: number;
  /** The largest single batch a partition's budget is grown to; a larger batch is an error that names it. */
  largestBatchBytes: number;
}

export const DEFAULT_FETCH_LIMITS: FetchLimits = {
  responseMaxBytes: 2 * 1024 * 1024,
  partitionMaxBytes: 512 * 1024,
  largestBatchBytes: 512 * 1024 * 1024,
};

const MIN_BYTES = 1024;

function bytesFromEnv(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const text = env[name];
  if (text === undefined || text === '') return fallback;
  const n = Number(text);
  if (!Number.isInteger(n) || n < MIN_BYTES || n > DEFAULT_FETCH_LIMITS.largestBatchBytes) {
    throw new EventscopeError(
      'BAD_CONFIG',
      `${name}=${text} is not a byte count from ${MIN_BYTES} to ${DEFAULT_FETCH_LIMITS.largestBatchBytes}. Unset it to use the default.`,
    );
  }
  return n;
}

export function fetchLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): FetchLimits {
  return {
    ...DEFAULT_FETCH_LIMITS,
    responseMaxBytes: bytesFromEnv(env, 'EVENTSCOPE_FETCH_MAX_BYTES', DEFAULT_FETCH_LIMITS.responseMaxBytes),
    partitionMaxBytes: bytesFromEnv(
      env,
      'EVENTSCOPE_PARTITION_FETCH_MAX_BYTES',
      DEFAULT_FETCH_LIMITS.partitionMaxBytes,
    ),
  };
}
