import type { Role } from '../../shared/auth.js';
import { timingSafeEqual } from 'node:crypto';
import { tokenDigest, type TokenConfig } from '../config/config-file.js';

/** Who is calling: the role and workshops of the token they presented. */
export interface Principal {
  readonly role: Role;
  /** `'*'`: every workshop. */
  readonly workshops: ReadonlySet<string> | '*';
}

export function mayOpen(p: Principal, workshopId: string): boolean {
  return p.workshops === '*' || p.workshops.has(workshopId);
}

/**
 * Token → principal, built once from the config. Unknown token → undefined.
 *
 * Tokens are held by their SHA-256 only (whether the config gave the token or its digest), and
 * a presented token is hashed before it is looked up: how long the lookup takes depends on the
 * digest, which an attacker cannot steer byte by byte, never on how much of a real token they
 * guessed. The final match is still compared with timingSafeEqual.
 */
export function tokenDirectory(tokens: readonly TokenConfig[]): (token: string | undefined) => Principal | undefined {
  const byDigest = new Map<string, { digest: Buffer; principal: Principal }>();
  for (const t of tokens) {
    const digest = t.tokenSha256 ?? tokenDigest(t.token!);
    byDigest.set(digest, { digest: Buffer.from(digest, 'hex'), principal: { role: t.role, workshops: t.workshops.includes('*') ? '*' : new Set(t.workshops) } });
  }
  return (token) => {
    if (token === undefined || token.length > MAX_PRESENTED_TOKEN) return undefined;
    const digest = tokenDigest(token);
    const hit = byDigest.get(digest);
    return hit && timingSafeEqual(hit.digest, Buffer.from(digest, 'hex')) ? hit.principal : undefined;
  };
}

/** Nobody's token is longer; hashing megabytes on every request would be a cheap denial of service. */
const MAX_PRESENTED_TOKEN = 512;
