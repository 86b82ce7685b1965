// The Consumers list's filter and sort, pure: a substring of the group id (no round trip),
// and sort by group id, total lag, time lag or status. Groups whose value is not known
// (no committed offset, not watched) go last whichever way a column is sorted.
import type { GroupSummary } from '@common/contract/group-dto.ts';
import { STATUS_RANK } from './consumer-format.ts';

export type GroupSortKey = 'group' | 'lag' | 'timeLag' | 'status';
export interface GroupSort {
  key: GroupSortKey;
  descending: boolean;
}

export const DEFAULT_GROUP_SORT: GroupSort = { key: 'group', descending: false };

/** Clicking a header: the same column flips; another starts where it is most useful (most lag, worst status first). */
export function nextSort(current: GroupSort, key: GroupSortKey): GroupSort {
  if (current.key === key) return { key, descending: !current.descending };
  return { key, descending: key !== 'group' };
}

export function filterGroups(groups: readonly GroupSummary[], needle: string): GroupSummary[] {
  const n = needle.trim().toLowerCase();
  return n === '' ? [...groups] : groups.filter((g) => g.groupId.toLowerCase().includes(n));
}

function compareBigIntStrings(a: string, b: string): number {
  const x = BigInt(a);
  const y = BigInt(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

function byId(a: GroupSummary, b: GroupSummary): number {
  return a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0;
}

/** Compares two known values (never null); the caller puts unknowns last. */
type KnownCompare = (a: GroupSummary, b: GroupSummary) => number;

const COLUMNS: Record<GroupSortKey, { known(g: GroupSummary): boolean; compare: KnownCompare }> = {
  group: { known: () => true, compare: byId },
  lag: { known: (g) => g.totalLag !== null, compare: (a, b) => compareBigIntStrings(a.totalLag!, b.totalLag!) },
  timeLag: { known: (g) => g.maxTimeLagMs !== null, compare: (a, b) => a.maxTimeLagMs! - b.maxTimeLagMs! },
  status: {
    known: (g) => g.status !== null,
    compare: (a, b) => STATUS_RANK[a.status!.level] - STATUS_RANK[b.status!.level],
  },
};

export function sortGroups(groups: readonly GroupSummary[], sort: GroupSort): GroupSummary[] {
  const column = COLUMNS[sort.key];
  const sign = sort.descending ? -1 : 1;
  return [...groups].sort((a, b) => {
    const ka = column.known(a);
    const kb = column.known(b);
    if (ka !== kb) return ka ? -1 : 1;
    const c = ka ? column.compare(a, b) * sign : 0;
    // Ties (and unknowns among themselves) in group id order, so rows do not jump on refresh.
    return c !== 0 ? c : byId(a, b);
  });
}
