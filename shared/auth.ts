import { z } from 'zod';
import type { EventType } from './events.js';

/** Roles (docs/api.md, "Config file"): what a token may read and which events it may send. */
export const ROLES = ['board', 'terminal', 'lead', 'admin'] as const;
export const role = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });
export type Role = z.infer<typeof role>;

export function mayPostEvent(r: Role, type: EventType): boolean {
  switch (r) {
    case 'board':
      return false;
    case 'terminal':
      // Moving staff and vouching for an implausible worked time are the lead's calls.
      return type !== 'staff.reassigned' && type !== 'job.time_confirmed';
    case 'lead':
    case 'admin':
      return true;
  }
}

export function mayReadEventLog(r: Role): boolean {
  return r === 'lead' || r === 'admin';
}
