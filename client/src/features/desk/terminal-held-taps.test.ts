import { describe, expect, it } from 'vitest';
import { heldTaps } from './terminal-held-taps.js';

/** Timers the test fires by hand: what runs when is the test's to say, not the machine's speed. */
function manualTimers() {
  const due = new Map<number, () => void>();
  let next = 0;
  return {
    set: (fn: () => void, _ms: number) => (due.set(++next, fn), next),
    clear: (handle: unknown) => void due.delete(handle as number),
    fireAll: () => [...due.entries()].forEach(([k, fn]) => (due.delete(k), fn())),
    count: () => due.size,
  };
}

describe('heldTaps', () => {
  it('sends a held tap when its time is up, once, and shows it held until then', () => {
    const timers = manualTimers();
    const taps = heldTaps(5000, timers);
    const sent: string[] = [];
    taps.hold('J1', () => sent.push('J1'));
    taps.hold('J1', () => sent.push('J1 again'));
    expect([...taps.held.value]).toEqual(['J1']);
    expect(sent).toEqual([]);
    timers.fireAll();
    expect(sent).toEqual(['J1']);
    expect(taps.held.value.size).toBe(0);
  });

  it('sends nothing for an undone tap', () => {
    const timers = manualTimers();
    const taps = heldTaps(5000, timers);
    const sent: string[] = [];
    taps.hold('J1', () => sent.push('J1'));
    taps.undo('J1');
    timers.fireAll();
    expect(sent).toEqual([]);
    expect(timers.count()).toBe(0);
  });

  it('flush sends every held tap at once (leaving the page), and their timers do not send them again', () => {
    const timers = manualTimers();
    const taps = heldTaps(5000, timers);
    const sent: string[] = [];
    taps.hold('J1', () => sent.push('J1'));
    taps.hold('J2', () => sent.push('J2'));
    taps.flush();
    timers.fireAll();
    expect(sent).toEqual(['J1', 'J2']);
  });
});
