import { describe, expect, it } from 'vitest';
import { emptySums, historyFigures, type HistoryRow } from '../../../../shared/history.js';
import { DEFAULT_THRESHOLDS } from '../../../../shared/lights.js';
import { createPitwallI18n } from '../../i18n/index.js';
import { parseCsv } from '../../lib/csv.js';
import { foldSeries, trendSeries } from './report-charts.js';
import { cxCards, weakestSentence } from './report-cx.js';
import { advisorTable, hoursNames, problemTable, problemText, teamTable, technicianTable } from './report-daily.js';
import { addDays, daytypeDays, isoWeekday, weekdayCounts, yesterdayOf } from './report-days.js';
import { figureText, type Translate } from './report-figures.js';
import { cutSummaries, cutTable } from './report-history.js';
import { periodTable } from './report-period.js';
import { scoreRanks, tableCsv } from './report-table.js';
import { reportFixture } from './reports-test-fixture.js';
import { WORKSHOP } from '../../lib/board-test-fixture.js';

/** A typed value as the UI puts it in a sentence: between FSI and PDI (lib/display-text.ts). */
const iso = (s: string) => `\u2068${s}\u2069`;

const translator = (locale: 'en' | 'zh-CN'): Translate => {
  const i18n = createPitwallI18n(locale);
  return (key, named) => i18n.global.t(key, named ?? {});
};
const en = translator('en');
const zh = translator('zh-CN');

describe('days', () => {
  it('adds calendar days across months and years', () => {
    expect(addDays('2026-11-30', 1)).toBe('2026-12-01');
    expect(addDays('2027-01-01', -1)).toBe('2026-12-31');
    expect(addDays('2026-11-22', -29)).toBe('2026-10-24');
  });

  it("takes yesterday in the workshop's zone, not the browser's or UTC's", () => {
    // 23:30 UTC on the 21st is already 07:30 on the 22nd in Shanghai: yesterday is the 21st.
    expect(yesterdayOf('2026-11-21T23:30:00Z', 'Asia/Shanghai')).toBe('2026-11-21');
    expect(yesterdayOf('2026-11-21T23:30:00Z', 'America/New_York')).toBe('2026-11-20');
  });

  it('counts the weekdays a range folds onto each label', () => {
    // 4 weeks: each weekday exactly 4 times.
    expect(Object.values(weekdayCounts('2026-10-26', '2026-11-22'))).toEqual([4, 4, 4, 4, 4, 4, 4]);
    expect(daytypeDays('2026-10-24', '2026-11-22')).toEqual({ weekday: 20, weekend: 10 });
  });
});

describe('figures', () => {
  it.each([
    [0.8123, 'percent', '81 %'],
    [0.042, 'percent', '4.2 %'],
    [null, 'percent', '—'],
    [132.4, 'minutes', '132'],
    [30, 'points', '+30'],
    [-5, 'points', '-5'],
    [0, 'points', '0'],
    [7.55, 'tenths', '7.5'],
  ] as const)('%s as %s → %s', (v, f, out) => {
    expect(figureText(v, f)).toBe(out);
  });

  it('ranks by score like a league table (ties share, the next skips), no score no rank', () => {
    expect(scoreRanks([90, 72.5, null, 90, 60])).toEqual([1, 3, null, 1, 4]);
  });
});

describe('technician table', () => {
  const table = technicianTable(reportFixture(), en);

  it('lists the day best first by score, with every KPI light, rank, formula and sample', () => {
    expect(table.rows.map((r) => r.key)).toEqual(['T2', 'T1', 'T3']);
    const t1 = table.rows[1]!;
    const cell = (key: string) => t1.cells[table.columns.findIndex((c) => c.key === key)]!;
    expect(cell('rank').text).toBe('2');
    expect(cell('utilisation')).toMatchObject({ text: '81 %', light: 'green', rank: 1, title: 'productive min ÷ attendance min · over 480 min of attendance' });
    expect(cell('laborAchievement')).toMatchObject({ text: '125 %', light: 'red', rank: 2, title: 'standard min ÷ worked min, jobs completed · over 4 jobs completed' });
    expect(cell('comebackRate').title).toContain('over 25 deliveries');
    expect(cell('proficiency').light).toBe('none');
    // Without data: a dash and no light, never 0 or green.
    const t3 = table.rows[2]!;
    expect(t3.cells[table.columns.findIndex((c) => c.key === 'utilisation')]).toMatchObject({ text: '—', light: 'none', rank: null });
  });

  it("names the hours figures the workshop's way, the other way as a hint", () => {
    expect(hoursNames('seed', en).utilisation).toEqual({ label: 'Utilisation', hint: 'NADA: Productivity' });
    expect(hoursNames('nada', en).laborAchievement).toEqual({ label: 'Efficiency', hint: 'KPI article: Labour-time achievement' });
    expect(hoursNames('seed', zh).utilisation.label).toBe('工时利用率');
    const nada = technicianTable(reportFixture({ naming: 'nada' }), en);
    expect(nada.columns.map((c) => c.label)).toContain('Productivity');
  });

  it("names teams as the workshop's config does, else by their id", () => {
    const workshop = { teams: [{ id: 'quick', name: 'Quick service' }] };
    const named = technicianTable(reportFixture(), en, workshop);
    const teamOf = (key: string) => named.rows.find((r) => r.key === key)!.cells[named.columns.findIndex((c) => c.key === 'team')]!.text;
    expect(teamOf('T1')).toBe('Quick service');
    // A team row: the team's figures are a technician row's, with the team and its headcount.
    const report = reportFixture();
    const { technicianId: _id, name: _name, team: _team, ...figures } = report.technicians[0]!;
    report.teams = [{ ...figures, team: 'quick', technicians: 2 }];
    const name = (table: ReturnType<typeof teamTable>) => table.rows.map((r) => [r.key, r.cells.find((c) => c.testid === 'name')?.text]);
    expect(name(teamTable(report, en, workshop))).toEqual([['quick', 'Quick service']]);
    expect(name(teamTable(report, en))).toEqual([['quick', 'quick']]);
  });

  it('exports the same rows: header first, value, light, rank and sample per KPI', () => {
    const [header, ...rows] = parseCsv(tableCsv(table));
    expect(header!.slice(0, 7)).toEqual(['Rank', 'Technician', 'Team', 'Utilisation (%)', 'Utilisation: light', 'Utilisation: rank', 'Utilisation: sample']);
    expect(rows.map((r) => r[1])).toEqual(['Wang Fang', 'Zhang Wei', 'Li Qiang']);
    expect(rows[1]!.slice(0, 7)).toEqual(['2', 'Zhang Wei', 'quick', '81.2', 'green', '1', '480']);
    expect(rows[2]!.slice(3, 7)).toEqual(['', 'none', '', '0']);
    expect(rows.every((r) => r.length === header!.length)).toBe(true);
  });
});

describe('advisors and problems', () => {
  it('gives the advisor KPIs with lights', () => {
    const t = advisorTable(reportFixture(), en);
    expect(t.rows[0]!.cells.map((c) => c.text)).toEqual(['1', 'Li Na', '9', '90 %', '10 %', '88.0']);
    expect(t.rows[0]!.cells[4]!.light).toBe('red');
  });

  it('says what happened in the reader’s language, the hub’s words when it cannot', () => {
    const report = reportFixture();
    const name = (id: string) => WORKSHOP.technicians.find((x) => x.id === id)?.name ?? id;
    const texts = report.problems.map((p) => problemText(p, name, en));
    expect(texts).toEqual(['customer scored 2 of 5', 'waited 95 min for parts, still waiting', `comeback of ${iso('J0')}, worked by ${iso('Wang Fang')}`, '45 min worked against a standard of 30 min']);
    expect(problemText(report.problems[3]!, name, zh)).toBe('实际用时 45 分钟，标准工时 30 分钟');
    expect(problemText({ ...report.problems[0]!, detail: 'something new' }, name, zh)).toBe('something new');
  });

  it('says an implausible worked time (issue 12, item 8) in the reader\'s language', () => {
    const report = reportFixture();
    const p = { ...report.problems[0]!, kind: 'implausible_time' as const, detail: '0.1 min worked against a standard of 120 min: left out of labour-time achievement and proficiency' };
    expect(problemText(p, (id) => id, zh)).toBe('实际用时 0.1 分钟，标准工时 120 分钟：不计入工时达成率和熟练度');
    expect(problemText(p, (id) => id, en)).toBe(p.detail);
  });

  it('exports a plate or job id that is a formula as text (OWASP), figures as numbers', () => {
    const report = reportFixture();
    report.problems[0] = { ...report.problems[0]!, jobId: "=cmd|'/c calc'!A", plate: '=HYPERLINK("http://evil.example","x")' };
    report.problems[1] = { ...report.problems[1]!, jobId: '@SUM(1+1)', plate: '+86-1' };
    const rows = parseCsv(tableCsv(problemTable(report, WORKSHOP, en))).slice(1);
    const jobs = rows.map((r) => r[1]);
    const plates = rows.map((r) => r[2]);
    expect(jobs).toContain("'=cmd|'/c calc'!A");
    expect(jobs).toContain("'@SUM(1+1)");
    expect(plates).toContain('\'=HYPERLINK("http://evil.example","x")');
    expect(plates).toContain("'+86-1");
    for (const r of rows) for (const f of r) expect(f).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('orders problems by kind and shows the state now', () => {
    const t = problemTable(reportFixture(), WORKSHOP, en);
    expect(t.rows.map((r) => r.cells[0]!.text)).toEqual(['Over standard', 'Paused too long', 'Comeback', 'Low score']);
    expect(t.rows[1]!.cells[4]!.text).toBe('Paused');
    expect(t.rows[1]!.cells[3]!.text).toBe('Wang Fang');
  });
});

describe('customer experience', () => {
  it("writes the article's sentence from the weakest touchpoints", () => {
    const r = reportFixture();
    expect(weakestSentence(r.cx.day, en)).toBe('Waiting 5/10 and delivery 6/10 pull the index down.');
    expect(weakestSentence(r.cx.day, zh)).toBe('等待体验（5分）和交车体验（6分）拉低了整体得分。');
    expect(weakestSentence(r.cx.week, en)).toBe('No touchpoint answers.');
    expect(weakestSentence({ ...r.cx.day, weakest: [] }, en)).toBe('No touchpoint below the index.');
  });

  it('gives NPS, CSAT, CES, CJI, complaints and service time with lights, the week beside the day', () => {
    const cards = cxCards(reportFixture(), DEFAULT_THRESHOLDS, en);
    expect(cards.map((c) => [c.name, c.text, c.light])).toEqual([
      ['nps', '+30', 'yellow'],
      ['csat', '80 %', 'red'],
      ['ces', '2.4', 'yellow'],
      ['cji', '7.5', 'yellow'],
      ['complaintRate', '10 %', 'red'],
      ['averageServiceTime', '132', 'yellow'],
    ]);
    expect(cards[0]!.week).toEqual({ text: '+46', light: 'green' });
    expect(cards[0]!.green).toBe('≥ 45');
    expect(cards[5]!.green).toBe('≤ 120 min');
    expect(cards[5]!.week).toBeNull();
  });
});

describe('history', () => {
  const row = (label: string, key: string, f: (s: ReturnType<typeof emptySums>) => void): HistoryRow => {
    const sums = emptySums();
    f(sums);
    return { start: null, label, key, sums, figures: historyFigures(sums, DEFAULT_THRESHOLDS) };
  };

  it('adds a cut up over the month and derives its figures as the hub would', () => {
    const rows = [
      row('2026-11-20', 'weekday', (s) => Object.assign(s, { checkedIn: 30, completed: 20, firstTimeFix: 18, surveys: 10, satisfied: 9, waits: [10, 20] })),
      row('2026-11-21', 'weekend', (s) => Object.assign(s, { checkedIn: 60, completed: 30, firstTimeFix: 24, surveys: 10, satisfied: 7, waits: [100] })),
      row('2026-11-22', 'weekend', (s) => Object.assign(s, { checkedIn: 66, completed: 34, firstTimeFix: 30, surveys: 10, satisfied: 8, waits: [140] })),
    ];
    const s = cutSummaries(rows, DEFAULT_THRESHOLDS, undefined);
    const weekend = s.find((x) => x.key === 'weekend')!;
    expect(weekend.sums.checkedIn).toBe(126);
    expect(weekend.figures.csat).toEqual({ value: 0.75, light: 'red' });
    expect(weekend.figures.averageWait).toEqual({ value: 120, light: 'red' });
    const table = cutTable('daytype', s, (k) => k, en, (k) => (k === 'weekend' ? 2 : 1));
    expect(table.columns[1]!.label).toBe('Cars per calendar day');
    expect(table.rows.find((r) => r.key === 'weekend')!.cells[1]!.text).toBe('63.0');
    // Rows summed in the caller's order must not have mutated the API's rows.
    expect(rows[1]!.sums.checkedIn).toBe(60);
  });

  it('turns day rows into trend series: rates in %, gaps for no data, weekends marked', () => {
    const rows = [
      row('2026-11-20', 'all', (s) => Object.assign(s, { completed: 10, firstTimeFix: 9, attendanceMin: 100, productiveMin: 80 })),
      row('2026-11-21', 'all', () => {}),
    ];
    const t = trendSeries(rows);
    expect(t.labels).toEqual(['11-20', '11-21']);
    expect(t.utilisation).toEqual([80, null]);
    expect(t.firstTimeFix).toEqual([90, null]);
    expect(t.completed).toEqual([10, 0]);
    expect(t.weekend).toEqual([false, true]);
  });

  it('divides a folded count by the days folded onto its label', () => {
    const rows = [row('6', 'all', (s) => Object.assign(s, { checkedIn: 200 })), row('1', 'all', (s) => Object.assign(s, { checkedIn: 90 }))];
    const f = foldSeries(rows, (l) => `d${l}`, (l) => (l === '6' ? 4 : 3));
    expect(f).toEqual({ labels: ['d6', 'd1'], cars: [50, 30], averageWait: [null, null], csat: [null, null] });
  });

  it('compares the last 30 days with the 30 before: per calendar day, rates in points, better or worse', () => {
    const now = [
      row('2026-11-21', 'all', (s) => Object.assign(s, { checkedIn: 40, completed: 30, surveys: 10, satisfied: 9, waits: [30], standardMin: 105, workedMin: 100 })),
      row('2026-11-22', 'all', (s) => Object.assign(s, { checkedIn: 20, completed: 10 })),
    ];
    const before = [row('2026-10-22', 'all', (s) => Object.assign(s, { checkedIn: 25, completed: 20, surveys: 10, satisfied: 8, waits: [20], standardMin: 80, workedMin: 100 })), row('2026-10-23', 'all', () => {})];
    const table = periodTable(now, before, DEFAULT_THRESHOLDS, undefined, en);
    const cells = (key: string) => table.rows.find((r) => r.key === key)!.cells.map((c) => c.text);
    // Per calendar day: the empty day counts (a closed day is a day with no cars).
    expect(cells('cars')).toEqual(['Cars per calendar day (÷ 2, closed days included)', '30.0', '12.5', '+17.5']);
    expect(cells('csat')).toEqual(['Satisfaction', '90 %', '80 %', '+10 pts · better']);
    expect(cells('averageWait')).toEqual(['Average wait', '30', '20', '+10 min · worse']);
    // The band: 105 % is closer to 100 % than 80 %.
    expect(cells('laborAchievement')).toEqual(['Labour-time achievement', '105 %', '80 %', '+25 pts · better']);
    expect(cells('nps')[3]).toBe('—');
    expect(table.rows.find((r) => r.key === 'csat')!.cells[1]!.light).toBe('green');
    expect(parseCsv(tableCsv(table))[0]).toEqual(['Figure', 'Last 30 days', 'Last 30 days: light', '30 days before', '30 days before: light', 'Change', 'Change: verdict']);
  });

  it('gives every "per day" on the page one definition: calendar days, closed days included', () => {
    // A fortnight (2026-11-09 Mon … 2026-11-22 Sun) open on weekends only: 4 open days of 14.
    const days = Array.from({ length: 14 }, (_, i) => addDays('2026-11-09', i));
    const busy = (d: string) => isoWeekday(d) >= 6;
    const month = days.map((d) => row(d, 'all', (s) => Object.assign(s, busy(d) ? { checkedIn: 26, completed: 20 } : {})));
    const byDaytype = days.filter(busy).map((d) => row(d, 'weekend', (s) => Object.assign(s, { checkedIn: 26, completed: 20 })));
    const period = periodTable(month, [], DEFAULT_THRESHOLDS, undefined, en);
    const perDay = period.rows.find((r) => r.key === 'cars')!.cells;
    const split = daytypeDays(days[0]!, days.at(-1)!);
    const cut = cutTable('daytype', cutSummaries(byDaytype, DEFAULT_THRESHOLDS, undefined), (k) => k, en, (k) => split[k as 'weekday' | 'weekend']);
    // 104 cars: 7.4 per calendar day over the fortnight, 26.0 per weekend day; the weekend's 4
    // days of 14 times its rate is the fortnight's rate, which working days (104 ÷ 4 = 26.0) would break.
    expect(perDay.map((c) => c.text).slice(0, 2)).toEqual(['Cars per calendar day (÷ 14, closed days included)', '7.4']);
    expect(cut.columns[1]!.label).toBe('Cars per calendar day');
    const weekend = Number(cut.rows.find((r) => r.key === 'weekend')!.cells[1]!.text);
    expect(weekend).toBe(26);
    expect(Math.round(((weekend * split.weekend) / days.length) * 10) / 10).toBe(Number(perDay[1]!.text));
    // The comeback rate of a period is over that period, not the daily 168 h.
    expect(period.rows.find((r) => r.key === 'comebackRate')!.cells[0]!.text).toBe('Comebacks (÷ deliveries in the same 14 days)');
    // The same words in Chinese.
    expect(periodTable(month, [], DEFAULT_THRESHOLDS, undefined, translator('zh-CN')).rows[0]!.cells[0]!.text).toBe('自然日日均台次（÷ 14，含休息日）');
  });

  it('states the daily comeback rate’s window, what it counts and its cap next to it', () => {
    const table = technicianTable(reportFixture(), en);
    const title = table.rows[0]!.cells[table.columns.findIndex((c) => c.key === 'comebackRate')]!.title;
    expect(title).toMatch(/^comebacks \(cancelled ones too\) ÷ deliveries, the 168 h to the day’s end, at most 100 % · over \d+ deliveries$/);
  });
});
