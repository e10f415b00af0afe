import { describe, expect, it } from 'vitest';
import { erlangC, meanQueueWaitHours, serversFor } from '../../server/engine/erlang.js';

describe('Erlang C', () => {
  it('matches the textbook values', () => {
    // One server: P(wait) is the utilisation ρ, Wq = ρ / (μ − λ).
    expect(erlangC(1, 0.5, 1)).toBeCloseTo(0.5, 10);
    expect(meanQueueWaitHours(1, 0.5, 1)).toBeCloseTo(1, 10);
    // Two servers, a = 1 Erlang: P(wait) = 1/3, Wq = (1/3) / (2 − 1) = 1/3 h.
    expect(erlangC(2, 1, 1)).toBeCloseTo(1 / 3, 10);
    expect(meanQueueWaitHours(2, 1, 1)).toBeCloseTo(1 / 3, 10);
    // 10 agents, 8 Erlangs: the classic call-centre table gives P(wait) ≈ 0.409.
    expect(erlangC(10, 8, 1)).toBeCloseTo(0.4092, 3);
  });

  it('says an overloaded queue never clears', () => {
    expect(erlangC(3, 3, 1)).toBe(1);
    expect(meanQueueWaitHours(3, 4, 1)).toBe(Infinity);
    expect(meanQueueWaitHours(3, 0, 1)).toBe(0);
  });

  it('finds the fewest servers that keep the total wait under a line', () => {
    // 6 cars an hour, 1 h jobs (μ = 1): at least 7 servers to be stable; the wait to done must be ≤ 1.5 h.
    const c = serversFor(6, 1, 1.5, 20)!;
    expect(meanQueueWaitHours(c, 6, 1) + 1).toBeLessThanOrEqual(1.5);
    expect(meanQueueWaitHours(c - 1, 6, 1) + 1).toBeGreaterThan(1.5);
    // A 30-min line with 1-hour jobs cannot be met by any staffing.
    expect(serversFor(6, 1, 0.5, 50)).toBeNull();
  });
});
