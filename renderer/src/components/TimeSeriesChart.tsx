// A time-series line chart on uPlot (canvas; small and fast with tens of thousands of points).
// One instance per mounted chart: made when the series change, fed new data in place, sized to
// its container (a ResizeObserver), destroyed on unmount. Times are ms since the epoch (uPlot's
// `ms: 1`); null values are gaps, not zeros. Colors name design tokens ("--color-chart-1",
// styles/tokens.css): a canvas cannot read CSS, so they are resolved when the chart is made, and
// the chart is made again when the OS switches between the light and dark theme.
import { useEffect, useMemo, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { useColorScheme } from './use-color-scheme.ts';

export interface ChartSeries {
  label: string;
  /** A color, or a design token such as "--color-chart-1". */
  color: string;
}

export interface TimeSeriesChartProps {
  /** times (ms since epoch), then one array of values per series, all the same length. */
  data: [number[], ...(number | null)[][]];
  series: ChartSeries[];
  /** Plot and axes height in CSS pixels (the legend comes below). */
  height?: number;
  /** Formats a value for the y axis and the legend. */
  format?: (value: number) => string;
  title?: string;
  testId?: string;
}

const FALLBACK_WIDTH_PX = 600;

/** A colour as the canvas needs it: a token's value in the theme shown now (or the colour itself). */
export function cssColor(color: string): string {
  if (!color.startsWith('--')) return color;
  const value = getComputedStyle(document.documentElement).getPropertyValue(color).trim();
  if (value === '') throw new Error(`No design token ${color} (styles/tokens.css)`);
  return value;
}

/** The width a chart may take: its container's content box, or a fallback before layout. */
/**
 * Keeps a chart as wide as its container until the returned function is called, which also
 * destroys the chart and clears `ref` (what each chart's effect returns).
 */
export function fitChartToContainer(
  chart: uPlot,
  container: HTMLElement,
  height: number,
  ref: { current: uPlot | null },
  fallbackWidth?: number,
): () => void {
  ref.current = chart;
  const observer = new ResizeObserver(() => {
    const width = widthOf(container, fallbackWidth);
    if (width !== chart.width) chart.setSize({ width, height });
  });
  observer.observe(container);
  return () => {
    observer.disconnect();
    chart.destroy();
    ref.current = null;
  };
}

export function widthOf(element: HTMLElement, fallback = FALLBACK_WIDTH_PX): number {
  return Math.floor(element.clientWidth) || fallback;
}

export function TimeSeriesChart({ data, series, height = 180, format, title, testId }: TimeSeriesChartProps) {
  const containerRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<uPlot | null>(null);
  const dataRef = useRef(data);
  dataRef.current = data;
  const formatRef = useRef(format);
  formatRef.current = format;
  // A new array of the same series must not remake the chart.
  const seriesKey = useMemo(() => JSON.stringify(series.map((s) => [s.label, s.color])), [series]);
  const scheme = useColorScheme();

  useEffect(() => {
    const container = containerRef.current;
    if (!container) return;
    const described = JSON.parse(seriesKey) as [string, string][];
    const text = (value: number | null | undefined): string =>
      value === null || value === undefined ? '—' : (formatRef.current ?? String)(value);
    const fg = cssColor('--color-chart-axis');
    const grid = cssColor('--color-chart-grid');
    const axis: uPlot.Axis = { stroke: fg, grid: { stroke: grid, width: 1 }, ticks: { stroke: grid, width: 1 } };
    const options: uPlot.Options = {
      width: widthOf(container),
      height,
      ms: 1,
      ...(title ? { title } : {}),
      cursor: { drag: { x: false, y: false, setScale: false } },
      scales: { x: { time: true } },
      axes: [axis, { ...axis, size: 70, values: (_u, splits) => splits.map((v) => text(v)) }],
      series: [
        {},
        ...described.map(([label, color]): uPlot.Series => ({
          label,
          stroke: cssColor(color),
          width: 1.5,
          spanGaps: false,
          points: { show: false },
          value: (_u, v) => text(v),
        })),
      ],
    };
    const chart = new uPlot(options, dataRef.current as uPlot.AlignedData, container);
    return fitChartToContainer(chart, container, height, chartRef);
  }, [seriesKey, height, title, scheme]);

  useEffect(() => {
    chartRef.current?.setData(data as uPlot.AlignedData);
  }, [data]);

  return <div className="chart" ref={containerRef} data-testid={testId} />;
}
