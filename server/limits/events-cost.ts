import { MAX_EVENTS_PER_BATCH } from '../../shared/events.js';

/**
 * What an events post or socket `events` message costs of the token's budget: its number of
 * events when it is a batch the hub will take (1–500), else 1. A malformed one is answered 400
 * and cheap to judge, and charging the length of a 10,000-entry array would turn its 400 into
 * a 429 that hides what is wrong with it.
 */
export function eventsCost(body: unknown): number {
  const events = typeof body === 'object' && body !== null ? (body as { events?: unknown }).events : undefined;
  return Array.isArray(events) && events.length >= 1 && events.length <= MAX_EVENTS_PER_BATCH ? events.length : 1;
}
