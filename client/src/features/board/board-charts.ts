import type { DaySeries } from '../../../../shared/series.js';
import { clockTime, hourLabel } from '../../lib/format.js';

/**
 * The charts' data, built from the day's series without Chart.js so it can be tested. Series
 * colours are deliberately not the light colours: on this board green, yellow and red only
 * ever mean a light.
 */
export const CHART_COLOURS = {
  text: '#e8eef5',
  muted: '#8ea0b4',
  grid: 'rgba(142, 160, 180, 0.18)',
  completions: '#4ea1ff',
  waitingCount: '#4ea1ff',
  averageWait: '#c792ff',
} as const;

export interface BarData {
  labels: string[];
  datasets: { label: string; data: number[] }[];
}

export function completionsData(series: DaySeries | null, label: string): BarData {
  const points = series?.completionsPerHour ?? [];
  return { labels: points.map((p) => hourLabel(p.hour)), datasets: [{ label, data: points.map((p) => p.count) }] };
}

export interface WaitingData {
  labels: string[];
  count: number[];
  /** null where nobody was waiting: a gap in the line, not a zero wait. */
  averageWait: (number | null)[];
}

export function waitingData(series: DaySeries | null, timeZone: string, locale: string): WaitingData {
  const points = series?.waiting ?? [];
  return {
    labels: points.map((p) => clockTime(p.at, timeZone, locale)),
    count: points.map((p) => p.count),
    averageWait: points.map((p) => (p.averageWaitMin === null ? null : Math.round(p.averageWaitMin))),
  };
}

/**
 * Canvas text does not follow CSS: size it from the screen once, in the board's unit (1 % of
 * the largest 16:9 box's height, BoardView.vue's `--u`) at the board's smallest text size, 1.6
 * units: 17 px at 1080p, 35 px on a 4K TV, like the rest of the board.
 */
export function chartFontPx(viewportWidth: number, viewportHeight: number): number {
  const unit = Math.min(viewportHeight / 100, viewportWidth * 0.005625);
  return Math.round(1.6 * unit);
}
