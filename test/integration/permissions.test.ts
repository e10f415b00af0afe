import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../../shared/auth.js';
import { ACTIONS, can, mayWrite, readOnlyRefusal, refusal, type Action } from '../../shared/permissions.js';
import { TOKENS } from '../fixtures/config.js';
import { L } from '../fixtures/workshop.js';
import { connected, startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * Every cell of the permission table asked of a real hub, on the doors the clients use (HTTP
 * for reads and posts, the socket for a terminal's hello and an alert's acknowledgement): a
 * 403 exactly where `can` says no, with `refusal`'s sentence, so no door has a rule of its own.
 * Every token used here opens the workshop: the token's workshops are another check (mayOpen).
 */

const WS = 'sh-test';
const api = (p: string) => `/api/v1/workshops/${WS}${p}`;
const TOKEN: Record<Role, string> = { board: TOKENS.board, terminal: TOKENS.terminal, lead: TOKENS.lead, admin: TOKENS.admin };

interface Answer {
  forbidden: boolean;
  message: string | undefined;
}

let h: TestHub;
beforeAll(async () => {
  h = await startTestHub({ rateLimitPerMinute: 1_000_000 });
  await h.listen();
});
afterAll(() => h.stop());

let serial = 0;
async function ask(role: Role, action: Action): Promise<Answer> {
  const token = TOKEN[role];
  const http = async (req: request.Test): Promise<Answer> => {
    const res = await req.set('Authorization', `Bearer ${token}`);
    return { forbidden: res.status === 403, message: (res.body as { error?: { message?: string } }).error?.message };
  };
  const get = (p: string) => http(request(h.hub.app).get(api(p)));
  switch (action) {
    case 'read:board':
      return get('/board');
    case 'read:series':
      return get('/series');
    case 'read:technicians':
      return get('/technicians');
    case 'read:forecast':
      return get('/forecast');
    case 'read:jobs':
      return get('/jobs');
    case 'read:staffing':
      return get('/staffing');
    case 'read:daily':
      return get('/daily');
    case 'read:history':
      return get('/history?from=2026-11-21&to=2026-11-21');
    case 'read:events':
      return get('/events');
    case 'mint:customer_link':
      // J-none is unknown: a 404 for the roles allowed, the 403 first for the others.
      return get('/jobs/J-none/customer-link');
    case 'read:appointments':
      return get('/appointments');
    case 'read:capacity':
      return get('/capacity');
    case 'preview:move':
      return http(request(h.hub.app).post(api('/forecast/preview')).send({ technicianId: 'T1', team: 'repair' }));
    case 'ack:alert':
    case 'speak:terminal': {
      const socket = h.client(token);
      try {
        await connected(socket);
        const reply =
          action === 'ack:alert'
            ? await socket.timeout(5000).emitWithAck('alert:ack', { workshopId: WS, metric: 'averageWait' })
            : await socket.timeout(5000).emitWithAck('terminal:hello', { workshopId: WS, terminalId: `tablet-${role}-0001`, bayId: null });
        return reply.ok ? { forbidden: false, message: undefined } : { forbidden: reply.error.code === 'forbidden', message: reply.error.message };
      } finally {
        socket.disconnect();
      }
    }
    default: {
      const type = action.slice('post:'.length);
      const event = { id: `perm-${String(++serial).padStart(6, '0')}`, type, at: L('09:00') };
      return http(request(h.hub.app).post(api('/events')).send({ events: [event] }));
    }
  }
}

describe.each(ROLES.map((role) => ({ role })))('a $role token', ({ role }) => {
  it.each(ACTIONS.map((action) => ({ action })))('$action', async ({ action }) => {
    const answer = await ask(role, action);
    expect(answer.forbidden).toBe(!can(role, action));
    if (answer.forbidden) {
      // A token that may send nothing is refused before its body is read, in one sentence.
      const expected = action.startsWith('post:') && !mayWrite(role) ? readOnlyRefusal(role) : refusal(role, action);
      expect(answer.message).toBe(expected);
    }
  });
});
