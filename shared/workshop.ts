import { z } from 'zod';
import { serviceType, TOUCHPOINTS } from './events.js';
import { lightPolicy } from './light-policy.js';
import { thresholdOverrides } from './lights.js';

/** A workshop as the config file describes it (CONTRACT.md, "Config file"). */

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
 * Electric vehicles (additions to CONTRACT.md): a bay equipped for high-voltage work, and a
 * technician qualified for it. A job checked in with `highVoltage: true` may only start on
 * such a bay by such a technician.
 */
export const bayConfig = z.object({ id, name, team: id.optional(), highVoltage: z.boolean({ error: 'must be true or false' }).optional() }).strict();
export const technicianConfig = z.object({ id, name, team: id.optional(), highVoltageQualified: z.boolean({ error: 'must be true or false' }).optional() }).strict();
export const advisorConfig = z.object({ id, name }).strict();

const clockTime = z.string({ error: 'must be a string' }).regex(/^([01]\d|2[0-3]):[0-5]\d$/, { error: 'must be a local time HH:MM, e.g. 18:30' });

/** Opening hours (an addition to CONTRACT.md): lets the board flag a technician still clocked in after closing. */
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

export const workshopConfig = z
  .object({
    id,
    name,
    timezone: z
      .string({ error: 'must be a string' })
      .refine(isValidTimeZone, { error: (iss) => `"${String(iss.input)}" is not an IANA time zone (e.g. Asia/Shanghai)` }),
    bays: z.array(bayConfig).superRefine((l, ctx) => uniqueIds(l, ctx, 'bay')),
    technicians: z.array(technicianConfig).superRefine((l, ctx) => uniqueIds(l, ctx, 'technician')),
    advisors: z.array(advisorConfig).default([]).superRefine((l, ctx) => uniqueIds(l, ctx, 'advisor')),
    thresholds: thresholdOverrides.optional(),
    hours: openingHours.optional(),
    /**
     * Which team does which service (an addition to CONTRACT.md), e.g. { "maintenance": "quick" }:
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
  })
  .strict();
export type WorkshopConfig = z.infer<typeof workshopConfig>;

/** The teams a workshop knows: every team named by a bay, a technician or a service mapping. */
export function teamsOf(ws: WorkshopConfig): Set<string> {
  const teams = new Set<string>();
  for (const b of ws.bays) if (b.team) teams.add(b.team);
  for (const t of ws.technicians) if (t.team) teams.add(t.team);
  for (const team of Object.values(ws.serviceTeams ?? {})) if (team) teams.add(team);
  return teams;
}
