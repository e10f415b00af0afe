import { describe, expect, it } from 'vitest';
import type { ActiveAlert } from '../../../../shared/snapshot.js';
import { isQuiet, localMinuteOfDay, nextSound, parseQuietHours, REMIND_EVERY_MS, SILENT_START, type SoundState } from './board-sound.js';

const TZ = 'Asia/Shanghai';
/** Shanghai local time on the scripted day, as ms. */
const at = (hhmm: string) => Date.parse(`2026-11-21T${hhmm}:00+08:00`);
const red = (metric: string, since = '2026-11-21T09:00:00.000Z', acknowledgedAt: string | null = null): ActiveAlert => ({ metric, light: 'red', message: '', since, acknowledgedAt });
const yellow = (metric: string): ActiveAlert => ({ metric, light: 'yellow', message: '', since: '2026-11-21T09:00:00.000Z', acknowledgedAt: null });

describe('parseQuietHours', () => {
  it.each([
    ['22:00-07:00', { startMin: 1320, endMin: 420 }],
    ['12:30 - 13:30', { startMin: 750, endMin: 810 }],
    ['00:00-06:00', { startMin: 0, endMin: 360 }],
    ['', null],
    [null, null],
    ['22:00', null],
    ['25:00-07:00', null],
    ['7:00-08:00', null],
    ['08:00-08:00', null],
  ])('%j → %j', (text, expected) => {
    expect(parseQuietHours(text)).toEqual(expected);
  });
});

describe('quiet hours in the workshop time zone', () => {
  const night = parseQuietHours('22:00-07:00');
  const lunch = parseQuietHours('12:00-13:00');
  it.each([
    ['21:59', night, false],
    ['22:00', night, true],
    ['03:00', night, true],
    ['06:59', night, true],
    ['07:00', night, false],
    ['12:30', lunch, true],
    ['13:00', lunch, false],
    ['11:59', lunch, false],
    ['03:00', null, false],
  ])('%s local', (hhmm, quiet, expected) => {
    expect(isQuiet(at(hhmm), quiet, TZ)).toBe(expected);
  });

  it('reads local minutes in the given zone, not the machine zone', () => {
    expect(localMinuteOfDay(at('18:05'), TZ)).toBe(18 * 60 + 5);
    expect(localMinuteOfDay(at('18:05'), 'UTC')).toBe(10 * 60 + 5);
  });
});

describe('nextSound', () => {
  const ctx = (hhmm: string, quiet = parseQuietHours('22:00-07:00')) => ({ now: at(hhmm), quiet, timeZone: TZ });

  it('beeps once for a new unacknowledged red alert, then reminds every two minutes', () => {
    const first = nextSound(SILENT_START, [red('utilisation')], ctx('18:00'));
    expect(first.beep).toBe(true);
    const again = nextSound(first.state, [red('utilisation')], { ...ctx('18:00'), now: at('18:00') + 1000 });
    expect(again.beep).toBe(false);
    const reminder = nextSound(again.state, [red('utilisation')], { ...ctx('18:00'), now: at('18:00') + REMIND_EVERY_MS });
    expect(reminder.beep).toBe(true);
  });

  it('beeps at once for a second red alert even inside the reminder interval', () => {
    const first = nextSound(SILENT_START, [red('utilisation')], ctx('18:00'));
    const second = nextSound(first.state, [red('utilisation'), red('bay:B2')], { ...ctx('18:00'), now: at('18:00') + 5000 });
    expect(second.beep).toBe(true);
  });

  it('stays silent for yellow alerts and for acknowledged red ones', () => {
    expect(nextSound(SILENT_START, [yellow('csat')], ctx('18:00')).beep).toBe(false);
    expect(nextSound(SILENT_START, [red('csat', undefined, '2026-11-21T09:30:00.000Z')], ctx('18:00')).beep).toBe(false);
  });

  it('stops once the lead acknowledges, and a re-raised light is a new episode', () => {
    const first = nextSound(SILENT_START, [red('csat')], ctx('18:00'));
    const acked = nextSound(first.state, [red('csat', undefined, '2026-11-21T10:00:30.000Z')], { ...ctx('18:00'), now: at('18:00') + REMIND_EVERY_MS });
    expect(acked.beep).toBe(false);
    expect(acked.state).toEqual(SILENT_START);
    const reraised = nextSound(acked.state, [red('csat', '2026-11-21T10:10:00.000Z')], ctx('18:10'));
    expect(reraised.beep).toBe(true);
  });

  it('keeps quiet hours, and an alert still unacknowledged when they end beeps then', () => {
    const during = nextSound(SILENT_START, [red('averageWait')], ctx('23:30'));
    expect(during.beep).toBe(false);
    const stillQuiet = nextSound(during.state, [red('averageWait')], ctx('06:59'));
    expect(stillQuiet.beep).toBe(false);
    const morning = nextSound(stillQuiet.state, [red('averageWait')], ctx('07:00'));
    expect(morning.beep).toBe(true);
  });

  it("judges quiet hours by the workshop's clock when it runs apart from the browser's (the demo)", () => {
    const browserNoon = at('12:00');
    expect(nextSound(SILENT_START, [red('csat')], { now: browserNoon, workshopNow: at('23:00'), quiet: parseQuietHours('22:00-07:00'), timeZone: TZ }).beep).toBe(false);
    expect(nextSound(SILENT_START, [red('csat')], { now: at('23:00'), workshopNow: browserNoon, quiet: parseQuietHours('22:00-07:00'), timeZone: TZ }).beep).toBe(true);
  });

  it('forgets everything once no red is left (a recovered light clears)', () => {
    const state: SoundState = { heard: new Set(['x']), lastBeepAt: at('17:00') };
    expect(nextSound(state, [], ctx('18:00'))).toEqual({ beep: false, state: SILENT_START });
  });
});
