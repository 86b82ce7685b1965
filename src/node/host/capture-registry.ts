// The capture files the host has open: each is an offline cluster (its own replay log, the lag
// history it carries, an OfflineCluster over both) known by an id that stands where a
// connectionId does in every call. The sample capture is opened under a fixed id at start.
import { basename } from 'node:path';
import type { CaptureSummary } from '../../common/contract/dto.ts';
import { LagHistoryStore } from '../lag/lag-history-store.ts';
import { CAPTURE_CLUSTER, openCapture } from '../log/capture-file.ts';
import { OfflineCluster } from '../log/offline-cluster.ts';
import type { ReplayLog } from '../log/replay-log.ts';
import { capturedGroups } from './group-handlers.ts';

/** The id the embedded sample capture is opened under. */
export const SAMPLE_CAPTURE_ID = 'sample';

export interface OpenCapture {
  summary: CaptureSummary;
  log: ReplayLog;
  /** The consumer groups' lag history the capture carries (the same file). */
  lagHistory: LagHistoryStore;
  client: OfflineCluster;
}

export class CaptureRegistry {
  private readonly captures = new Map<string, OpenCapture>();
  private counter = 0;

  /** Opens a capture file under a new id; a file already open answers its existing summary. */
  open(path: string): CaptureSummary {
    const already = [...this.captures.values()].find((c) => c.summary.path === path);
    return already ? already.summary : this.openAs(`capture-${++this.counter}`, path);
  }

  openAs(id: string, path: string): CaptureSummary {
    const { log, info } = openCapture(path);
    const topics = log.topics(CAPTURE_CLUSTER);
    const summary: CaptureSummary = {
      id,
      name: info.name || basename(path),
      description: info.description ?? '',
      path,
      source: info.source ?? '',
      createdAt: info.createdAt ?? 0,
      topics: topics.length,
      records: topics.reduce((n, t) => n + log.recordCount(CAPTURE_CLUSTER, t.topic), 0),
    };
    const lagHistory = new LagHistoryStore(path, { readOnly: true });
    this.captures.set(id, {
      summary,
      log,
      lagHistory,
      client: new OfflineCluster(log, CAPTURE_CLUSTER, summary.name, capturedGroups(lagHistory, CAPTURE_CLUSTER)),
    });
    return summary;
  }

  get(id: string): OpenCapture | undefined {
    return this.captures.get(id);
  }

  /** Whether this id is an open capture (else it is a saved connection's). */
  has(id: string): boolean {
    return this.captures.has(id);
  }

  list(): CaptureSummary[] {
    return [...this.captures.values()].map((c) => c.summary);
  }

  /** Closes one capture; false when no capture has this id. */
  close(id: string): boolean {
    const capture = this.captures.get(id);
    if (!capture) return false;
    this.captures.delete(id);
    capture.log.close();
    capture.lagHistory.close();
    return true;
  }

  closeAll(): void {
    for (const id of [...this.captures.keys()]) this.close(id);
  }
}
