import type { ActiveAlert } from '../../../../shared/snapshot.js';

/**
 * When the board beeps (`?sound=1`). A red light nobody has acknowledged beeps when it is
 * raised and then every REMIND_EVERY_MS until a lead acknowledges it (socket `alert:ack`
 * sets `acknowledgedAt`) or it recovers. Quiet hours (`?quiet=22:00-07:00`, the workshop's
 * local time) keep it silent; an alert still unacknowledged when they end beeps then.
 * Pure: the caller feeds alerts and `now` and plays the beep.
 */

export const REMIND_EVERY_MS = 2 * 60_000;

/** Minutes after local midnight, [start, end): end before start spans midnight. */
export interface QuietHours {
  startMin: number;
  endMin: number;
}

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** "22:00-07:00" → { startMin: 1320, endMin: 420 }; anything else (or an empty span) → null. */
export function parseQuietHours(text: string | null | undefined): QuietHours | null {
  if (!text) return null;
  const parts = text.split('-').map((p) => p.trim());
  if (parts.length !== 2) return null;
  const [a, b] = parts.map((p) => HHMM.exec(p ?? ''));
  if (!a || !b) return null;
  const startMin = Number(a[1]) * 60 + Number(a[2]);
  const endMin = Number(b[1]) * 60 + Number(b[2]);
  return startMin === endMin ? null : { startMin, endMin };
}

/** Minutes after midnight in `timeZone` at `now`. */
export function localMinuteOfDay(now: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(new Date(now));
  const get = (type: 'hour' | 'minute') => Number(parts.find((p) => p.type === type)?.value ?? 0);
  return get('hour') * 60 + get('minute');
}

export function isQuiet(now: number, quiet: QuietHours | null, timeZone: string): boolean {
  if (!quiet) return false;
  const m = localMinuteOfDay(now, timeZone);
  return quiet.startMin < quiet.endMin ? m >= quiet.startMin && m < quiet.endMin : m >= quiet.startMin || m < quiet.endMin;
}

/** One alert episode: a light re-raised later (new `since`) is a new episode and beeps again. */
export function alertKey(a: Pick<ActiveAlert, 'metric' | 'light' | 'since'>): string {
  return `${a.metric}|${a.light}|${a.since}`;
}

/** Red and not acknowledged: what the sound is for. */
export function ringingAlerts(alerts: readonly ActiveAlert[]): ActiveAlert[] {
  return alerts.filter((a) => a.light === 'red' && a.acknowledgedAt === null);
}

export interface SoundState {
  /** Episodes already announced (or raised during quiet hours). */
  heard: ReadonlySet<string>;
  lastBeepAt: number | null;
}

export const SILENT_START: SoundState = { heard: new Set(), lastBeepAt: null };

export interface SoundContext {
  /** The browser's clock: spaces the reminders. */
  now: number;
  /**
   * The workshop's clock (the last snapshot's `asOf`) for quiet hours: the same as `now` in
   * production, hours apart in the accelerated demo. Defaults to `now`.
   */
  workshopNow?: number;
  quiet: QuietHours | null;
  timeZone: string;
}

export function nextSound(state: SoundState, alerts: readonly ActiveAlert[], { now, workshopNow = now, quiet, timeZone }: SoundContext): { beep: boolean; state: SoundState } {
  const ringing = ringingAlerts(alerts);
  if (ringing.length === 0) return { beep: false, state: SILENT_START };
  const keys = new Set(ringing.map(alertKey));
  if (isQuiet(workshopNow, quiet, timeZone)) return { beep: false, state: { heard: keys, lastBeepAt: state.lastBeepAt } };
  const fresh = [...keys].some((k) => !state.heard.has(k));
  const due = state.lastBeepAt === null || now - state.lastBeepAt >= REMIND_EVERY_MS;
  if (fresh || due) return { beep: true, state: { heard: keys, lastBeepAt: now } };
  return { beep: false, state: { heard: keys, lastBeepAt: state.lastBeepAt } };
}
