import { z } from 'zod';

/** Roles (docs/api.md, "Config file"): what each may do is the table in permissions.ts. */
export const ROLES = ['board', 'terminal', 'lead', 'admin'] as const;
export const role = z.enum(ROLES, { error: `must be one of ${ROLES.join(', ')}` });
export type Role = z.infer<typeof role>;
