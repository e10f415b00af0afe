import { can, mayWrite, readOnlyRefusal, refusal, type Action } from '../../shared/permissions.js';
import { fail, type ApiFailure } from '../errors.js';
import { mayOpen, type Principal } from './principal.js';

/**
 * Every 403 of the workshops goes through here: the token's workshops (`mayOpen`) and its
 * role's row of the permission table (shared/permissions.ts), with the table's own sentences.
 */

/** The refusal of a workshop the token does not open, or undefined when it opens it. */
export function workshopForbidden(principal: Principal, workshopId: string): ApiFailure | undefined {
  return mayOpen(principal, workshopId) ? undefined : fail.forbidden(`this token does not open workshop ${workshopId}`);
}

export function authoriseWorkshop(principal: Principal, workshopId: string): void {
  const refused = workshopForbidden(principal, workshopId);
  if (refused) throw refused;
}

export function authorise(principal: Principal, action: Action): void {
  if (!can(principal.role, action)) throw fail.forbidden(refusal(principal.role, action));
}

/** Before an events body is read: a token that may send no event at all is refused whole. */
export function authoriseWriter(principal: Principal): void {
  if (!mayWrite(principal.role)) throw fail.forbidden(readOnlyRefusal(principal.role));
}
