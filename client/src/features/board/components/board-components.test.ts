// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createPitwallI18n, type Locale } from '../../../i18n/index.js';
import { alertChips, alertSignature, bayCards } from '../../../lib/board-view.js';
import { snapshotAt1800, WORKSHOP } from '../../../lib/board-test-fixture.js';
import AlertBanner from './AlertBanner.vue';
import AlertSound from './AlertSound.vue';
import BayCard from './BayCard.vue';
import BoardHeader from './BoardHeader.vue';
import VersionFooter from '../../../components/VersionFooter.vue';
import { PITWALL_VERSION } from '../../../../../shared/version.js';
import FloorStats from './FloorStats.vue';
import KpiTile from './KpiTile.vue';
import LightLegend from './LightLegend.vue';
import { DEFAULT_THRESHOLDS } from '../../../../../shared/lights.js';

const plugins = (locale: Locale = 'en') => ({ global: { plugins: [createPitwallI18n(locale)] } });
const TZ = 'Asia/Shanghai';

describe('KpiTile', () => {
  it('shows the figure, the light as shape and word, and the green line', () => {
    const w = mount(KpiTile, { props: { name: 'utilisation', kpi: { value: 0.5661, light: 'red' }, greenRule: '≥ 75 %' }, ...plugins() });
    expect(w.get('[data-testid="kpi-value"]').text()).toBe('57 %');
    expect(w.attributes('data-light')).toBe('red');
    expect(w.text()).toContain('■Red');
    expect(w.text()).toContain('Green ≥ 75 %');
  });

  it('shows "—" and no light without data', () => {
    const w = mount(KpiTile, { props: { name: 'csat', kpi: { value: null, light: 'none' }, greenRule: '≥ 90 %' }, ...plugins() });
    expect(w.get('[data-testid="kpi-value"]').text()).toBe('—');
    expect(w.text()).toContain('No data');
  });

  it('shows the wait in minutes, in Chinese too', () => {
    const w = mount(KpiTile, { props: { name: 'averageWait', kpi: { value: 210, light: 'red' }, greenRule: '≤ 45 分钟' }, ...plugins('zh-CN') });
    expect(w.get('[data-testid="kpi-value"]').text()).toBe('210分钟');
    expect(w.text()).toContain('平均等待');
    expect(w.text()).toContain('红灯');
  });

  it('pulses when its light gets worse, not when it gets better', async () => {
    const w = mount(KpiTile, { props: { name: 'csat', kpi: { value: 0.95, light: 'green' }, greenRule: '' }, ...plugins() });
    expect(w.classes()).not.toContain('pulse');
    await w.setProps({ kpi: { value: 0.8, light: 'red' } });
    expect(w.classes()).toContain('pulse');
    await w.trigger('animationend');
    expect(w.classes()).not.toContain('pulse');
    await w.setProps({ kpi: { value: 0.95, light: 'green' } });
    expect(w.classes()).not.toContain('pulse');
  });
});

describe('BayCard', () => {
  const cards = bayCards(snapshotAt1800(), WORKSHOP, false);

  it('shows plate, technician, why it is paused and elapsed against standard', () => {
    const w = mount(BayCard, { props: { bay: cards[0]!, timeZone: TZ }, ...plugins() });
    expect(w.get('[data-testid="bay-plate"]').text()).toBe('沪F55555');
    expect(w.get('[data-testid="bay-technician"]').text()).toBe('Zhang Wei');
    expect(w.get('[data-testid="bay-status"]').text()).toBe('Paused · Waiting for approval');
    expect(w.get('[data-testid="bay-minutes"]').text()).toBe('60 / 30 min200 %');
    expect(w.attributes('data-light')).toBe('red');
  });

  it('marks a bay whose terminal is silent, in the workshop time zone', () => {
    const w = mount(BayCard, { props: { bay: cards[2]!, timeZone: TZ }, ...plugins() });
    expect(w.get('[data-testid="bay-silent"]').text()).toContain('Terminal silent since 17:42');
    expect(w.classes()).toContain('silent');
  });

  it('marks an isolation bay (damaged battery) in words and shape, not colour alone, in both languages', () => {
    const iso = { ...cards[0]!, state: 'isolation' as const, pauseReason: null, terminalSilentSince: null };
    const en = mount(BayCard, { props: { bay: iso, timeZone: TZ }, ...plugins() });
    expect(en.get('[data-testid="bay-isolation"]').text()).toBe('⚠ Isolation — damaged battery');
    expect(en.classes()).toContain('state-isolation');
    expect(en.attributes('data-state')).toBe('isolation');
    expect(en.get('[data-testid="bay-plate"]').text()).toBe('沪F55555');
    expect(en.get('[data-testid="bay-status"]').text()).toBe('In progress');
    const zh = mount(BayCard, { props: { bay: { ...iso, pauseReason: 'parts' }, timeZone: TZ }, ...plugins('zh-CN') });
    expect(zh.get('[data-testid="bay-isolation"]').text()).toBe('⚠ 隔离 — 电池受损');
    expect(zh.get('[data-testid="bay-status"]').classes()).toContain('paused');
    const plain = mount(BayCard, { props: { bay: cards[0]!, timeZone: TZ }, ...plugins() });
    expect(plain.find('[data-testid="bay-isolation"]').exists()).toBe(false);
  });

  it('says "Free" for an idle bay with a live terminal', () => {
    const w = mount(BayCard, { props: { bay: { ...cards[2]!, terminalSilentSince: null }, timeZone: TZ }, ...plugins() });
    expect(w.text()).toBe('Bay 3Free');
  });
});

describe('AlertBanner', () => {
  const snapshot = snapshotAt1800();
  const props = { chips: alertChips(snapshot), signature: alertSignature(snapshot), bayName: (id: string) => `Bay ${id.slice(1)}` };

  it('lists the active alerts worst first, with counts and acknowledgement', () => {
    const w = mount(AlertBanner, { props, ...plugins() });
    expect(w.attributes('data-worst')).toBe('red');
    expect(w.text()).toContain('2 red · 1 yellow');
    expect(w.findAll('li').map((li) => li.text())).toEqual(['■Utilisation57 %✓ acknowledged', '■Bay 2383 %', '▲Labour-time achievement82 %']);
  });

  it('counts the lights the hub left out of a large snapshot in its "+N"', () => {
    const w = mount(AlertBanner, { props: { ...props, notListed: 5 }, ...plugins() });
    expect(w.find('.more').text()).toContain('5');
  });

  it('is calm and green without alerts', () => {
    const w = mount(AlertBanner, { props: { ...props, chips: [], signature: '' }, ...plugins() });
    expect(w.attributes('data-worst')).toBe('green');
    expect(w.text()).toContain('All lights green');
  });

  it('pulses when an alert is added, not when one clears', async () => {
    const w = mount(AlertBanner, { props: { ...props, chips: props.chips.slice(1), signature: 'bay:B2:red' }, ...plugins() });
    await w.setProps({ chips: props.chips, signature: 'bay:B2:red,utilisation:red' });
    expect(w.classes()).toContain('pulse');
    await w.trigger('animationend');
    await w.setProps({ chips: props.chips.slice(1), signature: 'bay:B2:red' });
    expect(w.classes()).not.toContain('pulse');
  });
});

describe('BoardHeader', () => {
  const base = { workshopName: 'Shanghai test', asOf: '2026-11-21T10:00:00.000Z', timeZone: TZ, privacy: false, sound: 'off' as const };
  it.each([
    [{ kind: 'live' } as const, 'Live'],
    [{ kind: 'offline', since: Date.parse('2026-11-21T09:58:00Z'), dataFrom: null } as const, 'Offline since 17:58'],
    [{ kind: 'stale', dataFrom: Date.parse('2026-11-21T09:59:00Z') } as const, 'Data from 17:59'],
    [{ kind: 'unauthorized' } as const, 'This page’s token is missing or not valid for this workshop: open it with its link (#token=…)'],
  ])('says %j as "%s", in the workshop time zone', (freshness, text) => {
    const w = mount(BoardHeader, { props: { ...base, freshness }, ...plugins() });
    expect(w.get('[data-testid="conn"]').text()).toBe(text);
    expect(w.get('[data-testid="as-of"]').text()).toBe('18:00');
  });

  it('names the release it runs, as /healthz and CHANGELOG.md do', () => {
    const w = mount(BoardHeader, { props: { ...base, freshness: { kind: 'live' } }, ...plugins() });
    expect(w.get('[data-testid="version"]').text()).toBe(PITWALL_VERSION);
    expect(mount(VersionFooter).text()).toBe(`Pitwall ${PITWALL_VERSION}`);
  });
});

describe('FloorStats and LightLegend', () => {
  it('show every live count', () => {
    const w = mount(FloorStats, { props: { snapshot: snapshotAt1800() }, ...plugins() });
    expect(w.get('[data-testid="stat-technicians-on-break"]').text()).toBe('0on break');
    expect(w.get('[data-testid="stat-customers-average"]').text()).toBe('210min average');
    expect(w.get('[data-testid="stat-today-delivered"]').text()).toBe('2delivered');
  });

  it('show the thresholds behind each light', () => {
    const w = mount(LightLegend, { props: { thresholds: DEFAULT_THRESHOLDS }, ...plugins() });
    expect(w.get('[data-testid="legend-averageWait"]').text()).toBe('Average wait≤ 45 min≤ 90 min');
    expect(w.get('[data-testid="legend-bayElapsed"]').text()).toContain('Bay: elapsed ÷ standard');
    // Red is what lies past yellow: said once, in the footnote.
    expect(w.get('[data-testid="legend-red"]').text()).toContain('Red: past the yellow line');
  });

  it('says minutes in Chinese', () => {
    const w = mount(LightLegend, { props: { thresholds: DEFAULT_THRESHOLDS }, ...plugins('zh-CN') });
    expect(w.get('[data-testid="legend-averageWait"]').text()).toBe('平均等待≤ 45 分钟≤ 90 分钟');
  });
});

describe('AlertSound', () => {
  const quiet = { startMin: 22 * 60, endMin: 7 * 60 };
  const base = { alerts: snapshotAt1800().alerts, now: Date.parse('2026-11-21T10:00:00Z'), timeZone: TZ, quiet };

  it('says sound is blocked where the browser has no Web Audio', () => {
    const w = mount(AlertSound, { props: { ...base, workshopNow: Date.parse('2026-11-21T10:00:00Z') } });
    expect(w.emitted('status')?.at(-1)).toEqual(['blocked']);
  });

  it("says quiet hours by the workshop's clock", () => {
    const w = mount(AlertSound, { props: { ...base, workshopNow: Date.parse('2026-11-21T15:30:00Z') } });
    expect(w.emitted('status')?.at(-1)).toEqual(['quiet']);
  });
});
