import type { CxFigures } from '../../../../shared/cx.js';
import type { DailyReport } from '../../../../shared/daily.js';
import type { Light, Thresholds } from '../../../../shared/lights.js';
import { FIGURE_FORMAT, figureText, figureTitle, greenRule, trim, type Translate } from './report-figures.js';

/** The CX dashboard: its tiles (the day beside the week) and the sentence naming the weakest touchpoints. */
/** The CX article's sentence: "waiting 5/10 and delivery 6/10 pull the index down." */
export function weakestSentence(cx: CxFigures, t: Translate): string {
  if (cx.cji.value === null) return t('reports.cx.weakestEmpty');
  if (cx.weakest.length === 0) return t('reports.cx.weakestNone');
  // Mid-sentence names in lower case ("waiting 5/10 and delivery 6/10"); no-op for Chinese.
  const parts = cx.weakest.map((w) => t('reports.cx.touchpointScore', { name: t(`reports.touchpoint.${w.touchpoint}`).toLocaleLowerCase(), score: trim(w.average, 1) }));
  const list = parts.join(t('reports.cx.and'));
  const sentence = t('reports.cx.weakest', { list });
  return sentence.charAt(0).toUpperCase() + sentence.slice(1);
}

export interface FigureCard {
  name: 'nps' | 'csat' | 'ces' | 'cji' | 'complaintRate' | 'averageServiceTime';
  label: string;
  text: string;
  unit: string;
  light: Light;
  title: string;
  green: string;
  week: { text: string; light: Light } | null;
}

/** The CX dashboard's tiles: the day beside the week, each with its light and green line. */
export function cxCards(report: DailyReport, thresholds: Thresholds, t: Translate): FigureCard[] {
  const names = ['nps', 'csat', 'ces', 'cji', 'complaintRate'] as const;
  const cards: FigureCard[] = names.map((name) => {
    const d = report.cx.day[name];
    const w = report.cx.week[name];
    const format = FIGURE_FORMAT[name]!;
    return {
      name,
      label: t(`reports.kpi.${name}`),
      text: figureText(d.value, format),
      unit: '',
      light: d.light,
      title: figureTitle(name, d.sample, t),
      green: greenRule(name, thresholds, t),
      week: { text: figureText(w.value, format), light: w.light },
    };
  });
  const s = report.averageServiceTime;
  cards.push({
    name: 'averageServiceTime',
    label: t('reports.kpi.averageServiceTime'),
    text: figureText(s.value, 'minutes'),
    unit: s.value === null ? '' : t('unit.min'),
    light: s.light,
    title: figureTitle('averageServiceTime', s.sample, t),
    green: greenRule('averageServiceTime', thresholds, t),
    week: null,
  });
  return cards;
}
