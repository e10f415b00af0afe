import { appointmentsQuery, MAX_APPOINTMENT_QUERY_DAYS, type AppointmentReport, type AppointmentsResponse, type CapacityView } from '../../../shared/appointments.js';
import { issueDetails } from '../../../shared/issue-details.js';
import { localDate, localDayRange, startOfLocalDate } from '../../../shared/time.js';
import { appointmentReport as reportOf } from '../../engine/appointment-report.js';
import { appointmentViews } from '../../engine/appointments.js';
import { capacityView } from '../../engine/capacity.js';
import { noShowAfterMs } from '../../engine/evolve-appointments.js';
import { fail } from '../../errors.js';
import type { Workshop } from '../workshop.js';

/**
 * The appointment reads (issue 15): the desk's list of days (terminal, lead, admin), the
 * lead's capacity view and the reports' appointment figures (lead, admin). Authorised by the
 * registry before they run (shared/permissions.ts).
 */

/** `?from=&to=` local days, inclusive, default today; at most MAX_APPOINTMENT_QUERY_DAYS. */
export async function appointments(w: Workshop, query: unknown, now: number): Promise<AppointmentsResponse> {
  const parsed = appointmentsQuery.safeParse(query);
  if (!parsed.success) throw fail.badRequest('invalid appointments query', issueDetails(parsed.error, query));
  const tz = w.config.timezone;
  const from = parsed.data.from ?? localDate(now, tz);
  const to = parsed.data.to ?? from;
  const days = (Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000 + 1;
  if (days < 1) throw fail.badRequest('invalid appointments query', [{ path: 'to', message: 'must not be before from' }]);
  if (days > MAX_APPOINTMENT_QUERY_DAYS) throw fail.badRequest('invalid appointments query', [{ path: 'to', message: `spans at most ${MAX_APPOINTMENT_QUERY_DAYS} days` }]);
  const p = await w.queue.settled();
  const start = startOfLocalDate(from, tz);
  const end = localDayRange(startOfLocalDate(to, tz), tz).end;
  return { workshopId: w.config.id, from, to, noShowAfterMin: noShowAfterMs(p.ctx) / 60_000, appointments: appointmentViews(p.state, p.ctx, start, end, now) };
}

export async function capacity(w: Workshop, now: number): Promise<CapacityView> {
  const p = await w.queue.settled();
  return capacityView(p.arrivals, p.state, p.ctx, now);
}

export async function appointmentReport(w: Workshop, now: number): Promise<AppointmentReport> {
  const p = await w.queue.settled();
  return reportOf(p.rollups, p.state, p.ctx, now);
}
