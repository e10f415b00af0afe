import { z } from 'zod';

/**
 * The events bay terminals, advisor desks and dealer systems push (docs/api.md, "Events").
 * One zod schema per event type; the TypeScript types are inferred from them so the hub and
 * the client can never disagree about a field.
 */

export const EVENT_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export const eventId = z
  .string({ error: 'must be a string' })
  .regex(EVENT_ID_PATTERN, { error: 'must be 8–64 characters of A–Z, a–z, 0–9, "_" or "-"' });

/** ISO-8601 with an explicit offset ("Z" or "+08:00"): a bare local time is ambiguous. */
export const isoTime = z.iso.datetime({
  offset: true,
  error: 'must be an ISO-8601 time with an offset, e.g. 2026-11-22T09:30:00+08:00',
});

/** A job's standard time in minutes: below a minute a ratio against it means nothing ("Infinity %"). */
export const MIN_STANDARD_MINUTES = 1;
export const MAX_STANDARD_MINUTES = 10_000;

const entityId = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(64, { error: 'must be at most 64 characters' });

export const SERVICE_TYPES = ['maintenance', 'repair', 'warranty', 'recall', 'bodywork', 'diagnosis'] as const;
export const serviceType = z.enum(SERVICE_TYPES, { error: `must be one of ${SERVICE_TYPES.join(', ')}` });

/**
 * Why a job stopped. `break` and `end_of_shift` are what the terminal sends when the technician
 * starts a break or clocks out with the job running and chooses to pause it (additions: the
 * board, reports and "paused too long" can tell them from a car waiting for parts).
 */
export const PAUSE_REASONS = ['parts', 'approval', 'other', 'break', 'end_of_shift'] as const;
/** The reasons a technician picks on the job card itself (the other two come with a shift tap). */
export const JOB_PAUSE_REASONS = ['parts', 'approval', 'other'] as const satisfies readonly (typeof PAUSE_REASONS)[number][];
export const pauseReason = z.enum(PAUSE_REASONS, { error: `must be one of ${PAUSE_REASONS.join(', ')}` });
export type PauseReason = (typeof PAUSE_REASONS)[number];

export const TOUCHPOINTS = ['appointment', 'reception', 'advisor', 'waiting', 'repair', 'delivery', 'followUp'] as const;

const base = { id: eventId, at: isoTime };

const technicianEvent = <T extends string>(type: T) =>
  z.object({ ...base, type: z.literal(type), technicianId: entityId }).strict();

export const clockInEvent = technicianEvent('shift.clock_in');
export const clockOutEvent = technicianEvent('shift.clock_out');
export const breakStartEvent = technicianEvent('shift.break_start');
export const breakEndEvent = technicianEvent('shift.break_end');

const jobCheckedInObject = z
  .object({
    ...base,
    type: z.literal('job.checked_in'),
    jobId: entityId,
    plate: z.string({ error: 'must be a string' }).trim().min(1, { error: 'must not be empty' }).max(16, { error: 'must be at most 16 characters' }),
    service: serviceType,
    // At least a minute: a standard of a denormal like 5e-324 made elapsed ÷ standard "Infinity %".
    // Stored logs written before the 1-minute minimum still parse (greater than 0); new events
    // are held to MIN_STANDARD_MINUTES by `incomingEvent`, and the engine reads an older tiny
    // value as that minimum, so no light can say "Infinity %".
    standardMinutes: z.number({ error: 'must be a number' }).positive({ error: 'must be at least 1' }).max(MAX_STANDARD_MINUTES, { error: `must be at most ${MAX_STANDARD_MINUTES}` }),
    customerWaiting: z.boolean({ error: 'must be true or false' }),
    advisorId: entityId.optional(),
    promisedAt: isoTime.optional(),
    comebackOf: entityId.optional(),
    /** An addition to docs/api.md: the job needs a high-voltage bay and a qualified technician (EV battery, drive unit). */
    highVoltage: z.boolean({ error: 'must be true or false' }).optional(),
    /**
     * An addition to docs/api.md: the car's high-voltage battery is damaged (crash, flood,
     * smoke, a fault warning). Implies `highVoltage`; needs an isolation bay and a level-3
     * technician.
     */
    damagedBattery: z.boolean({ error: 'must be true or false' }).optional(),
    /** Issue 15: the appointment this car came for; checks it in (booked, not cancelled, not checked in already). */
    appointmentId: entityId.optional(),
  })
  .strict();

/** A damaged battery is high-voltage work: the two flags may not contradict each other. */
const hvFlagsAgree = (e: { damagedBattery?: boolean | undefined; highVoltage?: boolean | undefined }) => !(e.damagedBattery === true && e.highVoltage === false);
const hvFlagsDisagree = { error: 'a damaged battery is high-voltage work: leave highVoltage out or make it true', path: ['highVoltage'] };

export const jobCheckedInEvent = jobCheckedInObject.refine(hvFlagsAgree, hvFlagsDisagree);

/** A check-in's own fields, without the envelope (`id`, `at`, `type`): what the desk's form fills in. */
export const jobCheckedInFields = jobCheckedInObject
  .omit({ id: true, at: true, type: true })
  .refine(hvFlagsAgree, hvFlagsDisagree)
  .superRefine((e, ctx) => refuseForNewEvents(e, ctx));

export const jobStartedEvent = z
  .object({ ...base, type: z.literal('job.started'), jobId: entityId, bayId: entityId, technicianId: entityId })
  .strict();

export const jobPausedEvent = z
  .object({ ...base, type: z.literal('job.paused'), jobId: entityId, reason: pauseReason })
  .strict();

// `technicianId` (optional): who resumed it; the job and its time move to him from then on (docs/api.md).
export const jobResumedEvent = z
  .object({ ...base, type: z.literal('job.resumed'), jobId: entityId, technicianId: entityId.optional() })
  .strict();

export const jobCompletedEvent = z
  .object({ ...base, type: z.literal('job.completed'), jobId: entityId, firstTimeFix: z.boolean({ error: 'must be true or false' }) })
  .strict();

export const jobDeliveredEvent = z.object({ ...base, type: z.literal('job.delivered'), jobId: entityId }).strict();

export const jobCancelledEvent = z
  .object({ ...base, type: z.literal('job.cancelled'), jobId: entityId, reason: z.string().max(500).optional() })
  .strict();

const touchpointScore = z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(0, { error: 'must be 0–10' }).max(10, { error: 'must be 0–10' });

export const surveySubmittedEvent = z
  .object({
    ...base,
    type: z.literal('survey.submitted'),
    jobId: entityId,
    score: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be 1–5' }).max(5, { error: 'must be 1–5' }),
    nps: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(0, { error: 'must be 0–10' }).max(10, { error: 'must be 0–10' }).optional(),
    ces: z.number({ error: 'must be a number' }).int({ error: 'must be a whole number' }).min(1, { error: 'must be 1–7' }).max(7, { error: 'must be 1–7' }).optional(),
    touchpoints: z
      .object(Object.fromEntries(TOUCHPOINTS.map((t) => [t, touchpointScore.optional()])) as Record<(typeof TOUCHPOINTS)[number], z.ZodOptional<typeof touchpointScore>>)
      .strict()
      .optional(),
    comment: z.string().max(2000, { error: 'must be at most 2000 characters' }).optional(),
  })
  .strict();

/**
 * A lead confirms a completed job whose worked time looked implausible (docs/api.md,
 * "Implausible worked time"): it counts in labour-time achievement and proficiency again.
 */
export const jobTimeConfirmedEvent = z.object({ ...base, type: z.literal('job.time_confirmed'), jobId: entityId }).strict();

/**
 * The desk switches a car between waiting on site (true) and dropped off (false): the wait
 * figures and the customer's page ("go and come back by") follow from then on. An addition to
 * docs/api.md ("job.customer_updated").
 */
export const jobCustomerUpdatedEvent = z
  .object({ ...base, type: z.literal('job.customer_updated'), jobId: entityId, customerWaiting: z.boolean({ error: 'must be true or false' }) })
  .strict();

export const staffReassignedEvent = z
  .object({ ...base, type: z.literal('staff.reassigned'), technicianId: entityId, team: entityId.optional(), bayId: entityId.optional() })
  .strict()
  .refine((e) => e.team !== undefined || e.bayId !== undefined, { error: 'needs team and/or bayId', path: ['team'] });

// --- Appointments (issue 15, docs/api.md "Appointments"): booked ahead, cancelled, checked in by `job.checked_in.appointmentId`.

/** An appointment's slot: the local time the customer is expected, with an offset like every time. */
export const appointmentBookedEvent = z
  .object({
    ...base,
    type: z.literal('appointment.booked'),
    appointmentId: entityId,
    plate: jobCheckedInObject.shape.plate,
    service: serviceType,
    standardMinutes: jobCheckedInObject.shape.standardMinutes,
    slotAt: isoTime,
    advisorId: entityId,
    /** The customer means to wait on site (default: a drop-off). */
    customerWaiting: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict();

export const appointmentCancelledEvent = z
  .object({ ...base, type: z.literal('appointment.cancelled'), appointmentId: entityId })
  .strict();

/**
 * Characters no identifier or plate may hold: controls (NUL, C0, C1), format characters (the
 * bidi embeddings, overrides and isolates U+202A–U+202E and U+2066–U+2069, zero-width spaces
 * and joiners, the BOM), line and paragraph separators and lone surrogates. A U+202E in a plate
 * reversed the rest of every alert sentence naming it; sixteen U+200B made a blank row.
 */
const HIDDEN_IN_IDENTIFIERS = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}\p{Cs}]/u;
/** Free text (a comment, a reason) keeps tabs and line breaks and any script's own marks; controls are refused. */
const HIDDEN_IN_TEXT = /[\p{Cs}\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F]/u;

export const IDENTIFIER_FIELDS = ['jobId', 'technicianId', 'bayId', 'advisorId', 'comebackOf', 'team', 'plate', 'appointmentId'] as const;
const TEXT_FIELDS = ['comment', 'reason'] as const;

/** Why `value` may not be shown as it is, or null: names the first offending character by its code point. */
export function hiddenCharacterIssue(value: string, kind: 'identifier' | 'text'): string | null {
  const m = (kind === 'identifier' ? HIDDEN_IN_IDENTIFIERS : HIDDEN_IN_TEXT).exec(value);
  if (!m) return null;
  const code = m[0].codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0');
  return kind === 'identifier'
    ? `must not contain control or invisible formatting characters (U+${code} at position ${m.index + 1})`
    : `must not contain control characters (U+${code} at position ${m.index + 1})`;
}

/** What new events must meet beyond what a stored log may hold: no hidden characters, a standard time of at least a minute. */
function refuseForNewEvents(e: Record<string, unknown>, ctx: z.RefinementCtx): void {
  refuseHiddenCharacters(e, ctx);
  if (typeof e.standardMinutes === 'number' && e.standardMinutes < MIN_STANDARD_MINUTES) {
    ctx.addIssue({ code: 'custom', path: ['standardMinutes'], message: `must be at least ${MIN_STANDARD_MINUTES}` });
  }
}

function refuseHiddenCharacters(e: Record<string, unknown>, ctx: z.RefinementCtx): void {
  for (const [fields, kind] of [[IDENTIFIER_FIELDS, 'identifier'], [TEXT_FIELDS, 'text']] as const) {
    for (const field of fields) {
      const value = e[field];
      const issue = typeof value === 'string' ? hiddenCharacterIssue(value, kind) : null;
      if (issue) ctx.addIssue({ code: 'custom', path: [field], message: issue });
    }
  }
}

export const pitwallEvent = z.discriminatedUnion('type', [
  clockInEvent,
  clockOutEvent,
  breakStartEvent,
  breakEndEvent,
  jobCheckedInEvent,
  jobStartedEvent,
  jobPausedEvent,
  jobResumedEvent,
  jobCompletedEvent,
  jobDeliveredEvent,
  jobCancelledEvent,
  surveySubmittedEvent,
  staffReassignedEvent,
  jobTimeConfirmedEvent,
  jobCustomerUpdatedEvent,
  appointmentBookedEvent,
  appointmentCancelledEvent,
]);

export type PitwallEvent = z.infer<typeof pitwallEvent>;

/**
 * A new event as a terminal sends it: `pitwallEvent` plus no hidden characters in identifiers,
 * plates or free text and a standard time of at least a minute. Only new events are held to it;
 * a log written before these rules still loads and replays (the log is the truth; the UI
 * isolates what it shows, the engine reads a tiny standard time as a minute).
 */
export const incomingEvent = pitwallEvent.superRefine((e, ctx) => refuseForNewEvents(e, ctx));
export type EventType = PitwallEvent['type'];
export type EventOf<T extends EventType> = Extract<PitwallEvent, { type: T }>;

export const EVENT_TYPES = [
  'shift.clock_in',
  'shift.clock_out',
  'shift.break_start',
  'shift.break_end',
  'job.checked_in',
  'job.started',
  'job.paused',
  'job.resumed',
  'job.completed',
  'job.delivered',
  'job.cancelled',
  'survey.submitted',
  'staff.reassigned',
  'job.time_confirmed',
  'job.customer_updated',
  'appointment.booked',
  'appointment.cancelled',
] as const satisfies readonly EventType[];

/** Every event type appears in EVENT_TYPES: a compile error here means the list fell behind. */
type MissingType = Exclude<EventType, (typeof EVENT_TYPES)[number]>;
const _allTypesListed: MissingType extends never ? true : never = true;
void _allTypesListed;

export const MAX_EVENTS_PER_BATCH = 500;

export const eventBatch = z.object({
  events: z.array(z.unknown(), { error: 'must be an array of events' })
    .min(1, { error: 'must hold at least one event' })
    .max(MAX_EVENTS_PER_BATCH, { error: `must hold at most ${MAX_EVENTS_PER_BATCH} events` }),
});

/** A stored event: what the log keeps, in order. `seq` is its 1-based position in the workshop's log. */
export const storedEvent = z.object({ seq: z.number().int().positive(), receivedAt: isoTime, event: pitwallEvent });
export type StoredEvent = z.infer<typeof storedEvent>;

export const EVENT_STATUSES = ['accepted', 'duplicate', 'rejected'] as const;
export type EventStatus = (typeof EVENT_STATUSES)[number];

export const errorDetail = z.object({ path: z.string(), message: z.string() });
export type ErrorDetail = z.infer<typeof errorDetail>;

export const eventResult = z.object({
  id: z.string().nullable(),
  status: z.enum(EVENT_STATUSES),
  error: z.object({ code: z.string(), message: z.string(), details: z.array(errorDetail).optional() }).optional(),
});
export type EventResult = z.infer<typeof eventResult>;
