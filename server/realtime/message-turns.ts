import { budgetExceeded } from '../limits/budget-refusal.js';
import type { TokenBudget } from '../limits/token-budget.js';

/**
 * A socket's messages in the order they came, each paying its cost first.
 *
 * `pay(points)` takes the message's cost (before it is parsed: a malformed message costs too)
 * and resolves in turn: each take goes out at once (a hub's takes share Redis round trips),
 * but a message is handled only after the one before it got its budget's answer, so a start
 * never overtakes the hello or the check-in sent just before it. 0: no cost, only the turn
 * (`unsubscribe` must not overtake the `subscribe` it follows). Rejects with the 429 when the
 * budget is spent.
 */
export function messageTurns(budget: TokenBudget, token: string): (points: number) => Promise<void> {
  let previous: Promise<unknown> = Promise.resolve();
  return (points) => {
    const taken = points > 0 ? budget.take(token, points) : undefined;
    // Handled now, awaited in turn: a failure before its turn must not count as unhandled.
    taken?.catch(() => undefined);
    const turn = previous.then(async () => {
      const verdict = await taken;
      if (verdict && !verdict.ok) throw budgetExceeded(verdict);
    });
    previous = turn.catch(() => undefined);
    return turn;
  };
}
