// The detail pane: one whole record, loaded lazily when selected (lists carry previews of
// at most a few KB). Key, value and headers as text, JSON, hex or base64, with copy buttons.
import { useMemo, useState } from 'react';
import type { RecordDto } from '@common/contract/dto.ts';
import { formatBytes } from '@common/format/numbers.ts';
import { formatTimestampWithZone } from '@common/format/timestamps.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { useHostCall } from '../../components/use-host-call.ts';
import { rpc } from '../../state/host-store.ts';
import { useTimeZone } from '../../state/time-zone-store.ts';
import { JsonTree } from './JsonTree.tsx';
import { asBase64, asJson, asText, hexDump, INITIAL_SHOW_BYTES, payloadBytes } from './payload-views.ts';

type Mode = 'text' | 'json' | 'hex' | 'base64';

function copy(text: string): void {
  void navigator.clipboard?.writeText(text).catch(() => undefined);
}

function PayloadView({ payload, label, testId }: { payload: RecordDto['value']; label: string; testId: string }) {
  const json = useMemo(() => asJson(payload), [payload]);
  const text = asText(payload);
  const [mode, setMode] = useState<Mode>(json.ok ? 'json' : text !== null ? 'text' : 'hex');
  const [showAll, setShowAll] = useState(false);
  if (payload === null) {
    // A null value is a tombstone (in a compacted topic it deletes the key); a null key is no key at all.
    return (
      <div className="detail-section">
        <h4>{label}</h4>
        {label === 'Value' ? (
          <p className="meta" data-testid={`${testId}-null`}>
            <span className="badge badge-tombstone" data-testid={`${testId}-tombstone`}>
              tombstone
            </span>{' '}
            No value (null): in a compacted topic this record deletes its key.
          </p>
        ) : (
          <p className="meta" data-testid={`${testId}-null`}>
            <span className="null-mark">no key</span> This record has no key (null), which is not the same as an empty
            key.
          </p>
        )}
      </div>
    );
  }
  const bytes = payloadBytes(payload)!;
  const limit = showAll ? Infinity : INITIAL_SHOW_BYTES;
  const cut = bytes.length > INITIAL_SHOW_BYTES && !showAll;
  let body: React.ReactNode;
  let copyText = '';
  if (mode === 'json' && json.ok) {
    body = (
      <div className="json-view" data-testid={`${testId}-json`}>
        <JsonTree value={json.value} />
      </div>
    );
    copyText = JSON.stringify(json.value, null, 2);
  } else if (mode === 'json' && !json.ok) {
    body = <div className="notice notice-warning">{json.error}</div>;
  } else if (mode === 'text') {
    copyText = text ?? '';
    body =
      text === null ? (
        <div className="notice notice-warning">Not valid UTF-8; see hex or base64.</div>
      ) : (
        <pre className="payload" data-testid={`${testId}-text`}>
          {cut ? text.slice(0, INITIAL_SHOW_BYTES) : text}
        </pre>
      );
  } else if (mode === 'hex') {
    copyText = hexDump(bytes, limit);
    body = (
      <pre className="payload" data-testid={`${testId}-hex`}>
        {copyText}
      </pre>
    );
  } else {
    copyText = asBase64(bytes);
    body = (
      <pre className="payload wrap" data-testid={`${testId}-base64`}>
        {cut ? copyText.slice(0, INITIAL_SHOW_BYTES) : copyText}
      </pre>
    );
  }
  return (
    <div className="detail-section">
      <h4>
        {label}{' '}
        <span className="meta">
          {formatBytes(payload.size)}
          {payload.encoding === 'base64' ? ' · binary' : ''}
        </span>
      </h4>
      <div className="tabs" role="tablist">
        {(['text', 'json', 'hex', 'base64'] as const).map((m) => (
          <button
            key={m}
            type="button"
            role="tab"
            aria-selected={mode === m}
            className={mode === m ? 'active' : ''}
            onClick={() => setMode(m)}
            data-testid={`${testId}-mode-${m}`}
          >
            {m === 'json' ? 'JSON' : m}
          </button>
        ))}
        <button type="button" onClick={() => copy(copyText)} title="Copy">
          Copy
        </button>
      </div>
      {body}
      {cut && mode !== 'json' && (
        <button type="button" className="link" onClick={() => setShowAll(true)}>
          Showing the first {formatBytes(INITIAL_SHOW_BYTES)} — show all {formatBytes(bytes.length)}
        </button>
      )}
    </div>
  );
}

export function RecordDetail({
  connectionId,
  topic,
  partition,
  offset,
  onClose,
  onReproduce,
}: {
  connectionId: string;
  topic: string;
  partition: number;
  offset: string;
  onClose(): void;
  onReproduce?: (record: RecordDto) => void;
}) {
  const zone = useTimeZone();
  const { data, error, loading } = useHostCall(
    (signal) => rpc().call('records.get', { connectionId, topic, partition, offset }, { signal }),
    [connectionId, topic, partition, offset],
  );
  return (
    <aside className="detail" data-testid="record-detail">
      <header className="view-header">
        <h3>
          Partition {partition} · offset {offset}
        </h3>
        <button type="button" className="link" onClick={onClose} aria-label="Close detail">
          ✕
        </button>
      </header>
      <ErrorNotice error={error} />
      {loading && <p className="meta">Loading the whole record…</p>}
      {data && (
        <>
          <p className="meta">
            <span data-testid="detail-timestamp" title={`${data.timestamp} ms since 1970-01-01 UTC`}>
              {formatTimestampWithZone(data.timestamp, zone)}
            </span>
            {data.timestampType && (
              <>
                {' '}
                · {data.timestampType === 'CreateTime' ? 'set by the producer' : 'set by the broker (LogAppendTime)'}
              </>
            )}{' '}
            {onReproduce && (
              <button type="button" onClick={() => onReproduce(data)} data-testid="reproduce">
                Re-produce…
              </button>
            )}
          </p>
          <PayloadView payload={data.key} label="Key" testId="detail-key" />
          <PayloadView payload={data.value} label="Value" testId="detail-value" />
          <div className="detail-section">
            <h4>Headers ({data.headers.length})</h4>
            <table className="grid">
              <tbody>
                {data.headers.map((h, i) => (
                  <tr key={i} data-testid="detail-header">
                    <td className="mono">{h.key}</td>
                    <td className="mono">
                      {h.value === null
                        ? 'null'
                        : h.value.encoding === 'utf8'
                          ? h.value.text
                          : `base64:${h.value.base64}`}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
    </aside>
  );
}
