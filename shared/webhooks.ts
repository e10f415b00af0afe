import { z } from 'zod';
import { customerJobView } from './customer-view.js';
import { isoTime } from './events.js';
import { light } from './lights.js';

/**
 * Outbound notifications as signed webhooks (docs/api.md, "Webhooks"): what a workshop's config
 * may ask for, and what a receiver gets. The delivery layer (server/notify/) carries any
 * `WebhookEvent`: the job notifications (issue 15) and the red alerts (issue 16).
 */

export const JOB_WEBHOOK_EVENTS = ['job.turn_soon', 'job.ready', 'job.promise_at_risk'] as const;
export type JobWebhookEvent = (typeof JOB_WEBHOOK_EVENTS)[number];
/** A light turned red; a lead acknowledged a red alert (docs/api.md, "Alert events"). */
export const ALERT_WEBHOOK_EVENTS = ['alert.raised', 'alert.acknowledged'] as const;
export type AlertWebhookEvent = (typeof ALERT_WEBHOOK_EVENTS)[number];
export const WEBHOOK_EVENTS = [...JOB_WEBHOOK_EVENTS, ...ALERT_WEBHOOK_EVENTS] as const;
export const webhookEvent = z.enum(WEBHOOK_EVENTS, { error: `must be one of ${WEBHOOK_EVENTS.join(', ')}` });
export type WebhookEvent = z.infer<typeof webhookEvent>;

/** Endpoints per workshop: each is a queue and a stream of requests, so a handful (an SMS gateway, a WeCom bot, a CRM). */
export const MAX_WEBHOOK_ENDPOINTS = 5;
/** `job.turn_soon`: the predicted start this many minutes ahead or less (docs/operations.md, "Webhooks"). */
export const DEFAULT_TURN_SOON_MINUTES = 15;
export const MAX_TURN_SOON_MINUTES = 240;

/**
 * A Standard Webhooks secret: `whsec_` and the base64 of 24–64 random bytes (the scheme's
 * recommendation; fewer bytes make the HMAC key guessable, more add nothing).
 */
const SECRET_PATTERN = /^whsec_[A-Za-z0-9+/]+={0,2}$/;
export const MIN_SECRET_BYTES = 24;
export const MAX_SECRET_BYTES = 64;
const MAKE_SECRET = `make one with: node -e "console.log('whsec_'+require('crypto').randomBytes(32).toString('base64'))"`;

/** Why a secret is unusable, in the operator's words; null when it is fine. Never echoes the secret. */
export function secretProblem(secret: string): string | null {
  if (!SECRET_PATTERN.test(secret)) return `must be "whsec_" followed by base64 (${MAKE_SECRET})`;
  const bytes = Buffer.from(secret.slice('whsec_'.length), 'base64').length;
  if (bytes < MIN_SECRET_BYTES || bytes > MAX_SECRET_BYTES) return `must hold ${MIN_SECRET_BYTES}–${MAX_SECRET_BYTES} bytes after "whsec_" (this one has ${bytes}; ${MAKE_SECRET})`;
  return null;
}

/** Plain http only to this machine: traffic that leaves it must be encrypted, as it carries the customer's car and times. */
const LOOPBACK_HOSTS = new Set(['localhost', '127.0.0.1', '[::1]']);

/** Why a webhook URL is refused; null when it is fine (docs/security.md, "Webhooks"). */
export function webhookUrlProblem(raw: string): string | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return 'must be an absolute URL, e.g. https://sms-gateway.example.com/pitwall';
  }
  if (url.username !== '' || url.password !== '') return 'must not hold a user name or password (they would sit in the config file and in logs; the signature authenticates the hub)';
  const loopback = LOOPBACK_HOSTS.has(url.hostname) || /^127\.\d+\.\d+\.\d+$/.test(url.hostname);
  if (url.protocol === 'http:' && !loopback) return 'must use https (plain http is allowed only to localhost / 127.0.0.1 / [::1], where the message never leaves the machine)';
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return 'must be an https URL';
  // The cloud metadata service answers on the link-local range: never a receiver, a classic SSRF target.
  if (/^169\.254\.\d+\.\d+$/.test(url.hostname) || /^\[fe80:/i.test(url.hostname)) return 'must not be a link-local address (169.254.x.x, fe80::), where cloud metadata services answer';
  return null;
}

export const webhookEndpointConfig = z
  .object({
    url: z.string({ error: 'must be a string' }).superRefine((u, ctx) => {
      const problem = webhookUrlProblem(u);
      if (problem) ctx.addIssue({ code: 'custom', message: problem });
    }),
    /** The secret itself; prefer `secretEnv`, so the config file holds no secret. */
    secret: z
      .string({ error: 'must be a string' })
      .superRefine((s, ctx) => {
        const problem = secretProblem(s);
        if (problem) ctx.addIssue({ code: 'custom', message: problem });
      })
      .optional(),
    /** The name of an environment variable holding the secret (checked when the hub starts). */
    secretEnv: z
      .string({ error: 'must be a string' })
      .regex(/^[A-Za-z_][A-Za-z0-9_]{0,127}$/, { error: 'must be an environment variable name (letters, digits, "_")' })
      .optional(),
    events: z.array(webhookEvent).min(1, { error: `must list at least one of ${WEBHOOK_EVENTS.join(', ')}` }),
    /** Put the customer's page link (`customerUrl`) in the payload, for a message that links to it. Default false. */
    includeCustomerLink: z.boolean({ error: 'must be true or false' }).optional(),
  })
  .strict()
  .superRefine((e, ctx) => {
    if ((e.secret === undefined) === (e.secretEnv === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['secret'], message: 'give either "secret" or "secretEnv" (the name of an environment variable holding it), exactly one of them' });
    }
  });
export type WebhookEndpointConfig = z.infer<typeof webhookEndpointConfig>;

export const webhookEndpoints = z
  .array(webhookEndpointConfig)
  .max(MAX_WEBHOOK_ENDPOINTS, { error: `at most ${MAX_WEBHOOK_ENDPOINTS} webhook endpoints per workshop` });

export const turnSoonMinutes = z
  .number({ error: 'must be a number' })
  .int({ error: 'must be a whole number of minutes' })
  .min(1, { error: `must be 1–${MAX_TURN_SOON_MINUTES}` })
  .max(MAX_TURN_SOON_MINUTES, { error: `must be 1–${MAX_TURN_SOON_MINUTES} (minutes before the predicted start)` });

/**
 * The body of a job notification (Standard Webhooks' `{ type, timestamp, data }`): the car as
 * its customer's page shows it, and nothing else (no staff, no other cars).
 */
export const jobNotification = z.object({
  type: z.enum(JOB_WEBHOOK_EVENTS),
  /** When the hub decided to send it (the same on every retry). */
  timestamp: isoTime,
  data: z.object({
    workshopId: z.string(),
    jobId: z.string(),
    /** The customer's page, when the endpoint has `includeCustomerLink` and the hub has a link for the job; null otherwise. */
    customerUrl: z.string().nullable(),
    view: customerJobView,
  }),
});
export type JobNotification = z.infer<typeof jobNotification>;

/**
 * The body of an alert notification: one light of one workshop, as the board's alert list shows
 * it (`activeAlert` in shared/snapshot.ts), with the workshop's name for a message's first line.
 * Only red lights are sent: yellow stays on the board.
 */
export const alertNotification = z.object({
  type: z.enum(ALERT_WEBHOOK_EVENTS),
  /** When the hub decided to send it (the same on every retry). */
  timestamp: isoTime,
  data: z.object({
    workshopId: z.string(),
    workshopName: z.string(),
    /** `utilisation`, `averageWait`, … or `bay:<bayId>` (docs/api.md, "Alerts"). */
    metric: z.string(),
    light,
    /** The board's text, in English: the figure, its value and the rule it broke. */
    message: z.string(),
    /** When the light turned red. */
    since: isoTime,
    /** When a lead acknowledged it; null in `alert.raised`. */
    acknowledgedAt: isoTime.nullable(),
  }),
});
export type AlertNotification = z.infer<typeof alertNotification>;
