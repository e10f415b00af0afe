import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PitwallEvent, StoredEvent } from '../../shared/events.js';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import { Projection } from '../../server/engine/projection.js';
import { testConfigJson, TOKENS } from '../fixtures/config.js';
import { SHANGHAI, movedToRecent, scriptedDay } from '../fixtures/workshop.js';
import { startHubProcess, type HubProcess } from '../helpers/hub-process.js';
import { startRedisServer, type RedisServerHandle } from '../helpers/redis-server.js';

/**
 * "Nothing accepted is ever lost": the hub is SIGKILLed over and over, at random moments,
 * while a terminal posts a day of events, on each store. After every restart the log holds
 * every event that was answered `accepted`, the board is exactly the replay of that log,
 * and re-sending the whole day finishes it with each event applied once.
 */

const WS = 'sh-test';
const auth = (t: string) => ({ Authorization: `Bearer ${t}`, 'Content-Type': 'application/json' });
const BATCH = 3;

async function postBatch(hub: HubProcess, events: PitwallEvent[]): Promise<{ id: string; status: string }[]> {
  const res = await fetch(`${hub.url}/api/v1/workshops/${WS}/events`, { method: 'POST', headers: auth(TOKENS.terminal), body: JSON.stringify({ events }) });
  if (res.status !== 200) throw new Error(`POST answered ${res.status}: ${await res.text()}`);
  return ((await res.json()) as { results: { id: string; status: string }[] }).results;
}

async function readLog(hub: HubProcess): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  let after: string | null = null;
  do {
    const qs: string = `limit=1000${after ? `&after=${after}` : ''}`;
    const res = await fetch(`${hub.url}/api/v1/workshops/${WS}/events?${qs}`, { headers: auth(TOKENS.admin) });
    const body = (await res.json()) as { events: StoredEvent[]; next: string | null };
    out.push(...body.events);
    after = body.next;
  } while (after !== null);
  return out;
}

async function board(hub: HubProcess): Promise<BoardSnapshot> {
  const res = await fetch(`${hub.url}/api/v1/workshops/${WS}/board?token=${TOKENS.board}`);
  return (await res.json()) as BoardSnapshot;
}

/** The board a fresh projection of `log` gives at the snapshot's own `asOf`: what the hub must show. */
function replayed(log: StoredEvent[], asOf: string) {
  const p = new Projection(SHANGHAI);
  p.apply(log.map((s) => s.event));
  return p.figures(Date.parse(asOf));
}

interface Setup {
  kind: string;
  before(): Promise<void>;
  after(): Promise<void>;
  env(): Record<string, string>;
}

function setups(): Setup[] {
  let redis: RedisServerHandle | undefined;
  const dirs: string[] = [];
  const configFile = () => path.join(dirs[0]!, 'pitwall.json');
  const makeDirAndConfig = async () => {
    dirs.push(await mkdtemp(path.join(os.tmpdir(), 'pitwall-crash-')));
    await writeFile(configFile(), JSON.stringify(testConfigJson()));
  };
  const cleanup = async () => {
    await Promise.all(dirs.splice(0).map((d) => rm(d, { recursive: true, force: true })));
  };
  return [
    {
      kind: 'embedded',
      before: makeDirAndConfig,
      after: cleanup,
      env: () => ({ PITWALL_CONFIG: configFile(), PITWALL_DATA_DIR: path.join(dirs[0]!, 'data') }),
    },
    {
      kind: 'redis',
      async before() {
        await makeDirAndConfig();
        redis = await startRedisServer({ appendonly: true });
      },
      async after() {
        await redis?.stop();
        await cleanup();
      },
      env: () => ({ PITWALL_CONFIG: configFile(), PITWALL_DATA_DIR: path.join(dirs[0]!, 'data'), REDIS_URL: redis!.url }),
    },
  ];
}

describe.each(setups())('$kind store: kill -9 of the hub at any moment', (setup) => {
  beforeAll(() => setup.before());
  afterAll(() => setup.after());

  it('loses no accepted event and restarts to the same board, every time', { timeout: 120_000 }, async () => {
    // A hub on the real clock: the scripted day moved to yesterday and today.
    const day = movedToRecent(scriptedDay());
    const batches: PitwallEvent[][] = [];
    for (let i = 0; i < day.length; i += BATCH) batches.push(day.slice(i, i + BATCH));
    const accepted = new Set<string>();
    let next = 0;
    let kills = 0;

    while (next < batches.length) {
      const hub = await startHubProcess(setup.env());
      try {
        // Everything answered `accepted` before the last kill is in the log, once.
        const log = await readLog(hub);
        const ids = log.map((s) => s.event.id);
        expect(new Set(ids).size).toBe(ids.length);
        for (const id of accepted) expect(ids).toContain(id);
        expect(log.map((s) => s.seq)).toEqual(log.map((_, i) => i + 1));
        // The restarted board is the replay of that log, figure for figure.
        const b = await board(hub);
        expect(b.seq).toBe(log.length);
        const { alerts: _alerts, terminals: _terminals, ...figures } = b;
        expect(figures).toEqual(replayed(log, b.asOf));

        // Post a few batches (re-sending the one that was in flight at the kill), then kill
        // the hub while the next request is on the wire, after a random few milliseconds.
        const quota = 1 + Math.floor(Math.random() * 3);
        for (let n = 0; n < quota && next < batches.length; n++, next++) {
          const results = await postBatch(hub, batches[next]!);
          for (const r of results) {
            expect(['accepted', 'duplicate']).toContain(r.status);
            if (r.status === 'accepted') accepted.add(r.id);
          }
        }
        if (next < batches.length) {
          const inFlight = postBatch(hub, batches[next]!).then(
            (results) => results.forEach((r) => r.status === 'accepted' && accepted.add(r.id)),
            () => undefined, // the connection died with the hub: the terminal will re-send
          );
          await new Promise((r) => setTimeout(r, Math.random() * 8));
          await hub.kill('SIGKILL');
          kills++;
          await inFlight;
        }
      } finally {
        await hub.kill('SIGKILL');
      }
    }
    expect(kills).toBeGreaterThanOrEqual(3);

    const hub = await startHubProcess(setup.env());
    try {
      const log = await readLog(hub);
      expect(log.map((s) => s.event.id)).toEqual(day.map((e) => e.id));
      const b = await board(hub);
      const { alerts: _alerts, terminals: _terminals, ...figures } = b;
      expect(figures).toEqual(replayed(log, b.asOf));
      expect(b.seq).toBe(day.length);
    } finally {
      await hub.kill('SIGTERM');
    }
  });
});
