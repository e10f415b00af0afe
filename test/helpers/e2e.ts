import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import type { PitwallEvent } from '../../shared/events.js';
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
