import { describe, expect, it } from 'vitest';
import { MAX_TERMINALS, terminalCapOf, workshopConfig } from '../../shared/workshop.js';
import { TerminalRegistry } from '../../server/workshops/terminals.js';

/** The registry of terminals a workshop's boards list: bounded, forgetting the least recently heard from. */
const T0 = Date.parse('2026-11-21T01:00:00Z');
const ids = (r: TerminalRegistry, now = T0) => r.list(now).map((t) => t.terminalId);

describe('terminal registry', () => {
  it('forgets the terminal heard from least recently once past its cap, and says the board changed', () => {
    const r = new TerminalRegistry(3);
    for (const id of ['tablet-a1', 'tablet-b2', 'tablet-c3']) expect(r.seen(id, null, T0)).toBe(true);
    // tablet-a1 talks again: now tablet-b2 is the one heard from least recently.
    expect(r.seen('tablet-a1', undefined, T0 + 1000)).toBe(false);
    expect(r.seen('tablet-d4', null, T0 + 2000)).toBe(true);
    expect(ids(r, T0 + 2000)).toEqual(['tablet-a1', 'tablet-c3', 'tablet-d4']);
    expect(r.size).toBe(3);
  });

  it('stays at its cap under a flood of made-up ids, and a terminal that keeps talking comes back at its next contact', () => {
    const r = new TerminalRegistry(15);
    r.seen('real-bay-tablet', 'B1', T0);
    for (let i = 0; i < 50_000; i++) r.seen(`fake-${String(i).padStart(8, '0')}`, null, T0 + i);
    expect(r.size).toBe(15);
    expect(ids(r, T0 + 50_000)).not.toContain('real-bay-tablet');
    r.seen('real-bay-tablet', 'B1', T0 + 50_001);
    expect(r.size).toBe(15);
    expect(r.list(T0 + 50_001).find((t) => t.terminalId === 'real-bay-tablet')).toMatchObject({ bayId: 'B1', silent: false });
  });

  it('tells the other hubs at once when urgent or never told, else every period, and forgets that with the terminal', () => {
    const r = new TerminalRegistry(1);
    expect(r.shareDue('tablet-a1', T0, 20_000, false)).toBe(false); // not known: nothing to tell
    r.seen('tablet-a1', null, T0);
    expect(r.shareDue('tablet-a1', T0, 20_000, false)).toBe(true);
    expect(r.shareDue('tablet-a1', T0 + 19_999, 20_000, false)).toBe(false);
    expect(r.shareDue('tablet-a1', T0 + 19_999, 20_000, true)).toBe(true);
    expect(r.shareDue('tablet-a1', T0 + 40_000, 20_000, false)).toBe(true);
    r.seen('tablet-b2', null, T0 + 40_001); // tablet-a1 forgotten
    r.seen('tablet-a1', null, T0 + 40_002);
    expect(r.shareDue('tablet-a1', T0 + 40_002, 20_000, false)).toBe(true);
  });
});

describe('terminal cap of a workshop', () => {
  const ws = (bays: number, advisors: number, maxTerminals?: number) =>
    workshopConfig.parse({
      id: 'cap-test',
      name: 'Cap test',
      timezone: 'Asia/Shanghai',
      bays: Array.from({ length: bays }, (_, i) => ({ id: `B${i}`, name: `Bay ${i}` })),
      technicians: [],
      advisors: Array.from({ length: advisors }, (_, i) => ({ id: `A${i}`, name: `Advisor ${i}` })),
      ...(maxTerminals !== undefined && { maxTerminals }),
    });
  it.each([
    ['3 bays and an advisor: 2 per bay, 1 per desk, 8 roaming', ws(3, 1), 15],
    ['the largest workshop: at most MAX_TERMINALS', ws(50, 50), MAX_TERMINALS],
    ['the config says', ws(3, 1, 40), 40],
  ])('%s', (_, config, cap) => expect(terminalCapOf(config)).toBe(cap));

  it.each([
    ['bays', { bays: Array.from({ length: 51 }, (_, i) => ({ id: `B${i}`, name: `Bay ${i}` })) }, 'at most 50 bays per workshop'],
    ['technicians', { technicians: Array.from({ length: 201 }, (_, i) => ({ id: `T${i}`, name: `T ${i}` })) }, 'at most 200 technicians per workshop'],
    ['advisors', { advisors: Array.from({ length: 51 }, (_, i) => ({ id: `A${i}`, name: `A ${i}` })) }, 'at most 50 advisors per workshop'],
    ['maxTerminals', { maxTerminals: 97 }, 'must be 1–96'],
  ])('refuses a workshop over its maximum of %s, naming the field', (field, over, message) => {
    const r = workshopConfig.safeParse({ id: 'big', name: 'Big', timezone: 'Asia/Shanghai', bays: [], technicians: [], ...over });
    expect(r.success).toBe(false);
    expect(r.error!.issues[0]).toMatchObject({ path: [field] });
    expect(r.error!.issues[0]!.message).toContain(message);
  });
});
