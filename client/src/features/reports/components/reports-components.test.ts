// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../../../../shared/lights.js';
import { createPitwallI18n, type Locale } from '../../../i18n/index.js';
import { CSV_BOM } from '../../../lib/csv.js';
import { snapshotAt1800 } from '../../../lib/board-test-fixture.js';
import { rankSite } from '../../region/region-view.js';
import { reportFixture } from '../reports-test-fixture.js';
import { cxCards } from '../report-cx.js';
import { technicianTable } from '../report-daily.js';
import type { Translate } from '../report-figures.js';
import RegionSiteCard from '../../region/components/RegionSiteCard.vue';
import FigureTile from './FigureTile.vue';
import ReportTable from './ReportTable.vue';

/** A typed value as the UI puts it in a sentence: between FSI and PDI (lib/display-text.ts). */
const iso = (s: string) => `\u2068${s}\u2069`;

const plugins = (locale: Locale = 'en') => ({ global: { plugins: [createPitwallI18n(locale)] } });
const tr = (locale: Locale): Translate => {
  const i18n = createPitwallI18n(locale);
  return (k, n) => i18n.global.t(k, n ?? {});
};

afterEach(() => {
  vi.restoreAllMocks();
});

describe('ReportTable', () => {
  const table = technicianTable(reportFixture(), tr('en'));
  const mountTable = () => mount(ReportTable, { props: { table, title: 'Technicians', fileParts: ['pitwall', 'sh-test', '2026-11-21'] }, ...plugins() });

  it('shows each KPI with its light as colour, shape and word, its rank, and the formula on hover', () => {
    const w = mountTable();
    expect(w.findAll('tbody tr').map((r) => r.attributes('data-key'))).toEqual(['T2', 'T1', 'T3']);
    const cell = w.get('[data-testid="row-T1"] [data-testid="cell-laborAchievement"]');
    expect(cell.attributes('data-light')).toBe('red');
    expect(cell.attributes('data-rank')).toBe('2');
    expect(cell.classes()).toContain('light-red');
    expect(cell.text()).toBe('■125 %Red#2');
    expect(cell.attributes('title')).toBe('standard min ÷ worked min, jobs completed · over 4 jobs completed');
    expect(w.get('thead').text()).toContain('NADA: Productivity');
    // No data: a dash, the "no data" light, no rank.
    const empty = w.get('[data-testid="row-T3"] [data-testid="cell-utilisation"]');
    expect(empty.text()).toBe('○—No data');
    expect(empty.attributes('data-rank')).toBeUndefined();
  });

  // Issue 12, item 14: 100 % on six minutes of attendance is grey, says so, and has no rank.
  it('shows a figure below the minimum sample grey with "too little data" and no rank', () => {
    const report = reportFixture();
    const t1 = report.technicians.find((t) => t.technicianId === 'T1')!;
    const thin = { ...report, technicians: report.technicians.map((t) => (t === t1 ? { ...t, utilisation: { value: 1, light: 'none' as const, rank: null, sample: 6, enough: false } } : t)) };
    const w = mount(ReportTable, { props: { table: technicianTable(thin, tr('en')), title: 'Technicians', fileParts: ['pitwall', 'sh-test', '2026-11-21'] }, ...plugins() });
    const cell = w.get('[data-testid="row-T1"] [data-testid="cell-utilisation"]');
    expect(cell.attributes('data-light')).toBe('none');
    expect(cell.attributes('data-rank')).toBeUndefined();
    expect(cell.get('[data-testid="too-little-data"]').text()).toBe('too little data');
    expect(cell.attributes('title')).toContain('over 6 min of attendance');
    const zh = mount(ReportTable, { props: { table: technicianTable(thin, tr('zh-CN')), title: '技师', fileParts: ['pitwall', 'sh-test', '2026-11-21'] }, ...plugins('zh-CN') });
    expect(zh.get('[data-testid="row-T1"] [data-testid="too-little-data"]').text()).toBe('数据太少');
  });

  it('downloads its own rows as a CSV file named after the workshop, day and table', async () => {
    // Watch the real thing happen: the Blob URL made and the click on a download link.
    const made = vi.spyOn(URL, 'createObjectURL');
    let downloaded = '';
    const onClick = (e: Event) => {
      if (e.target instanceof HTMLAnchorElement) {
        downloaded = e.target.download;
        e.preventDefault();
      }
    };
    document.addEventListener('click', onClick);
    const w = mountTable();
    await w.get('[data-testid="csv"]').trigger('click');
    document.removeEventListener('click', onClick);
    expect(downloaded).toBe('pitwall_sh-test_2026-11-21_technicians.csv');
    const blob = made.mock.calls[0]![0] as Blob;
    expect(blob.type).toBe('text/csv;charset=utf-8');
    const text = await blob.text();
    expect(text.startsWith(CSV_BOM)).toBe(true);
    expect(text.split('\r\n')[2]!.startsWith('2,Zhang Wei,quick,81.2,green,1,480,')).toBe(true);
  });

  it('says so when the day has no rows', () => {
    const w = mount(ReportTable, { props: { table: { ...table, rows: [] }, title: 'x', fileParts: ['p'], emptyText: 'Nothing here' }, ...plugins() });
    expect(w.get('tbody').text()).toBe('Nothing here');
  });
});

describe('FigureTile', () => {
  it('shows the day, its light and green line, and the 7 days beside it, in Chinese too', () => {
    const [nps] = cxCards(reportFixture(), DEFAULT_THRESHOLDS, tr('zh-CN'));
    const w = mount(FigureTile, { props: { card: nps! }, ...plugins('zh-CN') });
    expect(w.attributes('data-light')).toBe('yellow');
    expect(w.get('[data-testid="cx-value"]').text()).toBe('+30');
    expect(w.text()).toContain('净推荐值 NPS');
    expect(w.text()).toContain('黄灯 · 绿灯 ≥ 45');
    expect(w.get('[data-testid="cx-week"]').attributes('data-light')).toBe('green');
    expect(w.attributes('title')).toBe('推荐者(9–10)% − 贬损者(0–6)% · 基于 10 份回答');
  });
});

describe('RegionSiteCard', () => {
  it('shows the counts of red and yellow, each KPI lit, a reports link with the token in its fragment and a board link with none', () => {
    const site = rankSite({ id: 'sh-test', name: 'Shanghai test', timezone: 'Asia/Shanghai', snapshot: snapshotAt1800(), error: null });
    const w = mount(RegionSiteCard, { props: { site, rank: 1, linkQuery: 'lang=en', tokenFragment: '#token=abc' }, ...plugins() });
    expect(w.attributes('data-worst')).toBe(site.worst);
    expect(w.text()).toContain(`${site.reds} red`);
    expect(w.get('[data-testid="site-kpi-utilisation"]').attributes('data-light')).toBe(snapshotAt1800().kpis.utilisation.light);
    expect(w.get('[data-testid="site-board"]').attributes('href')).toBe('/board/sh-test?lang=en');
    expect(w.get('[data-testid="site-reports"]').attributes('href')).toBe('/reports/sh-test?lang=en#token=abc');
    expect(w.text()).toContain('as of 18:00');
  });

  it('says why a site has no figures', () => {
    const site = rankSite({ id: 'x', name: 'X', timezone: 'Asia/Shanghai', snapshot: null, error: 'timeout' });
    const w = mount(RegionSiteCard, { props: { site, rank: 1, linkQuery: '', tokenFragment: '' }, ...plugins() });
    expect(w.get('[data-testid="site-error"]').text()).toBe(`No answer: ${iso('timeout')}`);
  });
});
