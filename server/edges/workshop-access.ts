import { fail, type ApiFailure } from '../errors.js';
import { workshopForbidden } from '../workshops/access.js';
import type { Principal } from '../workshops/principal.js';
import type { WorkshopService } from '../workshops/workshop-service.js';

/**
 * Unknown workshop (404), then a workshop the token does not open (403): the refusal, or
 * undefined when the caller may go on. The edges check this before they read a body (a 2 MB
 * post to a workshop you cannot open is a 403, not a 413; docs/api.md, the order of checks);
 * the service checks again on every call, so no door can skip it.
 */
export function workshopRefusal(service: Pick<WorkshopService, 'config'>, principal: Principal, workshopId: string): ApiFailure | undefined {
  if (service.config(workshopId) === undefined) return fail.notFound(`unknown workshop ${workshopId}`);
  return workshopForbidden(principal, workshopId);
}
