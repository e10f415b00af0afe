import type { Role } from '../../shared/auth.js';
import type { TokenConfig } from '../config/config-file.js';

/** Who is calling: the role and workshops of the token they presented. */
export interface Principal {
  readonly role: Role;
  /** `'*'`: every workshop. */
  readonly workshops: ReadonlySet<string> | '*';
}

export function mayOpen(p: Principal, workshopId: string): boolean {
  return p.workshops === '*' || p.workshops.has(workshopId);
}

/** Token → principal, built once from the config. Unknown token → undefined. */
export function tokenDirectory(tokens: readonly TokenConfig[]): (token: string | undefined) => Principal | undefined {
  const byToken = new Map<string, Principal>();
  for (const t of tokens) {
    byToken.set(t.token, { role: t.role, workshops: t.workshops.includes('*') ? '*' : new Set(t.workshops) });
  }
  return (token) => (token === undefined ? undefined : byToken.get(token));
}
