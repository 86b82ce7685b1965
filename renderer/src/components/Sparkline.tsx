// A tiny line with no axes, legend or cursor, on uPlot: the shape of one series at a glance
// (a partition's lag over the chosen range). As wide as its container, destroyed on unmount;
// its colour is a design token, drawn again when the OS switches theme.
import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { cssColor, fitChartToContainer, widthOf } from './TimeSeriesChart.tsx';
import { useColorScheme } from './use-color-scheme.ts';

const SPARKLINE_FALLBACK_WIDTH_PX = 120;

export interface SparklineProps {
  /** times (ms since epoch) */
  times: number[];
  /** null: a gap */
  values: (number | null)[];
  height?: number;
  color?: string;
  /** What the line shows, for screen readers and the tooltip. */
  label: string;
  testId?: string;
}

export function Sparkline({ times, values, height = 22, color = '--color-chart-1', label, testId }: SparklineProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<uPlot | null>(null);
  const dataRef = useRef<uPlot.AlignedData>([times, values]);
  dataRef.current = [times, values];
  const scheme = useColorScheme();

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const stroke = cssColor(color);
    // A faint fill under the line: the same colour at 15 % alpha (tokens are #rrggbb).
    const fill = /^#[0-9a-f]{6}$/i.test(stroke) ? `${stroke}26` : undefined;
    const chart = new uPlot(
      {
        width: widthOf(container, SPARKLINE_FALLBACK_WIDTH_PX),
        height,
        ms: 1,
        pxAlign: false,
        cursor: { show: false },
        select: { show: false, left: 0, top: 0, width: 0, height: 0 },
        legend: { show: false },
        padding: [2, 0, 2, 0],
        scales: { x: { time: false }, y: { range: (_u, _min, max) => [0, max !== null && max > 0 ? max : 1] } },
        axes: [{ show: false }, { show: false }],
        series: [{}, { stroke, width: 1.25, ...(fill ? { fill } : {}), points: { show: false }, spanGaps: false }],
      },
      dataRef.current,
      container,
    );
    return fitChartToContainer(chart, container, height, chartRef, SPARKLINE_FALLBACK_WIDTH_PX);
  }, [height, color, scheme]);

  useEffect(() => {
    chartRef.current?.setData([times, values]);
  }, [times, values]);

  return (
    <div className="sparkline" ref={containerRef} role="img" aria-label={label} title={label} data-testid={testId} />
  );
}
