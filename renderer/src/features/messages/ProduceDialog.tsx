// Produce a record, or re-produce a selected one (to the same or another topic). Only on
// connections marked writable, and only after the user confirms.
import { useState } from 'react';
import { encodePayload } from '@common/codecs/payload.ts';
import type { RecordDto } from '@common/contract/dto.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { rpc } from '../../state/host-store.ts';

const utf8 = new TextEncoder();

function parseHeaders(text: string): { key: string; value: RecordDto['value'] }[] | string {
  const headers: { key: string; value: RecordDto['value'] }[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return `Header line ${i + 1} is not "name: value".`;
    headers.push({ key: line.slice(0, colon).trim(), value: encodePayload(utf8.encode(line.slice(colon + 1).trim())) });
  }
  return headers;
}

export function ProduceDialog({
  connectionId,
  topic,
  from,
  onClose,
}: {
  connectionId: string;
  topic: string;
  from: RecordDto | null;
  onClose(): void;
}) {
  const text = (p: RecordDto['value'] | undefined): string => (p && p.encoding === 'utf8' ? p.text : '');
  const [target, setTarget] = useState(topic);
  const [partition, setPartition] = useState('');
  const [key, setKey] = useState(text(from?.key));
  const [value, setValue] = useState(text(from?.value));
  const [headers, setHeaders] = useState((from?.headers ?? []).map((h) => `${h.key}: ${text(h.value)}`).join('\n'));
  const [error, setError] = useState<unknown>(null);
  const [result, setResult] = useState<string | null>(null);
  const binary =
    from !== null && [from.key, from.value, ...from.headers.map((h) => h.value)].some((p) => p?.encoding === 'base64');

  const send = async (): Promise<void> => {
    setError(null);
    const parsedHeaders = parseHeaders(headers);
    if (typeof parsedHeaders === 'string') return setError(new Error(parsedHeaders));
    if (partition !== '' && !/^\d+$/.test(partition))
      return setError(new Error('Partition must be a number, or empty for the default partitioner.'));
    if (
      !window.confirm(
        `Write this record to "${target}"${partition ? ` partition ${partition}` : ''}? This changes the cluster.`,
      )
    )
      return;
    try {
      // Re-producing a binary record sends its exact bytes, not the text shown here.
      const exact = binary && from !== null;
      const written = await rpc().call('records.produce', {
        connectionId,
        topic: target,
        ...(partition !== '' ? { partition: Number(partition) } : {}),
        key: exact ? from.key : key === '' && from?.key === null ? null : encodePayload(utf8.encode(key)),
        value: exact ? from.value : encodePayload(utf8.encode(value)),
        headers: exact ? from.headers : parsedHeaders,
      });
      setResult(`Written to ${target} partition ${written.partition} at offset ${written.offset}.`);
    } catch (err) {
      setError(err);
    }
  };

  return (
    <div className="panel produce" data-testid="produce-dialog">
      <h3>{from ? 'Re-produce record' : 'Produce a record'}</h3>
      {binary && (
        <div className="notice notice-warning">
          This record holds binary bytes; they are sent exactly as stored (the fields below are not used).
        </div>
      )}
      <label className="field">
        <span className="field-label">Topic</span>
        <input value={target} onChange={(e) => setTarget(e.target.value)} data-testid="produce-topic" />
      </label>
      <label className="field">
        <span className="field-label">Partition (empty: by key)</span>
        <input value={partition} onChange={(e) => setPartition(e.target.value)} data-testid="produce-partition" />
      </label>
      <label className="field">
        <span className="field-label">Key</span>
        <input value={key} onChange={(e) => setKey(e.target.value)} data-testid="produce-key" disabled={binary} />
      </label>
      <label className="field">
        <span className="field-label">Value</span>
        <textarea
          value={value}
          onChange={(e) => setValue(e.target.value)}
          rows={6}
          data-testid="produce-value"
          disabled={binary}
        />
      </label>
      <label className="field">
        <span className="field-label">Headers (one "name: value" per line)</span>
        <textarea
          value={headers}
          onChange={(e) => setHeaders(e.target.value)}
          rows={3}
          data-testid="produce-headers"
          disabled={binary}
        />
      </label>
      <ErrorNotice error={error} />
      {result && (
        <div className="notice notice-ok" data-testid="produce-result">
          {result}
        </div>
      )}
      <div className="form-actions">
        <button type="button" className="primary" onClick={() => void send()} data-testid="produce-send">
          Produce
        </button>
        <button type="button" onClick={onClose}>
          Close
        </button>
      </div>
    </div>
  );
}
