import { BarController, BarElement, CategoryScale, Chart as ChartJS, Legend, LinearScale, LineController, LineElement, PointElement, Tooltip } from 'chart.js';

/** Only what the report's charts draw: Chart.js registers nothing it is not given, and the bundle carries only these. */
ChartJS.register(BarController, BarElement, LineController, LineElement, PointElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Series colours: never green, yellow or red, which on Pitwall only ever mean a light. */
export const REPORT_COLOURS = {
  text: '#e8eef5',
  muted: '#8ea0b4',
  grid: 'rgba(142, 160, 180, 0.18)',
  blue: '#4ea1ff',
  violet: '#c792ff',
  cyan: '#3dd6d0',
  pink: '#ff8ad8',
  weekend: '#8f7cff',
  target: 'rgba(232, 238, 245, 0.45)',
} as const;
