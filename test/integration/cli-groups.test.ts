// The group commands as a user runs them (the built bin) against the real broker: `lag`'s
// table carries ConsumerGroupCommand's numbers column for column, `groups` lists the group,
// `reset-offsets` is a dry run unless --execute and refuses a group with members.
import { afterAll, describe, expect, inject, it } from 'vitest';
import { GroupDetail, GroupSummary, OffsetResetPlan } from '../../src/common/contract/group-dto.ts';
import {
  createTopicWithKafkaTool,
  describeGroupWithKafkaTool,
  GROUP_DESCRIBE_COLUMNS,
} from '../harness/kafka-tools.ts';
import {
  produceNumberedWithKcat,
  produceWithKcat,
  startKcatGroupConsumer,
  type KcatGroupConsumer,
} from '../harness/kcat.ts';
import { uniqueName } from '../support/unique.ts';
import { eventscope } from '../support/run-cli.ts';

async function until(predicate: () => boolean | Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await predicate())) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((r) => setTimeout(r, 250));
  }
}

describe('eventscope groups, lag and reset-offsets', () => {
  const kafka = inject('kafka');
  const members: KcatGroupConsumer[] = [];
  afterAll(async () => Promise.all(members.map((m) => m.stop())));

  it('prints the numbers ConsumerGroupCommand prints, with time lag, for a live classic group and after it leaves', async () => {
    const topic = uniqueName('cli-lag');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 3 });
    for (let p = 0; p < 2; p++) produceNumberedWithKcat(kafka.bootstrap, topic, `p${p}-`, 20 + p, { partition: p });
    const group = uniqueName('cli-group');
    const member = startKcatGroupConsumer(kafka.bootstrap, group, [topic], { clientId: 'cli-test-client' });
    members.push(member);
    // It consumes everything at once: compare while it is live (lag 0), and again after it left
    // and more records came (kcat's own output is buffered: the offsets it committed tell).
    await until(
      () =>
        describeGroupWithKafkaTool(kafka.bootstrap, group)
          .rows.map((r) => r.currentOffset)
          .join() === '20,21,',
    );
    const expectSameAsTool = async () => {
      const tool = describeGroupWithKafkaTool(kafka.bootstrap, group).rows;
      const ours = JSON.parse(
        (await eventscope(['lag', group, '--bootstrap', kafka.bootstrap, '--json'])).stdout,
      ) as GroupDetail;
      expect(
        ours.partitions.map((p) => [
          p.topic,
          p.partition,
          p.committedOffset,
          p.logEndOffset,
          p.lag,
          p.memberId,
          p.clientId,
        ]),
      ).toEqual(
        tool.map((r) => [r.topic, r.partition, r.currentOffset, r.logEndOffset, r.lag, r.consumerId, r.clientId]),
      );
      return { tool, ours };
    };
    const live = await expectSameAsTool();
    expect(live.ours.groupMembers).toHaveLength(1);
    expect(live.ours.partitions.find((p) => p.partition === 2)).toMatchObject({ committedOffset: null, lag: null });
    await member.stop();
    produceWithKcat(kafka.bootstrap, topic, ['late-1', 'late-2', 'late-3'], { partition: 0 });
    const left = await expectSameAsTool();
    expect(left.ours).toMatchObject({ state: 'Empty', totalLag: '3' });
    expect(left.ours.partitions[0]!.timeLagMs).toBeGreaterThanOrEqual(0);
    expect(left.ours.partitions[0]!.timeLagMs).toBeLessThan(120_000);

    const table = await eventscope(['lag', group, '--bootstrap', kafka.bootstrap]);
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n');
    const header = lines.findIndex((l) => l.startsWith('GROUP'));
    // ConsumerGroupCommand's columns (the harness checks them against the tool's header), then ours.
    expect(lines[header]!.split(/\s+/)).toEqual([...GROUP_DESCRIBE_COLUMNS, 'TIME-LAG', 'STATUS']);
    expect(lines[header + 1]!.split(/\s+/).slice(0, 9)).toEqual([group, topic, '0', '20', '23', '3', '-', '-', '-']);
    // Columns line up: every row's LAG ends where the header's does.
    const lagEnd = lines[header]!.indexOf('LAG ') + 3;
    const rows = lines.slice(header + 1).filter((l) => l !== '');
    expect(rows).toHaveLength(2); // once it left, the tool too shows only the partitions with offsets
    for (const row of rows) expect(row.slice(lagEnd - 1, lagEnd)).toMatch(/\S/);
    expect(table.stdout).toContain('Status: not evaluated (it needs 3 samples or more');

    // Three samples of a group that does not move while behind: STALL on partition 0.
    const sampled = JSON.parse(
      (
        await eventscope([
          'lag',
          group,
          '--bootstrap',
          kafka.bootstrap,
          '--samples',
          '3',
          '--interval',
          '300ms',
          '--json',
        ])
      ).stdout,
    ) as GroupDetail;
    expect(sampled.status).toMatchObject({
      level: 'ERR',
      reason: expect.stringContaining(`partition 0 of ${topic}: offset 20 unchanged for`),
    });
    expect(sampled.partitions.map((p) => p.status?.level)).toEqual(['STALL', 'OK']);

    const listed = JSON.parse(
      (await eventscope(['groups', '--bootstrap', kafka.bootstrap, '--json'])).stdout,
    ) as GroupSummary[];
    expect(listed.find((g) => g.groupId === group)).toMatchObject({
      type: 'classic',
      state: 'Empty',
      members: 0,
      totalLag: '3',
    });
  }, 120_000);

  it('resets offsets: dry run by default, --execute on an empty group, refused while a member is in it', async () => {
    const topic = uniqueName('cli-reset');
    createTopicWithKafkaTool(kafka.bootstrap, topic, { partitions: 2 });
    for (let p = 0; p < 2; p++) produceNumberedWithKcat(kafka.bootstrap, topic, 'v', 10, { partition: p });
    const group = uniqueName('cli-reset-group');
    const member = startKcatGroupConsumer(kafka.bootstrap, group, [topic]);
    members.push(member);
    await until(
      () =>
        describeGroupWithKafkaTool(kafka.bootstrap, group).rows.filter((r) => r.currentOffset === '10').length === 2,
    );
    const refused = await eventscope([
      'reset-offsets',
      group,
      '--bootstrap',
      kafka.bootstrap,
      '--to-earliest',
      '--execute',
    ]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/has 1 member .*stop its consumers first.*\[GROUP_NOT_EMPTY\]/);
    await member.stop();
    const dry = await eventscope([
      'reset-offsets',
      group,
      '--bootstrap',
      kafka.bootstrap,
      '--shift-by',
      '-4',
      '--json',
    ]);
    expect(JSON.parse(dry.stdout) as OffsetResetPlan).toEqual({
      groupId: group,
      executed: false,
      partitions: [0, 1].map((partition) => ({ topic, partition, before: '10', after: '6' })),
    });
    expect(describeGroupWithKafkaTool(kafka.bootstrap, group).rows.map((r) => r.currentOffset)).toEqual(['10', '10']);
    const text = await eventscope([
      'reset-offsets',
      group,
      '--bootstrap',
      kafka.bootstrap,
      '--to-offset',
      '3',
      '--topic',
      `${topic}:1`,
      '--execute',
    ]);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Offsets moved.');
    expect(describeGroupWithKafkaTool(kafka.bootstrap, group).rows.map((r) => [r.partition, r.currentOffset])).toEqual([
      [0, '10'],
      [1, '3'],
    ]);
  }, 120_000);

  it('says what is wrong with bad arguments and unknown groups', async () => {
    const none = await eventscope(['reset-offsets', 'g', '--bootstrap', kafka.bootstrap]);
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('reset-offsets needs exactly one of --to-earliest');
    const two = await eventscope([
      'reset-offsets',
      'g',
      '--bootstrap',
      kafka.bootstrap,
      '--to-earliest',
      '--to-latest',
    ]);
    expect(two.code).toBe(2);
    const badOffset = await eventscope(['reset-offsets', 'g', '--bootstrap', kafka.bootstrap, '--to-offset', 'ten']);
    expect(badOffset.stderr).toContain('--to-offset ten is not an offset');
    const badTime = await eventscope([
      'reset-offsets',
      'g',
      '--bootstrap',
      kafka.bootstrap,
      '--to-datetime',
      'yesterday',
    ]);
    expect(badTime.stderr).toContain('--to-datetime yesterday is not a date and time');
    const noGroup = await eventscope(['lag', '--bootstrap', kafka.bootstrap]);
    expect(noGroup.code).toBe(2);
    expect(noGroup.stderr).toContain('lag needs a group id');
    const unknown = await eventscope(['lag', uniqueName('nobody'), '--bootstrap', kafka.bootstrap]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/does not exist on this cluster.*\[NOT_FOUND\]/);
    const badSamples = await eventscope(['lag', 'g', '--bootstrap', kafka.bootstrap, '--samples', '0']);
    expect(badSamples.stderr).toContain('--samples 0 is not a whole number from 1 to 1000');
  });
});
