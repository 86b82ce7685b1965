// Capture files: chosen ranges of the replay log, with their topics' metadata, in one file
// (the same SQLite layout as the log). Opened later with no cluster, a capture shows as an
// offline cluster (src/node/log/offline-cluster.ts).
import { existsSync, rmSync } from 'node:fs';
import { EventscopeError } from '../../common/contract/errors.ts';
import { ReplayLog } from './replay-log.ts';

export const CAPTURE_FORMAT = 'eventscope-capture/1';
/** Inside a capture file every record is stored under this cluster key. */
export const CAPTURE_CLUSTER = 'capture';

export interface CaptureInfo {
  name: string;
  description: string;
  createdAt: number;
  /** Where the records came from (a bootstrap address or "generated"). */
  source: string;
}

export interface CaptureSelection {
  topic: string;
  partitions?: number[];
}

/** Copies the chosen topics (all they hold) of one cluster's log into a new capture file. */
export function exportCapture(
  source: ReplayLog,
  cluster: string,
  selection: CaptureSelection[],
  path: string,
  info: CaptureInfo,
): { records: number } {
  if (existsSync(path))
    throw new EventscopeError('BAD_CONFIG', `${path} exists already; choose another file name.`, 'path');
  const target = new ReplayLog(path, { capBytesPerCluster: Number.MAX_SAFE_INTEGER });
  let records = 0;
  try {
    target.setMeta('format', CAPTURE_FORMAT);
    target.setMeta('info', JSON.stringify(info));
    for (const { topic, partitions } of selection) {
      const held = source.topics(cluster).find((t) => t.topic === topic);
      if (!held)
        throw new EventscopeError('NOT_FOUND', `The replay log holds nothing of "${topic}" to export.`, 'topic');
      for (const partition of held.partitions) {
        if (partitions && !partitions.includes(partition)) continue;
        for (const range of source.ranges({ cluster, topic, partition })) {
          const stored = source
            .read({ cluster, topic, partition }, range.from, Number.MAX_SAFE_INTEGER)
            .filter((r) => r.offset < range.to);
          records += target.append({ cluster: CAPTURE_CLUSTER, topic, partition }, range, stored);
        }
      }
    }
  } catch (err) {
    target.close();
    rmSync(path, { force: true });
    throw err;
  }
  target.seal();
  target.close();
  return { records };
}

export function openCapture(path: string): { log: ReplayLog; info: CaptureInfo } {
  if (!existsSync(path)) throw new EventscopeError('NOT_FOUND', `No capture file at ${path}.`, 'path');
  let log: ReplayLog;
  try {
    log = new ReplayLog(path, { readOnly: true });
  } catch (err) {
    throw new EventscopeError(
      'BAD_CONFIG',
      `${path} is not an Eventscope capture file: ${(err as Error).message}`,
      'path',
    );
  }
  let format: string | null;
  try {
    format = log.getMeta('format');
  } catch {
    format = null; // a SQLite file of something else: no meta table
  }
  if (format !== CAPTURE_FORMAT) {
    log.close();
    throw new EventscopeError(
      'BAD_CONFIG',
      `${path} is not an Eventscope capture file (format ${format ?? 'unknown'}).`,
      'path',
    );
  }
  return { log, info: JSON.parse(log.getMeta('info') ?? '{}') as CaptureInfo };
}
