import { TERMINAL_SILENT_AFTER_MS, type TerminalStatus } from '../../shared/snapshot.js';
import { DAY_MS, toIso } from '../../shared/time.js';

interface Terminal {
  bayId: string | null;
  lastSeenAt: number;
  /** When this hub last told the other hubs about it (null: never). */
  sharedAt: number | null;
}

/**
 * When the hub last heard from each terminal of a workshop. Kept in memory: after a hub
 * restart every live terminal is heard from again within its heartbeat, and a terminal that
 * stays silent is exactly the one the board should not vouch for.
 *
 * At most `cap` terminals (shared/workshop.ts, `terminalCapOf`): every one of them is listed in
 * every board snapshot, and terminal ids cost a client nothing to make up. Past the cap the
 * terminal heard from least recently is forgotten. The Map's insertion order is that order
 * (a contact deletes and re-inserts its entry), so a contact costs O(1) however full it is.
 */
export class TerminalRegistry {
  private readonly terminals = new Map<string, Terminal>();

  constructor(private readonly cap: number) {
    if (!Number.isInteger(cap) || cap < 1) throw new RangeError(`a terminal registry needs a cap ≥ 1, not ${cap}`);
  }

  get size(): number {
    return this.terminals.size;
  }

  /** Records contact; true when the board should change (a new terminal, a move, one back from silence, one forgotten). */
  seen(terminalId: string, bayId: string | null | undefined, now: number): boolean {
    const prev = this.terminals.get(terminalId);
    const nextBay = bayId === undefined ? (prev?.bayId ?? null) : bayId;
    if (prev) this.terminals.delete(terminalId);
    this.terminals.set(terminalId, { bayId: nextBay, lastSeenAt: Math.max(now, prev?.lastSeenAt ?? now), sharedAt: prev?.sharedAt ?? null });
    let evicted = false;
    while (this.terminals.size > this.cap) {
      // The first key is the least recently heard from.
      this.terminals.delete(this.terminals.keys().next().value!);
      evicted = true;
    }
    return evicted || !prev || prev.bayId !== nextBay || now - prev.lastSeenAt > TERMINAL_SILENT_AFTER_MS;
  }

  /**
   * Whether this contact should be told to the other hubs now (and records that it was): when
   * `urgent` (the board changed, or the bay was named), when never told, or `every` ms after the
   * last time. Kept on the terminal's entry, so it is forgotten with the terminal.
   */
  shareDue(terminalId: string, now: number, every: number, urgent: boolean): boolean {
    const t = this.terminals.get(terminalId);
    if (!t) return false;
    if (!urgent && t.sharedAt !== null && now - t.sharedAt < every && now >= t.sharedAt) return false;
    t.sharedAt = now;
    return true;
  }

  list(now: number): TerminalStatus[] {
    const out: TerminalStatus[] = [];
    for (const [terminalId, t] of this.terminals) {
      // A tablet retired a day ago is no longer news.
      if (now - t.lastSeenAt > DAY_MS) {
        this.terminals.delete(terminalId);
        continue;
      }
      out.push({ terminalId, bayId: t.bayId, lastSeenAt: toIso(t.lastSeenAt), silent: now - t.lastSeenAt > TERMINAL_SILENT_AFTER_MS });
    }
    return out.sort((a, b) => (a.bayId ?? '~').localeCompare(b.bayId ?? '~') || a.terminalId.localeCompare(b.terminalId));
  }
}
