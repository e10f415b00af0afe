import type { ClusterMessage } from '../../shared/socket.js';
import { Signal } from './signal.js';
import { terminalCapOf, type WorkshopConfig } from '../../shared/workshop.js';
import type { Workshop } from './workshop.js';

/**
 * What the other hubs on the same Redis hear from this one and what it takes from them
 * (server/realtime/cluster.ts carries the messages): appends, alert acknowledgements and
 * terminal contact.
 */
export class ClusterSync {
  readonly outgoing = new Signal<ClusterMessage>();
  /** `appended` nudges waiting for the end of the tick: one per workshop, with its latest seq. */
  private readonly appendedNudges = new Map<string, number>();
  private nudgeFlush: NodeJS.Immediate | null = null;

  share(message: ClusterMessage): void {
    if (!this.outgoing.heard) return;
    if (message.kind === 'appended') {
      // Only the latest seq matters to the other hubs: the appends of one tick make one nudge per workshop.
      this.appendedNudges.set(message.workshopId, Math.max(message.seq, this.appendedNudges.get(message.workshopId) ?? 0));
      this.nudgeFlush ??= setImmediate(() => this.flushNudges());
      return;
    }
    this.outgoing.emit(message);
  }

  /** Sends the nudges still waiting (at close: the other hubs must hear of the last appends). */
  close(): void {
    if (this.nudgeFlush) clearImmediate(this.nudgeFlush);
    this.flushNudges();
  }

  private flushNudges(): void {
    this.nudgeFlush = null;
    const nudges = [...this.appendedNudges];
    this.appendedNudges.clear();
    for (const [workshopId, seq] of nudges) this.outgoing.emit({ kind: 'appended', workshopId, seq });
  }
}

/**
 * Applies what another hub heard (already authorised there). `changed` tells this hub's boards
 * when it moved something they show.
 */
export function applyShared(w: Workshop, message: ClusterMessage, changed: () => void): void {
  switch (message.kind) {
    case 'appended':
      void w.queue.refresh(message.seq);
      return;
    case 'alert-ack':
      if (w.alerts.acknowledge(message.metric, message.at)) changed();
      return;
    case 'terminal':
      // Another hub checked it, but its config may differ (a rolling update): only bays this hub knows.
      if (typeof message.bayId === 'string' && !w.queue.projection.ctx.bayIds.has(message.bayId)) return;
      if (w.terminals.seen(message.terminalId, message.bayId, message.at)) changed();
      return;
  }
}

/**
 * Terminal contacts another hub shared for a workshop this hub has not open (open-workshops.ts):
 * kept, at most the workshop's terminal cap each, and handed to the workshop when it opens, so a
 * board that opens it here lists the terminals at once rather than at their next share.
 */
export class HeldPresence {
  private readonly held = new Map<string, Map<string, Extract<ClusterMessage, { kind: 'terminal' }>>>();

  /** Keeps a terminal contact (other messages need nothing: the workshop reads the log when it opens). */
  hold(config: WorkshopConfig, message: ClusterMessage): void {
    switch (message.kind) {
      case 'terminal':
        return this.holdContact(config, message);
      default:
        return;
    }
  }

  private holdContact(config: WorkshopConfig, message: Extract<ClusterMessage, { kind: 'terminal' }>): void {
    if (typeof message.bayId === 'string' && !config.bays.some((b) => b.id === message.bayId)) return;
    const byTerminal = this.held.get(config.id) ?? this.held.set(config.id, new Map()).get(config.id)!;
    byTerminal.delete(message.terminalId);
    byTerminal.set(message.terminalId, message);
    // The oldest contact goes first: the board lists the most recent ones.
    if (byTerminal.size > terminalCapOf(config)) byTerminal.delete(byTerminal.keys().next().value!);
  }

  /** Hands the held contacts to the workshop that has just opened. */
  release(w: Workshop): void {
    const byTerminal = this.held.get(w.config.id);
    this.held.delete(w.config.id);
    for (const m of byTerminal?.values() ?? []) w.terminals.seen(m.terminalId, m.bayId, m.at);
  }
}
