// Delete records: per chosen partition, every record below an offset goes (the partition's
// earliest offset moves up to it). Kafka has no dry run for this: Preview reads each
// partition's offsets and says how many would go; "Delete records" asks once more.
import { useState } from 'react';
import type { PartitionInfo } from '@common/contract/dto.ts';
import { DeleteRecordsParams, type DeleteRecordsResult } from '@common/contract/topic-admin-dto.ts';
import { formatCount } from '@common/format/numbers.ts';
import { rpc } from '../../../state/host-store.ts';
import { FlowActions, FlowResults } from './FlowActions.tsx';
import './topic-admin.css';
import { check, useDryRun, type Checked } from './use-dry-run.ts';

function Outcome({ result, testId }: { result: DeleteRecordsResult; testId: string }) {
  return (
    <>
      <p>
        {result.dryRun ? 'Would delete' : 'Deleted'}{' '}
        <strong data-testid="admin-records-total">{formatCount(result.records)}</strong> offset
        {result.records === '1' ? '' : 's'} of records (fewer records where the topic is compacted or transactional).
      </p>
      <table className="grid" data-testid={testId}>
        <thead>
          <tr>
            <th className="num">Partition</th>
            <th className="num">Earliest before</th>
            <th className="num">Latest</th>
            <th className="num">Records that go</th>
            <th className="num">Earliest after</th>
          </tr>
        </thead>
        <tbody>
          {result.partitions.map((p) => (
            <tr key={p.partition} data-testid="admin-records-row" data-partition={p.partition}>
              <td className="num">{p.partition}</td>
              <td className="num">{p.earliestBefore}</td>
              <td className="num">{p.latest}</td>
              <td className="num" data-testid="admin-records-count">
                {formatCount(p.records)}
              </td>
              <td className="num" data-testid="admin-records-earliest-after">
                {p.earliestAfter}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

export function DeleteRecordsDialog({
  connectionId,
  topic,
  partitions,
  onClose,
  onDone,
}: {
  connectionId: string;
  topic: string;
  partitions: PartitionInfo[];
  onClose(): void;
  onDone(): void;
}) {
  const [chosen, setChosen] = useState<Map<number, string>>(new Map());
  const toggle = (p: PartitionInfo, on: boolean): void =>
    setChosen((m) => {
      const next = new Map(m);
      if (on) next.set(p.partition, p.latestOffset ?? '');
      else next.delete(p.partition);
      return next;
    });
  const setOffset = (partition: number, value: string): void => setChosen((m) => new Map(m).set(partition, value));
  const everything = (): void =>
    setChosen(new Map(partitions.filter((p) => p.latestOffset !== null).map((p) => [p.partition, p.latestOffset!])));

  const request = ((): Checked<ReturnType<typeof DeleteRecordsParams.parse>> => {
    if (chosen.size === 0) return { problem: 'Choose at least one partition', field: 'partitions' };
    for (const [partition, text] of chosen) {
      const p = partitions.find((x) => x.partition === partition);
      if (!/^\d+$/.test(text.trim()))
        return {
          problem: `Partition ${partition}: give the offset to delete below as a whole number, 0 or more`,
          field: 'partitions',
        };
      if (p?.latestOffset != null && BigInt(text.trim()) > BigInt(p.latestOffset))
        return {
          problem: `Partition ${partition} ends at offset ${p.latestOffset}: records can be deleted below ${p.latestOffset} at most (that deletes all of them), not ${text.trim()}`,
          field: 'partitions',
        };
    }
    return check(DeleteRecordsParams, {
      connectionId,
      topic,
      partitions: [...chosen]
        .sort((a, b) => a[0] - b[0])
        .map(([partition, before]) => ({ partition, before: before.trim() })),
      dryRun: true,
    });
  })();
  const flow = useDryRun(
    request,
    (params, dryRun) => rpc().call('topics.deleteRecords', { ...params, dryRun }),
    onDone,
  );

  return (
    <div
      className="panel topic-admin-dialog"
      role="dialog"
      aria-label="Delete records"
      data-testid="delete-records-dialog"
    >
      <h3>Delete records of {topic}</h3>
      <p className="meta">
        Every record below the offset given goes from the chosen partitions; the partition’s earliest offset moves up to
        it. Kafka cannot undo this.{' '}
        <button type="button" className="link" onClick={everything} data-testid="delete-records-everything">
          All partitions, every record
        </button>
      </p>
      <table className="grid">
        <thead>
          <tr>
            <th />
            <th className="num">Partition</th>
            <th className="num">Earliest</th>
            <th className="num">Latest</th>
            <th>Delete records below offset</th>
          </tr>
        </thead>
        <tbody>
          {partitions.map((p) => {
            const on = chosen.has(p.partition);
            return (
              <tr key={p.partition} data-testid="delete-records-partition" data-partition={p.partition}>
                <td>
                  <input
                    type="checkbox"
                    checked={on}
                    onChange={(e) => toggle(p, e.target.checked)}
                    disabled={p.latestOffset === null}
                    aria-label={`Partition ${p.partition}`}
                    data-testid="delete-records-choose"
                  />
                </td>
                <td className="num">{p.partition}</td>
                <td className="num">{p.earliestOffset ?? '?'}</td>
                <td className="num">{p.latestOffset ?? '?'}</td>
                <td>
                  <input
                    inputMode="numeric"
                    value={chosen.get(p.partition) ?? ''}
                    onChange={(e) => setOffset(p.partition, e.target.value)}
                    disabled={!on}
                    aria-label={`Delete below offset, partition ${p.partition}`}
                    data-testid="delete-records-offset"
                  />
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <FlowResults
        flow={flow}
        show={(result, testId) => <Outcome result={result} testId={testId} />}
        doneText={() => <>Records deleted from “{topic}”.</>}
      />
      <FlowActions
        flow={flow}
        action="Delete records"
        confirmLabel="Yes, delete them"
        confirmText={
          flow.preview
            ? `Delete ${formatCount(flow.preview.records)} offsets of records from ${flow.preview.partitions.length} partition${flow.preview.partitions.length === 1 ? '' : 's'} of “${topic}”? This cannot be undone.`
            : ''
        }
        onClose={onClose}
      />
    </div>
  );
}
