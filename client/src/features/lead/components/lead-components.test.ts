// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { computed, effectScope } from 'vue';
import { DEFAULT_THRESHOLDS } from '../../../../../shared/lights.js';
import { useLeadReassign } from '../leadReassign.js';
import { createPitwallI18n, type Locale } from '../../../i18n/index.js';
import { ApiRequestError } from '../../../lib/api.js';
import { bayCards } from '../../../lib/board-view.js';
import { snapshotAt1800, WORKSHOP } from '../../../lib/board-test-fixture.js';
import { forecastAt1800, staffingWithHistory, techniciansAt1800, waitingAt1800 } from '../lead-test-fixture.js';
import { lightRows, moveDiff, promiseAdvice, queueFigures, queueRows, staffingAdvice, staffingHours, technicianRows } from '../lead-view.js';
import LeadBays from './LeadBays.vue';
import LeadHeader from './LeadHeader.vue';
import LeadLights from './LeadLights.vue';
import LeadMovePreview from './LeadMovePreview.vue';
import LeadQueue from './LeadQueue.vue';
import LeadReassign from './LeadReassign.vue';
import LeadStaffing from './LeadStaffing.vue';
import LeadTechnicians from './LeadTechnicians.vue';

/** A typed value as the UI puts it in a sentence: between FSI and PDI (lib/display-text.ts). */
const iso = (s: string) => `\u2068${s}\u2069`;

/** The lead's components on the scripted day at 18:00 (the hub's own answers, features/lead/lead-test-fixture.ts). */
const plugins = (locale: Locale = 'en') => ({ global: { plugins: [createPitwallI18n(locale)] } });
const TZ = 'Asia/Shanghai';
const AT_1800 = Date.parse('2026-11-21T10:00:00.000Z');

describe('LeadHeader', () => {
  it('says live, or offline since when, in the workshop time zone', async () => {
    const w = mount(LeadHeader, { props: { workshopName: 'Shanghai test', freshness: { kind: 'live' }, asOf: '2026-11-21T10:00:00.000Z', timeZone: TZ }, ...plugins() });
    expect(w.get('[data-testid="conn"]').text()).toBe('Live');
    expect(w.get('[data-testid="as-of"]').text()).toBe('18:00');
    await w.setProps({ freshness: { kind: 'offline', since: Date.parse('2026-11-21T10:02:00.000Z'), dataFrom: AT_1800 } });
    expect(w.get('[data-testid="conn"]').text()).toBe('Offline since 18:02');
    expect(w.get('[data-testid="as-of"]').classes()).toContain('frozen');
  });

  it('speaks Chinese', () => {
    const w = mount(LeadHeader, { props: { workshopName: 'Shanghai test', freshness: { kind: 'offline', since: AT_1800, dataFrom: null }, asOf: null, timeZone: TZ }, ...plugins('zh-CN') });
    expect(w.text()).toContain('班组长');
    expect(w.get('[data-testid="conn"]').text()).toBe('自 18:00 起离线');
  });
});

describe('LeadTechnicians', () => {
  const rows = technicianRows(techniciansAt1800(), snapshotAt1800(), WORKSHOP, DEFAULT_THRESHOLDS);

  it('shows utilisation on a minute of attendance grey, with "too little data"', () => {
    const techs = techniciansAt1800().map((t) => (t.technicianId === 'T2' ? { ...t, attendanceMin: 1, productiveMin: 0.006, utilisation: 0.006 } : t));
    const w = mount(LeadTechnicians, { props: { rows: technicianRows(techs, snapshotAt1800(), WORKSHOP, DEFAULT_THRESHOLDS), timeZone: TZ }, ...plugins() });
    const u = w.get('[data-testid="tech-T2"] [data-testid="tech-utilisation"]');
    expect(u.attributes('data-light')).toBe('none');
    expect(u.get('[data-testid="tech-too-little"]').text()).toBe('too little data');
    expect(w.find('[data-testid="tech-T1"] [data-testid="tech-too-little"]').exists()).toBe(false);
  });

  it('shows each technician’s status, team, bay, job and utilisation with its light', () => {
    const w = mount(LeadTechnicians, { props: { rows, timeZone: TZ }, ...plugins() });
    expect(w.get('[data-testid="technicians-summary"]').text()).toBe('2 on shift · 1 idle · 0 on break');
    const t2 = w.get('[data-testid="tech-T2"]');
    expect(t2.get('[data-testid="tech-status"]').text()).toBe('On shift');
    expect(t2.get('[data-testid="tech-team"]').text()).toBe('repair');
    expect(t2.get('[data-testid="tech-bay"]').text()).toBe('Bay 2');
    expect(t2.get('[data-testid="tech-job"]').text()).toBe('沪D33333');
    expect(t2.get('[data-testid="tech-utilisation"]').text()).toContain('81 %');
    expect(t2.get('[data-testid="tech-utilisation"]').attributes('data-light')).toBe('green');
    const t1 = w.get('[data-testid="tech-T1"]');
    expect(t1.get('[data-testid="tech-status"]').text()).toBe('On shift · idle');
    expect(t1.get('[data-testid="tech-paused"]').text()).toBe(`paused: ${iso('沪F55555')}`);
    expect(w.get('[data-testid="tech-T3"]').get('[data-testid="tech-status"]').text()).toBe('Off');
    expect(w.find('[data-testid="tech-juggling"]').exists()).toBe(false);
  });

  it('says who juggles two or more open jobs', () => {
    const busy = rows.map((r) => (r.technicianId === 'T2' ? { ...r, openJobs: 2, pausedPlates: ['沪F55555'] } : r));
    const w = mount(LeadTechnicians, { props: { rows: busy, timeZone: TZ }, ...plugins() });
    expect(w.get('[data-testid="tech-T2"]').get('[data-testid="tech-juggling"]').text()).toBe('2 jobs open');
  });

  it('marks a technician whose bay terminal is silent, in Chinese too', () => {
    const silent = rows.map((r) => (r.technicianId === 'T2' ? { ...r, baySilentSince: '2026-11-21T09:42:00.000Z' } : r));
    const w = mount(LeadTechnicians, { props: { rows: silent, timeZone: TZ }, ...plugins('zh-CN') });
    expect(w.get('[data-testid="tech-bay-silent"]').text()).toContain(`${iso('Bay 2')}：终端自 17:42 起无响应`);
    expect(w.get('[data-testid="tech-T1"]').get('[data-testid="tech-status"]').text()).toBe('在岗 · 空闲');
  });
});

describe('LeadQueue', () => {
  const props = () => ({ rows: queueRows(waitingAt1800(), forecastAt1800(), AT_1800), figures: queueFigures(snapshotAt1800(), forecastAt1800(), DEFAULT_THRESHOLDS), timeZone: TZ });

  it('shows every waiting car with its wait, promise, predicted start and the promise at risk', () => {
    const w = mount(LeadQueue, { props: props(), ...plugins() });
    expect(w.get('[data-testid="queue-count"]').text()).toBe('2 waiting');
    const j7 = w.get('[data-testid="queue-J7"]');
    expect(j7.get('[data-testid="queue-plate"]').text()).toBe('沪H77777');
    expect(j7.get('[data-testid="queue-waited"]').text()).toContain('180 min');
    expect(j7.get('[data-testid="queue-promised"]').text()).toContain('17:00');
    expect(j7.get('[data-testid="queue-start"]').text()).toContain('18:00');
    expect(j7.get('[data-testid="queue-risk"]').text()).toBe('⚠ promise at risk: 150 min late');
    expect(w.get('[data-testid="queue-J6"]').find('[data-testid="queue-risk"]').exists()).toBe(false);
    expect(w.get('[data-testid="queue-J6"]').text()).toContain('drop-off');
  });

  it('shows the waits as figures with their light, and the forecast’s own error', () => {
    const w = mount(LeadQueue, { props: props(), ...plugins() });
    expect(w.get('[data-testid="queue-wait-now"]').text()).toMatch(/avg\s*210\s*p90\s*240/);
    expect(w.get('[data-testid="queue-wait-now"]').classes()).toContain('light-red');
    expect(w.get('[data-testid="queue-wait-predicted"]').text()).toMatch(/avg\s*180/);
    expect(w.get('[data-testid="queue-promises"]').text()).toContain('1');
    expect(w.get('[data-testid="queue-forecast-error"]').text()).toContain('median 10 · p90 120 min');
    expect(w.get('[data-testid="queue-forecast-error"]').text()).toContain('over 6 starts');
  });

  it('says when nobody waits, and when nobody is on shift to predict a start', () => {
    const empty = mount(LeadQueue, { props: { ...props(), rows: [] }, ...plugins() });
    expect(empty.get('[data-testid="queue-empty"]').text()).toBe('Nobody is waiting');
    const rows = props().rows.map((r) => ({ ...r, predictedStartAt: null }));
    const w = mount(LeadQueue, { props: { ...props(), rows }, ...plugins('zh-CN') });
    expect(w.get('[data-testid="queue-J6"]').get('[data-testid="queue-start"]').text()).toContain('无人在岗');
    expect(w.get('[data-testid="queue-J7"]').get('[data-testid="queue-risk"]').text()).toContain('承诺有风险：预计晚 150 分钟');
  });
});

describe('LeadLights', () => {
  const rows = lightRows(snapshotAt1800(), WORKSHOP, DEFAULT_THRESHOLDS);

  it('shows each light with its figure, rule and a sentence saying why', () => {
    const w = mount(LeadLights, { props: { rows, timeZone: TZ, acknowledge: null }, ...plugins() });
    const wait = w.get('[data-testid="light-averageWait"]');
    expect(wait.attributes('data-light')).toBe('red');
    expect(wait.get('[data-testid="light-value"]').text()).toBe('210 min');
    expect(wait.get('[data-testid="light-why"]').text()).toBe('Customers on site have waited 210 min on average (green ≤ 45 min, yellow ≤ 90 min): more hands or a move shortens the queue.');
    expect(w.get('[data-testid="light-bay:B2"]').get('[data-testid="light-why"]').text()).toBe(
      `${iso('Bay 2')} · ${iso('沪D33333')}: 460 of 120 min standard worked, 383 % (green ≤ 110 %, yellow ≤ 120 %): a problem, or a tap forgotten?`,
    );
    expect(w.get('[data-testid="light-laborAchievement"]').text()).toContain('▲Yellow');
    expect(w.get('[data-testid="light-utilisation"]').get('[data-testid="light-acked"]').text()).toContain('Acknowledged 10:00');
  });

  it('acknowledges an active alert through the function it is given, and shows a refusal', async () => {
    const asked: string[] = [];
    let refuse = true;
    const acknowledge = async (metric: string) => {
      asked.push(metric);
      if (refuse) throw new ApiRequestError(404, { code: 'not_found', message: 'no active alert for bay:B2' });
    };
    const w = mount(LeadLights, { props: { rows, timeZone: TZ, acknowledge }, ...plugins() });
    // Only active, unacknowledged alerts have the button.
    expect(w.find('[data-testid="ack-averageWait"]').exists()).toBe(false);
    expect(w.find('[data-testid="ack-utilisation"]').exists()).toBe(false);
    await w.get('[data-testid="ack-bay:B2"]').trigger('click');
    await flushPromises();
    expect(asked).toEqual(['bay:B2']);
    expect(w.get('[data-testid="light-bay:B2"]').get('[role="alert"]').text()).toBe(`Not acknowledged: ${iso('no active alert for bay:B2')}`);
    refuse = false;
    await w.get('[data-testid="ack-bay:B2"]').trigger('click');
    await flushPromises();
    expect(w.get('[data-testid="light-bay:B2"]').find('[role="alert"]').exists()).toBe(false);
  });

  it('says all green in Chinese when nothing needs the lead', () => {
    const w = mount(LeadLights, { props: { rows: [], timeZone: TZ, acknowledge: null }, ...plugins('zh-CN') });
    expect(w.get('[data-testid="lights-all-green"]').text()).toContain('全部绿灯');
  });
});

describe('LeadStaffing', () => {
  const plan = staffingWithHistory();
  const props = { greenLineMin: 45, hours: staffingHours(plan), plan, idleNames: ['Zhang Wei'], timeZone: TZ, promises: null };
  const call = staffingAdvice({ ...forecastAt1800(), targetAverageWaitMin: 45, extraTechniciansNeeded: 2, scenarios: [110, 70, 38].map((w, i) => ({ extraTechnicians: i, predictedAverageWaitMin: w, predictedP90WaitMin: w })) });

  it('asks for more technicians with the wait before and after, and says what it assumes', () => {
    const w = mount(LeadStaffing, { props: { ...props, advice: call }, ...plugins() });
    expect(w.get('[data-testid="staffing-advice"]').text()).toBe('Call in 2 more technicians: predicted wait 110 → 38 min*');
    expect(w.get('[data-testid="staffing-target"]').text()).toBe('Target: 45 min (green line 45 min)');
    expect(w.get('[data-testid="staffing-idle"]').text()).toContain('Zhang Wei');
    expect(w.get('[data-testid="staffing-footnote"]').text()).toContain('Erlang C per hour');
    expect(w.get('[data-testid="staffing-footnote"]').text()).toContain('(62 min)');
    expect(w.get('[data-testid="staffing-hour-19:00"]').text()).toContain('0');
  });

  it('says one technician in the singular, and the raised target once the line is already crossed', () => {
    const one = staffingAdvice({ ...forecastAt1800(), targetAverageWaitMin: 185, extraTechniciansNeeded: 1, scenarios: [240, 180].map((w, i) => ({ extraTechnicians: i, predictedAverageWaitMin: w, predictedP90WaitMin: w })) });
    const w = mount(LeadStaffing, { props: { ...props, advice: one }, ...plugins() });
    expect(w.get('[data-testid="staffing-advice"]').text()).toBe('Call in 1 more technician: predicted wait 240 → 180 min*');
    expect(w.get('[data-testid="staffing-target"]').text()).toContain('the best still possible + 5');
  });

  // Issue 12, item 4: the closest number with the wait it gives, never an empty figure in a sentence.
  it('names the fewest that get closest when the target is out of reach, with the wait it gives', () => {
    const f = { ...forecastAt1800(), targetAverageWaitMin: 45, extraTechniciansNeeded: null, closest: { extraTechnicians: 3, predictedAverageWaitMin: 94 } };
    const scenarios = [145, 115, 100, 94, 94, 94, 94].map((w, i) => ({ extraTechnicians: i, predictedAverageWaitMin: w, predictedP90WaitMin: w }));
    const w = mount(LeadStaffing, { props: { ...props, advice: staffingAdvice({ ...f, scenarios }) }, ...plugins() });
    expect(w.get('[data-testid="staffing-advice"]').text()).toBe('Call in 3 more technicians: predicted wait 145 → 94 min, still above 45 min; more would not help*');
    const none = { ...f, onShift: 0, scenarios: [{ extraTechnicians: 0, predictedAverageWaitMin: null, predictedP90WaitMin: null }, ...scenarios.slice(1)] };
    const z = mount(LeadStaffing, { props: { ...props, advice: staffingAdvice(none) }, ...plugins('zh-CN') });
    expect(z.get('[data-testid="staffing-advice"]').text()).toBe('增派 3 名技师：预计等待 94 分钟，仍高于 45 分钟；再多也无济于事*');
    for (const p of [w, z]) expect(p.get('[data-testid="staffing-advice"]').text()).not.toContain('—');
  });

  it('counts drop-off cars and promises: twelve queued with promises at risk is not "nothing to add"', () => {
    const f = { ...forecastAt1800(), bestPossibleAverageWaitMin: null, extraTechniciansNeeded: null, queuedCars: 12, promiseAdvice: { extraTechnicians: 2, atRiskNow: 9, atRiskAfter: 3 } };
    const w = mount(LeadStaffing, { props: { ...props, advice: staffingAdvice(f), promises: promiseAdvice(f) }, ...plugins() });
    expect(w.text()).not.toContain('nothing to add');
    expect(w.get('[data-testid="staffing-advice"]').text()).toBe('No customer waits on site; 12 drop-off cars queue*');
    expect(w.get('[data-testid="staffing-promises"]').text()).toBe('Promises: call in 2 more technicians: at risk 9 → 3');
  });

  it('says there is too little history for the next hours instead of showing zeros', () => {
    const short = { ...plan, weeksOfHistory: 0, historyDays: 3, hours: [] };
    const w = mount(LeadStaffing, { props: { ...props, plan: short, hours: staffingHours(short), advice: staffingAdvice(forecastAt1800()) }, ...plugins() });
    expect(w.find('[data-testid="staffing-hours"]').exists()).toBe(false);
    expect(w.get('[data-testid="staffing-hours-short"]').text()).toBe('Next hours: no estimate yet, only 3 days of history (it needs 1 full week of the same weekday and hour)');
  });

  it('says when the staff on shift hold it, in Chinese', () => {
    const w = mount(LeadStaffing, { props: { ...props, advice: staffingAdvice(forecastAt1800()) }, ...plugins('zh-CN') });
    expect(w.get('[data-testid="staffing-advice"]').attributes('data-kind')).toBe('holds');
    expect(w.get('[data-testid="staffing-advice"]').text()).toContain('当班技师足够：预计等待 180 分钟');
    expect(w.get('[data-testid="staffing-footnote"]').text()).toContain('Erlang C');
  });
});

describe('LeadBays', () => {
  it('marks a bay whose terminal is silent', () => {
    const w = mount(LeadBays, { props: { bays: bayCards(snapshotAt1800(), WORKSHOP, false), timeZone: TZ }, ...plugins() });
    expect(w.get('[data-testid="lead-bay-B3"]').get('[data-testid="lead-bay-silent"]').text()).toBe('⚠ Terminal silent since 17:42');
    expect(w.get('[data-testid="lead-bay-B1"]').text()).toContain('沪F55555');
    expect(w.get('[data-testid="lead-bay-B1"]').text()).toContain('Waiting for approval');
    expect(w.find('[data-testid="lead-bay-B1"] [data-testid="lead-bay-silent"]').exists()).toBe(false);
  });
});

describe('LeadMovePreview', () => {
  it('shows before → after for the waits, the promises and the extra staff', () => {
    const before = forecastAt1800();
    const after = { ...before, scenarios: [{ extraTechnicians: 0, predictedAverageWaitMin: 90, predictedP90WaitMin: 100 }], promisesAtRisk: [] };
    const w = mount(LeadMovePreview, { props: { diff: moveDiff({ before, after }) }, ...plugins() });
    const avg = w.get('[data-testid="preview-average"]');
    expect(avg.get('[data-testid="before"]').text()).toBe('180 min');
    expect(avg.get('[data-testid="after"]').text()).toBe('90 min');
    expect(avg.classes()).toContain('better');
    expect(w.get('[data-testid="preview-promises"]').text()).toMatch(/1\s*→\s*0/);
    expect(w.get('[data-testid="preview-promise-J7"]').text()).toMatch(/沪H77777\s*150 min late\s*→\s*on time/);
  });
});

describe('LeadReassign', () => {
  /** The composable as the view builds it; no hub here (the commit itself is tested against one in leadFeed.test.ts). */
  function mountReassign(locale: Locale = 'en', workshop = WORKSHOP) {
    const scope = effectScope();
    const reassign = scope.run(() => useLeadReassign(() => null, computed(() => techniciansAt1800()), () => AT_1800, () => {}))!;
    const w = mount(LeadReassign, { props: { reassign, technicians: techniciansAt1800(), workshop, teams: ['quick', 'repair'] }, ...plugins(locale) });
    return { w, reassign, scope };
  }

  it("shows the teams' names from the config, and the id for a team it does not name", () => {
    const { w, scope } = mountReassign('en', { ...WORKSHOP, teams: [{ id: 'quick', name: 'Quick service' }] });
    const options = w.findAll('[data-testid="reassign-team"] option').map((o) => [o.attributes('value'), o.text()]);
    expect(options).toContainEqual(['quick', 'Quick service']);
    expect(options).toContainEqual(['repair', 'repair']);
    scope.stop();
  });

  it('starts from where the picked technician is, and offers nothing to commit until the preview answers the move', async () => {
    const { w, reassign, scope } = mountReassign();
    expect(w.get('[data-testid="reassign-commit"]').attributes('disabled')).toBeDefined();
    await w.get('[data-testid="reassign-technician"]').setValue('T2');
    expect((w.get('[data-testid="reassign-team"]').element as HTMLSelectElement).value).toBe('repair');
    expect(w.text()).toContain('Change the team or the bay to see what it does');
    await w.get('[data-testid="reassign-team"]').setValue('quick');
    expect(reassign.move.value).toEqual({ technicianId: 'T2', team: 'quick' });
    expect(w.get('[data-testid="reassign-commit"]').attributes('disabled')).toBeDefined();
    scope.stop();
  });

  it('shows the hub’s refusal with its reason', async () => {
    const { w, reassign, scope } = mountReassign('zh-CN');
    reassign.commit.value = {
      kind: 'done',
      technicianName: 'Wang Fang',
      result: { id: 'lead-0123456789ab', status: 'rejected', error: { code: 'unknown_reference', message: 'bayId: unknown bay B9', details: [{ path: 'bayId', message: 'unknown bay B9' }] } },
    };
    await flushPromises();
    const verdict = w.get('[data-testid="reassign-verdict"]');
    expect(verdict.text()).toBe(`系统拒绝了调岗：${iso('unknown bay B9')}`);
    expect(verdict.attributes('data-ok')).toBe('false');
    scope.stop();
  });
});
