import request from 'supertest';
import { afterEach, describe, expect, it } from 'vitest';
import type { EventStore } from '../../server/store/event-store.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/** Requests that arrive while an append is on its way to disk share the next one. */
const hubs: TestHub[] = [];
afterEach(async () => {
  for (const h of hubs.splice(0)) await h.stop();
});

describe('group commit', () => {
  it('answers 30 concurrent terminals each with their own results, in far fewer appends', async () => {
    let appends = 0;
    const h = await startTestHub({
      wrapStore: (real: EventStore): EventStore =>
        Object.assign(Object.create(real) as EventStore, {
          append: (...args: Parameters<EventStore['append']>) => {
            appends++;
            return real.append(...args);
          },
        }),
    });
    hubs.push(h);
    const jobs = Array.from({ length: 30 }, (_, i) => `G${i}`);
    const answers = await Promise.all(
      jobs.map((jobId, i) =>
        request(h.hub.app)
          .post('/api/v1/workshops/sh-test/events')
          .set('Authorization', `Bearer ${TOKENS.terminal}`)
          // Each request: its own check-in, and an event the rules refuse (resuming a job that waits).
          .send({ events: [ev('job.checked_in', L('09:00'), { jobId, plate: `沪A${i}`, service: 'recall', standardMinutes: 20, customerWaiting: false }), ev('job.resumed', L('09:01'), { jobId })] }),
      ),
    );
    for (const [i, a] of answers.entries()) {
      expect(a.status).toBe(200);
      expect(a.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'rejected']);
      expect(a.body.results[1].error.message).toContain(`job ${jobs[i]}: job is waiting`);
    }
    expect(appends).toBeLessThan(30);
    const board = await request(h.hub.app).get('/api/v1/workshops/sh-test/board').set('Authorization', `Bearer ${TOKENS.board}`);
    expect(board.body.seq).toBe(30);
    expect(board.body.jobs.waiting).toBe(30);
  });
});
