import { fail, type RateLimitedFailure } from '../errors.js';
import { BUDGET_WINDOW_SECONDS, type BudgetVerdict } from './token-budget.js';

/**
 * The refusal of a take that did not fit, in words a terminal's operator can act on: what the
 * budget is, what counts against it, and when to come back. `cost` is the whole request's, when
 * the refused take was only its second part (an events post pays 1 on arrival).
 */
export function budgetExceeded(verdict: Extract<BudgetVerdict, { ok: false }>, cost: number = verdict.points): RateLimitedFailure {
  const budget = `${verdict.limit} events per ${BUDGET_WINDOW_SECONDS} s for this token (PITWALL_RATE_LIMIT; a read or a hello costs 1, a post its number of events)`;
  if (cost > verdict.limit) {
    return fail.tooManyRequests(`this request costs ${cost} and can never fit the budget of ${budget}: send at most ${verdict.limit} events at a time`, verdict.resetSeconds);
  }
  return fail.tooManyRequests(`the budget of ${budget} is spent; nothing was applied, retry the same request in ${verdict.resetSeconds} s (Retry-After)`, verdict.resetSeconds);
}
