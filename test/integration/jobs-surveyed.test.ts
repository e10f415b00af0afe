import request from 'supertest';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { Hub } from '../../server/hub.js';
import type { EventStore } from '../../server/store/event-store.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { embeddedHarness } from '../helpers/store-harness.js';
import { startTestHub } from '../helpers/test-hub.js';

/**
 * The advisor desk offers for a survey only the cars the hub has none for (issue 12, item 2):
 * the jobs list says which are surveyed, whichever desk sent the survey, and a second survey is
 * refused naming the car by its plate, the word the desk can show.
 */

const EVENTS_URL = '/api/v1/workshops/sh-test/events';
const JOBS_URL = '/api/v1/workshops/sh-test/jobs';
const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });

describe('surveyed jobs over HTTP', () => {
  const harness = embeddedHarness();
  const now = Date.parse(L('12:00'));
  let store: EventStore;
  let hub: Hub;

  beforeAll(() => harness.setup());
  afterAll(() => harness.teardown());
  beforeEach(async () => {
    await harness.fresh();
    store = await harness.open();
    hub = (await startTestHub({ store, clock: () => now })).hub;
  });
  afterEach(async () => {
    await hub.close();
    await store.close();
  });

  it('lists surveyed true / false per job and refuses a second survey by plate', async () => {
    const setup = [
      ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }),
      ev('job.checked_in', L('08:05'), { jobId: 'S1', plate: '沪A10001', service: 'maintenance', standardMinutes: 30, customerWaiting: true }),
      ev('job.checked_in', L('08:06'), { jobId: 'S2', plate: '沪A10002', service: 'maintenance', standardMinutes: 30, customerWaiting: true }),
      ev('job.started', L('08:10'), { jobId: 'S1', bayId: 'B1', technicianId: 'T1' }),
      ev('job.completed', L('08:40'), { jobId: 'S1', firstTimeFix: true }),
      ev('job.started', L('08:41'), { jobId: 'S2', bayId: 'B1', technicianId: 'T1' }),
      ev('job.completed', L('09:10'), { jobId: 'S2', firstTimeFix: true }),
      ev('job.delivered', L('09:20'), { jobId: 'S2' }),
      ev('survey.submitted', L('09:25'), { jobId: 'S2', score: 5 }),
    ];
    const first = await request(hub.app).post(EVENTS_URL).set(bearer(TOKENS.terminal)).send({ events: setup });
    expect(first.body.results.map((r: { status: string }) => r.status)).toEqual(setup.map(() => 'accepted'));

    const jobs = await request(hub.app).get(JOBS_URL).set(bearer(TOKENS.terminal));
    expect(jobs.body.jobs.map((j: { jobId: string; surveyed: boolean }) => `${j.jobId}:${j.surveyed}`)).toEqual(['S1:false', 'S2:true']);

    // A second desk sends a survey for the same car.
    const again = ev('survey.submitted', L('09:30'), { jobId: 'S2', score: 3 });
    const res = await request(hub.app).post(EVENTS_URL).set(bearer(TOKENS.terminal)).send({ events: [again] });
    expect(res.body.results).toEqual([
      {
        id: again.id,
        status: 'rejected',
        error: { code: 'conflict', message: 'jobId: the car 沪A10002 already has a survey (one per job)', details: [{ path: 'jobId', message: 'the car 沪A10002 already has a survey (one per job)' }] },
      },
    ]);
  });
});
