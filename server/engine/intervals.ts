/**
 * Time intervals as flat arrays [from, to, from, to, …] in ms, half-open [from, to).
 * Attendance and productive time are sets of such intervals; the figures need their
 * overlap with "today" and with each other, never a sum of raw differences (a technician
 * on two jobs at once is productive once, not twice).
 */

export type Interval = readonly [number, number];

/**
 * Pairs of a flat list, plus an open interval running until `openUntil` when `openSince` is set.
 * `endingAfter`: closed intervals that end at or before it are left out (they cannot overlap a
 * later window). The lists the projection keeps are appended in time order, so those are found
 * by binary search: today's intervals cost what today holds, not what the week before held.
 */
export function pairs(flat: readonly number[], openSince: number | null, openUntil: number, endingAfter = Number.NEGATIVE_INFINITY): Interval[] {
  const out: Interval[] = [];
  for (let i = firstEndingAfter(flat, endingAfter); i + 1 < flat.length; i += 2) if (flat[i + 1]! > endingAfter) out.push([flat[i]!, flat[i + 1]!]);
  if (openSince !== null && openUntil > openSince) out.push([openSince, openUntil]);
  return out;
}

/** Index (even) of the first pair of a time-ordered flat list whose end is after `t`. */
export function firstEndingAfter(flat: readonly number[], t: number): number {
  let lo = 0;
  let hi = flat.length >> 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (flat[2 * mid + 1]! > t) hi = mid;
    else lo = mid + 1;
  }
  return 2 * lo;
}

/** Sorted, non-overlapping, non-empty. */
export function union(intervals: readonly Interval[]): Interval[] {
  const sorted = intervals.filter(([a, b]) => b > a).sort((x, y) => x[0] - y[0]);
  const out: [number, number][] = [];
  for (const [a, b] of sorted) {
    const last = out[out.length - 1];
    if (last && a <= last[1]) last[1] = Math.max(last[1], b);
    else out.push([a, b]);
  }
  return out;
}

/** Overlap of two interval sets; both are normalised first. */
export function intersect(xs: readonly Interval[], ys: readonly Interval[]): Interval[] {
  const a = union(xs);
  const b = union(ys);
  const out: Interval[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length && j < b.length) {
    const lo = Math.max(a[i]![0], b[j]![0]);
    const hi = Math.min(a[i]![1], b[j]![1]);
    if (hi > lo) out.push([lo, hi]);
    if (a[i]![1] < b[j]![1]) i++;
    else j++;
  }
  return out;
}

export function clip(intervals: readonly Interval[], from: number, to: number): Interval[] {
  return intersect(intervals, [[from, to]]);
}

export function totalMs(intervals: readonly Interval[]): number {
  let sum = 0;
  for (const [a, b] of intervals) sum += b - a;
  return sum;
}
