// Edit a topic's configs incrementally: each row sets one config to a value or deletes the
// topic's own value (the broker's default applies again); configs not named stay as they are.
// Preview asks the controller to validate the change (IncrementalAlterConfigs, validateOnly)
// and shows before and after; "Apply changes" then asks once more.
import { useState } from 'react';
import type { ConfigEntry } from '@common/contract/dto.ts';
import { AlterTopicConfigsParams, type AlterTopicConfigsResult } from '@common/contract/topic-admin-dto.ts';
import { rpc } from '../../../state/host-store.ts';
import { FlowActions, FlowResults } from './FlowActions.tsx';
import './topic-admin.css';
import { check, useDryRun } from './use-dry-run.ts';

interface Row {
  id: number;
  name: string;
  op: 'set' | 'delete';
  value: string;
}

function ChangeTable({ result, testId }: { result: AlterTopicConfigsResult; testId: string }) {
  const shown = (value: string | null, source: string | null): string =>
    value === null ? (source === null ? 'its default' : '(hidden)') : value;
  return (
    <table className="grid" data-testid={testId}>
      <thead>
        <tr>
          <th>Config</th>
          <th>Before</th>
          <th>After</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {result.changes.map((c) => (
          <tr key={c.name} data-testid="admin-change-row" data-config={c.name}>
            <td>{c.name}</td>
            <td className="mono" data-testid="admin-change-before">
              {shown(c.before, c.beforeSource)}{' '}
              <span className="meta">
                {c.beforeSource === 'topic' ? '(set on the topic)' : c.beforeSource ? `(${c.beforeSource})` : ''}
              </span>
            </td>
            <td className="mono" data-testid="admin-change-after">
              {c.op === 'delete' && c.after === null ? 'the broker’s default' : shown(c.after, c.afterSource)}{' '}
              <span className="meta">
                {c.afterSource === 'topic' ? '(set on the topic)' : c.afterSource ? `(${c.afterSource})` : ''}
              </span>
            </td>
            <td className="meta">{c.unchanged ? 'no change' : ''}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function EditConfigsDialog({
  connectionId,
  topic,
  configs,
  onClose,
  onDone,
}: {
  connectionId: string;
  topic: string;
  configs: ConfigEntry[];
  onClose(): void;
  onDone(): void;
}) {
  const [rows, setRows] = useState<Row[]>([{ id: 0, name: '', op: 'set', value: '' }]);
  const [nextId, setNextId] = useState(1);
  const known = new Map(configs.map((c) => [c.name, c]));

  const update = (id: number, patch: Partial<Row>): void =>
    setRows((rs) => rs.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  const changes = rows
    .filter((r) => r.name.trim() !== '' || r.value !== '')
    .map((r) =>
      r.op === 'set'
        ? { name: r.name.trim(), op: 'set' as const, value: r.value }
        : { name: r.name.trim(), op: 'delete' as const },
    );
  const unknown = changes.find((c) => c.name !== '' && known.size > 0 && !known.has(c.name));
  const request = unknown
    ? { problem: `“${unknown.name}” is not a config of this topic: check its name`, field: 'changes' }
    : check(AlterTopicConfigsParams, { connectionId, topic, changes, dryRun: true });
  const flow = useDryRun(request, (params, dryRun) => rpc().call('topics.alterConfigs', { ...params, dryRun }), onDone);

  return (
    <div className="panel topic-admin-dialog" role="dialog" aria-label="Edit configs" data-testid="edit-configs-dialog">
      <h3>Edit configs of {topic}</h3>
      <p className="meta">
        Only the configs named here change. Deleting a config removes the topic’s own value: the broker’s default
        applies again.
      </p>
      <datalist id="topic-config-names">
        {configs.map((c) => (
          <option key={c.name} value={c.name} />
        ))}
      </datalist>
      {rows.map((r) => {
        const now = known.get(r.name.trim());
        return (
          <div key={r.id} className="topic-admin-row" data-testid="config-change">
            <input
              list="topic-config-names"
              value={r.name}
              onChange={(e) => update(r.id, { name: e.target.value })}
              placeholder="config name, e.g. retention.ms"
              aria-label="Config name"
              data-testid="config-change-name"
            />
            <select
              value={r.op}
              onChange={(e) => update(r.id, { op: e.target.value as Row['op'] })}
              aria-label="Set or delete"
              data-testid="config-change-op"
            >
              <option value="set">set to</option>
              <option value="delete">delete (back to default)</option>
            </select>
            <input
              value={r.op === 'set' ? r.value : ''}
              onChange={(e) => update(r.id, { value: e.target.value })}
              disabled={r.op === 'delete'}
              placeholder={r.op === 'set' ? 'value' : ''}
              aria-label="Value"
              data-testid="config-change-value"
            />
            <span className="meta">
              {now ? `now ${now.sensitive ? '(hidden)' : (now.value ?? '—')}${now.isDefault ? ' (default)' : ''}` : ''}
            </span>
            {rows.length > 1 && (
              <button
                type="button"
                className="link"
                onClick={() => setRows((rs) => rs.filter((x) => x.id !== r.id))}
                aria-label="Remove this change"
              >
                ✕
              </button>
            )}
          </div>
        );
      })}
      <div>
        <button
          type="button"
          className="link"
          onClick={() => {
            setRows((rs) => [...rs, { id: nextId, name: '', op: 'set', value: '' }]);
            setNextId((n) => n + 1);
          }}
          data-testid="config-change-add"
        >
          + Another config
        </button>
      </div>
      <FlowResults
        flow={flow}
        show={(result, testId) => <ChangeTable result={result} testId={testId} />}
        doneText={() => <>Configs of “{topic}” changed.</>}
      />
      <FlowActions
        flow={flow}
        action="Apply changes"
        confirmLabel="Yes, apply"
        confirmText={`Change ${changes.length} config${changes.length === 1 ? '' : 's'} of “${topic}” as previewed? Producers and consumers of the topic see the new values at once.`}
        onClose={onClose}
      />
    </div>
  );
}
