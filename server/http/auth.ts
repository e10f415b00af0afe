import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { fail } from '../errors.js';
import type { Principal } from '../workshops/principal.js';

/** Token → principal (workshops/principal.ts `tokenDirectory`); undefined for an unknown token. */
export type Authenticate = (token: string | undefined) => Principal | undefined;

/** What the middleware leaves in `res.locals` for the routes and the rate limiter. */
interface AuthLocals {
  principal: Principal;
  token: string;
}

/**
 * `Authorization: Bearer <token>`, or `?token=` for a board token only: TV browsers cannot set
 * headers, and a query string ends up in browser history and proxy logs, which is acceptable
 * for a read-only board token and not for one that can write.
 */
export function requireToken(authenticate: Authenticate): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const header = req.get('authorization');
    let token: string | undefined;
    let principal: Principal | undefined;
    if (header !== undefined) {
      token = bearerToken(header);
      principal = authenticate(token);
    } else {
      // A repeated ?token= arrives as an array: refused like a missing one.
      const q = req.query.token;
      token = typeof q === 'string' ? q : undefined;
      principal = authenticate(token);
      if (principal?.role !== 'board') principal = undefined;
    }
    if (principal === undefined || token === undefined) {
      res.set('WWW-Authenticate', 'Bearer realm="pitwall"');
      next(fail.unauthorized());
      return;
    }
    const locals: AuthLocals = { principal, token };
    Object.assign(res.locals, locals);
    next();
  };
}

/** The token of an `Authorization: Bearer <token>` header; undefined for any other header. */
export function bearerToken(header: string | undefined): string | undefined {
  return header === undefined ? undefined : BEARER.exec(header)?.[1];
}
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;

/** The caller, for routes behind `requireToken`. */
export function principalOf(res: Response): Principal {
  const p = (res.locals as Partial<AuthLocals>).principal;
  // Only reachable if a route were mounted without requireToken: refuse rather than serve.
  if (p === undefined) throw fail.unauthorized();
  return p;
}

/** The token the caller presented, for routes behind `requireToken` (the rate limiter's key). */
export function tokenOf(res: Response): string | undefined {
  return (res.locals as Partial<AuthLocals>).token;
}
