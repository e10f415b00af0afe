import type { EventResult } from '../../shared/events.js';
import { fail } from '../errors.js';
import type { Principal } from '../workshops/principal.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import { workshopRefusal } from './workshop-access.js';

/** One events post, whichever door it came in by (the Express route, the HTTP fast path, the socket `events` message). */
export interface EventsPost {
  workshopId: string;
  principal: Principal;
  /** The request's JSON body (`{ events: [ … ] }`); undefined when it carried none. */
  body: unknown;
  /** The terminal that sent it, when it said so (`X-Pitwall-Terminal`, or the socket's `terminal:hello`). */
  terminalId?: string | undefined;
  /**
   * Takes what is left of the post's cost from the token's budget once the body is known
   * (HTTP paid 1 point on arrival); unset when the door paid it all before (the socket).
   */
  payRest?: (body: unknown) => Promise<void>;
}

/**
 * The events post: its checks in the order docs/api.md gives (workshop 404 / 403, body 400,
 * the rest of the budget 429, then the terminal's contact and the events), so every door
 * answers alike and a check added here reaches all the traffic. Resolves with one result per
 * event; any refusal is thrown as the ApiFailure (or store error) the door maps with
 * `errorReply`.
 */
export async function postEvents(service: WorkshopService, post: EventsPost, now: () => number): Promise<EventResult[]> {
  const refused = workshopRefusal(service, post.principal, post.workshopId);
  if (refused) throw refused;
  // A door's JSON parser leaves no body unless the request says it is JSON: tell the sender why.
  if (post.body === undefined) throw fail.badRequest('the body must be JSON {"events": [ … ]}, sent with Content-Type: application/json');
  // Before the terminal and the events: a refused post registers and applies nothing.
  await post.payRest?.(post.body);
  // A terminal posting (over HTTP, or its socket) counts as alive; a bad id is the caller's 400.
  if (post.terminalId !== undefined) service.terminalSeen(post.workshopId, post.principal, post.terminalId, undefined, now());
  return service.ingest(post.workshopId, post.body, post.principal);
}
