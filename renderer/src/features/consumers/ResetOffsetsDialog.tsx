// Reset offsets: a target (earliest, latest, a date and time, an offset, a shift by N), all
// partitions or chosen ones; Preview asks the host for a dry run (before → after for every
// partition, nothing changed); "Reset offsets" then asks once more before it commits. The
// host refuses a group with members (GROUP_NOT_EMPTY) and a read-only connection
// (WRITE_NOT_ALLOWED); its message says what to do.
import { useMemo, useState } from 'react';
import type { OffsetResetPlan, PartitionLag } from '@common/contract/group-dto.ts';
import { formatCount } from '@common/format/numbers.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { rpc } from '../../state/host-store.ts';
import { partitionKey, resetRequest, type ResetForm, type ResetKind, type ResetRequest } from './reset-form.ts';

const KINDS: { kind: ResetKind; label: string }[] = [
  { kind: 'earliest', label: 'Earliest' },
  { kind: 'latest', label: 'Latest' },
  { kind: 'datetime', label: 'Date and time' },
  { kind: 'offset', label: 'Offset' },
  { kind: 'shift', label: 'Shift by N' },
];

function change(before: string | null, after: string): string {
  if (before === null) return 'set';
  const delta = BigInt(after) - BigInt(before);
  return delta === 0n ? 'unchanged' : `${delta > 0n ? '+' : ''}${formatCount(delta)}`;
}

function PlanTable({ plan, testId }: { plan: OffsetResetPlan; testId: string }) {
  return (
    <table className="grid" data-testid={testId}>
      <thead>
        <tr>
          <th>Topic</th>
          <th className="num">Partition</th>
          <th className="num">Before</th>
          <th className="num">After</th>
          <th className="num">Change</th>
        </tr>
      </thead>
      <tbody>
        {plan.partitions.map((p) => (
          <tr
            key={`${p.topic}/${p.partition}`}
            data-testid="reset-plan-row"
            data-partition={`${p.topic}/${p.partition}`}
          >
            <td>{p.topic}</td>
            <td className="num">{p.partition}</td>
            <td className="num" data-testid="reset-before">
              {p.before === null ? 'none committed' : formatCount(p.before)}
            </td>
            <td className="num" data-testid="reset-after">
              {formatCount(p.after)}
            </td>
            <td className="num meta">{change(p.before, p.after)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function ResetOffsetsDialog({
  connectionId,
  groupId,
  partitions,
  onClose,
  onDone,
}: {
  connectionId: string;
  groupId: string;
  partitions: PartitionLag[];
  onClose(): void;
  onDone(): void;
}) {
  const [form, setForm] = useState<ResetForm>({
    kind: 'earliest',
    datetime: '',
    offset: '',
    shift: '',
    scope: 'all',
    chosen: new Set(),
  });
  const [plan, setPlan] = useState<{ key: string; plan: OffsetResetPlan } | null>(null);
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [done, setDone] = useState<OffsetResetPlan | null>(null);
  const topics = useMemo(() => [...new Set(partitions.map((p) => p.topic))], [partitions]);

  const update = (patch: Partial<ResetForm>): void => {
    setForm((f) => ({ ...f, ...patch }));
    setConfirming(false);
    setError(null);
  };
  const request = resetRequest(form, partitions);
  const requestKey = typeof request === 'string' ? null : JSON.stringify(request);
  // The plan shown is only good for the inputs it was made from.
  const current = plan !== null && plan.key === requestKey ? plan.plan : null;

  const send = async (execute: boolean, valid: ResetRequest): Promise<OffsetResetPlan | null> => {
    setBusy(true);
    setError(null);
    try {
      return await rpc().call('groups.resetOffsets', {
        connectionId,
        groupId,
        to: valid.to,
        topics: valid.topics,
        execute,
      });
    } catch (err) {
      setError(err);
      return null;
    } finally {
      setBusy(false);
    }
  };

  const preview = async (): Promise<void> => {
    setDone(null);
    setConfirming(false);
    if (typeof request === 'string') return setError(new Error(request));
    const answer = await send(false, request);
    if (answer) setPlan({ key: requestKey!, plan: answer });
  };

  const execute = async (): Promise<void> => {
    if (typeof request === 'string' || !current) return;
    const answer = await send(true, request);
    setConfirming(false);
    if (answer) {
      setDone(answer);
      setPlan(null);
      onDone();
    }
  };

  const toggleChosen = (key: string, on: boolean): void => {
    const chosen = new Set(form.chosen);
    if (on) chosen.add(key);
    else chosen.delete(key);
    update({ chosen });
  };

  return (
    <div className="panel reset-dialog" role="dialog" aria-label="Reset offsets" data-testid="reset-dialog">
      <h3>Reset offsets of {groupId}</h3>
      <fieldset className="reset-targets">
        <legend>Move the committed offsets to</legend>
        {KINDS.map(({ kind, label }) => (
          <label key={kind} className="check">
            <input
              type="radio"
              name="reset-kind"
              checked={form.kind === kind}
              onChange={() => update({ kind })}
              data-testid={`reset-kind-${kind}`}
            />{' '}
            {label}
          </label>
        ))}
        {form.kind === 'datetime' && (
          <label className="field">
            <span className="field-label">The first offset at or after (local time)</span>
            <input
              type="datetime-local"
              step={1}
              value={form.datetime}
              onChange={(e) => update({ datetime: e.target.value })}
              data-testid="reset-datetime"
            />
          </label>
        )}
        {form.kind === 'offset' && (
          <label className="field">
            <span className="field-label">Offset (kept within each partition’s earliest and latest)</span>
            <input
              inputMode="numeric"
              value={form.offset}
              onChange={(e) => update({ offset: e.target.value })}
              data-testid="reset-offset"
              placeholder="e.g. 1000"
            />
          </label>
        )}
        {form.kind === 'shift' && (
          <label className="field">
            <span className="field-label">Records to move by (negative: back, to read again)</span>
            <input
              inputMode="numeric"
              value={form.shift}
              onChange={(e) => update({ shift: e.target.value })}
              data-testid="reset-shift"
              placeholder="e.g. -100"
            />
          </label>
        )}
      </fieldset>
      <fieldset className="reset-scope">
        <legend>Partitions</legend>
        <label className="check">
          <input
            type="radio"
            name="reset-scope"
            checked={form.scope === 'all'}
            onChange={() => update({ scope: 'all' })}
            data-testid="reset-scope-all"
          />{' '}
          All partitions of {topics.join(', ') || 'the group’s topics'}
          {form.kind === 'shift' ? ' that have a committed offset' : ''}
        </label>
        <label className="check">
          <input
            type="radio"
            name="reset-scope"
            checked={form.scope === 'chosen'}
            onChange={() => update({ scope: 'chosen' })}
            data-testid="reset-scope-chosen"
          />{' '}
          Chosen partitions
        </label>
        {form.scope === 'chosen' &&
          topics.map((topic) => (
            <div key={topic} className="reset-partitions">
              <span className="mono">{topic}</span>
              {partitions
                .filter((p) => p.topic === topic)
                .map((p) => {
                  const key = partitionKey(p.topic, p.partition);
                  return (
                    <label key={key} className="check">
                      <input
                        type="checkbox"
                        checked={form.chosen.has(key)}
                        onChange={(e) => toggleChosen(key, e.target.checked)}
                        data-testid="reset-partition"
                        data-partition={`${p.topic}/${p.partition}`}
                      />{' '}
                      {p.partition}
                    </label>
                  );
                })}
            </div>
          ))}
      </fieldset>
      <ErrorNotice error={error} />
      {current && (
        <>
          <p className="meta" data-testid="reset-preview-note">
            Dry run: nothing has changed yet. Offsets are kept within each partition’s earliest and latest.
          </p>
          <PlanTable plan={current} testId="reset-preview" />
        </>
      )}
      {done && (
        <>
          <div className="notice notice-ok" role="status" data-testid="reset-done">
            Offsets moved for {done.partitions.length} partition{done.partitions.length === 1 ? '' : 's'}.
          </div>
          <PlanTable plan={done} testId="reset-result" />
        </>
      )}
      {confirming && current ? (
        <div className="notice notice-warning reset-confirm" data-testid="reset-confirm">
          <span>
            Move the committed offsets of {current.partitions.length} partition
            {current.partitions.length === 1 ? '' : 's'} of “{groupId}” as previewed? This changes the cluster; the
            group’s consumers must be stopped.
          </span>
          <button
            type="button"
            className="primary"
            onClick={() => void execute()}
            disabled={busy}
            data-testid="reset-confirm-execute"
          >
            Yes, reset offsets
          </button>
          <button type="button" onClick={() => setConfirming(false)} disabled={busy}>
            Cancel
          </button>
        </div>
      ) : (
        <div className="form-actions">
          <button type="button" onClick={() => void preview()} disabled={busy} data-testid="reset-preview-button">
            {busy ? 'Asking…' : 'Preview'}
          </button>
          <button
            type="button"
            className="primary"
            onClick={() => setConfirming(true)}
            disabled={busy || !current}
            title={
              current
                ? 'Move the offsets as previewed (asks once more)'
                : 'Preview first: see before and after for every partition'
            }
            data-testid="reset-execute"
          >
            Reset offsets
          </button>
          <button type="button" onClick={onClose} data-testid="reset-close">
            Close
          </button>
        </div>
      )}
    </div>
  );
}
