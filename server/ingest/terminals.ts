import { TERMINAL_SILENT_AFTER_MS, type TerminalStatus } from '../../shared/snapshot.js';
import { DAY_MS, toIso } from '../../shared/time.js';

/**
 * When the hub last heard from each bay terminal of a workshop. Kept in memory: after a hub
 * restart every live terminal is heard from again within its heartbeat, and a terminal that
 * stays silent is exactly the one the board should not vouch for.
 */
export class TerminalRegistry {
  private readonly terminals = new Map<string, { bayId: string | null; lastSeenAt: number }>();

  /** Records contact; true when the board should change (a new terminal, a move, or one back from silence). */
  seen(terminalId: string, bayId: string | null | undefined, now: number): boolean {
    const prev = this.terminals.get(terminalId);
    const nextBay = bayId === undefined ? (prev?.bayId ?? null) : bayId;
    this.terminals.set(terminalId, { bayId: nextBay, lastSeenAt: Math.max(now, prev?.lastSeenAt ?? now) });
    return !prev || prev.bayId !== nextBay || now - prev.lastSeenAt > TERMINAL_SILENT_AFTER_MS;
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
