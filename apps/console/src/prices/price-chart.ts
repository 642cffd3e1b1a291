import uPlot from 'uplot';
import { formatClock } from '../ui/format';

/** Height of a price chart when its host has none from the styles, CSS pixels. */
const DEFAULT_HEIGHT = 120;

/** A CSS custom property of the page (the charts draw on a canvas, which does not read CSS). */
function cssColor(name: string, fallback: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || fallback;
}

/** A short price for the y axis: `64.3k`, `1.52`, `0.00012`. */
function axisPrice(value: number): string {
  const abs = Math.abs(value);
  if (abs >= 10_000) return `${(value / 1000).toLocaleString('en-US', { maximumFractionDigits: 1 })}k`;
  return value.toLocaleString('en-US', { maximumSignificantDigits: 5 });
}

/**
 * One symbol's line chart (uPlot) in `host`, sized to it and following its size. After each
 * draw `host` carries `data-points` = the points drawn, which the browser tests wait for.
 */
export class PriceChart {
  private readonly plot: uPlot;
  private readonly resize: ResizeObserver;

  constructor(private readonly host: HTMLElement) {
    const muted = cssColor('--muted', '#5b6470');
    const grid = cssColor('--border', '#d8dde3');
    const line = cssColor('--chart', '#2f5fb3');
    const axis = { stroke: muted, grid: { stroke: grid, width: 1 }, ticks: { show: false }, font: '11px system-ui, sans-serif' };
    const options: uPlot.Options = {
      ...this.size(),
      legend: { show: false },
      cursor: { show: false },
      scales: { x: { time: true } },
      axes: [
        // HH:MM, or HH:MM:SS while ticks are less than a minute apart (a fresh page, a quiet symbol).
        { ...axis, size: 22, space: 70, values: (_u, ticks, _axis, _space, increment) => ticks.map((t) => formatClock(t * 1000).slice(0, increment < 60 ? 8 : 5)) },
        { ...axis, size: 52, space: 30, values: (_u, ticks) => ticks.map(axisPrice) },
      ],
      series: [
        {},
        {
          stroke: line,
          width: 1.5,
          // A lone point (the first price, a snapshot on connect) would draw no line: show points while there are few.
          points: { show: (_u, _series, first, last) => last - first < 20, size: 5, fill: line },
        },
      ],
      hooks: { draw: [(u) => (this.host.dataset['points'] = String(u.data[0].length))] },
    };
    this.plot = new uPlot(options, [[], []], host);
    this.resize = new ResizeObserver(() => {
      const size = this.size();
      if (size.width !== this.plot.width || size.height !== this.plot.height) this.plot.setSize(size);
    });
    this.resize.observe(host);
  }

  /** The host's size (the styles set its height; narrower screens get lower charts). */
  private size(): { width: number; height: number } {
    return { width: Math.max(100, this.host.clientWidth), height: this.host.clientHeight || DEFAULT_HEIGHT };
  }

  /** Draws `[times in seconds, prices]`. */
  setData(data: [number[], number[]]): void {
    this.plot.setData(data);
  }

  /** Removes the chart. */
  destroy(): void {
    this.resize.disconnect();
    this.plot.destroy();
  }
}
