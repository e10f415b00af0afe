import type { ServerResponse } from 'node:http';
import type { RequestHandler } from 'express';
import { budgetExceeded } from '../limits/budget-refusal.js';
import { eventsCost } from '../limits/events-cost.js';
import { BUDGET_WINDOW_SECONDS, type BudgetVerdict, type TokenBudget } from '../limits/token-budget.js';
import { tokenOf } from './auth.js';

/**
 * The token budget (server/limits/token-budget.ts) on the HTTP door. Every request behind
 * `requireToken` costs 1 point as it arrives, before its workshop is even looked up, so a
 * flood of 403s and 404s is limited like any other; an events post costs its number of events
 * in all, the rest taken once its body has been read (`chargeEvents`). The Express routes and
 * the events fast path use this one object, so they answer alike and count into one budget.
 *
 * Answers carry `RateLimit-Policy` and `RateLimit` (IETF draft 7, as express-rate-limit wrote
 * them before); a refusal is 429 with `Retry-After`, in the contract's error envelope.
 */
export interface TokenRateLimit {
  budget: TokenBudget;
  /** Express: 1 point for the request, after `requireToken` (an unknown token is a 401 and costs nothing). */
  middleware: RequestHandler;
  /** Takes `points` for `token`, sets the headers on `res`; throws the 429 ApiFailure when they do not fit. */
  charge(res: ServerResponse, token: string, points: number): Promise<void>;
  /**
   * The rest of an events post's cost once its body is parsed (it paid 1 on arrival): a valid
   * batch costs its number of events; anything else stays at 1 and gets its 400 afterwards.
   */
  chargeEvents(res: ServerResponse, token: string, body: unknown): Promise<void>;
}

export function tokenRateLimit(budget: TokenBudget): TokenRateLimit {
  /** `cost`: the whole request's, for the refusal's words, when `points` is only its remainder. */
  const charge = async (res: ServerResponse, token: string, points: number, cost = points): Promise<void> => {
    const verdict = await budget.take(token, points);
    setHeaders(res, verdict);
    if (!verdict.ok) throw budgetExceeded(verdict, cost);
  };
  return {
    budget,
    charge: (res, token, points) => charge(res, token, points),
    middleware: (_req, res, next) => {
      charge(res, tokenOf(res) ?? '', 1).then(() => next(), next);
    },
    async chargeEvents(res, token, body) {
      const cost = eventsCost(body);
      if (cost > 1) await charge(res, token, cost - 1, cost);
    },
  };
}

function setHeaders(res: ServerResponse, v: BudgetVerdict): void {
  if (res.headersSent) return;
  res.setHeader('RateLimit-Policy', `${v.limit};w=${BUDGET_WINDOW_SECONDS}`);
  res.setHeader('RateLimit', `limit=${v.limit}, remaining=${v.remaining}, reset=${v.resetSeconds}`);
  if (!v.ok) res.setHeader('Retry-After', String(v.resetSeconds));
}
