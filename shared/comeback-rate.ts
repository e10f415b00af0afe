/**
 * The comeback rate, one definition for the board, the daily report and history: comebacks
 * checked in ÷ cars delivered in the same window, to 4 decimals, capped at 100 %. The two
 * counts are of different cars (a comeback of a car delivered before the window has no delivery
 * in it), so a quiet week with returns from the one before could read 200 %: more than every
 * car back is not a figure anyone can act on. Null without a delivery. docs/api.md, "Figures".
 */
export function comebackRate(comebacks: number, deliveries: number): number | null {
  if (deliveries <= 0) return null;
  return Math.min(1, Math.round((comebacks / deliveries) * 10_000) / 10_000);
}
