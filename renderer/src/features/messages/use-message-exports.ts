// Export of the rows shown (NDJSON or CSV, whole records read by the host) and saving what the
// replay log holds of the topic as a capture file; each says how it went.
import { useState } from 'react';
import type { RecordDto } from '@common/contract/dto.ts';
import { formatCount } from '@common/format/numbers.ts';
import { rpc } from '../../state/host-store.ts';
import { downloadText } from './download.ts';

/** The list exports at most this many rows; the CLI's "eventscope export" has no limit. */
const MAX_EXPORT_ROWS = 100_000;

export interface MessageExports {
  exportShown(format: 'ndjson' | 'csv'): Promise<void>;
  exportCapture(): Promise<void>;
  /** Why the last export or save failed; null when it did not. */
  error: unknown;
  /** What the last capture save wrote, in words. */
  captureSaved: string | null;
}

export function useMessageExports(connectionId: string, topic: string, rows: readonly RecordDto[]): MessageExports {
  const [error, setError] = useState<unknown>(null);
  const [captureSaved, setCaptureSaved] = useState<string | null>(null);

  const exportShown = async (format: 'ndjson' | 'csv'): Promise<void> => {
    setError(null);
    try {
      const result = await rpc().call('records.export', {
        connectionId,
        topic,
        format,
        records: rows.slice(-MAX_EXPORT_ROWS).map((r) => ({ partition: r.partition, offset: r.offset })),
      });
      downloadText(`${topic}.${format}`, result.text, format === 'csv' ? 'text/csv' : 'application/x-ndjson');
    } catch (err) {
      setError(err);
    }
  };

  const exportCapture = async (): Promise<void> => {
    setError(null);
    try {
      const saved = await rpc().call('captures.export', { connectionId, topic });
      setCaptureSaved(
        `Saved ${formatCount(saved.records)} records to ${saved.path}. Open it later with "Open capture file…", no cluster needed.`,
      );
    } catch (err) {
      setError(err);
    }
  };

  return { exportShown, exportCapture, error, captureSaved };
}
