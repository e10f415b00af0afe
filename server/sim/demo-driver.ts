import type { Logger } from 'pino';
import type { PitwallEvent } from '../../shared/events.js';
import type { Principal } from '../workshops/principal.js';
import type { WorkshopService } from '../workshops/workshop-service.js';

/** How often the driver looks for events that have come due. */
const TICK_MS = 200;
const MAX_BATCH = 500;

export interface DemoDriverDeps {
  service: WorkshopService;
  workshopId: string;
  /** The day, sorted by `at`. */
  events: readonly PitwallEvent[];
  clock: () => number;
  logger: Logger;
}

/**
 * Plays a simulated day into the hub through the same ingest path a terminal uses, each event
 * when the (accelerated) clock reaches its `at`. A rejected event is logged, never dropped
 * silently: it would mean the simulator and the rules disagree.
 */
export class DemoDriver {
  private next = 0;
  private timer: NodeJS.Timeout | null = null;
  private busy = false;
  private readonly principal: Principal = { role: 'admin', workshops: '*' };

  constructor(private readonly deps: DemoDriverDeps) {}

  start(): void {
    this.timer = setInterval(() => void this.tick(), TICK_MS);
    this.timer.unref();
    void this.tick();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  get done(): boolean {
    return this.next >= this.deps.events.length;
  }

  private async tick(): Promise<void> {
    if (this.busy || this.done) return;
    this.busy = true;
    try {
      const now = this.deps.clock();
      const { events } = this.deps;
      let end = this.next;
      while (end < events.length && end - this.next < MAX_BATCH && Date.parse(events[end]!.at) <= now) end++;
      if (end === this.next) return;
      const results = await this.deps.service.ingest(this.deps.workshopId, { events: events.slice(this.next, end) }, this.principal);
      // Only now: a failed post leaves `next` where it was, and the next tick sends the same ids again.
      this.next = end;
      // One line per batch: after someone worked the demo workshop by hand, many may clash.
      const rejected = results.filter((r) => r.status === 'rejected');
      if (rejected.length > 0) {
        this.deps.logger.warn({ rejected: rejected.length, first: { id: rejected[0]!.id, error: rejected[0]!.error } }, 'demo: the hub rejected events of the simulated day (the floor was changed by hand, or the simulator and the rules disagree)');
      }
      if (this.done) {
        this.deps.logger.info('demo: the simulated day is over (restart to play it again)');
        this.stop();
      }
    } catch (err) {
      this.deps.logger.warn({ err }, 'demo: could not post events; retrying');
    } finally {
      this.busy = false;
    }
  }
}
