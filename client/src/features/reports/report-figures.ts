import { describeRule, type Light, type ThresholdName, type Thresholds } from '../../../../shared/lights.js';
import { LIGHT_GLYPH } from '../../lib/board-view.js';
import { percent } from '../../lib/format.js';

/**
 * How the report writes a figure: its format (percent, minutes, NPS points…), its text on
 * screen and its number in a CSV, its green line and its formula with the sample. Labels come
 * through `t` (vue-i18n's, passed in) so this stays testable without Vue.
 */
export type Translate = (key: string, named?: Record<string, unknown>) => string;

export type FigureFormat = 'percent' | 'minutes' | 'points' | 'tenths' | 'effort';

export const FIGURE_FORMAT: Record<string, FigureFormat> = {
  utilisation: 'percent',
  laborAchievement: 'percent',
  proficiency: 'percent',
  firstTimeFix: 'percent',
  comebackRate: 'percent',
  csat: 'percent',
  complaintRate: 'percent',
  averageWait: 'minutes',
  averageServiceTime: 'minutes',
  nps: 'points',
  ces: 'effort',
  cji: 'tenths',
};

export const trim = (n: number, places: number) => String(Math.round(n * 10 ** places) / 10 ** places);

export function figureText(value: number | null, format: FigureFormat): string {
  if (value === null) return '—';
  switch (format) {
    case 'percent':
      return percent(value);
    case 'minutes':
      return `${Math.round(value)}`;
    case 'points':
      return `${value > 0 ? '+' : ''}${Math.round(value)}`;
    case 'tenths':
    case 'effort':
      return value.toFixed(1);
  }
}

/** The number a spreadsheet gets: percentages as 78.1 (the header says "%"), the rest as they are. */
export function figureCsv(value: number | null, format: FigureFormat): number | null {
  if (value === null) return null;
  return format === 'percent' ? Math.round(value * 1000) / 10 : Math.round(value * 100) / 100;
}

/** The green line in the figure's own unit: "≥ 75 %", "≤ 120 min". */
export function greenRule(name: ThresholdName, thresholds: Thresholds, t: Translate): string {
  const format = FIGURE_FORMAT[name] ?? 'percent';
  const rule = describeRule(name, thresholds, format === 'percent').green;
  return format === 'minutes' ? `${rule} ${t('unit.min')}` : rule;
}

type SampleKind = 'minutes' | 'jobs' | 'deliveries' | 'surveys' | 'answers' | 'cars';
const SAMPLE_OF: Record<string, SampleKind> = {
  utilisation: 'minutes',
  proficiency: 'minutes',
  laborAchievement: 'jobs',
  firstTimeFix: 'jobs',
  comebackRate: 'deliveries',
  csat: 'surveys',
  complaintRate: 'surveys',
  nps: 'answers',
  ces: 'answers',
  cji: 'answers',
  averageServiceTime: 'cars',
};

/** "productive min ÷ attendance min · over 480 min of attendance". */
export function figureTitle(name: string, sample: number, t: Translate): string {
  return `${t(`reports.formula.${name}`)} · ${t(`reports.sample.${SAMPLE_OF[name] ?? 'jobs'}`, { n: Math.round(sample) })}`;
}

export const glyph = (l: Light) => LIGHT_GLYPH[l];
