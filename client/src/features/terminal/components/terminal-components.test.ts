// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { createPitwallI18n, type Locale } from '../../../i18n/index.js';
import { floorJob, floorTechnician } from '../terminal-test-fixture.js';
import { SHANGHAI } from '../../../../../test/fixtures/workshop.js';
import BayPicker from './BayPicker.vue';
import CheckInForm from '../../desk/components/CheckInForm.vue';
import JobCard from './JobCard.vue';
import QueueList from './QueueList.vue';
import RejectedList from './RejectedList.vue';
import ShiftPanel from './ShiftPanel.vue';
import type { SurveyOutcome } from '../../desk/terminal-desk.js';
import SurveyForm, { type SurveyFields } from '../../desk/components/SurveyForm.vue';
import TechnicianPicker from './TechnicianPicker.vue';
import TerminalHeader from './TerminalHeader.vue';

/** A typed value as the UI puts it in a sentence: between FSI and PDI (lib/display-text.ts). */
const iso = (s: string) => `\u2068${s}\u2069`;

const plugins = (locale: Locale = 'en') => ({ global: { plugins: [createPitwallI18n(locale)] } });
const TZ = 'Asia/Shanghai';
const BAYS = SHANGHAI.bays;

describe('TerminalHeader', () => {
  const base = { title: 'Bay terminal', workshopName: 'Shanghai test', connection: 'live' as const, offlineSince: null, sending: false, retryAt: null, timeZone: TZ, bayLabel: 'Bay 1' };

  it.each([
    ['en', 0, 'All sent'],
    ['en', 1, '1 waiting to be sent'],
    ['en', 3, '3 waiting to be sent'],
    ['zh-CN', 3, '3 项待发送'],
  ] as const)('in %s with %i waiting says "%s"', (locale, n, text) => {
    const w = mount(TerminalHeader, { props: { ...base, waitingToSend: n }, ...plugins(locale) });
    expect(w.get('[data-testid="outbox-count"]').text()).toContain(text);
    expect(w.get('[data-testid="outbox-count"]').attributes('data-count')).toBe(String(n));
    expect(w.find('[data-testid="retry-now"]').exists()).toBe(n > 0);
  });

  it('says offline since when, and the next try, on the workshop clock', () => {
    const w = mount(TerminalHeader, {
      props: { ...base, connection: 'offline', offlineSince: Date.parse('2026-11-21T02:03:00Z'), waitingToSend: 2, retryAt: Date.parse('2026-11-21T02:04:30Z') },
      ...plugins(),
    });
    expect(w.get('[data-testid="conn"]').text()).toBe('Offline since 10:03');
    expect(w.get('[data-testid="outbox-count"]').text()).toContain('Next try 10:04');
    expect(w.find('[data-testid="outbox-error"]').exists()).toBe(false);
  });

  it.each([
    ['network', 'hub not reachable'],
    ['the store cannot be reached', 'the store cannot be reached'],
  ])('says why sending failed (%s)', (lastError, text) => {
    const w = mount(TerminalHeader, { props: { ...base, waitingToSend: 1, lastError }, ...plugins() });
    expect(w.get('[data-testid="outbox-error"]').text()).toBe(`· ${text}`);
  });

  it('offers the bay setting only where there is one', async () => {
    const w = mount(TerminalHeader, { props: { ...base, waitingToSend: 0 }, ...plugins() });
    await w.get('[data-testid="tablet-bay"]').trigger('click');
    expect(w.emitted('changeBay')).toHaveLength(1);
    const desk = mount(TerminalHeader, { props: { ...base, bayLabel: undefined, waitingToSend: 0 }, ...plugins() });
    expect(desk.find('[data-testid="tablet-bay"]').exists()).toBe(false);
  });
});

describe('ShiftPanel', () => {
  it.each([
    ['off', ['clock-in']],
    ['on_shift', ['break-start', 'clock-out']],
    ['on_break', ['break-end', 'clock-out']],
  ] as const)('when %s offers %j', (status, buttons) => {
    const w = mount(ShiftPanel, { props: { technician: floorTechnician({ technicianId: 'T1', name: 'Zhang Wei', status }), running: [] }, ...plugins() });
    const shown = w.findAll('.actions button').map((b) => b.attributes('data-testid'));
    expect(shown).toEqual(buttons);
  });

  it('emits the tap and marks an unconfirmed state as waiting to be sent', async () => {
    const w = mount(ShiftPanel, { props: { technician: floorTechnician({ technicianId: 'T1', name: 'Zhang Wei', status: 'on_shift', pending: 'shift.clock_in' }), running: [] }, ...plugins('zh-CN') });
    expect(w.get('[data-testid="shift-status"]').text()).toContain('在岗');
    expect(w.get('[data-testid="shift-pending"]').text()).toContain('待发送');
    await w.get('[data-testid="break-start"]').trigger('click');
    // No job running: nothing to ask, one tap.
    expect(w.emitted('act')).toEqual([['shift.break_start', false]]);
  });
});

describe('JobCard', () => {
  const running = floorJob({ jobId: 'J1', plate: '沪B67890', state: 'in_progress', bayId: 'B1', technicianId: 'T1', workedMin: 12.4, standardMinutes: 45 });

  it('pauses in two taps: pause, then why', async () => {
    const w = mount(JobCard, { props: { job: running, bayName: 'Bay 1' }, ...plugins() });
    expect(w.get('[data-testid="job-status"]').text()).toContain('12 of 45 min');
    await w.get('[data-testid="pause"]').trigger('click');
    expect(w.emitted('pause')).toBeUndefined();
    await w.get('[data-testid="pause-approval"]').trigger('click');
    expect(w.emitted('pause')).toEqual([['approval']]);
    // Back to the first step afterwards.
    expect(w.find('[data-testid="pause"]').exists()).toBe(true);
  });

  it('completes in two taps and asks about first-time fix; "back" sends nothing', async () => {
    const w = mount(JobCard, { props: { job: running, bayName: 'Bay 1' }, ...plugins() });
    await w.get('[data-testid="complete"]').trigger('click');
    await w.get('[data-testid="back"]').trigger('click');
    expect(w.emitted('complete')).toBeUndefined();
    await w.get('[data-testid="complete"]').trigger('click');
    await w.get('[data-testid="ftf-no"]').trigger('click');
    expect(w.emitted('complete')).toEqual([[false]]);
  });

  it('resumes a paused job in one tap and says why it waits', async () => {
    const w = mount(JobCard, { props: { job: { ...running, state: 'paused', pauseReason: 'parts' }, bayName: 'Bay 1' }, ...plugins('zh-CN') });
    expect(w.get('[data-testid="job-status"]').text()).toContain('暂停 · 等待配件');
    await w.get('[data-testid="resume"]').trigger('click');
    expect(w.emitted('resume')).toHaveLength(1);
  });
});

describe('QueueList', () => {
  const jobs = [
    floorJob({ jobId: 'J1', plate: '沪B67890', predictedStartAt: '2026-11-21T02:30:00.000Z' }),
    floorJob({ jobId: 'J3', plate: '沪D24680', customerWaiting: false, promisedAt: '2026-11-21T04:00:00.000Z', predictedStartAt: null, comebackOf: 'J0' }),
  ];
  const props = { jobs, bays: BAYS, free: new Set(['B1', 'B3']), preferredBay: 'B1', timeZone: TZ, canStart: true };

  it('shows predicted starts and promises in the workshop’s time', () => {
    const w = mount(QueueList, { props, ...plugins() });
    expect(w.get('[data-testid="queue-J1"] [data-testid="queue-predicted"]').text()).toBe('Start ≈ 10:30');
    const j3 = w.get('[data-testid="queue-J3"]').text();
    expect(j3).toContain('Start: nobody on shift');
    expect(j3).toContain('Promised 12:00');
    expect(j3).toContain('Comeback');
  });

  it('starts at the tablet’s bay in one tap, or at another in two', async () => {
    const w = mount(QueueList, { props, ...plugins() });
    await w.get('[data-testid="queue-J1"] [data-testid="start-here"]').trigger('click');
    expect(w.emitted('start')).toEqual([['J1', 'B1']]);
    await w.get('[data-testid="queue-J3"] [data-testid="start-pick"]').trigger('click');
    expect(w.get('[data-testid="start-bay-B2"]').text()).toContain('taken');
    await w.get('[data-testid="start-bay-B3"]').trigger('click');
    expect(w.emitted('start')?.[1]).toEqual(['J3', 'B3']);
  });

  it('offers no "start here" when the tablet’s bay is held, and no start before someone picked himself', () => {
    const held = mount(QueueList, { props: { ...props, free: new Set(['B3']) }, ...plugins() });
    expect(held.find('[data-testid="start-here"]').exists()).toBe(false);
    const nobody = mount(QueueList, { props: { ...props, canStart: false }, ...plugins() });
    expect(nobody.find('[data-testid="start-pick"]').exists()).toBe(false);
  });
});

describe('RejectedList', () => {
  it('shows the hub’s message and field, and dismisses by id', async () => {
    const entry = {
      status: 'rejected' as const,
      queuedAt: 1,
      rejectedAt: 2,
      event: { id: 'ev-rejected-1', type: 'job.completed' as const, at: '2026-11-21T02:00:00.000Z', jobId: 'J1', firstTimeFix: true },
      error: { code: 'illegal_transition', message: 'type: job J1: job is completed; job.completed needs it to be in_progress', field: 'type' },
    };
    const w = mount(RejectedList, { props: { entries: [entry], describe: () => 'Complete · 沪B67890' }, ...plugins() });
    expect(w.get('[data-testid="rejected-reason"]').text()).toBe('type: job J1: job is completed; job.completed needs it to be in_progress');
    expect(w.get('[data-testid="rejected-field"]').text()).toBe('Field: type');
    await w.get('[data-testid="dismiss"]').trigger('click');
    expect(w.emitted('dismiss')).toEqual([['ev-rejected-1']]);
    expect(mount(RejectedList, { props: { entries: [], describe: () => '' }, ...plugins() }).find('[data-testid="rejected"]').exists()).toBe(false);
  });
});

describe('CheckInForm', () => {
  const props = { workshop: SHANGHAI, earlier: [floorJob({ jobId: 'J0', plate: '沪C30003', state: 'delivered' })], now: Date.parse('2026-11-21T02:00:00Z'), timeZone: TZ, makeJobId: () => 'job-test-0001' };

  it('emits a check-in the shared schema accepts, with the promised time on the workshop clock', async () => {
    const w = mount(CheckInForm, { props, ...plugins() });
    await w.get('[data-testid="ci-plate"]').setValue(' 沪k88888 ');
    await w.get('[data-testid="ci-service-repair"]').trigger('click');
    await w.get('[data-testid="ci-min-90"]').trigger('click');
    await w.get('[data-testid="ci-dropoff"]').trigger('click');
    await w.get('[data-testid="ci-promised"]').setValue('16:30');
    await w.get('[data-testid="ci-comeback"]').setValue('J0');
    await w.get('form').trigger('submit');
    expect(w.emitted('submit')).toEqual([
      [{ jobId: 'job-test-0001', plate: '沪K88888', service: 'repair', standardMinutes: 90, customerWaiting: false, advisorId: 'A1', promisedAt: '2026-11-21T08:30:00.000Z', comebackOf: 'J0' }],
    ]);
    expect(w.get('[data-testid="ci-done"]').text()).toContain(`${iso('沪K88888')} checked in`);
    // Ready for the next car.
    expect((w.get('[data-testid="ci-plate"]').element as HTMLInputElement).value).toBe('');
  });

  it('offers the high-voltage flag where a bay is equipped for it, and the advisor can be left out', async () => {
    expect(mount(CheckInForm, { props, ...plugins() }).find('[data-testid="ci-hv"]').exists()).toBe(false);
    const ev = { ...SHANGHAI, bays: [...SHANGHAI.bays, { id: 'B7', name: 'Bay 7 · EV', highVoltage: true }] };
    const w = mount(CheckInForm, { props: { ...props, workshop: ev }, ...plugins() });
    await w.get('[data-testid="ci-plate"]').setValue('沪EV0001');
    await w.get('[data-testid="ci-hv"]').setValue(true);
    await w.get('[data-testid="ci-advisor-none"]').trigger('click');
    await w.get('form').trigger('submit');
    const fields = w.emitted('submit')?.[0]?.[0];
    expect(fields).toMatchObject({ plate: '沪EV0001', highVoltage: true });
    expect(fields).not.toHaveProperty('advisorId');
  });

  it('offers the damaged-battery flag only where an isolation bay exists, and sends it as high-voltage work', async () => {
    expect(mount(CheckInForm, { props, ...plugins() }).find('[data-testid="ci-damaged"]').exists()).toBe(false);
    const ev = { ...SHANGHAI, bays: [...SHANGHAI.bays, { id: 'B9', name: 'Bay 9 · isolation', isolation: true }] };
    const w = mount(CheckInForm, { props: { ...props, workshop: ev }, ...plugins() });
    // The isolation bay is equipped for high-voltage work, so that flag shows too.
    expect(w.find('[data-testid="ci-hv"]').exists()).toBe(true);
    await w.get('[data-testid="ci-plate"]').setValue('沪EV0002');
    await w.get('[data-testid="ci-damaged"]').setValue(true);
    await w.get('form').trigger('submit');
    expect(w.emitted('submit')?.[0]?.[0]).toMatchObject({ plate: '沪EV0002', highVoltage: true, damagedBattery: true });
  });

  it('promises "+2 h" in one tap', async () => {
    const w = mount(CheckInForm, { props, ...plugins() });
    await w.get('[data-testid="ci-plate"]').setValue('沪A1');
    await w.get('[data-testid="ci-in-2h"]').trigger('click');
    expect((w.get('[data-testid="ci-promised"]').element as HTMLInputElement).value).toBe('12:00');
    await w.get('form').trigger('submit');
    expect(w.emitted('submit')?.[0]?.[0]).toMatchObject({ promisedAt: '2026-11-21T04:00:00.000Z' });
  });

  it('says what is wrong, field and schema message, and emits nothing', async () => {
    const w = mount(CheckInForm, { props, ...plugins('zh-CN') });
    await w.get('form').trigger('submit');
    expect(w.get('[data-testid="ci-error"]').text()).toBe('车牌：must not be empty');
    await w.get('[data-testid="ci-plate"]').setValue('沪A1');
    await w.get('[data-testid="ci-minutes"]').setValue('0');
    await w.get('form').trigger('submit');
    expect(w.get('[data-testid="ci-error"]').text()).toBe('标准工时（分钟）：must be at least 1');
    expect(w.emitted('submit')).toBeUndefined();
  });
});

describe('SurveyForm', () => {
  const jobs = [
    floorJob({ jobId: 'J0', plate: '沪C30003', state: 'delivered', deliveredAt: '2026-11-21T03:00:00.000Z' }),
    floorJob({ jobId: 'J1', plate: '沪B67890', state: 'completed', completedAt: '2026-11-20T09:00:00.000Z' }),
  ];
  const now = Date.parse('2026-11-21T04:00:00.000Z');
  /** The form's props with a `send` that keeps what it was given (and answers `kept`). */
  const formProps = (over: { sent?: { plate: string; outcome: SurveyOutcome } | null; kept?: boolean } = {}) => {
    const sent: SurveyFields[] = [];
    const send = (f: SurveyFields) => {
      sent.push(f);
      return over.kept ?? true;
    };
    return { props: { jobs, now, timeZone: 'Asia/Shanghai', sent: over.sent ?? null, send }, sent };
  };

  it('is quick: car, score, send; the rest is folded', async () => {
    const { props, sent } = formProps();
    const w = mount(SurveyForm, { props, ...plugins() });
    expect(w.find('[data-testid="sv-extra"]').exists()).toBe(false);
    expect(w.get('[data-testid="sv-submit"]').attributes('disabled')).toBeDefined();
    expect(w.get('[data-testid="sv-job-J0"]').text()).toBe('沪C30003today 11:00');
    expect(w.get('[data-testid="sv-job-J1"]').text()).toBe('沪B67890yesterday 17:00');
    await w.get('[data-testid="sv-job-J1"]').trigger('click');
    await w.get('[data-testid="sv-score-4"]').trigger('click');
    await w.get('[data-testid="sv-submit"]').trigger('click');
    expect(sent).toEqual([{ jobId: 'J1', score: 4 }]);
  });

  it('sends NPS, effort, touchpoints and comment when answered', async () => {
    const { props, sent } = formProps();
    const w = mount(SurveyForm, { props, ...plugins() });
    await w.get('[data-testid="sv-job-J0"]').trigger('click');
    await w.get('[data-testid="sv-score-2"]').trigger('click');
    await w.get('[data-testid="sv-more"]').trigger('click');
    await w.get('[data-testid="sv-nps-6"]').trigger('click');
    await w.get('[data-testid="sv-ces-5"]').trigger('click');
    await w.get('[data-testid="sv-tp-waiting"]').setValue('3');
    await w.get('[data-testid="sv-comment"]').setValue('  Waited too long ');
    await w.get('[data-testid="sv-submit"]').trigger('click');
    expect(sent).toEqual([{ jobId: 'J0', score: 2, nps: 6, ces: 5, touchpoints: { waiting: 3 }, comment: 'Waited too long' }]);
  });

  it('finds a car by its plate as typed (case, spaces, dashes), and picks it when it is the only match', async () => {
    const { props } = formProps();
    const w = mount(SurveyForm, { props, ...plugins() });
    await w.get('[data-testid="sv-search"]').setValue('c3-00 03');
    expect(w.findAll('[data-testid^="sv-job-"]').map((b) => b.attributes('data-testid'))).toEqual(['sv-job-J0']);
    expect(w.get('[data-testid="sv-job-J0"]').attributes('aria-pressed')).toBe('true');
    await w.get('[data-testid="sv-search"]').setValue('沪Z');
    expect(w.get('[data-testid="sv-no-match"]').text()).toContain('沪Z');
  });

  it('keeps the answers when the device could not keep the survey', async () => {
    const { props } = formProps({ kept: false });
    const w = mount(SurveyForm, { props, ...plugins() });
    await w.get('[data-testid="sv-job-J0"]').trigger('click');
    await w.get('[data-testid="sv-score-5"]').trigger('click');
    await w.get('[data-testid="sv-submit"]').trigger('click');
    expect(w.get('[data-testid="sv-score-5"]').classes()).toContain('on');
  });

  it('says a refusal by plate and reason, never "recorded"; "recorded" only once the hub took it', async () => {
    const refused = formProps({ sent: { plate: '沪C30003', outcome: { state: 'refused', code: 'conflict', message: 'jobId: job J0 (沪C30003) already has a survey' } } });
    const w = mount(SurveyForm, { props: refused.props, ...plugins() });
    expect(w.get('[data-testid="sv-refused"]').text()).toContain('Survey for \u2068沪C30003\u2069 not recorded: this car already has a survey');
    expect(w.get('[data-testid="sv-refused"]').text()).not.toContain('J0');
    expect(w.find('[data-testid="sv-recorded"]').exists()).toBe(false);
    await w.setProps({ sent: { plate: '沪C30003', outcome: { state: 'saved' } } });
    expect(w.get('[data-testid="sv-saved"]').text()).toContain('saved on this device');
    expect(w.find('[data-testid="sv-recorded"]').exists()).toBe(false);
    await w.setProps({ sent: { plate: '沪C30003', outcome: { state: 'recorded' } } });
    expect(w.get('[data-testid="sv-recorded"]').text()).toContain('Survey for \u2068沪C30003\u2069 recorded');
  });
});

describe('TechnicianPicker and BayPicker', () => {
  it('lists everyone with their state and picks by id', async () => {
    const techs = [floorTechnician({ technicianId: 'T1', name: 'Zhang Wei', team: 'quick' }), floorTechnician({ technicianId: 'T2', name: 'Wang Fang', status: 'on_break' })];
    const w = mount(TechnicianPicker, { props: { technicians: techs }, ...plugins('zh-CN') });
    expect(w.get('[data-testid="pick-T1"]').text()).toBe('Zhang Wei未上班 · quick');
    expect(w.get('[data-testid="pick-T2"]').text()).toBe('Wang Fang休息中');
    await w.get('[data-testid="pick-T2"]').trigger('click');
    expect(w.emitted('pick')).toEqual([['T2']]);
  });

  it("shows a team's configured name, not its id", () => {
    const techs = [floorTechnician({ technicianId: 'T1', name: 'Zhang Wei', team: 'quick' })];
    const w = mount(TechnicianPicker, { props: { technicians: techs, workshop: { teams: [{ id: 'quick', name: '快修组' }] } }, ...plugins('zh-CN') });
    expect(w.get('[data-testid="pick-T1"]').text()).toBe('Zhang Wei未上班 · 快修组');
  });

  it('sets the tablet’s bay, or none', async () => {
    const w = mount(BayPicker, { props: { bays: BAYS, current: 'B1' }, ...plugins() });
    expect(w.get('[data-testid="tablet-bay-B1"]').classes()).toContain('go');
    await w.get('[data-testid="tablet-bay-B3"]').trigger('click');
    await w.get('[data-testid="tablet-bay-none"]').trigger('click');
    expect(w.emitted('pick')).toEqual([['B3'], [null]]);
  });
});
