import { z } from 'zod';
import { isoTime, pauseReason } from './events.js';
import { light } from './lights.js';

/** The board snapshot (docs/api.md, "Board snapshot"). Ratios are fractions, minutes numbers. */

export const kpi = z.object({ value: z.number().nullable(), light });
export type Kpi = z.infer<typeof kpi>;

export const KPI_NAMES = ['utilisation', 'laborAchievement', 'firstTimeFix', 'comebackRate', 'csat', 'averageWait'] as const;
export type KpiName = (typeof KPI_NAMES)[number];

/**
 * `isolation` (an addition to the first contract, docs/api.md): the bay holds a car with a damaged high-voltage
 * battery (in progress or paused; `pauseReason` still says which): keep clear.
 */
export const BAY_STATES = ['idle', 'in_progress', 'paused', 'isolation'] as const;

export const baySnapshot = z.object({
  bayId: z.string(),
  jobId: z.string().nullable(),
  technicianId: z.string().nullable(),
  state: z.enum(BAY_STATES),
  elapsedMin: z.number().nullable(),
  standardMin: z.number().nullable(),
  light,
  // Additions beyond the contract's minimum, so a board can draw the bay without a second call.
  plate: z.string().nullable(),
  pauseReason: pauseReason.nullable(),
});
export type BaySnapshot = z.infer<typeof baySnapshot>;

/**
 * A light that is yellow or red now. `acknowledgedAt`: when a lead acknowledged it (socket
 * `alert:ack`), so boards stop sounding it; cleared when the light gets worse again.
 */
export const activeAlert = z.object({ metric: z.string(), light, message: z.string(), since: isoTime, acknowledgedAt: isoTime.nullable() });
export type ActiveAlert = z.infer<typeof activeAlert>;

/**
 * Data-quality flags (an addition to the first contract, docs/api.md): where the shop floor probably forgot a
 * tap. `overrun`: an open job has worked more than twice its standard time; `paused_long`: a
 * job paused for 2 hours or more; `after_closing`: a technician still clocked in 30 minutes
 * after the workshop's closing time (needs `hours` in the config) or for 14 hours;
 * `implausible_time`: a job completed today whose worked time is implausible (docs/api.md,
 * "Implausible worked time") and that no lead has confirmed: listed after the others, shown on
 * the lead console (with "Confirm time"), not on the TV board.
 */
export const DATA_FLAG_KINDS = ['overrun', 'paused_long', 'after_closing', 'implausible_time'] as const;
export const dataFlag = z.object({
  kind: z.enum(DATA_FLAG_KINDS),
  jobId: z.string().nullable(),
  /** `implausible_time` only (absent otherwise): the finished job's plate, which no bay holds any more. */
  plate: z.string().nullable().optional(),
  technicianId: z.string().nullable(),
  bayId: z.string().nullable(),
  since: isoTime,
  message: z.string(),
});
export type DataFlag = z.infer<typeof dataFlag>;

/**
 * Terminal health (an addition to the first contract, docs/api.md): every bay terminal that said `terminal:hello`
 * (or posted with `X-Pitwall-Terminal`), when the hub last heard from it, and whether that is
 * too long ago, so a dead tablet never passes for an idle bay.
 */
export const TERMINAL_SILENT_AFTER_MS = 2 * 60_000;
/** Made by the device once and kept; bounded, because every board snapshot lists it. */
export const TERMINAL_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;
export const terminalId = z
  .string({ error: 'must be a string' })
  .regex(TERMINAL_ID_PATTERN, { error: 'must be 8–64 characters of A–Z, a–z, 0–9, "_" or "-"' });
export const terminalStatus = z.object({
  terminalId,
  bayId: z.string().nullable(),
  lastSeenAt: isoTime,
  silent: z.boolean(),
});
export type TerminalStatus = z.infer<typeof terminalStatus>;

/**
 * What bounds a board snapshot (docs/api.md, "Snapshot size"). Bays are listed whole (at most
 * MAX_BAYS, shared/workshop.ts), terminals too (at most MAX_TERMINALS); alerts and flags, which
 * grow with the bays and technicians, are listed up to these caps and counted beyond them:
 * every KPI alert is listed, then bay alerts worst first; flags oldest first. A TV shows
 * nine alert chips and three flags.
 */
export const MAX_LISTED_ALERTS = 24;
export const MAX_LISTED_FLAGS = 10;
/**
 * No snapshot of a workshop the config allows is larger than this (bytes of its JSON), whatever
 * clients send: 50 bays × 448 B + 24 alerts × 457 B + 10 flags × 570 B + 96 terminals × 212 B +
 * ~1 KB of figures ≈ 61 KB with every string at its longest, plus headroom.
 * test/integration/snapshot-bound.test.ts builds that worst case and holds it to this.
 */
export const SNAPSHOT_MAX_BYTES = 64 * 1024;

export const boardSnapshot = z.object({
  workshopId: z.string(),
  seq: z.number().int().nonnegative(),
  asOf: isoTime,
  technicians: z.object({ onShift: z.number(), busy: z.number(), idle: z.number(), onBreak: z.number() }),
  jobs: z.object({ waiting: z.number(), inProgress: z.number(), paused: z.number(), completedToday: z.number(), deliveredToday: z.number() }),
  waitingCustomers: z.object({ count: z.number(), averageWaitMin: z.number().nullable(), longestWaitMin: z.number().nullable() }),
  kpis: z.object({
    utilisation: kpi,
    laborAchievement: kpi,
    firstTimeFix: kpi,
    comebackRate: kpi,
    csat: kpi,
    averageWait: kpi,
  }),
  bays: z.array(baySnapshot),
  alerts: z.array(activeAlert).max(MAX_LISTED_ALERTS),
  flags: z.array(dataFlag).max(MAX_LISTED_FLAGS),
  terminals: z.array(terminalStatus),
  /** Active alerts beyond MAX_LISTED_ALERTS, not in `alerts` (absent: none left out). */
  alertsNotListed: z.number().int().positive().optional(),
  /** Flags beyond MAX_LISTED_FLAGS, not in `flags` (absent: none left out). */
  flagsNotListed: z.number().int().positive().optional(),
});
export type BoardSnapshot = z.infer<typeof boardSnapshot>;

export const alertMessage = z.object({
  workshopId: z.string(),
  metric: z.string(),
  light,
  previous: light,
  message: z.string(),
  at: isoTime,
});
export type AlertMessage = z.infer<typeof alertMessage>;
