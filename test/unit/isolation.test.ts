import { describe, expect, it } from 'vitest';
import { ConfigError, parseConfig } from '../../server/config/config-file.js';
import { DEMO_WORKSHOP } from '../../server/config/demo.js';
import { workshopContext } from '../../server/engine/context.js';
import { Projection } from '../../server/engine/projection.js';
import { workshopForecast } from '../../server/engine/staffing.js';
import { parseEvent } from '../../server/workshops/parse.js';
import { jobCheckedInEvent } from '../../shared/events.js';
import { boardSnapshot } from '../../shared/snapshot.js';
import { hvLevelOf, workshopConfig } from '../../shared/workshop.js';
import { L, SHANGHAI, ev } from '../fixtures/workshop.js';

/**
 * Damaged batteries and qualification levels: B3 is an isolation bay (and so high-voltage),
 * B4 an ordinary high-voltage bay; T1 level 1, T2 level 2 (highVoltageQualified), T3 level 3.
 */
const ISO_SHOP = workshopConfig.parse({
  ...SHANGHAI,
  bays: [...SHANGHAI.bays.map((b) => (b.id === 'B3' ? { ...b, isolation: true } : b)), { id: 'B4', name: 'Bay 4 · EV', highVoltage: true }],
  technicians: SHANGHAI.technicians.map((t) =>
    t.id === 'T1' ? { ...t, highVoltageLevel: 1 } : t.id === 'T2' ? { ...t, highVoltageQualified: true } : { ...t, highVoltageLevel: 3 },
  ),
});

const checkIn = (jobId: string, at: string, extra: object = {}) =>
  ev('job.checked_in', L(at), { jobId, plate: `沪D${jobId}`, service: 'repair', standardMinutes: 60, customerWaiting: true, ...extra });

function shop(clockIn: readonly string[] = ['T1', 'T2', 'T3']) {
  const p = new Projection(ISO_SHOP);
  p.apply([
    ...clockIn.map((t) => ev('shift.clock_in', L('08:00'), { technicianId: t })),
    checkIn('PLAIN', '08:05'),
    checkIn('HV', '08:06', { highVoltage: true }),
    checkIn('DMG', '08:07', { damagedBattery: true }),
  ]);
  expect(p.skippedOnReplay).toBe(0);
  return p;
}
const NINE = Date.parse(L('09:00'));
const judge = (p: Projection, e: unknown) => p.judge([parseEvent(e)], NINE)[0]!;
const start = (jobId: string, bayId: string, technicianId: string) => ev('job.started', L('08:30'), { jobId, bayId, technicianId });
const errorOf = (p: Projection, e: unknown) => {
  const v = judge(p, e);
  return v.status === 'rejected' ? { code: v.result.error?.code, path: v.result.error?.details?.[0]?.path, message: v.result.error?.details?.[0]?.message } : v.status;
};

describe('high-voltage levels', () => {
  it.each([
    { cfg: {}, level: 0 },
    { cfg: { highVoltageQualified: false }, level: 0 },
    { cfg: { highVoltageQualified: true }, level: 2 },
    { cfg: { highVoltageLevel: 1 }, level: 1 },
    { cfg: { highVoltageLevel: 3 }, level: 3 },
    { cfg: { highVoltageQualified: true, highVoltageLevel: 3 }, level: 3 },
    { cfg: { highVoltageQualified: false, highVoltageLevel: 1 }, level: 1 },
  ])('$cfg is level $level', ({ cfg, level }) => {
    expect(hvLevelOf(cfg)).toBe(level);
  });

  // Who may start which job on a bay that suits it (B1 ordinary, B4 high-voltage, B3 isolation).
  it.each([
    { job: 'PLAIN', bay: 'B1', tech: 'T1', want: 'accepted' },
    { job: 'HV', bay: 'B4', tech: 'T1', want: { code: 'unqualified', path: 'technicianId' } },
    { job: 'HV', bay: 'B4', tech: 'T2', want: 'accepted' },
    { job: 'HV', bay: 'B4', tech: 'T3', want: 'accepted' },
    { job: 'HV', bay: 'B3', tech: 'T2', want: 'accepted' },
    { job: 'DMG', bay: 'B3', tech: 'T1', want: { code: 'unqualified', path: 'technicianId' } },
    { job: 'DMG', bay: 'B3', tech: 'T2', want: { code: 'unqualified', path: 'technicianId' } },
    { job: 'DMG', bay: 'B3', tech: 'T3', want: 'accepted' },
    { job: 'DMG', bay: 'B4', tech: 'T3', want: { code: 'unqualified', path: 'bayId' } },
    { job: 'DMG', bay: 'B1', tech: 'T3', want: { code: 'unqualified', path: 'bayId' } },
  ])('$job on $bay by $tech → $want', ({ job, bay, tech, want }) => {
    const got = errorOf(shop(), start(job, bay, tech));
    if (typeof want === 'string') expect(got).toBe(want);
    else expect(got).toMatchObject(want);
  });

  it('says why, in words a technician understands', () => {
    expect(errorOf(shop(), start('DMG', 'B3', 'T2'))).toEqual({
      code: 'unqualified',
      path: 'technicianId',
      message: 'job DMG has a damaged high-voltage battery and technician T2 is not qualified for it (needs high-voltage level 3, has 2)',
    });
    expect(errorOf(shop(), start('DMG', 'B1', 'T3'))).toEqual({
      code: 'unqualified',
      path: 'bayId',
      message: 'job DMG has a damaged high-voltage battery: it may only go on an isolation bay (fenced off, away from other cars), and bay B1 is not one',
    });
    expect(errorOf(shop(), start('HV', 'B4', 'T1'))).toMatchObject({ message: expect.stringContaining('level 1 only allows work near a switched-off high-voltage system; needs level 2') });
  });

  it('a damaged battery is high-voltage work: listed so, and a check-in saying otherwise is refused', () => {
    expect(shop().jobs(NINE, 'waiting').find((j) => j.jobId === 'DMG')).toMatchObject({ highVoltage: true, damagedBattery: true });
    const bad = jobCheckedInEvent.safeParse(checkIn('X1', '08:10', { damagedBattery: true, highVoltage: false }));
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]).toMatchObject({ path: ['highVoltage'] });
    const v = judge(shop(), checkIn('X1', '08:10', { damagedBattery: true, highVoltage: false }));
    expect(v.status === 'rejected' && v.result.error?.details?.[0]?.path).toBe('highVoltage');
  });
});

describe('isolation bay', () => {
  function onBay(then: (p: Projection) => void = () => {}) {
    const p = shop();
    p.apply([start('DMG', 'B3', 'T3')]);
    then(p);
    expect(p.skippedOnReplay).toBe(0);
    return p;
  }
  const bay = (p: Projection, id: string, now = NINE) => p.figures(now).bays.find((b) => b.bayId === id)!;

  it('shows state "isolation" while the damaged-battery job is in progress or paused, and a valid snapshot', () => {
    const p = onBay();
    expect(bay(p, 'B3')).toMatchObject({ state: 'isolation', jobId: 'DMG', technicianId: 'T3', pauseReason: null });
    expect(boardSnapshot.safeParse({ ...p.figures(NINE), alerts: [], terminals: [] }).success).toBe(true);
    p.apply([ev('job.paused', L('08:40'), { jobId: 'DMG', reason: 'parts' })]);
    expect(bay(p, 'B3')).toMatchObject({ state: 'isolation', pauseReason: 'parts' });
    p.apply([ev('job.resumed', L('08:45'), { jobId: 'DMG' }), ev('job.completed', L('08:50'), { jobId: 'DMG', firstTimeFix: true })]);
    expect(bay(p, 'B3')).toMatchObject({ state: 'idle', jobId: null });
  });

  it('an ordinary high-voltage job on the isolation bay is an ordinary bay state', () => {
    const p = shop();
    p.apply([start('HV', 'B3', 'T2')]);
    expect(bay(p, 'B3').state).toBe('in_progress');
  });

  it('is refused to another job while it holds the damaged car', () => {
    expect(errorOf(onBay(), start('HV', 'B3', 'T2'))).toMatchObject({ code: 'conflict', path: 'bayId' });
  });

  it('the forecast never plans other work on an isolation bay', () => {
    // T1 and T3 free, B1 and B2 taken until 09:00 (T2 runs both, then clocks out), B3 and B4 free.
    const p = new Projection(ISO_SHOP);
    p.apply([
      ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
      ev('shift.clock_in', L('08:00'), { technicianId: 'T2' }),
      ev('shift.clock_in', L('08:00'), { technicianId: 'T3' }),
      checkIn('A', '08:00'),
      checkIn('B', '08:00'),
      ev('job.started', L('08:00'), { jobId: 'A', bayId: 'B1', technicianId: 'T2' }),
      ev('job.started', L('08:00'), { jobId: 'B', bayId: 'B2', technicianId: 'T2' }),
      ev('shift.clock_out', L('08:01'), { technicianId: 'T2' }),
      checkIn('C', '08:05'),
      checkIn('D', '08:06'),
    ]);
    expect(p.skippedOnReplay).toBe(0);
    // B4 (high-voltage, not isolation) is free now for C; D waits for B1 at 09:00 rather than take B3.
    const starts = Object.fromEntries(p.jobs(Date.parse(L('08:10')), 'waiting').map((j) => [j.jobId, j.predictedStartAt]));
    expect(starts).toEqual({ C: new Date(L('08:10')).toISOString(), D: new Date(L('09:00')).toISOString() });
  });
});

describe('forecasts for a damaged battery', () => {
  it('wait for the level-3 technician, not the first free one', () => {
    // T3 (level 3) runs PLAIN 08:05–09:05 on B1; T2 (level 2) and T1 are free, B3 is free.
    const p = new Projection(ISO_SHOP);
    p.apply([
      ...['T1', 'T2', 'T3'].map((t) => ev('shift.clock_in', L('08:00'), { technicianId: t })),
      checkIn('PLAIN', '08:00'),
      ev('job.started', L('08:05'), { jobId: 'PLAIN', bayId: 'B1', technicianId: 'T3' }),
      checkIn('DMG', '08:10', { damagedBattery: true }),
    ]);
    expect(p.skippedOnReplay).toBe(0);
    expect(p.jobs(Date.parse(L('08:20')), 'waiting')).toMatchObject([{ jobId: 'DMG', damagedBattery: true, predictedStartAt: new Date(L('09:05')).toISOString() }]);
  });

  it('wait for the isolation bay to be free', () => {
    const p = shop();
    p.apply([start('DMG', 'B3', 'T3'), checkIn('DMG2', '08:40', { damagedBattery: true })]);
    // DMG (60 min from 08:30) holds B3 until 09:30; T3 is the only level-3 technician too.
    const dmg2 = p.jobs(Date.parse(L('08:45')), 'waiting').find((j) => j.jobId === 'DMG2');
    expect(dmg2?.predictedStartAt).toBe(new Date(L('09:30')).toISOString());
  });

  it('have no prediction without a level-3 technician on shift, and the staffing advice says so (extra staff are not level 3)', () => {
    const p = shop(['T1', 'T2']);
    expect(p.jobs(NINE, 'waiting').find((j) => j.jobId === 'DMG')?.predictedStartAt).toBeNull();
    const f = workshopForecast(p.state, p.ctx, NINE);
    expect(f.scenarios.every((s) => s.predictedAverageWaitMin === null)).toBe(true);
    expect(f.extraTechniciansNeeded).toBeNull();
  });

  it('the move preview (what if) sees the level-3 technician come on shift', () => {
    const p = shop(['T1', 'T2']);
    const after = p.whatIf([ev('shift.clock_in', L('08:59'), { technicianId: 'T3' })], () => p.jobs(NINE, 'waiting').find((j) => j.jobId === 'DMG')?.predictedStartAt);
    expect(after).toEqual({ ok: true, value: new Date(L('09:00')).toISOString() });
  });
});

describe('config', () => {
  const TOKENS = [{ token: 'board-token-000001', role: 'board', workshops: ['*'] }];
  const withTech = (t: object) => ({ workshops: [{ ...SHANGHAI, technicians: [{ id: 'T1', name: 'Zhang Wei', ...t }] }], tokens: TOKENS });
  const errorText = (json: unknown) => {
    try {
      parseConfig(json, 'pitwall.json');
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('no config error');
  };

  it.each([
    { t: { highVoltageQualified: false, highVoltageLevel: 2 } },
    { t: { highVoltageQualified: false, highVoltageLevel: 3 } },
    { t: { highVoltageQualified: true, highVoltageLevel: 1 } },
  ])('a contradiction $t names the field', ({ t }) => {
    const msg = errorText(withTech(t));
    expect(msg).toContain('pitwall.json');
    expect(msg).toContain('workshops[0].technicians[0].highVoltageLevel');
    expect(msg).toContain('contradicts');
  });

  it('a level outside 0–3 is refused', () => {
    expect(errorText(withTech({ highVoltageLevel: 4 }))).toContain('workshops[0].technicians[0].highVoltageLevel');
  });

  it('an isolation bay cannot be "highVoltage": false', () => {
    const json = { workshops: [{ ...SHANGHAI, bays: [{ id: 'B1', name: 'Bay 1', isolation: true, highVoltage: false }] }], tokens: TOKENS };
    expect(errorText(json)).toContain('workshops[0].bays[0].highVoltage');
  });

  it('old configs mean what they meant; the demo has an isolation bay and a level-3 technician', () => {
    expect(() => parseConfig(withTech({ highVoltageQualified: true }), 'x')).not.toThrow();
    const ctx = workshopContext(workshopConfig.parse(DEMO_WORKSHOP));
    expect(ctx.isolationBays.size).toBe(1);
    expect([...ctx.hvLevels.values()]).toContain(3);
    expect([...ctx.isolationBays].every((b) => ctx.highVoltageBays.has(b))).toBe(true);
  });
});
