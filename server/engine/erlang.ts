/**
 * Erlang C (M/M/c): the textbook model of a queue served by `c` identical servers, with
 * Poisson arrivals at `lambda` per hour and exponential service at `mu` per hour per server.
 * Used for staffing the hours ahead, where the cars are not here yet.
 */

/** Probability that an arrival has to wait; 1 when the servers cannot keep up (load ≥ c). */
export function erlangC(c: number, lambda: number, mu: number): number {
  const a = lambda / mu;
  if (c <= 0 || a >= c) return 1;
  // Σ a^k / k! for k < c, built term by term to stay finite for large c.
  let term = 1;
  let sum = 0;
  for (let k = 0; k < c; k++) {
    sum += term;
    term *= a / (k + 1);
  }
  // term is now a^c / c!
  const top = term * (c / (c - a));
  return top / (sum + top);
}

/** Mean time in the queue before service starts, in hours; Infinity when the load is at or above c. */
export function meanQueueWaitHours(c: number, lambda: number, mu: number): number {
  if (lambda === 0) return 0;
  if (c <= 0 || lambda / mu >= c) return Infinity;
  return erlangC(c, lambda, mu) / (c * mu - lambda);
}

/**
 * The fewest servers (up to `max`) whose mean wait from arrival to done (queue + the
 * customer's own service, `ownServiceHours`, by default the mean 1/μ) is at most `limitHours`.
 */
export function serversFor(lambda: number, mu: number, limitHours: number, max: number, ownServiceHours = 1 / mu): number | null {
  for (let c = 1; c <= max; c++) if (meanQueueWaitHours(c, lambda, mu) + ownServiceHours <= limitHours) return c;
  return null;
}
