import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS, resolveThresholds } from '../../../shared/lights.js';
import { snapshotAt1800, WORKSHOP } from './board-test-fixture.js';
import { alertChips, alertCounts, alertSignature, bayCards, bayColumns, flagRows, kpiText, legendRows, silentSince } from './board-view.js';

describe('bayCards', () => {
  it('follows the config order and names, with plate, technician, ratio and silent terminal', () => {
    const cards = bayCards(snapshotAt1800(), WORKSHOP, false);
    expect(cards.map((c) => [c.bayId, c.name, c.state, c.light, c.plate, c.technician, c.ratio, c.pauseReason, c.terminalSilentSince])).toEqual([
      ['B1', 'Bay 1', 'paused', 'red', '沪F55555', 'Zhang Wei', 2, 'approval', null],
      ['B2', 'Bay 2', 'in_progress', 'red', '沪D33333', 'Wang Fang', 460 / 120, null, null],
      ['B3', 'Bay 3', 'idle', 'none', '', '', null, null, '2026-11-21T09:42:00.000Z'],
    ]);
  });

  it('masks plates and drops every name in privacy mode', () => {
    const cards = bayCards(snapshotAt1800(), WORKSHOP, true);
    expect(cards.map((c) => [c.plate, c.technician])).toEqual([
      ['沪F····5', ''],
      ['沪D····3', ''],
      ['', ''],
    ]);
  });

  it('still draws a bay the snapshot lacks, and keeps one the config lacks', () => {
    const s = snapshotAt1800();
    const cards = bayCards({ ...s, bays: [...s.bays.filter((b) => b.bayId !== 'B2'), { ...s.bays[0]!, bayId: 'B9' }] }, WORKSHOP, false);
    expect(cards.map((c) => [c.bayId, c.state])).toEqual([
      ['B1', 'paused'],
      ['B2', 'idle'],
      ['B3', 'idle'],
      ['B9', 'paused'],
    ]);
  });

  it('uses ids until the config has loaded', () => {
    expect(bayCards(snapshotAt1800(), null, false).map((c) => [c.name, c.technician])[0]).toEqual(['B1', 'T1']);
  });
});

describe('silentSince', () => {
  const term = (terminalId: string, bayId: string | null, lastSeenAt: string, silent: boolean) => ({ terminalId, bayId, lastSeenAt, silent });
  it('marks a bay only when every terminal there is silent, with the latest contact', () => {
    expect(silentSince([], 'B1')).toBeNull();
    expect(silentSince([term('a', 'B1', '2026-11-21T09:00:00.000Z', true), term('b', 'B1', '2026-11-21T09:30:00.000Z', true)], 'B1')).toBe('2026-11-21T09:30:00.000Z');
    expect(silentSince([term('a', 'B1', '2026-11-21T09:00:00.000Z', true), term('b', 'B1', '2026-11-21T09:59:00.000Z', false)], 'B1')).toBeNull();
    expect(silentSince([term('a', 'B2', '2026-11-21T09:00:00.000Z', true)], 'B1')).toBeNull();
  });
});

describe('kpiText', () => {
  it.each([
    ['utilisation', 0.5661, '57 %'],
    ['comebackRate', 0.0312, '3.1 %'],
    ['averageWait', 210.4, '210'],
    ['csat', null, '—'],
    ['averageWait', null, '—'],
  ] as const)('%s %s → %s', (name, value, text) => {
    expect(kpiText(name, value)).toBe(text);
  });
});

describe('alert chips', () => {
  it('lists worst first, then oldest first, with the figure as shown and the acknowledgement', () => {
    const chips = alertChips(snapshotAt1800());
    expect(chips.map((c) => [c.metric, c.light, c.kpi, c.bayId, c.value, c.unit, c.acknowledged])).toEqual([
      ['utilisation', 'red', 'utilisation', null, '57 %', null, true],
      ['bay:B2', 'red', null, 'B2', '383 %', null, false],
      ['laborAchievement', 'yellow', 'laborAchievement', null, '82 %', null, false],
    ]);
    expect(alertCounts(chips)).toEqual({ red: 2, yellow: 1 });
  });

  it('never carries the hub message (it names plates)', () => {
    expect(JSON.stringify(alertChips(snapshotAt1800()))).not.toContain('沪');
  });

  it('shows the wait in minutes', () => {
    const s = snapshotAt1800({ alerts: [{ metric: 'averageWait', light: 'red', message: '', since: '2026-11-21T09:00:00.000Z', acknowledgedAt: null }] });
    expect(alertChips(s)[0]).toMatchObject({ value: '210', unit: 'min' });
  });

  it('drops the figure of a bay whose alert outlives its job (recovery hold)', () => {
    const s = snapshotAt1800({ alerts: [{ metric: 'bay:B3', light: 'yellow', message: '', since: '2026-11-21T09:00:00.000Z', acknowledgedAt: null }] });
    expect(alertChips(s)[0]).toMatchObject({ bayId: 'B3', value: '' });
  });

  it('changes signature when an alert is added or worsens, not when the order changes', () => {
    const s = snapshotAt1800();
    expect(alertSignature({ ...s, alerts: [...s.alerts].reverse() })).toBe(alertSignature(s));
    expect(alertSignature({ ...s, alerts: s.alerts.slice(1) })).not.toBe(alertSignature(s));
    expect(alertSignature(null)).toBe('');
  });
});

/** A typed value as the board puts it in a line: between FSI and PDI (lib/display-text.ts). */
const iso = (s: string) => `\u2068${s}\u2069`;

describe('flagRows', () => {
  it('names the bay, plate and technician, masked and nameless in privacy mode', () => {
    expect(flagRows(snapshotAt1800(), WORKSHOP, false)).toEqual([{ kind: 'overrun', since: '2026-11-21T06:20:00.000Z', subject: `${iso('Bay 2')} · ${iso('沪D33333')}` }]);
    expect(flagRows(snapshotAt1800(), WORKSHOP, true)).toEqual([{ kind: 'overrun', since: '2026-11-21T06:20:00.000Z', subject: `${iso('Bay 2')} · ${iso('沪D····3')}` }]);
    const late = snapshotAt1800({ flags: [{ kind: 'after_closing', jobId: null, technicianId: 'T3', bayId: null, since: '2026-11-21T10:30:00.000Z', message: '' }] });
    expect(flagRows(late, WORKSHOP, false)[0]?.subject).toBe(iso('Li Qiang'));
    expect(flagRows(late, WORKSHOP, true)[0]?.subject).toBe('');
  });
});

describe('legendRows', () => {
  it('spells out green, yellow and red for every light, from the defaults', () => {
    const rows = Object.fromEntries(legendRows(DEFAULT_THRESHOLDS, 'min').map((r) => [r.name, [r.green, r.yellow, r.red]]));
    expect(rows).toEqual({
      utilisation: ['≥ 75 %', '≥ 65 %', '< 65 %'],
      laborAchievement: ['90 %–110 %', '80 %–120 %', '< 80 % · > 120 %'],
      firstTimeFix: ['≥ 90 %', '≥ 85 %', '< 85 %'],
      comebackRate: ['≤ 3 %', '≤ 5 %', '> 5 %'],
      csat: ['≥ 90 %', '≥ 85 %', '< 85 %'],
      averageWait: ['≤ 45 min', '≤ 90 min', '> 90 min'],
      bayElapsed: ['≤ 110 %', '≤ 120 %', '> 120 %'],
    });
  });

  it("uses the workshop's own overrides", () => {
    const rows = legendRows(resolveThresholds({ averageWait: { green: 30, yellow: 60 } }), 'min');
    expect(rows.find((r) => r.name === 'averageWait')).toEqual({ name: 'averageWait', green: '≤ 30 min', yellow: '≤ 60 min', red: '> 60 min' });
  });

  it("says minutes in the page's language", () => {
    const rows = legendRows(DEFAULT_THRESHOLDS, '分钟');
    expect(rows.find((r) => r.name === 'averageWait')).toEqual({ name: 'averageWait', green: '≤ 45 分钟', yellow: '≤ 90 分钟', red: '> 90 分钟' });
  });
});

describe('bayColumns', () => {
  it.each([
    [1, 1],
    [3, 3],
    [4, 4],
    [6, 4],
    [8, 4],
    [12, 5],
    [16, 6],
  ])('%i bays → %i columns', (n, cols) => {
    expect(bayColumns(n)).toBe(cols);
  });
});
