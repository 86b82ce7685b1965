// Add partitions: the topic's new partition count (Kafka adds, never removes). Preview asks the
// controller to validate it (CreatePartitions, validateOnly); "Add partitions" asks once more.
import { useState } from 'react';
import { AddPartitionsParams, type AddPartitionsResult } from '@common/contract/topic-admin-dto.ts';
import { rpc } from '../../../state/host-store.ts';
import { FlowActions, FlowResults } from './FlowActions.tsx';
import './topic-admin.css';
import { check, useDryRun, wholeNumber, type Checked } from './use-dry-run.ts';

function Outcome({ result, testId }: { result: AddPartitionsResult; testId: string }) {
  return (
    <p data-testid={testId}>
      {result.before} → <strong>{result.after}</strong> partitions: {result.dryRun ? 'would add' : 'added'} partition
      {result.added.length === 1 ? '' : 's'} <span className="mono">{result.added.join(', ')}</span>.
    </p>
  );
}

export function AddPartitionsDialog({
  connectionId,
  topic,
  current,
  onClose,
  onDone,
}: {
  connectionId: string;
  topic: string;
  current: number;
  onClose(): void;
  onDone(): void;
}) {
  const [total, setTotal] = useState(String(current + 1));
  const n = wholeNumber(total);
  const request: Checked<ReturnType<typeof AddPartitionsParams.parse>> =
    n === null || Number.isNaN(n)
      ? { problem: 'Give the new partition count as a whole number', field: 'totalPartitions' }
      : n <= current
        ? {
            problem: `“${topic}” has ${current} partition${current === 1 ? '' : 's'}: Kafka can only add partitions, so the new count must be more than ${current}`,
            field: 'totalPartitions',
          }
        : check(AddPartitionsParams, { connectionId, topic, totalPartitions: n, dryRun: true });
  const flow = useDryRun(
    request,
    (params, dryRun) => rpc().call('topics.addPartitions', { ...params, dryRun }),
    onDone,
  );

  return (
    <div
      className="panel topic-admin-dialog"
      role="dialog"
      aria-label="Add partitions"
      data-testid="add-partitions-dialog"
    >
      <h3>Add partitions to {topic}</h3>
      <label className={flow.problem ? 'field field-invalid' : 'field'}>
        <span className="field-label">New partition count (now {current})</span>
        <input
          inputMode="numeric"
          value={total}
          onChange={(e) => setTotal(e.target.value)}
          data-testid="add-partitions-total"
        />
      </label>
      <div className="notice notice-warning">
        Records are spread over partitions by their key: from now on, a key may land in another partition than its
        earlier records, and consumers see its order only within each partition. Partitions can never be removed.
      </div>
      <FlowResults
        flow={flow}
        show={(result, testId) => <Outcome result={result} testId={testId} />}
        doneText={(done) => (
          <>
            “{topic}” has {done.after} partitions now.
          </>
        )}
      />
      <FlowActions
        flow={flow}
        action="Add partitions"
        confirmLabel="Yes, add them"
        confirmText={
          flow.preview
            ? `Grow “${topic}” from ${flow.preview.before} to ${flow.preview.after} partitions? This cannot be undone.`
            : ''
        }
        onClose={onClose}
      />
    </div>
  );
}
