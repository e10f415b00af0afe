import { can, mayWrite, readOnlyRefusal, refusal, type Action } from '../../shared/permissions.js';
import { fail } from '../errors.js';
import { mayOpen, type Principal } from './principal.js';

/**
 * Every 403 of the workshops goes through here: the token's workshops (`mayOpen`) and its
 * role's row of the permission table (shared/permissions.ts), with the table's own sentences.
 */

export function authoriseWorkshop(principal: Principal, workshopId: string): void {
  if (!mayOpen(principal, workshopId)) throw fail.forbidden(`this token does not open workshop ${workshopId}`);
}

export function authorise(principal: Principal, action: Action): void {
  if (!can(principal.role, action)) throw fail.forbidden(refusal(principal.role, action));
}

/** Before an events body is read: a token that may send no event at all is refused whole. */
export function authoriseWriter(principal: Principal): void {
  if (!mayWrite(principal.role)) throw fail.forbidden(readOnlyRefusal(principal.role));
}
