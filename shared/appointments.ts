import { z } from 'zod';
import { isoTime, SERVICE_TYPES } from './events.js';
import { CALENDAR_DATE_RULE, isCalendarDate } from './time.js';

/**
 * Appointments (issue 15, docs/api.md "Appointments"): the bounds the engine holds them to,
 * the per-workshop settings, and what the hub answers about them (the desk's expected arrivals,
 * the lead's capacity view, the reports' appointment figures). One shape for hub and client.
 */

/** How far ahead of its booking a slot may lie: a shop plans weeks, not years, and the engine keeps every open booking. */
export const MAX_BOOKING_AHEAD_DAYS = 60;
/** A slot may lie this far before its booking (an advisor recording a walk-up "appointment" a little late), no further. */
export const MAX_BOOKING_BEHIND_MINUTES = 60;
/** Open (booked, not yet due) appointments one workshop holds at once: 60 days of a busy shop's ~30 a day, with room. */
export const MAX_OPEN_APPOINTMENTS = 3000;
/**
 * How long an appointment is kept after its slot (compaction.ts): the appointment report looks
 * back APPOINTMENT_REPORT_WEEKS whole weeks from the current one, and a week more covers its turn.
 */
export const APPOINTMENT_REPORT_WEEKS = 12;
export const APPOINTMENT_RETENTION_DAYS = (APPOINTMENT_REPORT_WEEKS + 2) * 7;
/** A booked car that has not checked in this long after its slot is a no-show (default of `appointments.noShowAfterMinutes`). */
export const DEFAULT_NO_SHOW_AFTER_MINUTES = 30;
/** `GET …/appointments?from=&to=` spans at most this many local days. */
export const MAX_APPOINTMENT_QUERY_DAYS = 62;
/** The capacity view's days, from today. */
export const CAPACITY_DAYS = 14;

/** The config's `appointments` (optional): the no-show grace and the weekday discount the desk may offer. */
export const appointmentSettings = z
  .object({
    noShowAfterMinutes: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(1, { error: 'must be 1–1440' })
      .max(1440, { error: 'must be 1–1440' })
      .optional(),
    /** The discount (per cent) the shop gives for a weekday slot, shown beside spare weekday capacity (the case's incentive). */
    weekdayDiscountPercent: z.number({ error: 'must be a number' }).min(0, { error: 'must be 0–100' }).max(100, { error: 'must be 0–100' }).optional(),
  })
  .strict();
export type AppointmentSettings = z.infer<typeof appointmentSettings>;

/** A technician's roster (config, optional): working hours per weekday, Monday first. */
export const weeklyHours = z
  .array(z.number({ error: 'must be a number' }).min(0, { error: 'must be 0–24' }).max(24, { error: 'must be 0–24' }), { error: 'must be 7 numbers of hours, Monday first' })
  .length(7, { error: 'must be 7 numbers of hours, Monday first' });

export const APPOINTMENT_STATUSES = ['booked', 'no_show', 'checked_in', 'cancelled'] as const;
export type AppointmentStatus = (typeof APPOINTMENT_STATUSES)[number];

export const appointmentView = z.object({
  id: z.string(),
  plate: z.string(),
  service: z.enum(SERVICE_TYPES),
  standardMinutes: z.number(),
  slotAt: isoTime,
  advisorId: z.string(),
  customerWaiting: z.boolean(),
  bookedAt: isoTime,
  /** `no_show`: still booked, its slot passed by more than the workshop's no-show time. */
  status: z.enum(APPOINTMENT_STATUSES),
  jobId: z.string().nullable(),
  checkedInAt: isoTime.nullable(),
  cancelledAt: isoTime.nullable(),
});
export type AppointmentView = z.infer<typeof appointmentView>;

const localDay = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, { error: 'must be a date as YYYY-MM-DD' });

/** `GET …/appointments?from=&to=`: local days, inclusive; both default to today. */
export const appointmentsQuery = z
  .object({ from: localDay.optional(), to: localDay.optional() })
  .strict()
  .superRefine((q, ctx) => {
    for (const k of ['from', 'to'] as const) if (q[k] !== undefined && !isCalendarDate(q[k])) ctx.addIssue({ code: 'custom', path: [k], message: CALENDAR_DATE_RULE });
  });

export const appointmentsResponse = z.object({
  workshopId: z.string(),
  from: z.string(),
  to: z.string(),
  noShowAfterMin: z.number(),
  /** By slot time; every appointment of the days asked (at most MAX_OPEN_APPOINTMENTS + the kept past ones). */
  appointments: z.array(appointmentView),
});
export type AppointmentsResponse = z.infer<typeof appointmentsResponse>;

/** One team's day in the capacity view; hours rounded to 0.1. `team` null: services no team is mapped to, and technicians without a team. */
export const capacityCell = z.object({
  team: z.string().nullable(),
  bookedHours: z.number(),
  walkInHours: z.number(),
  rosterHours: z.number(),
  /** roster − booked − walk-in (negative: overbooked). */
  spareHours: z.number(),
});
export type CapacityCell = z.infer<typeof capacityCell>;

export const capacityView = z.object({
  workshopId: z.string(),
  asOf: isoTime,
  /** Whole weeks of history the walk-in rate is the mean of (at most 4); 0: walk-in hours are 0. */
  walkInWeeks: z.number().int(),
  /** Where the roster hours come from: each technician's `weeklyHours`, else the opening hours (or 8 h) every day. */
  rosterSource: z.enum(['weeklyHours', 'openingHours', 'default']),
  weekdayDiscountPercent: z.number().nullable(),
  days: z.array(
    z.object({
      date: z.string(),
      /** 1 Monday … 7 Sunday. */
      dayOfWeek: z.number().int(),
      weekend: z.boolean(),
      teams: z.array(capacityCell),
      total: capacityCell,
      /** Booked + walk-in above the roster (the page paints a weekend's red). */
      overbooked: z.boolean(),
      /** Weekday with spare hours: a slot to offer (with the discount, if the shop sets one). */
      spare: z.boolean(),
    }),
  ),
});
export type CapacityView = z.infer<typeof capacityView>;

/** Satisfaction and the waiting touchpoint of one kind of day over the report's weeks (the case's 79 vs 86, waiting 6.2). */
const dayTypeScores = z.object({
  surveys: z.number().int(),
  /** Mean survey score (1–5). */
  averageScore: z.number().nullable(),
  /** Share of surveys scored 4 or 5. */
  csat: z.number().nullable(),
  /** Mean of the `waiting` touchpoint (0–10) and how many answered it. */
  waitingScore: z.number().nullable(),
  waitingAnswers: z.number().int(),
});

/** `GET …/appointments/report`: the reports' appointment figures per local week (Monday first), the oldest first. */
export const appointmentReport = z.object({
  workshopId: z.string(),
  from: z.string(),
  to: z.string(),
  weeks: z.array(
    z.object({
      weekStart: z.string(),
      checkIns: z.number().int(),
      /** Check-ins that named an appointment. */
      appointmentCheckIns: z.number().int(),
      appointmentShare: z.number().nullable(),
      /** Appointments whose slot fell in the week, not cancelled, and checked in or past the no-show time. */
      due: z.number().int(),
      noShows: z.number().int(),
      noShowRate: z.number().nullable(),
      /** Check-ins Monday–Friday over all: the case's 削峰填谷 measure. */
      weekdayShare: z.number().nullable(),
    }),
  ),
  weekday: dayTypeScores,
  weekend: dayTypeScores,
});
export type AppointmentReport = z.infer<typeof appointmentReport>;
