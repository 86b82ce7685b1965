// New topic: a name, partitions and replication factor (empty: the broker's defaults), configs
// as "name=value" lines. Preview asks the controller to validate it (CreateTopics with
// validateOnly) and shows what the topic would get, defaults resolved; "Create topic" then
// asks once more before it creates it.
import { useState } from 'react';
import { CreateTopicParams, type CreateTopicResult } from '@common/contract/topic-admin-dto.ts';
import { rpc } from '../../../state/host-store.ts';
import { FlowActions, FlowResults } from './FlowActions.tsx';
import './topic-admin.css';
import { check, useDryRun, wholeNumber, type Checked } from './use-dry-run.ts';

/** "name=value" lines (blank lines skipped) as configs, or what is wrong with one. */
export function parseConfigLines(text: string): { name: string; value: string }[] | string {
  const configs: { name: string; value: string }[] = [];
  for (const [i, line] of text.split('\n').entries()) {
    if (line.trim() === '') continue;
    const eq = line.indexOf('=');
    if (eq <= 0) return `Config line ${i + 1} is not "name=value" (e.g. retention.ms=604800000)`;
    configs.push({ name: line.slice(0, eq).trim(), value: line.slice(eq + 1).trim() });
  }
  return configs;
}

function ConfigTable({ result, testId }: { result: CreateTopicResult; testId: string }) {
  const [all, setAll] = useState(false);
  if (result.configs === null) return <p className="meta">This broker does not say which configs the topic gets.</p>;
  const own = result.configs.filter((c) => c.source === 'topic');
  const shown = all ? result.configs : own;
  return (
    <>
      <table className="grid" data-testid={testId}>
        <thead>
          <tr>
            <th>Config</th>
            <th>Value</th>
            <th>From</th>
          </tr>
        </thead>
        <tbody>
          {shown.map((c) => (
            <tr
              key={c.name}
              className={c.source === 'topic' ? 'changed' : ''}
              data-testid="admin-config-row"
              data-config={c.name}
            >
              <td>{c.name}</td>
              <td className="mono">{c.sensitive ? '(hidden)' : (c.value ?? '—')}</td>
              <td className="meta">{c.source === 'topic' ? 'set on the topic' : c.source}</td>
            </tr>
          ))}
          {shown.length === 0 && (
            <tr>
              <td colSpan={3} className="meta">
                No config set on the topic: every value is the broker’s default.
              </td>
            </tr>
          )}
        </tbody>
      </table>
      <label className="check">
        <input type="checkbox" checked={all} onChange={(e) => setAll(e.target.checked)} /> Show all{' '}
        {result.configs.length} configs the topic gets
      </label>
    </>
  );
}

function Outcome({ result, testId }: { result: CreateTopicResult; testId: string }) {
  const size = (n: number, what: string): string => (n < 0 ? `the broker’s default ${what}` : String(n));
  return (
    <div data-testid={testId}>
      <p>
        {result.dryRun ? 'Would create' : 'Created'} <strong className="mono">{result.topic}</strong> with{' '}
        <strong data-testid="admin-partitions">{size(result.partitions, 'partition count')}</strong> partition
        {result.partitions === 1 ? '' : 's'}, replication factor{' '}
        <strong data-testid="admin-rf">{size(result.replicationFactor, 'replication factor')}</strong>
        {result.topicId ? <span className="meta"> · topic ID {result.topicId}</span> : null}.
      </p>
      <ConfigTable result={result} testId={`${testId}-configs`} />
    </div>
  );
}

export function CreateTopicDialog({
  connectionId,
  onClose,
  onCreated,
  onOpen,
}: {
  connectionId: string;
  onClose(): void;
  onCreated(topic: string): void;
  onOpen(topic: string): void;
}) {
  const [name, setName] = useState('');
  const [partitions, setPartitions] = useState('1');
  const [replicationFactor, setReplicationFactor] = useState('');
  const [configText, setConfigText] = useState('');

  const configs = parseConfigLines(configText);
  const p = wholeNumber(partitions);
  const rf = wholeNumber(replicationFactor);
  const request: Checked<ReturnType<typeof CreateTopicParams.parse>> =
    typeof configs === 'string'
      ? { problem: configs, field: 'configs' }
      : check(CreateTopicParams, {
          connectionId,
          topic: name.trim(),
          ...(p === null ? {} : { partitions: p }),
          ...(rf === null ? {} : { replicationFactor: rf }),
          configs,
          dryRun: true,
        });
  const flow = useDryRun(
    request,
    (params, dryRun) => rpc().call('topics.create', { ...params, dryRun }),
    (r) => onCreated(r.topic),
  );
  const invalid = (field: string): string => (flow.problem?.field === field ? 'field field-invalid' : 'field');

  return (
    <div className="panel topic-admin-dialog" role="dialog" aria-label="New topic" data-testid="create-topic-dialog">
      <h3>New topic</h3>
      <label className={invalid('topic')}>
        <span className="field-label">Name</span>
        <input
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. orders.v2"
          data-testid="create-topic-name"
          autoFocus
        />
        <span className="field-hint">Letters, digits, “.”, “_” and “-”, at most 249.</span>
      </label>
      <div className="topic-admin-row">
        <label className={invalid('partitions')}>
          <span className="field-label">Partitions</span>
          <input
            inputMode="numeric"
            value={partitions}
            onChange={(e) => setPartitions(e.target.value)}
            placeholder="broker default"
            data-testid="create-topic-partitions"
          />
        </label>
        <label className={invalid('replicationFactor')}>
          <span className="field-label">Replication factor</span>
          <input
            inputMode="numeric"
            value={replicationFactor}
            onChange={(e) => setReplicationFactor(e.target.value)}
            placeholder="broker default"
            data-testid="create-topic-rf"
          />
        </label>
      </div>
      <label className={invalid('configs')}>
        <span className="field-label">Configs (one “name=value” per line; the rest take the broker’s defaults)</span>
        <textarea
          value={configText}
          onChange={(e) => setConfigText(e.target.value)}
          rows={3}
          placeholder={'retention.ms=604800000\ncleanup.policy=compact'}
          data-testid="create-topic-configs"
        />
      </label>
      <FlowResults
        flow={flow}
        show={(result, testId) => <Outcome result={result} testId={testId} />}
        doneText={(done) => (
          <>
            Topic “{done.topic}” created.
            <button type="button" onClick={() => onOpen(done.topic)} data-testid="create-topic-open">
              Open it
            </button>
          </>
        )}
      />
      <FlowActions
        flow={flow}
        action="Create topic"
        confirmLabel="Yes, create it"
        confirmText={
          flow.preview
            ? `Create topic “${flow.preview.topic}” with ${flow.preview.partitions} partition${flow.preview.partitions === 1 ? '' : 's'} on this cluster?`
            : ''
        }
        onClose={onClose}
      />
    </div>
  );
}
