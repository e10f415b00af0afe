import type { Role } from './auth.js';
import { EVENT_TYPES, type EventType } from './events.js';

/**
 * Who may do what: the one permission table (docs/api.md, "Config file", roles; docs/security.md,
 * "One permission table"). The hub refuses through it (403, with `refusal`'s sentence) on every
 * door, and the client asks it to hide what a token cannot do. Whether a token opens a workshop
 * at all is the token's list of workshops (server/workshops/principal.ts, `mayOpen`), not a role's.
 */

/** Reads every role's token may make of a workshop it opens. */
const OPEN_READS = ['read:board', 'read:series', 'read:technicians', 'read:forecast', 'read:jobs', 'read:staffing'] as const;
/** The lead's layer: reports, the raw log, and the calls that change how the floor is run. */
const LEAD_ACTIONS = ['read:daily', 'read:history', 'read:events', 'preview:move', 'ack:alert', 'read:capacity'] as const;
/** Issue 15: a desk reads the bookings (plates of cars not yet here); a TV has no use for them. */
const WRITER_READS = ['read:appointments'] as const;

export type PostAction = `post:${EventType}`;
export type Action = (typeof OPEN_READS)[number] | (typeof LEAD_ACTIONS)[number] | (typeof WRITER_READS)[number] | 'speak:terminal' | 'mint:customer_link' | PostAction;

export const postAction = (type: EventType): PostAction => `post:${type}`;

/** Every action, in a stable order (tests enumerate the table with it). */
export const ACTIONS: readonly Action[] = [...OPEN_READS, ...LEAD_ACTIONS, ...WRITER_READS, 'speak:terminal', 'mint:customer_link', ...EVENT_TYPES.map(postAction)];

/** Moving staff and vouching for an implausible worked time are the lead's calls, not a bay's. */
const LEAD_ONLY_EVENTS: ReadonlySet<EventType> = new Set(['staff.reassigned', 'job.time_confirmed']);

const EVERYONE: readonly Role[] = ['board', 'terminal', 'lead', 'admin'];
const LEADS: readonly Role[] = ['lead', 'admin'];
/** A TV shows the board and writes nothing: it posts no event and speaks for no terminal. */
const WRITERS: readonly Role[] = ['terminal', 'lead', 'admin'];

/** Action → the roles allowed it. */
const TABLE: ReadonlyMap<Action, readonly Role[]> = new Map<Action, readonly Role[]>([
  ...OPEN_READS.map((a) => [a, EVERYONE] as const),
  ...LEAD_ACTIONS.map((a) => [a, LEADS] as const),
  ...WRITER_READS.map((a) => [a, WRITERS] as const),
  ['speak:terminal', WRITERS],
  // A car's customer link (docs/security.md, "The customer's link"): whoever may check cars in.
  ['mint:customer_link', WRITERS],
  ...EVENT_TYPES.map((t) => [postAction(t), LEAD_ONLY_EVENTS.has(t) ? LEADS : WRITERS] as const),
]);

/** May a token of this role do this (in a workshop it opens)? */
export function can(role: Role, action: Action): boolean {
  return TABLE.get(action)?.includes(role) ?? false;
}

/** The roles allowed an action, as a sentence says them ("lead or admin"). */
export function allowedRoles(action: Action): string {
  const roles = TABLE.get(action) ?? [];
  return roles.length <= 1 ? (roles[0] ?? 'no') : `${roles.slice(0, -1).join(', ')} or ${roles.at(-1)}`;
}

/** May this role send any event at all? A board token is refused before its body is read. */
export function mayWrite(role: Role): boolean {
  return EVENT_TYPES.some((t) => can(role, postAction(t)));
}

/** What each action is, in the refusal's words ("a terminal token may not read the history (lead or admin only)"). */
const DOING: Record<Exclude<Action, PostAction | 'ack:alert' | 'speak:terminal'>, string> = {
  'read:board': 'read the board',
  'read:series': 'read the day series',
  'read:technicians': 'read the technicians',
  'read:forecast': 'read the forecast',
  'read:jobs': 'read the jobs',
  'read:staffing': 'read the staffing plan',
  'read:daily': 'read the daily report',
  'read:history': 'read the history',
  'read:events': 'read the event log',
  'preview:move': 'move staff',
  'mint:customer_link': "get a car's customer link",
  'read:capacity': 'read the capacity view',
  'read:appointments': 'read the appointments',
};

/**
 * The 403's message when `role` may not do `action`: says what was refused and who may, so the
 * person holding the token knows which token to ask for. Sentences the deployed clients and
 * tests know stay word for word.
 */
export function refusal(role: Role, action: Action): string {
  if (action === 'ack:alert') return `only a ${allowedRoles(action)} token may acknowledge alerts`;
  if (action === 'speak:terminal') return `a ${role} token cannot speak for a terminal`;
  if (action.startsWith('post:')) return `a ${role} token may not send ${action.slice('post:'.length)}`;
  return `a ${role} token may not ${DOING[action as keyof typeof DOING]} (${allowedRoles(action)} only)`;
}

/** The refusal of a token that may send nothing at all (checked before its body is read). */
export function readOnlyRefusal(role: Role): string {
  return `a ${role} token is read-only`;
}
