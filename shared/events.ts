import { z } from 'zod';

/**
 * The events bay terminals, advisor desks and dealer systems push (CONTRACT.md, "Events").
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

const entityId = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(64, { error: 'must be at most 64 characters' });

export const SERVICE_TYPES = ['maintenance', 'repair', 'warranty', 'recall', 'bodywork', 'diagnosis'] as const;
export const serviceType = z.enum(SERVICE_TYPES, { error: `must be one of ${SERVICE_TYPES.join(', ')}` });

export const PAUSE_REASONS = ['parts', 'approval', 'other'] as const;
export const pauseReason = z.enum(PAUSE_REASONS, { error: `must be one of ${PAUSE_REASONS.join(', ')}` });

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
    standardMinutes: z.number({ error: 'must be a number' }).min(1, { error: 'must be at least 1' }).max(10_000, { error: 'must be at most 10000' }),
    customerWaiting: z.boolean({ error: 'must be true or false' }),
    advisorId: entityId.optional(),
    promisedAt: isoTime.optional(),
    comebackOf: entityId.optional(),
    /** An addition to CONTRACT.md: the job needs a high-voltage bay and a qualified technician (EV battery, drive unit). */
    highVoltage: z.boolean({ error: 'must be true or false' }).optional(),
    /**
     * An addition to CONTRACT.md: the car's high-voltage battery is damaged (crash, flood,
     * smoke, a fault warning). Implies `highVoltage`; needs an isolation bay and a level-3
     * technician.
     */
    damagedBattery: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict();

/** A damaged battery is high-voltage work: the two flags may not contradict each other. */
const hvFlagsAgree = (e: { damagedBattery?: boolean | undefined; highVoltage?: boolean | undefined }) => !(e.damagedBattery === true && e.highVoltage === false);
const hvFlagsDisagree = { error: 'a damaged battery is high-voltage work: leave highVoltage out or make it true', path: ['highVoltage'] };

export const jobCheckedInEvent = jobCheckedInObject.refine(hvFlagsAgree, hvFlagsDisagree);

/** A check-in's own fields, without the envelope (`id`, `at`, `type`): what the desk's form fills in. */
export const jobCheckedInFields = jobCheckedInObject.omit({ id: true, at: true, type: true }).refine(hvFlagsAgree, hvFlagsDisagree);

export const jobStartedEvent = z
  .object({ ...base, type: z.literal('job.started'), jobId: entityId, bayId: entityId, technicianId: entityId })
  .strict();

export const jobPausedEvent = z
  .object({ ...base, type: z.literal('job.paused'), jobId: entityId, reason: pauseReason })
  .strict();

export const jobResumedEvent = z.object({ ...base, type: z.literal('job.resumed'), jobId: entityId }).strict();

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

export const staffReassignedEvent = z
  .object({ ...base, type: z.literal('staff.reassigned'), technicianId: entityId, team: entityId.optional(), bayId: entityId.optional() })
  .strict()
  .refine((e) => e.team !== undefined || e.bayId !== undefined, { error: 'needs team and/or bayId', path: ['team'] });

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
]);

export type PitwallEvent = z.infer<typeof pitwallEvent>;
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
