import { afterEach, describe, expect, it } from 'vitest';
import { StoreOutcomeUnknownError, StoreUnavailableError, type EventStore } from '../../server/store/event-store.js';
import type { PitwallEvent } from '../../shared/events.js';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { connected, eventually, startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * The hub's side of an append whose outcome is unknown, over the embedded store: an fsync
 * that fails after the write is such a case, and this store answers the way the embedded one
 * would if the bytes had made it (they are in the log; the store did not say so). While the
 * log cannot be read, reads serve the last known state and batches are not judged; once it
 * can, the hub catches up by itself (the embedded store has no heartbeat catch-up: nobody
 * else writes its log) and the board shows what was written.
 */

const WS = 'sh-test';
const hubs: TestHub[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
});

interface Faults {
  /** The next append writes, then fails as unconfirmed. */
  unconfirmNext: boolean;
  /** Reads fail (the log cannot be read back). */
  readsDown: boolean;
  appendsSeen: string[][];
}

async function faultyHub(faults: Faults): Promise<TestHub> {
  const h = await startTestHub({
    wrapStore: (real: EventStore): EventStore =>
      Object.assign(Object.create(real) as EventStore, {
        append: async (...args: Parameters<EventStore['append']>) => {
          faults.appendsSeen.push(args[1].map((e) => e.id));
          const outcome = await real.append(...args);
          if (faults.unconfirmNext) {
            faults.unconfirmNext = false;
            throw new StoreOutcomeUnknownError('syncing events/sh-test.jsonl failed: EIO');
          }
          return outcome;
        },
        read: async (...args: Parameters<EventStore['read']>) => {
          if (faults.readsDown) throw new StoreUnavailableError('reading events/sh-test.jsonl failed: EIO');
          return real.read(...args);
        },
      }),
  });
  hubs.push(h);
  return h;
}

const checkIn = (jobId: string): PitwallEvent => ev('job.checked_in', L('09:00'), { jobId, plate: `沪U${jobId}`, service: 'maintenance', standardMinutes: 30, customerWaiting: false });

describe('an append the store did not confirm', () => {
  it('is answered store_outcome_unknown; later batches are not judged while the log cannot be read; the board shows the write once it can', { timeout: 30_000 }, async () => {
    const faults: Faults = { unconfirmNext: false, readsDown: false, appendsSeen: [] };
    const h = await faultyHub(faults);
    await h.listen();
    const post = async (events: PitwallEvent[]) => {
      const res = await fetch(`${h.url}/api/v1/workshops/${WS}/events`, { method: 'POST', headers: { Authorization: `Bearer ${TOKENS.terminal}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ events }) });
      return { status: res.status, retryAfter: res.headers.get('retry-after'), body: (await res.json()) as { results?: { id: string; status: string }[]; error?: { code: string; message: string } } };
    };
    const jobIds = async () => {
      const res = await fetch(`${h.url}/api/v1/workshops/${WS}/jobs`, { headers: { Authorization: `Bearer ${TOKENS.lead}` } });
      expect(res.status).toBe(200);
      return ((await res.json()) as { jobs: { jobId: string }[] }).jobs.map((j) => j.jobId);
    };
    const board = h.client(TOKENS.board);
    await connected(board);
    const pushed: BoardSnapshot[] = [];
    board.on('snapshot', (s) => pushed.push(s));
    await board.timeout(5000).emitWithAck('subscribe', WS);

    expect((await post([checkIn('J1')])).body.results?.[0]?.status).toBe('accepted');

    // Written, not confirmed, and the log cannot be read back for now.
    faults.unconfirmNext = true;
    faults.readsDown = true;
    const ghost = [checkIn('J2')];
    const unknown = await post(ghost);
    expect(unknown.status).toBe(503);
    expect(unknown.retryAfter).toBe('2');
    expect(unknown.body.error).toMatchObject({ code: 'store_outcome_unknown' });
    expect(unknown.body.error!.message).toMatch(/may or may not be stored.*resend the same ids/);
    expect(unknown.body.error!.message).not.toContain('EIO');

    // Reads still answer, with the last state the hub knows.
    expect(await jobIds()).toEqual(['J1']);
    // A batch is not judged against a state that may lack J2, and is not sent: "nothing was changed" is true of it.
    const appendsBefore = faults.appendsSeen.length;
    const notSent = [checkIn('J3')];
    const later = await post(notSent);
    expect(later.status).toBe(503);
    expect(later.body.error).toMatchObject({ code: 'store_unavailable' });
    expect(faults.appendsSeen.length).toBe(appendsBefore);

    // The log can be read again: with no reader and no heartbeat, the board gets J2.
    faults.readsDown = false;
    await eventually(() => pushed.some((s) => s.seq === 2 && s.jobs.waiting === 2), 5000, 'a board with the unconfirmed check-in');
    expect(await jobIds()).toEqual(['J1', 'J2']);

    // Resending: J2 was stored (duplicate), J3 was not (accepted).
    expect((await post(ghost)).body.results).toEqual([{ id: ghost[0]!.id, status: 'duplicate' }]);
    expect((await post(notSent)).body.results).toEqual([{ id: notSent[0]!.id, status: 'accepted' }]);
  });
});
