import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { PitwallEvent, StoredEvent } from '../../shared/events.js';
import { TOKENS } from '../fixtures/config.js';

/** The client `npm start` serves, built by test/global-setup.ts before the suite. */
export const CLIENT_DIR = process.env.PITWALL_TEST_CLIENT_DIR
  ? path.resolve(process.env.PITWALL_TEST_CLIENT_DIR)
  : path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../client/dist');

/** Posts events to the test workshop as a terminal and expects every one accepted. */
export async function postAccepted(hubUrl: string, events: PitwallEvent[], token: string = TOKENS.terminal): Promise<void> {
  const res = await fetch(`${hubUrl}/api/v1/workshops/sh-test/events`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ events }),
  });
  expect(res.status).toBe(200);
  const { results } = (await res.json()) as { results: { status: string; error?: unknown }[] };
  expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);
}

/** Posts events to any workshop in batches the hub accepts (≤ 250 a request), expecting every one accepted. */
export async function postAcceptedTo(hubUrl: string, workshopId: string, events: readonly PitwallEvent[], token: string): Promise<void> {
  for (let at = 0; at < events.length; at += 250) {
    const res = await fetch(`${hubUrl}/api/v1/workshops/${encodeURIComponent(workshopId)}/events`, {
      method: 'POST',
      headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ events: events.slice(at, at + 250) }),
    });
    expect(res.status).toBe(200);
    const { results } = (await res.json()) as { results: { status: string; error?: unknown }[] };
    expect(results.filter((r) => r.status !== 'accepted')).toEqual([]);
  }
}

/** GET of the hub's API as JSON with a bearer token, expecting 200. */
export async function getJson<T>(hubUrl: string, path: string, token: string): Promise<T> {
  const res = await fetch(`${hubUrl}${path}`, { headers: { Authorization: `Bearer ${token}` } });
  expect(res.status).toBe(200);
  return (await res.json()) as T;
}

/**
 * A workshop's API as an e2e test reads it: `api(path, token)` is a GET expecting 200 (board
 * token by default), `eventLog()` the whole accepted log page by page (admin token). `hubUrl` is
 * asked at each call: tests start their hub in `beforeAll`.
 */
export function workshopApi(hubUrl: () => string, workshopId: string) {
  const api = <T>(pathname: string, token: string = TOKENS.board): Promise<T> => getJson<T>(hubUrl(), `/api/v1/workshops/${workshopId}${pathname}`, token);
  const eventLog = async (): Promise<StoredEvent[]> => {
    const out: StoredEvent[] = [];
    let after: string | null = null;
    do {
      const page: { events: StoredEvent[]; next: string | null } = await api(`/events?limit=1000${after ? `&after=${after}` : ''}`, TOKENS.admin);
      out.push(...page.events);
      after = page.next;
    } while (after);
    return out;
  };
  return { api, eventLog };
}
