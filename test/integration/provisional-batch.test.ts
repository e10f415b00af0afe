import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreUnavailableError, type EventStore } from '../../server/store/event-store.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * A batch is judged and applied in one pass, provisionally, before the store has it
 * (Projection.begin). Nobody may see it in that time: a board, a job list or a forecast asked
 * for while the append is on its way waits for it, and sees the batch only if the store took
 * it. Here the store takes 300 ms per append and, when told to, then fails.
 */

const WS = 'sh-test';
const auth = (t: string) => ({ Authorization: `Bearer ${t}` });
const hubs: TestHub[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
});

/** Resolves when the store's next append begins: the batch is then on its way to the store. */
let appendBegun: () => void = () => {};
const nextAppend = (): Promise<void> => new Promise((resolve) => (appendBegun = resolve));

async function slowHub(failNext: { value: boolean }): Promise<TestHub> {
  const h = await startTestHub({
    wrapStore: (real: EventStore): EventStore =>
      Object.assign(Object.create(real) as EventStore, {
        append: async (...args: Parameters<EventStore['append']>) => {
          appendBegun();
          await new Promise((r) => setTimeout(r, 300));
          if (failNext.value) {
            failNext.value = false;
            throw new StoreUnavailableError('disk gone');
          }
          return real.append(...args);
        },
      }),
  });
  hubs.push(h);
  return h;
}

const checkIn = (jobId: string) => ev('job.checked_in', L('09:00'), { jobId, plate: `沪P${jobId}`, service: 'maintenance', standardMinutes: 30, customerWaiting: true });

describe('a batch on its way to the store', () => {
  it('is not seen by readers, and never seen at all when the store refuses it', async () => {
    const failNext = { value: true };
    const h = await slowHub(failNext);
    const appending = nextAppend();
    const post = request(h.hub.app).post(`/api/v1/workshops/${WS}/events`).set(auth(TOKENS.terminal)).send({ events: [checkIn('J-LOST')] }).then((r) => r);
    await appending;
    // Asked while the check-in is applied provisionally: each answer comes after the store's.
    const [board, jobs, forecast] = await Promise.all([
      request(h.hub.app).get(`/api/v1/workshops/${WS}/board`).set(auth(TOKENS.lead)),
      request(h.hub.app).get(`/api/v1/workshops/${WS}/jobs`).set(auth(TOKENS.lead)),
      request(h.hub.app).get(`/api/v1/workshops/${WS}/forecast`).set(auth(TOKENS.lead)),
    ]);
    expect((await post).status).toBe(503);
    expect(board.body.seq).toBe(0);
    expect(board.body.jobs.waiting).toBe(0);
    expect(board.body.waitingCustomers.count).toBe(0);
    expect(jobs.body.jobs).toEqual([]);
    expect(JSON.stringify(forecast.body)).not.toContain('J-LOST');

    // The same request again is taken, and then everybody sees it.
    const retry = await request(h.hub.app).post(`/api/v1/workshops/${WS}/events`).set(auth(TOKENS.terminal)).send({ events: [checkIn('J-KEPT')] });
    expect(retry.body.results[0].status).toBe('accepted');
    const after = await request(h.hub.app).get(`/api/v1/workshops/${WS}/jobs`).set(auth(TOKENS.lead));
    expect(after.body.jobs.map((j: { jobId: string }) => j.jobId)).toEqual(['J-KEPT']);
  });

  it('is seen by a reader that asked during the append once the store holds it', async () => {
    const h = await slowHub({ value: false });
    const started = Date.now();
    const appending = nextAppend();
    const post = request(h.hub.app).post(`/api/v1/workshops/${WS}/events`).set(auth(TOKENS.terminal)).send({ events: [checkIn('J-1'), checkIn('J-2')] }).then((r) => r);
    await appending;
    const board = await request(h.hub.app).get(`/api/v1/workshops/${WS}/board`).set(auth(TOKENS.lead));
    // The board waited for the append (≥ 300 ms after the post) and shows both events.
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
    expect(board.body.seq).toBe(2);
    expect((await post).body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted']);
  });
});
