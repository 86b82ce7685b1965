// A status as a level badge (its reason as the tooltip) and, where there is room, the reason
// in words beside it. A group nobody watches has no status yet: said so, not shown as OK.
import type { GroupStatus, PartitionStatus } from '@common/contract/group-dto.ts';
import { sentence, statusClass, statusWord } from './consumer-format.ts';

export function StatusBadge({
  status,
  withReason = true,
  testId = 'status',
  notJudged = 'not watched',
}: {
  status: GroupStatus | PartitionStatus | null;
  withReason?: boolean;
  testId?: string;
  notJudged?: string;
}) {
  if (!status) {
    return (
      <span
        className="status meta"
        data-testid={testId}
        data-level="none"
        title="Watch the group to sample its lag over time: its status is judged from those samples."
      >
        {notJudged}
      </span>
    );
  }
  const reason = sentence(status.reason);
  return (
    <span
      className="status"
      data-testid={testId}
      data-level={status.level}
      title={`${statusWord(status.level)}: ${reason}`}
    >
      <span className={statusClass(status.level)} data-testid={`${testId}-level`}>
        {status.level}
      </span>
      {withReason && (
        <span className="status-reason" data-testid={`${testId}-reason`}>
          {reason}
        </span>
      )}
    </span>
  );
}
