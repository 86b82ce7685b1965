// One consumer group: its state, type, coordinator and assignor, its members and what each is
// assigned, and per partition the committed offset, log-end offset, lag, time lag, owner and
// status with its reason; charts of its lag history over a chosen range; on a writable
// connection, Reset offsets… and Delete group (a capture never; read-only: shown disabled).
// The partition rows take ↑/↓/Home/End; Enter (or a click) opens that partition's messages from
// the group's committed offset (use-list-keyboard.ts). Loading and error states (ViewState).
import { useMemo, useState, type ReactNode } from 'react';
import type { GroupDetail, GroupLagHistory, PartitionLag } from '@common/contract/group-dto.ts';
import { formatCount } from '@common/format/numbers.ts';
import { ErrorNotice } from '../../components/ErrorNotice.tsx';
import { RefreshButton } from '../../components/RefreshButton.tsx';
import { useListKeyboard } from '../../components/use-list-keyboard.ts';
import { ViewState } from '../../components/ViewState.tsx';
import { ArrowLeft, RotateCcw, Trash2 } from 'lucide-react';
import { Sparkline } from '../../components/Sparkline.tsx';
import { rpc } from '../../state/host-store.ts';
import { useNavigation } from '../../state/navigation-store.ts';
import { lagText, NO_COMMITTED_OFFSET, NOT_KNOWN, timeLagText } from './consumer-format.ts';
import { GroupCharts, HISTORY_RANGES, RangeSelector, type HistoryRangeId } from './GroupCharts.tsx';
import { GROUP_REFRESH_INTERVAL_MS } from './ConsumersView.tsx';
import { partitionKey } from './reset-form.ts';
import { ResetOffsetsDialog } from './ResetOffsetsDialog.tsx';
import { StatusBadge } from './StatusBadge.tsx';
import { READ_ONLY_HINT, useConnectionKind } from './use-connection-kind.ts';
import { usePolledCall } from './use-polled-call.ts';

const HISTORY_REFRESH_INTERVAL_MS = 30_000;

function Fact({ label, children, testId }: { label: string; children: ReactNode; testId?: string }) {
  return (
    <div className="fact">
      <dt>{label}</dt>
      <dd data-testid={testId}>{children}</dd>
    </div>
  );
}

function owner(p: PartitionLag): string {
  if (p.memberId === null && p.clientId === null) return NOT_KNOWN;
  return [p.clientId, p.host].filter((x) => x !== null && x !== '').join(' @ ') || p.memberId || NOT_KNOWN;
}

function MembersTable({ detail }: { detail: GroupDetail }) {
  if (detail.groupMembers.length === 0) {
    return (
      <p className="meta" data-testid="members-empty">
        {detail.state === 'Captured'
          ? 'A capture keeps the group’s offsets, not its members.'
          : 'No members: no consumer of this group is running.'}
      </p>
    );
  }
  return (
    <table className="grid" data-testid="member-table">
      <thead>
        <tr>
          <th>Member id</th>
          <th>Client id</th>
          <th>Host</th>
          <th>Assigned partitions</th>
        </tr>
      </thead>
      <tbody>
        {detail.groupMembers.map((m) => (
          <tr key={m.memberId} data-testid="member-row">
            <td className="mono" title={m.instanceId ? `static member ${m.instanceId}` : undefined}>
              {m.memberId}
            </td>
            <td data-testid="member-client">{m.clientId}</td>
            <td>{m.host}</td>
            <td data-testid="member-assignment">
              {m.assignments.length === 0 ? (
                <span className="meta">none</span>
              ) : (
                m.assignments.map((a) => `${a.topic}: ${a.partitions.join(', ')}`).join('; ')
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function PartitionsTable({
  connectionId,
  detail,
  history,
}: {
  connectionId: string;
  detail: GroupDetail;
  history: GroupLagHistory | null;
}) {
  const go = useNavigation((s) => s.go);
  // A partition opens in the message view where the group will read next (or from the start).
  const open = (index: number): void => {
    const p = detail.partitions[index];
    if (!p) return;
    go({
      kind: 'messages',
      connectionId,
      topic: p.topic,
      partition: String(p.partition),
      from: p.committedOffset === null ? 'earliest' : `offset:${p.committedOffset}`,
    });
  };
  const keys = useListKeyboard<HTMLTableSectionElement>({ count: detail.partitions.length, onOpen: open });
  const lines = useMemo(() => {
    const times = history?.points.map((p) => p.at) ?? [];
    return {
      times,
      byPartition: new Map((history?.partitions ?? []).map((p) => [partitionKey(p.topic, p.partition), p.lags])),
    };
  }, [history]);
  return (
    <table className="grid partition-lag-table" data-testid="group-partition-table">
      <thead>
        <tr>
          <th>Topic</th>
          <th className="num">Partition</th>
          <th className="num">Committed</th>
          <th className="num">Log end</th>
          <th className="num">Lag</th>
          <th className="num">Time lag</th>
          <th>Lag over time</th>
          <th>Owner</th>
          <th>Status</th>
        </tr>
      </thead>
      <tbody {...keys.containerProps}>
        {detail.partitions.map((p, index) => {
          const key = partitionKey(p.topic, p.partition);
          const lags = lines.byPartition.get(key);
          return (
            <tr
              key={key}
              data-testid="group-partition-row"
              data-partition={`${p.topic}/${p.partition}`}
              className={p.status && p.status.level !== 'OK' ? 'row-warn clickable' : 'clickable'}
              title={`Enter: messages of ${p.topic} partition ${p.partition} from ${p.committedOffset === null ? 'the earliest offset' : `the committed offset ${p.committedOffset}`}`}
              onClick={() => open(index)}
              {...keys.itemProps(index)}
            >
              <td>{p.topic}</td>
              <td className="num">{p.partition}</td>
              <td className="num" data-testid="partition-committed">
                {p.committedOffset === null ? (
                  <span className="meta">none committed</span>
                ) : (
                  formatCount(p.committedOffset)
                )}
              </td>
              <td className="num" data-testid="partition-log-end">
                {formatCount(p.logEndOffset)}
              </td>
              <td className="num" data-testid="partition-lag" title={p.lag === null ? NO_COMMITTED_OFFSET : undefined}>
                {lagText(p.lag)}
              </td>
              <td className="num" data-testid="partition-time-lag">
                {timeLagText(p.timeLagMs)}
              </td>
              <td className="sparkline-cell">
                {lags && lines.times.length > 1 ? (
                  <Sparkline
                    times={lines.times}
                    values={lags}
                    label={`Lag of partition ${p.partition} of ${p.topic} over the range`}
                    testId="partition-sparkline"
                  />
                ) : (
                  <span className="meta">{NOT_KNOWN}</span>
                )}
              </td>
              <td className="cell" title={p.memberId ?? undefined} data-testid="partition-owner">
                {owner(p)}
              </td>
              <td className="status-cell">
                <StatusBadge
                  status={p.status}
                  testId="partition-status"
                  notJudged={p.committedOffset === null ? NO_COMMITTED_OFFSET : 'not watched'}
                />
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

export function GroupDetailView({ connectionId, groupId }: { connectionId: string; groupId: string }) {
  const kind = useConnectionKind(connectionId);
  const go = useNavigation((s) => s.go);
  const [range, setRange] = useState<HistoryRangeId>('24h');
  const sinceMs = HISTORY_RANGES.find((r) => r.id === range)!.ms;
  const detail = usePolledCall(
    (signal) => rpc().call('groups.describe', { connectionId, groupId }, { signal }),
    [connectionId, groupId],
    kind.isCapture ? null : GROUP_REFRESH_INTERVAL_MS,
  );
  const history = usePolledCall(
    (signal) => rpc().call('groups.history', { connectionId, groupId, sinceMs }, { signal }),
    [connectionId, groupId, sinceMs],
    kind.isCapture ? null : HISTORY_REFRESH_INTERVAL_MS,
  );
  const [resetting, setResetting] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [actionError, setActionError] = useState<unknown>(null);
  const d = detail.data;
  const reloadAll = (): void => {
    detail.reload();
    history.reload();
  };

  const toggleWatch = async (watch: boolean): Promise<void> => {
    setActionError(null);
    try {
      await rpc().call('groups.watch', { connectionId, groupId, watch });
      reloadAll();
    } catch (err) {
      setActionError(err);
    }
  };
  const deleteGroup = async (): Promise<void> => {
    setActionError(null);
    try {
      await rpc().call('groups.delete', { connectionId, groupId });
      go({ kind: 'consumers', connectionId });
    } catch (err) {
      setActionError(err);
      setConfirmDelete(false);
    }
  };

  return (
    <section className="view group-detail" data-testid="group-detail">
      <header className="view-header">
        <button
          type="button"
          className="link"
          onClick={() => go({ kind: 'consumers', connectionId })}
          data-testid="back-to-consumers"
        >
          <ArrowLeft aria-hidden />
          Consumers
        </button>
        <h2 data-testid="group-title">{groupId}</h2>
        {!kind.isCapture && d && (
          <label className="check" title="Sample this group’s lag over time (history, status)">
            <input
              type="checkbox"
              checked={d.watched}
              onChange={(e) => void toggleWatch(e.target.checked)}
              data-testid="group-detail-watch"
            />{' '}
            Watched
          </label>
        )}
        <RefreshButton loading={detail.loading} onClick={reloadAll} testId="refresh-group" />
        {!kind.isCapture && (
          <span className="group-actions">
            <button
              type="button"
              onClick={() => setResetting(true)}
              disabled={!kind.writable || !d || resetting}
              title={kind.writable ? 'Move the group’s committed offsets (dry run first)' : READ_ONLY_HINT}
              data-testid="reset-offsets"
            >
              <RotateCcw aria-hidden />
              Reset offsets…
            </button>
            <button
              type="button"
              className="danger"
              onClick={() => setConfirmDelete(true)}
              disabled={!kind.writable || !d}
              title={kind.writable ? 'Delete this group (it must have no members)' : READ_ONLY_HINT}
              data-testid="delete-group"
            >
              <Trash2 aria-hidden />
              Delete group
            </button>
          </span>
        )}
      </header>
      {d ? (
        <ErrorNotice error={detail.error} onRetry={reloadAll} />
      ) : detail.error ? (
        <ViewState state="error" title="The group could not be described" error={detail.error} onRetry={reloadAll} />
      ) : (
        <ViewState state="loading" title="Reading the group’s offsets and members…" />
      )}
      <ErrorNotice error={actionError} />
      {confirmDelete && (
        <div className="notice notice-warning" data-testid="delete-confirm">
          <span>Delete consumer group “{groupId}” and all its committed offsets? This cannot be undone.</span>
          <button type="button" className="danger" onClick={() => void deleteGroup()} data-testid="delete-confirm-yes">
            Delete group
          </button>
          <button type="button" onClick={() => setConfirmDelete(false)}>
            Cancel
          </button>
        </div>
      )}
      {d && resetting && (
        <ResetOffsetsDialog
          connectionId={connectionId}
          groupId={groupId}
          partitions={d.partitions}
          onClose={() => setResetting(false)}
          onDone={reloadAll}
        />
      )}
      {d && (
        <>
          {d.status && (
            <p className="status-line" data-testid="group-status-reason">
              <StatusBadge status={d.status} testId="group-detail-status-line" />
            </p>
          )}
          <dl className="facts" data-testid="group-facts">
            <Fact label="State" testId="group-state">
              {d.state}
            </Fact>
            <Fact label="Type" testId="group-type">
              {d.type === 'unknown' ? NOT_KNOWN : d.type}
              {d.protocolType && d.protocolType !== 'consumer' ? ` (${d.protocolType})` : ''}
            </Fact>
            <Fact label="Coordinator" testId="group-coordinator">
              {d.coordinator === null ? NOT_KNOWN : `broker ${d.coordinator}`}
            </Fact>
            <Fact label="Assignor" testId="group-assignor">
              {d.assignor || NOT_KNOWN}
            </Fact>
            <Fact label="Members" testId="group-member-count">
              {d.members === null ? NOT_KNOWN : formatCount(d.members)}
            </Fact>
            <Fact label="Total lag" testId="group-total-lag">
              <span title={d.totalLag === null ? NO_COMMITTED_OFFSET : undefined}>{lagText(d.totalLag)}</span>
            </Fact>
            <Fact label="Time lag (max)" testId="group-max-time-lag">
              {timeLagText(d.maxTimeLagMs)}
            </Fact>
            <Fact label={kind.isCapture ? 'Captured at' : 'Read at'}>{new Date(d.readAt).toLocaleString()}</Fact>
          </dl>
          <div className="section-head">
            <h3>Lag history</h3>
            <RangeSelector range={range} onChange={setRange} />
            {kind.isCapture && <span className="meta">counted back from the capture’s last sample</span>}
          </div>
          <ErrorNotice error={history.error} onRetry={history.reload} />
          {history.data && <GroupCharts history={history.data} watched={d.watched} />}
          <h3>Members ({d.groupMembers.length})</h3>
          <MembersTable detail={d} />
          <h3>Partitions ({d.partitions.length})</h3>
          <PartitionsTable connectionId={connectionId} detail={d} history={history.data} />
        </>
      )}
    </section>
  );
}
