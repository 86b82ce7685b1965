// A group's lag history as charts: total lag over time, and the rates it is consumed and
// produced at (records/s), over the chosen range; under them how long catching up should
// take. The per-partition lines are sparklines in the partition table (GroupDetailView).
import { useMemo } from 'react';
import type { GroupLagHistory } from '@common/contract/group-dto.ts';
import { formatCount } from '@common/format/numbers.ts';
import { formatDuration } from '@common/format/durations.ts';
import { TimeSeriesChart, type ChartSeries } from '../../components/TimeSeriesChart.tsx';
import { catchUpSentence, formatRate } from './consumer-format.ts';

export const HISTORY_RANGES = [
  { id: '1h', label: '1 h', ms: 3_600_000 },
  { id: '24h', label: '24 h', ms: 24 * 3_600_000 },
  { id: '7d', label: '7 d', ms: 7 * 24 * 3_600_000 },
] as const;
export type HistoryRangeId = (typeof HISTORY_RANGES)[number]['id'];

const LAG_SERIES: ChartSeries[] = [{ label: 'Total lag (records)', color: '--color-chart-1' }];
const RATE_SERIES: ChartSeries[] = [
  { label: 'Consumed (records/s)', color: '--color-chart-2' },
  { label: 'Produced (records/s)', color: '--color-chart-3' },
];
const lagAxis = (v: number): string => formatCount(Math.round(v));

export function RangeSelector({ range, onChange }: { range: HistoryRangeId; onChange(range: HistoryRangeId): void }) {
  return (
    <div className="tabs range-selector" role="group" aria-label="History range">
      {HISTORY_RANGES.map((r) => (
        <button
          key={r.id}
          type="button"
          className={range === r.id ? 'active' : ''}
          aria-pressed={range === r.id}
          onClick={() => onChange(r.id)}
          data-testid={`range-${r.id}`}
        >
          Last {r.label}
        </button>
      ))}
    </div>
  );
}

export function GroupCharts({ history, watched }: { history: GroupLagHistory; watched: boolean }) {
  const { lagData, rateData } = useMemo(() => {
    const times = history.points.map((p) => p.at);
    return {
      lagData: [times, history.points.map((p) => p.totalLag)] as [number[], (number | null)[]],
      rateData: [times, history.points.map((p) => p.consumeRate), history.points.map((p) => p.produceRate)] as [
        number[],
        (number | null)[],
        (number | null)[],
      ],
    };
  }, [history]);

  if (history.points.length === 0) {
    return (
      <p className="empty" data-testid="history-empty">
        {watched
          ? 'No lag samples in this range yet: the group is sampled every ' + formatDuration(history.intervalMs) + '.'
          : 'No lag history: watch this group to sample its lag over time.'}
      </p>
    );
  }
  return (
    <div className="group-charts">
      <p className="catch-up" data-testid="catch-up">
        {catchUpSentence(history.catchUp)}
      </p>
      <div className="chart-row">
        <figure className="chart-box">
          <figcaption>Total lag</figcaption>
          <TimeSeriesChart data={lagData} series={LAG_SERIES} format={lagAxis} testId="chart-lag" />
        </figure>
        <figure className="chart-box">
          <figcaption>Consume and produce rate</figcaption>
          <TimeSeriesChart data={rateData} series={RATE_SERIES} format={formatRate} testId="chart-rates" />
        </figure>
      </div>
      <p className="meta">
        {formatCount(history.points.length)} samples, one every {formatDuration(history.intervalMs)}.
      </p>
    </div>
  );
}
