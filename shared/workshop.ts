import { z } from 'zod';
import { role } from './auth.js';
import { appointmentSettings, weeklyHours } from './appointments.js';
import { serviceType, TOUCHPOINTS } from './events.js';
import { lightPolicy } from './light-policy.js';
import { thresholdOverrides } from './lights.js';
import { turnSoonMinutes, webhookEndpoints } from './webhooks.js';

/** A workshop as the config file describes it (docs/api.md, "Config file"). */

const id = z
  .string({ error: 'must be a string' })
  .regex(/^[A-Za-z0-9_.:-]{1,64}$/, { error: 'must be 1–64 characters of A–Z, a–z, 0–9, "_", ".", ":" or "-"' });
const name = z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }).max(120);

export function isValidTimeZone(tz: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: tz });
    return true;
  } catch {
    return false;
  }
}

/**
 * Electric vehicles (additions to the first contract, docs/api.md): a bay equipped for high-voltage work, and a
 * technician qualified for it. A job checked in with `highVoltage: true` may only start on
 * such a bay by such a technician.
 *
 * `isolation: true`: a quarantine bay for a car with a damaged battery (fenced off, fire
 * blanket, away from the other cars); it counts as equipped for high-voltage work, so
 * `highVoltage: false` beside it is a config error. A `damagedBattery` job starts only there.
 */
const bool = z.boolean({ error: 'must be true or false' });
export const bayConfig = z
  .object({ id, name, team: id.optional(), highVoltage: bool.optional(), isolation: bool.optional() })
  .strict()
  .refine((b) => !(b.isolation === true && b.highVoltage === false), {
    error: 'an isolation bay is where damaged high-voltage batteries are worked on: it cannot be "highVoltage": false (leave highVoltage out or make it true)',
    path: ['highVoltage'],
  });

/**
 * High-voltage qualification levels (following common EV-workshop practice):
 * 0 none; 1 may work near a de-energised high-voltage system (no high-voltage jobs);
 * 2 may de-energise the system and work on high-voltage components (`highVoltage` jobs);
 * 3 may also work on a live or damaged high-voltage battery (`damagedBattery` jobs).
 */
export const HV_LEVELS = [0, 1, 2, 3] as const;
export type HvLevel = (typeof HV_LEVELS)[number];
/** The level a plain `highVoltageQualified: true` stands for. */
export const HV_QUALIFIED_LEVEL = 2;
/** The level a `highVoltage` job needs, and a `damagedBattery` one. */
export const HV_JOB_LEVEL = 2;
export const DAMAGED_BATTERY_LEVEL = 3;

export const technicianConfig = z
  .object({
    id,
    name,
    team: id.optional(),
    highVoltageQualified: bool.optional(),
    highVoltageLevel: z
      .number({ error: 'must be a number 0–3' })
      .int({ error: 'must be a whole number 0–3' })
      .min(0, { error: 'must be 0–3' })
      .max(3, { error: 'must be 0–3' })
      .optional(),
    /** Issue 15: the roster, hours worked per weekday, Monday first (the capacity view); absent: the opening hours every day (appointments.ts). */
    weeklyHours: weeklyHours.optional(),
  })
  .strict()
  .superRefine((t, ctx) => {
    if (t.highVoltageLevel === undefined || t.highVoltageQualified === undefined) return;
    if (t.highVoltageQualified !== t.highVoltageLevel >= HV_QUALIFIED_LEVEL) {
      ctx.addIssue({
        code: 'custom',
        path: ['highVoltageLevel'],
        message: `contradicts "highVoltageQualified": ${t.highVoltageQualified} (qualified means level 2 or 3); give one of them, or make them agree`,
      });
    }
  });

/** A technician's high-voltage level: `highVoltageLevel`, else 2 for `highVoltageQualified: true`, else 0. */
export function hvLevelOf(t: { highVoltageQualified?: boolean | undefined; highVoltageLevel?: number | undefined }): number {
  return t.highVoltageLevel ?? (t.highVoltageQualified === true ? HV_QUALIFIED_LEVEL : 0);
}

/** Isolation bays count as equipped for high-voltage work. */
export function bayIsHighVoltage(b: { highVoltage?: boolean | undefined; isolation?: boolean | undefined }): boolean {
  return b.highVoltage === true || b.isolation === true;
}

export const advisorConfig = z.object({ id, name }).strict();

const clockTime = z.string({ error: 'must be a string' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a local time HH:MM, e.g. 18:30' });

/** Opening hours (an addition to the first contract, docs/api.md): lets the board flag a technician still clocked in after closing. */
export const openingHours = z
  .object({ open: clockTime, close: clockTime })
  .strict()
  .refine((h) => h.open < h.close, { error: 'close must be after open (same day)', path: ['close'] });

function uniqueIds(list: readonly { id: string }[], ctx: z.RefinementCtx, what: string) {
  const seen = new Set<string>();
  list.forEach((item, i) => {
    if (seen.has(item.id)) ctx.addIssue({ code: 'custom', path: [i, 'id'], message: `duplicate ${what} id "${item.id}"` });
    seen.add(item.id);
  });
}

/**
 * The largest workshop one config entry may describe. Every bay is a card (and possibly an
 * alert) in every board snapshot, so the bay count is what bounds the snapshot's size
 * (docs/api.md, "Snapshot size"); a bigger site runs as two workshops. Technicians and
 * advisors are bounded so that the engine's per-snapshot work stays bounded too.
 */
export const MAX_BAYS = 50;
export const MAX_TECHNICIANS = 200;
export const MAX_ADVISORS = 50;
/** Teams are named groups of bays and technicians: a workshop has a handful, never more than bays. */
export const MAX_TEAMS = 50;
/**
 * The most terminals (bay tablets, advisor desks, roaming devices) the hub remembers per
 * workshop: the snapshot lists every one of them, so this is part of the snapshot's bound.
 */
export const MAX_TERMINALS = 96;

/**
 * A team's display name (an addition to the first contract, docs/api.md): bays, technicians and `serviceTeams`
 * name a team by its id ("quick"); the pages show this name ("Quick service") instead.
 */
export const teamConfig = z.object({ id, name }).strict();

const atMost = (max: number, what: string) => ({ error: `at most ${max} ${what} per workshop (a bigger site runs as several workshops)` });

export const workshopConfig = z
  .object({
    id,
    name,
    timezone: z
      .string({ error: 'must be a string' })
      .refine(isValidTimeZone, { error: (iss) => `"${String(iss.input)}" is not an IANA time zone (e.g. Asia/Shanghai)` }),
    bays: z
      .array(bayConfig)
      .max(MAX_BAYS, atMost(MAX_BAYS, 'bays'))
      .superRefine((l, ctx) => uniqueIds(l, ctx, 'bay')),
    technicians: z
      .array(technicianConfig)
      .max(MAX_TECHNICIANS, atMost(MAX_TECHNICIANS, 'technicians'))
      .superRefine((l, ctx) => uniqueIds(l, ctx, 'technician')),
    /**
     * The teams' names, optional: without it, or for a team it leaves out, pages show the id.
     * When given, it lists every team the workshop names (a typo in a bay's team is an error).
     */
    teams: z
      .array(teamConfig)
      .max(MAX_TEAMS, atMost(MAX_TEAMS, 'teams'))
      .superRefine((l, ctx) => uniqueIds(l, ctx, 'team'))
      .optional(),
    advisors: z
      .array(advisorConfig)
      .max(MAX_ADVISORS, atMost(MAX_ADVISORS, 'advisors'))
      .default([])
      .superRefine((l, ctx) => uniqueIds(l, ctx, 'advisor')),
    /**
     * How many terminals the hub remembers for this workshop (an addition to the first contract, docs/api.md);
     * default `terminalCapOf`. Past it, the one heard from least recently is forgotten.
     */
    maxTerminals: z
      .number({ error: 'must be a number' })
      .int({ error: 'must be a whole number' })
      .min(1, { error: `must be 1–${MAX_TERMINALS}` })
      .max(MAX_TERMINALS, { error: `must be 1–${MAX_TERMINALS} (every terminal is listed in every board snapshot)` })
      .optional(),
    thresholds: thresholdOverrides.optional(),
    hours: openingHours.optional(),
    /**
     * Which team does which service (an addition to the first contract, docs/api.md), e.g. { "maintenance": "quick" }:
     * the forecasts then give such jobs only to that team's technicians, so moving a technician
     * between teams changes the predicted waits. Services not listed go to anyone.
     */
    serviceTeams: z.partialRecord(serviceType, id).optional(),
    /** Names on the manager's screens: the KPI article's ("seed") or NADA's productivity / efficiency / proficiency. */
    naming: z.enum(['seed', 'nada'], { error: 'must be "seed" or "nada"' }).optional(),
    /** Minimum samples and alert hysteresis per KPI (shared/light-policy.ts); default: the plain rules. */
    lightPolicy: lightPolicy.optional(),
    /**
     * Weights of the customer journey index by touchpoint (CX article 5.2), any subset, any
     * scale (they are normalised); the article's weights where absent.
     */
    cjiWeights: z
      .partialRecord(z.enum(TOUCHPOINTS), z.number({ error: 'must be a number' }).min(0, { error: 'must not be negative' }).max(1000, { error: 'must be at most 1000' }))
      .refine((w) => Object.values(w).some((v) => v !== undefined && v > 0), { error: 'needs at least one weight above 0' })
      .optional(),
    /**
     * Signed webhooks to the shop's own receivers (SMS, WeChat, WeCom gateways; docs/api.md,
     * "Webhooks"). Never sent to a page: `GET /api/v1/workshops/:ws` leaves it out (publicWorkshop).
     */
    webhooks: webhookEndpoints.optional(),
    /** `job.turn_soon` fires when the predicted start is this many minutes away or less (default 15). */
    turnSoonMinutes: turnSoonMinutes.optional(),
    /** Issue 15: the no-show time and the weekday discount (shared/appointments.ts). */
    appointments: appointmentSettings.optional(),
  })
  .strict()
  .superRefine(knownTeams);
export type WorkshopConfig = z.infer<typeof workshopConfig>;

/** With `teams` given, every team a bay, a technician or `serviceTeams` names must be in it. */
function knownTeams(ws: Pick<WorkshopConfig, 'teams' | 'bays' | 'technicians' | 'serviceTeams'>, ctx: z.RefinementCtx): void {
  if (!ws.teams) return;
  const known = new Set(ws.teams.map((t) => t.id));
  const list = ws.teams.length > 0 ? `known: ${ws.teams.map((t) => t.id).join(', ')}` : '"teams" is empty';
  const check = (team: string | undefined, path: PropertyKey[]) => {
    if (team !== undefined && !known.has(team)) ctx.addIssue({ code: 'custom', path, message: `unknown team "${team}" (${list}; add it to "teams")` });
  };
  ws.bays.forEach((b, i) => check(b.team, ['bays', i, 'team']));
  ws.technicians.forEach((t, i) => check(t.team, ['technicians', i, 'team']));
  for (const [service, team] of Object.entries(ws.serviceTeams ?? {})) check(team, ['serviceTeams', service]);
}

/** A team's name for the pages: its `teams` entry's, else its id (`teams` is optional). */
export function teamName(ws: Pick<WorkshopConfig, 'teams'> | null | undefined, teamId: string): string {
  return ws?.teams?.find((t) => t.id === teamId)?.name ?? teamId;
}

/** The teams a workshop knows: every team named by a bay, a technician or a service mapping. */
export function teamsOf(ws: WorkshopConfig): Set<string> {
  const teams = new Set<string>();
  for (const b of ws.bays) if (b.team) teams.add(b.team);
  for (const t of ws.technicians) if (t.team) teams.add(t.team);
  for (const team of Object.values(ws.serviceTeams ?? {})) if (team) teams.add(team);
  return teams;
}

/**
 * The terminals the hub remembers for a workshop unless the config says `maxTerminals`: two
 * per bay (the tablet and its replacement, whose old id lingers until forgotten), one per
 * advisor desk, and eight roaming devices, at most MAX_TERMINALS.
 */
export function terminalCapOf(ws: Pick<WorkshopConfig, 'bays' | 'advisors' | 'maxTerminals'>): number {
  return ws.maxTerminals ?? Math.min(MAX_TERMINALS, 2 * ws.bays.length + ws.advisors.length + 8);
}

/**
 * `GET /api/v1/workshops/:ws`: the config, and the role of the token that asked, so a page
 * hides what that token may not do (shared/permissions.ts `can`) instead of offering a button
 * the hub would refuse.
 */
/** The config as pages may see it: without `webhooks`, whose URLs and secrets are the shop's (a WeCom bot's URL is its key). */
export function publicWorkshop(ws: WorkshopConfig): WorkshopConfig {
  const { webhooks: _hidden, ...rest } = ws;
  return rest;
}

export const workshopResponse = z.object({ workshop: workshopConfig, role });
export type WorkshopResponse = z.infer<typeof workshopResponse>;
