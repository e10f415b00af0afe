import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TOKENS } from '../fixtures/config.js';
import { L } from '../fixtures/workshop.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * Inputs the audit (issue 11, item 12) got through: impossible calendar dates, a standard time
 * of a denormal, and an HSTS header over plain HTTP. Each over a real listening hub.
 */

const bearer = (t: string) => ({ Authorization: `Bearer ${t}` });
const WS_URL = '/api/v1/workshops/sh-test';

describe('input bounds', () => {
  let dir: string;
  let h: TestHub;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-bounds-'));
    await mkdir(path.join(dir, 'assets'));
    await writeFile(path.join(dir, 'index.html'), '<!doctype html><title>Pitwall</title>');
    h = await startTestHub({ clientDir: dir });
    await h.listen();
  });
  afterAll(async () => {
    await h.stop();
    await rm(dir, { recursive: true, force: true });
  });

  it.each(['2026-02-30', '2026-02-29', '2026-04-31', '0000-01-01', '1969-12-31', '2026-00-10', '2026-11-00', '21.11.2026'])(
    'answers GET …/daily?date=%s with 400 naming date',
    async (date) => {
      const res = await fetch(`${h.url}${WS_URL}/daily?date=${date}`, { headers: bearer(TOKENS.lead) });
      expect(res.status).toBe(400);
      const { error } = (await res.json()) as { error: { code: string; details: { path: string; message: string }[] } };
      expect(error.code).toBe('bad_request');
      expect(error.details).toEqual([{ path: 'date', message: expect.stringMatching(/calendar date YYYY-MM-DD/) }]);
    },
  );

  it.each([
    ['from=2026-02-30&to=2026-03-02', 'from'],
    ['from=0000-01-01&to=0000-01-02', 'from'],
    ['from=2026-11-01&to=2026-11-31', 'to'],
  ])('answers GET …/history?%s with 400 naming %s', async (query, field) => {
    const res = await fetch(`${h.url}${WS_URL}/history?${query}`, { headers: bearer(TOKENS.lead) });
    expect(res.status).toBe(400);
    const { error } = (await res.json()) as { error: { details: { path: string; message: string }[] } };
    expect(error.details).toContainEqual({ path: field, message: expect.stringMatching(/calendar date YYYY-MM-DD/) });
  });

  it.each(['2024-02-29', '2026-11-21', '1970-01-01', '9999-12-31'])('serves the daily report of a real date (%s)', async (date) => {
    const res = await fetch(`${h.url}${WS_URL}/daily?date=${date}`, { headers: bearer(TOKENS.lead) });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { date: string }).date).toBe(date);
  });

  const checkIn = (n: number, standardMinutes: unknown) => ({
    id: `evt-bounds-${String(n).padStart(4, '0')}`,
    type: 'job.checked_in',
    at: L('09:00'),
    jobId: `JB${n}`,
    plate: 'B0UNDS',
    service: 'repair',
    standardMinutes,
    customerWaiting: false,
  });

  it('refuses a standard time under a minute or over 10,000, per event, naming the field', async () => {
    const events = [checkIn(1, 5e-324), checkIn(2, 0.5), checkIn(3, 10_001), checkIn(4, 1), checkIn(5, 10_000), checkIn(6, 45.5)];
    const res = await fetch(`${h.url}${WS_URL}/events`, {
      method: 'POST',
      headers: { ...bearer(TOKENS.terminal), 'Content-Type': 'application/json' },
      body: JSON.stringify({ events }),
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { id: string; status: string; error?: { code: string; details: { path: string; message: string }[] } }[] };
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected', 'rejected', 'accepted', 'accepted', 'accepted']);
    for (const r of results.slice(0, 2)) expect(r.error).toMatchObject({ code: 'invalid_event', details: [{ path: 'standardMinutes', message: 'must be at least 1' }] });
    expect(results[2]!.error).toMatchObject({ code: 'invalid_event', details: [{ path: 'standardMinutes', message: 'must be at most 10000' }] });
  });

  it('sends no Strict-Transport-Security over plain HTTP: not on pages, API answers or the events fast path', async () => {
    const page = await fetch(`${h.url}/board/sh-test`);
    const api = await fetch(`${h.url}${WS_URL}/board`, { headers: bearer(TOKENS.board) });
    const fastPath = await fetch(`${h.url}${WS_URL}/events`, {
      method: 'POST',
      headers: { ...bearer(TOKENS.terminal), 'Content-Type': 'application/json' },
      body: JSON.stringify({ events: [checkIn(7, 30)] }),
    });
    for (const res of [page, api, fastPath]) {
      expect(res.status).toBe(200);
      // The neighbours are still there: only HSTS is left to the TLS terminator.
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('strict-transport-security')).toBeNull();
    }
  });
});
