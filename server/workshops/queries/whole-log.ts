import type { PitwallEvent } from '../../../shared/events.js';
import type { EventStore } from '../../store/event-store.js';
import { READ_PAGE } from '../commit-queue.js';

/**
 * The workshop's whole log, for the queries that need what the projection has compacted away
 * (a past day's report, the arrival pattern of the last weeks).
 */
export async function wholeLog(store: EventStore, workshopId: string): Promise<PitwallEvent[]> {
  const log: PitwallEvent[] = [];
  for (let after = 0; ; ) {
    const page = await store.read(workshopId, after, READ_PAGE);
    log.push(...page.map((e) => e.event));
    if (page.length < READ_PAGE) return log;
    after = page.at(-1)!.seq;
  }
}
