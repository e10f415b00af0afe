import { TERMINAL_ID_PATTERN } from '../../shared/snapshot.js';
import type { ClusterMessage } from '../../shared/socket.js';
import { fail } from '../errors.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import type { Workshop } from './workshop.js';

/**
 * Bay terminals in contact: the board lists them (silent after two minutes), and the other
 * hubs hear of them (cluster-sync.ts) so no hub shows a live terminal as silent.
 */

/**
 * A terminal that keeps talking is re-announced to the other hubs this often (and at once when
 * it is new, moved or back from silence): well inside TERMINAL_SILENT_AFTER_MS (2 min), so no
 * hub ever shows it silent, without one pub/sub message per request.
 */
const TERMINAL_SHARE_EVERY_MS = 20_000;

/** A terminal's contact as it says it: 400 for a malformed id or a bay the config does not list. */
export function checkTerminal(config: WorkshopConfig, terminalId: string, bayId: string | null | undefined): void {
  if (!TERMINAL_ID_PATTERN.test(terminalId)) {
    throw fail.badRequest('invalid terminal id', [{ path: 'terminalId', message: 'must be 8–64 characters of A–Z, a–z, 0–9, "_" or "-"' }]);
  }
  if (bayId !== undefined && bayId !== null && !config.bays.some((b) => b.id === bayId)) {
    throw fail.badRequest('unknown bay', [{ path: 'bayId', message: `unknown bay ${bayId}` }]);
  }
}

/** A terminal made contact (hello, heartbeat, or events it sent), already authorised and checked (`checkTerminal`). */
export function terminalSeen(w: Workshop, terminalId: string, bayId: string | null | undefined, now: number, share: (m: ClusterMessage) => void): void {
  const changed = w.terminals.seen(terminalId, bayId, now);
  // The edges call this just before ingesting the same request's events: look once they are queued.
  if (changed) setImmediate(() => w.queue.changedWhenIdle());
  if (w.terminals.shareDue(terminalId, now, TERMINAL_SHARE_EVERY_MS, changed || bayId !== undefined)) {
    share({ kind: 'terminal', workshopId: w.config.id, terminalId, ...(bayId !== undefined && { bayId }), at: now });
  }
}
