/**
 * How long to wait before attempt `n + 1` after `n` failed: exponential (base · 2^(n−1)) up to
 * a ceiling, with "equal jitter" (half fixed, half random) so that the hubs and endpoints that
 * failed together (a receiver's outage) do not all come back in the same second.
 */
export function retryDelayMs(failedAttempts: number, baseMs: number, maxMs: number, random: () => number = Math.random): number {
  const exp = Math.min(maxMs, baseMs * 2 ** Math.max(0, failedAttempts - 1));
  return Math.round(exp / 2 + (exp / 2) * random());
}
