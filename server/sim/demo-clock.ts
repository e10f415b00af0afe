/**
 * The demo's clock: simulated time that starts at `startMs` and runs `speed` times faster
 * than the real one. The hub takes it as its clock, so figures, waits and alerts move as they
 * would on the day, only sooner.
 */
export function acceleratedClock(startMs: number, speed: number, realNow: () => number = Date.now): () => number {
  const realStart = realNow();
  return () => startMs + (realNow() - realStart) * speed;
}
