// The consumer-group commands: `groups` (every group with its lag), `lag GROUP` (the columns
// of kafka-consumer-groups --describe, plus time lag and status) and `reset-offsets GROUP`
// (a dry run unless --execute). --json prints the contract's DTOs.
import type {
  GroupDetail,
  GroupSummary,
  OffsetResetPlan,
  OffsetResetTarget,
  PartitionLag,
} from '../../common/contract/group-dto.ts';
import { EventscopeError } from '../../common/contract/errors.ts';
import { formatCount } from '../../common/format/numbers.ts';
import type { ClusterClient } from '../kafka/index.ts';
import { readGroupLags, type GroupLagReading } from '../lag/group-lag-reader.ts';
import { evaluateGroup, evaluatePartition, type LagWindowSample } from '../lag/lag-status.ts';
import { executeOffsetReset, planOffsetReset, type ResetScope } from '../lag/offset-reset.ts';
import { formatDuration } from '../../common/format/durations.ts';
import { sleep } from '../../common/util/sleep.ts';
import { jsonOrText, table } from './cli-table.ts';

export class GroupUsageError extends Error {}

export interface GroupFlags {
  json?: boolean | undefined;
  samples?: string | undefined;
  interval?: string | undefined;
  topic?: string[] | undefined;
  execute?: boolean | undefined;
  'to-earliest'?: boolean | undefined;
  'to-latest'?: boolean | undefined;
  'to-datetime'?: string | undefined;
  'to-offset'?: string | undefined;
  'shift-by'?: string | undefined;
}

export async function groupsCommand(
  client: ClusterClient,
  flags: GroupFlags,
  out: NodeJS.WritableStream,
): Promise<number> {
  const listed = await client.listGroups();
  const readings = await readGroupLags(
    client,
    listed.map((g) => g.groupId),
    { timeLag: true },
  );
  const summaries: GroupSummary[] = readings.map((r) => toSummary(r, null));
  summaries.sort((a, b) => (a.groupId < b.groupId ? -1 : a.groupId > b.groupId ? 1 : 0));
  out.write(jsonOrText(flags.json, summaries, groupTable));
  return 0;
}

/** `lag GROUP`: one reading, or --samples N every --interval (default 10 s) to evaluate the status over a window. */
export async function lagCommand(
  client: ClusterClient,
  groupId: string,
  flags: GroupFlags,
  out: NodeJS.WritableStream,
): Promise<number> {
  const samples = flags.samples === undefined ? 1 : Number(flags.samples);
  if (!Number.isInteger(samples) || samples < 1 || samples > 1000)
    throw new GroupUsageError(`--samples ${flags.samples} is not a whole number from 1 to 1000.`);
  const intervalMs = flags.interval === undefined ? 10_000 : parseDurationMs(flags.interval, '--interval');
  const windows = new Map<string, LagWindowSample[]>();
  let reading: GroupLagReading | undefined;
  for (let i = 0; i < samples; i++) {
    if (i > 0) await sleep(intervalMs);
    [reading] = await readGroupLags(client, [groupId], { timeLag: true });
    for (const p of reading!.partitions) {
      const key = `${p.topic}\u0000${p.partition}`;
      const list = windows.get(key) ?? [];
      list.push({
        at: reading!.readAt,
        committed: p.committedOffset === null ? null : BigInt(p.committedOffset),
        end: BigInt(p.logEndOffset),
      });
      windows.set(key, list);
    }
  }
  const r = reading!;
  if (r.notFound)
    throw new EventscopeError(
      'NOT_FOUND',
      `Group "${groupId}" does not exist on this cluster (eventscope groups lists them).`,
    );
  for (const p of r.partitions)
    p.status = evaluatePartition(p.topic, p.partition, windows.get(`${p.topic}\u0000${p.partition}`) ?? [], r.readAt);
  const detail: GroupDetail = {
    ...toSummary(r, evaluateGroup(r.partitions)),
    assignor: r.assignor,
    groupMembers: r.members,
    partitions: r.partitions,
    readAt: r.readAt,
  };
  out.write(jsonOrText(flags.json, detail, lagTable));
  return 0;
}

export async function resetOffsetsCommand(
  client: ClusterClient,
  groupId: string,
  flags: GroupFlags,
  out: NodeJS.WritableStream,
): Promise<number> {
  const to = resetTarget(flags);
  const scope = flags.topic?.map(parseTopicScope);
  let plan = await planOffsetReset(client, groupId, to, scope);
  if (flags.execute) plan = await executeOffsetReset(client, plan);
  out.write(jsonOrText(flags.json, plan, resetTable));
  return 0;
}

function toSummary(r: GroupLagReading, status: GroupSummary['status']): GroupSummary {
  return {
    groupId: r.groupId,
    type: r.type,
    protocolType: r.protocolType,
    state: r.state,
    coordinator: r.coordinator,
    members: r.members.length,
    totalLag: r.totalLag === null ? null : r.totalLag.toString(),
    maxTimeLagMs: r.maxTimeLagMs,
    status,
    watched: false,
  };
}

function resetTarget(flags: GroupFlags): OffsetResetTarget {
  const chosen: OffsetResetTarget[] = [];
  if (flags['to-earliest']) chosen.push({ kind: 'earliest' });
  if (flags['to-latest']) chosen.push({ kind: 'latest' });
  if (flags['to-datetime'] !== undefined) {
    const ms = Date.parse(flags['to-datetime']);
    if (!Number.isFinite(ms) || ms < 0)
      throw new GroupUsageError(
        `--to-datetime ${flags['to-datetime']} is not a date and time after 1970 (ISO-8601, e.g. 2026-11-28T09:00:00Z).`,
      );
    chosen.push({ kind: 'timestamp', timestamp: ms });
  }
  if (flags['to-offset'] !== undefined) {
    if (!/^\d{1,19}$/.test(flags['to-offset']))
      throw new GroupUsageError(`--to-offset ${flags['to-offset']} is not an offset (a whole number, 0 or more).`);
    chosen.push({ kind: 'offset', offset: flags['to-offset'] });
  }
  if (flags['shift-by'] !== undefined) {
    if (!/^-?\d{1,18}$/.test(flags['shift-by']))
      throw new GroupUsageError(`--shift-by ${flags['shift-by']} is not a whole number (negative moves back).`);
    chosen.push({ kind: 'shift', by: flags['shift-by'] });
  }
  if (chosen.length !== 1)
    throw new GroupUsageError(
      'reset-offsets needs exactly one of --to-earliest, --to-latest, --to-datetime ISO, --to-offset N, --shift-by N.',
    );
  return chosen[0]!;
}

/** --topic T or --topic T:0,2,5 (as kafka-consumer-groups takes it). */
function parseTopicScope(text: string): ResetScope {
  const colon = text.lastIndexOf(':');
  if (colon < 0) return { topic: text };
  const list = text.slice(colon + 1);
  if (!/^\d{1,9}(,\d{1,9})*$/.test(list))
    throw new GroupUsageError(`--topic ${text}: after the colon, list partitions as 0,1,2.`);
  return { topic: text.slice(0, colon), partitions: list.split(',').map(Number) };
}

export function parseDurationMs(text: string, flag: string): number {
  const match = /^(\d{1,9})(ms|s|m)?$/.exec(text);
  if (!match) throw new GroupUsageError(`${flag} ${text} is not a duration (e.g. 500ms, 10s, 2m).`);
  const n = Number(match[1]);
  return match[2] === 'ms' ? n : match[2] === 'm' ? n * 60_000 : n * 1000;
}

const dash = (v: string | number | null | undefined): string =>
  v === null || v === undefined || v === '' ? '-' : String(v);
const timeLag = (ms: number | null): string => (ms === null ? '-' : formatDuration(ms));

function groupTable(groups: GroupSummary[]): string {
  if (groups.length === 0) return 'No consumer groups.\n';
  return table(
    ['GROUP', 'TYPE', 'STATE', 'MEMBERS', 'COORDINATOR', 'LAG', 'TIME-LAG'],
    groups.map((g) => [
      g.groupId,
      g.type,
      g.state,
      dash(g.members),
      dash(g.coordinator),
      g.totalLag === null ? '-' : formatCount(g.totalLag),
      timeLag(g.maxTimeLagMs),
    ]),
    new Set([3, 4, 5, 6]),
  );
}

/** The columns of kafka-consumer-groups --describe (offsets without separators, so they compare), then time lag and status. */
function lagTable(d: GroupDetail): string {
  const status = !d.status
    ? ''
    : d.status.level === 'UNKNOWN'
      ? 'Status: not evaluated (it needs 3 samples or more: --samples 10 --interval 10s)\n'
      : `Status ${d.status.level}: ${d.status.reason}\n`;
  const header = `Group ${d.groupId} (${d.type}, ${d.state}, ${d.groupMembers.length} member${d.groupMembers.length === 1 ? '' : 's'}; lag ${d.totalLag === null ? '-' : formatCount(d.totalLag)})\n${status}\n`;
  if (d.partitions.length === 0) return `${header}No committed offsets and no assigned partitions.\n`;
  return (
    header +
    table(
      [
        'GROUP',
        'TOPIC',
        'PARTITION',
        'CURRENT-OFFSET',
        'LOG-END-OFFSET',
        'LAG',
        'CONSUMER-ID',
        'HOST',
        'CLIENT-ID',
        'TIME-LAG',
        'STATUS',
      ],
      d.partitions.map((p: PartitionLag) => [
        d.groupId,
        p.topic,
        String(p.partition),
        dash(p.committedOffset),
        p.logEndOffset,
        dash(p.lag),
        dash(p.memberId),
        dash(p.host),
        dash(p.clientId),
        timeLag(p.timeLagMs),
        p.status?.level ?? '-',
      ]),
      new Set([2, 3, 4, 5, 9]),
    )
  );
}

function resetTable(plan: OffsetResetPlan): string {
  const note = plan.executed
    ? 'Offsets moved.\n'
    : 'Dry run: nothing was changed. Add --execute to move the offsets (the group must have no members).\n';
  return (
    table(
      ['GROUP', 'TOPIC', 'PARTITION', 'CURRENT-OFFSET', 'NEW-OFFSET'],
      plan.partitions.map((p) => [plan.groupId, p.topic, String(p.partition), dash(p.before), p.after]),
      new Set([2, 3, 4]),
    ) + note
  );
}
