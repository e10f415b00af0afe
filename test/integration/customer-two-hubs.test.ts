import { io as connect } from 'socket.io-client';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { CUSTOMER_NAMESPACE, customerLinkResponse } from '../../shared/customer-link.js';
import type { CustomerJobView } from '../../shared/customer-view.js';
import { TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { redisHubs } from '../helpers/redis-hubs.js';
import { eventually, NOW } from '../helpers/test-hub.js';

/**
 * The customer's link with two hubs on one Redis (the scale-out topology): a link made by one
 * hub opens on the other (they share the workshop's key through the store, nothing per job),
 * and a page connected to hub B follows a start taken by hub A.
 */
const WS = 'sh-test';
const redis = redisHubs('customers');

describe('customer links on two hubs', () => {
  it('a link from hub A opens on hub B, whose page follows a change taken by hub A', async () => {
    redis.newLog();
    const make = () => redis.hub({ clock: () => NOW, adapterRedisUrl: redis.redisUrl });
    const [a, b] = [await make(), await make()];
    const post = (events: unknown[]) => request(a.hub.app).post(`/api/v1/workshops/${WS}/events`).set('Authorization', `Bearer ${TOKENS.terminal}`).send({ events });
    expect((await post([ev('shift.clock_in', L('08:00'), { technicianId: 'T1' }), ev('job.checked_in', L('17:50'), { jobId: 'R1', plate: '沪A12345', service: 'repair', standardMinutes: 30, customerWaiting: true })])).status).toBe(200);

    // Both hubs mint at once: the first creation of the workshop's key wins on both.
    const [fromA, fromB] = await Promise.all(
      [a, b].map(async (h) => customerLinkResponse.parse((await request(h.hub.app).get(`/api/v1/workshops/${WS}/jobs/R1/customer-link`).set('Authorization', `Bearer ${TOKENS.terminal}`)).body).capability),
    );
    expect(fromB).toBe(fromA);
    expect((await request(b.hub.app).get(`/api/v1/c/${fromA}`)).body).toMatchObject({ state: 'waiting' });

    const socket = connect(`${b.url}${CUSTOMER_NAMESPACE}`, { transports: ['websocket'], reconnection: false, forceNew: true, auth: { capability: fromA } });
    redis.onCleanup(async () => void socket.close());
    const views: CustomerJobView[] = [];
    socket.on('view', (v: CustomerJobView) => views.push(v));
    await eventually(() => views.length === 1, 3000, 'the first view from hub B');
    expect((await post([ev('job.started', L('17:55'), { jobId: 'R1', bayId: 'B2', technicianId: 'T1' })])).status).toBe(200);
    await eventually(() => views.at(-1)?.state === 'in_progress', 3000, 'hub B to push the start taken by hub A');
  });
});
