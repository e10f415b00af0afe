import { defineStore } from 'pinia';
import { computed, ref, shallowRef } from 'vue';
import type { PitwallEvent } from '../../../../shared/events.js';
import type { JobView } from '../../../../shared/jobs.js';
import type { TechnicianView } from '../../../../shared/technicians.js';
import type { WorkshopConfig } from '../../../../shared/workshop.js';
import type { OutboxEntry, OutboxStatus } from './outbox.js';
import { hubConnection } from '../../lib/hub-connection.js';
import { jobsOf, projectFloor, queueOrder } from './terminal-projection.js';

export type { Connection as TerminalConnection } from '../../lib/board-freshness.js';

/**
 * The bay terminal's and the advisor desk's state: the hub's lists as last fetched, the
 * outbox as storage holds it, and who / where this device is. What the screen shows is the
 * projection of the two (terminal-projection.ts): hub state, pending taps marked.
 */
export const useTerminalStore = defineStore('terminal', () => {
  const { replace: replaceLists, ...lists } = hubLists();
  const taps = outboxState();
  const { connection, offlineSince, now, markConnected, markOffline, markUnauthorized } = hubConnection();
  const technicianId = ref<string | null>(null);
  const bayId = ref<string | null>(null);

  const floor = computed(() => projectFloor(lists.jobs.value, lists.technicians.value, taps.confirmed.value, taps.pendingEvents.value));
  const queue = computed(() => queueOrder(floor.value.jobs));
  const me = computed(() => floor.value.technicians.find((t) => t.technicianId === technicianId.value) ?? null);
  const myJobs = computed(() => jobsOf(floor.value.jobs, technicianId.value));

  /** New lists from the hub; `confirmedBefore` events (delivered before the request left) are in them now. */
  function setLists(next: { jobs: JobView[]; technicians: TechnicianView[] }, at: number, confirmedBefore: number) {
    replaceLists(next, at);
    taps.confirmed.value = taps.confirmed.value.slice(confirmedBefore);
  }

  return {
    ...lists,
    ...taps,
    connection,
    offlineSince,
    technicianId,
    bayId,
    now,
    floor,
    queue,
    me,
    myJobs,
    setLists,
    markConnected,
    markOffline,
    markUnauthorized,
  };
});

/** The hub's lists as last fetched, and the snapshot `seq` they are as of. */
function hubLists() {
  const workshop = shallowRef<WorkshopConfig | null>(null);
  const jobs = shallowRef<JobView[]>([]);
  const technicians = shallowRef<TechnicianView[]>([]);
  /** When the lists were fetched (ms, browser clock); null before the first answer. */
  const fetchedAt = ref<number | null>(null);
  /** The last snapshot's `seq` and `asOf`: a moved seq means the lists are out of date. */
  const seq = ref<number | null>(null);
  const asOf = ref<string | null>(null);
  const timeZone = computed(() => workshop.value?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone);

  function setWorkshop(ws: WorkshopConfig) {
    workshop.value = ws;
  }

  function replace(next: { jobs: JobView[]; technicians: TechnicianView[] }, at: number | null) {
    jobs.value = next.jobs;
    technicians.value = next.technicians;
    fetchedAt.value = at;
  }

  function restoreCache(cache: { workshop: WorkshopConfig | null; jobs: JobView[]; technicians: TechnicianView[]; fetchedAt: number | null }) {
    if (cache.workshop && !workshop.value) workshop.value = cache.workshop;
    if (fetchedAt.value === null) replace(cache, cache.fetchedAt);
  }

  /** True when the seq moved (the caller refetches the lists). */
  function noteSnapshot(nextSeq: number, nextAsOf: string): boolean {
    const moved = seq.value !== nextSeq;
    seq.value = nextSeq;
    asOf.value = nextAsOf;
    return moved;
  }

  return { workshop, jobs, technicians, fetchedAt, seq, asOf, timeZone, setWorkshop, restoreCache, noteSnapshot, replace };
}

/** The outbox as storage holds it, and what the hub accepted but the lists may not show yet. */
function outboxState() {
  const entries = shallowRef<OutboxEntry[]>([]);
  const outbox = ref<OutboxStatus>({ sending: false, failures: 0, lastError: null, retryAt: null });
  /** Accepted by the hub, maybe not in the lists yet: laid on (unmarked) until the next refetch. */
  const confirmed = shallowRef<PitwallEvent[]>([]);
  /** A tap that could not even be queued (storage full, invalid form): said, not swallowed. */
  const localError = ref<string | null>(null);

  const pendingEvents = computed(() => entries.value.filter((e) => e.status === 'pending').map((e) => e.event));
  const rejected = computed(() => entries.value.filter((e): e is Extract<OutboxEntry, { status: 'rejected' }> => e.status === 'rejected'));
  const waitingToSend = computed(() => pendingEvents.value.length);

  function confirm(events: PitwallEvent[]) {
    confirmed.value = [...confirmed.value, ...events];
  }

  function syncOutbox(next: OutboxEntry[], status: OutboxStatus) {
    entries.value = next;
    outbox.value = status;
  }

  return { entries, outbox, confirmed, localError, pendingEvents, rejected, waitingToSend, confirm, syncOutbox };
}
