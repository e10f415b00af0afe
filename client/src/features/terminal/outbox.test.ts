import { describe, expect, it, vi } from 'vitest';
import type { EventResult, PitwallEvent } from '../../../../shared/events.js';
import { ApiRequestError } from '../../lib/api.js';
import { defaultBackoff, newEventId, Outbox, outboxKey, type SendBatch } from './outbox.js';
import { MAX_RETRY_AFTER_MS, retryAfterSeconds } from '../../lib/retry-after.js';
import { MemoryStorage } from '../../lib/socket-test-fixture.js';


const KEY = outboxKey('sh-test');
const AT = '2026-11-21T10:00:00.000Z';
const clockIn = (id: string, technicianId = 'T1'): PitwallEvent => ({ id, type: 'shift.clock_in', at: AT, technicianId });

/** A hub the test answers by hand: each call waits until the test resolves or rejects it. */
function scriptedHub() {
  const calls: { events: PitwallEvent[]; resolve: (r: EventResult[]) => void; reject: (e: Error) => void }[] = [];
  const send: SendBatch = (events) => new Promise((resolve, reject) => calls.push({ events, resolve, reject }));
  return { calls, send };
}

/** Timers the test fires by hand. */
function manualTimers() {
  const timers: { fn: () => void; ms: number; cleared: boolean }[] = [];
  return {
    timers,
    setTimer: (fn: () => void, ms: number) => {
      const t = { fn, ms, cleared: false };
      timers.push(t);
      return t;
    },
    clearTimer: (t: unknown) => {
      (t as { cleared: boolean }).cleared = true;
    },
    live: () => timers.filter((t) => !t.cleared),
  };
}

const settle = () => new Promise((r) => setTimeout(r, 0));
const accepted = (e: PitwallEvent): EventResult => ({ id: e.id, status: 'accepted' });

describe('Outbox', () => {
  it('sends what was queued in order, one batch, and empties on acceptance', async () => {
    const storage = new MemoryStorage();
    const hub = scriptedHub();
    const box = new Outbox(storage, KEY, { send: hub.send, batchSize: 10 });
    box.add(clockIn('ev-000000a1', 'T1'));
    box.add(clockIn('ev-000000a2', 'T2'));
    box.add(clockIn('ev-000000a3', 'T3'));
    // The first add started a send of one; the two others wait for it, then go together.
    expect(hub.calls.map((c) => c.events.map((e) => e.id))).toEqual([['ev-000000a1']]);
    hub.calls[0]!.resolve(hub.calls[0]!.events.map(accepted));
    await settle();
    expect(hub.calls[1]!.events.map((e) => e.id)).toEqual(['ev-000000a2', 'ev-000000a3']);
    expect(box.pending().map((e) => e.event.id)).toEqual(['ev-000000a2', 'ev-000000a3']);
    hub.calls[1]!.resolve(hub.calls[1]!.events.map(accepted));
    await settle();
    expect(box.entries()).toEqual([]);
    expect(box.status()).toMatchObject({ sending: false, failures: 0, lastError: null });
  });

  it('keeps the queue across a reload: a new instance over the same storage sends the same events, same ids', async () => {
    const storage = new MemoryStorage();
    const offline: SendBatch = async () => {
      throw new TypeError('Failed to fetch');
    };
    const timers = manualTimers();
    const first = new Outbox(storage, KEY, { send: offline, ...timers });
    first.add(clockIn('ev-000000b1'));
    first.add(clockIn('ev-000000b2', 'T2'));
    await settle();
    first.stop();

    const sent: string[][] = [];
    const second = new Outbox(storage, KEY, { send: async (events) => (sent.push(events.map((e) => e.id)), events.map(accepted)) });
    expect(second.pending().map((e) => e.event)).toEqual([clockIn('ev-000000b1'), clockIn('ev-000000b2', 'T2')]);
    await second.flush();
    expect(sent).toEqual([['ev-000000b1', 'ev-000000b2']]);
    expect(second.entries()).toEqual([]);
    expect(JSON.parse(storage.getItem(KEY)!)).toEqual({ v: 1, entries: [] });
  });

  it('retries with growing backoff after failures and resets once the hub answers', async () => {
    const storage = new MemoryStorage();
    const timers = manualTimers();
    let up = false;
    const send = vi.fn<SendBatch>(async (events) => {
      if (!up) throw new Error('503 store unavailable');
      return events.map(accepted);
    });
    const box = new Outbox(storage, KEY, { send, ...timers });
    box.add(clockIn('ev-000000c1'));
    await settle();
    expect(box.status()).toMatchObject({ failures: 1, lastError: '503 store unavailable' });
    expect(timers.live()).toHaveLength(1);
    expect(timers.live()[0]!.ms).toBeGreaterThanOrEqual(500);
    expect(timers.live()[0]!.ms).toBeLessThanOrEqual(1000);

    timers.live()[0]!.fn();
    await settle();
    timers.live().at(-1)!.fn();
    await settle();
    // Each step within its jittered range: half of 1, 2, 4 s up to the whole.
    timers.timers.forEach((t, i) => {
      expect(t.ms).toBeGreaterThanOrEqual(500 * 2 ** i);
      expect(t.ms).toBeLessThanOrEqual(1000 * 2 ** i);
    });
    expect(timers.timers).toHaveLength(3);
    expect(box.pending()).toHaveLength(1);

    up = true;
    timers.live().at(-1)!.fn();
    await settle();
    expect(send).toHaveBeenCalledTimes(4);
    expect(send.mock.calls.every(([events]) => events[0]!.id === 'ev-000000c1')).toBe(true);
    expect(box.entries()).toEqual([]);
    expect(box.status()).toMatchObject({ failures: 0, lastError: null, retryAt: null });
  });

  it('does not retry in lockstep: two tablets that lost the hub at the same moment come back at different moments', async () => {
    // Two outboxes (two tablets) with the default backoff, both failing from the same instant.
    const retryMoments = async () => {
      const timers = manualTimers();
      const box = new Outbox(new MemoryStorage(), KEY, { send: async () => Promise.reject(new Error('network')), now: () => 0, ...timers });
      box.add(clockIn('ev-000000j1'));
      let at = 0;
      const moments: number[] = [];
      for (let i = 0; i < 8; i++) {
        await settle();
        const next = timers.live().at(-1)!;
        at += next.ms;
        moments.push(at);
        next.fn();
      }
      box.stop();
      return moments;
    };
    const [a, b] = [await retryMoments(), await retryMoments()];
    // Without jitter both lists would be 1, 3, 7, 15, 31, 61, 91, 121 s exactly.
    const together = a.filter((t, i) => Math.abs(t - b[i]!) < 50);
    expect(together.length).toBeLessThan(3);
    expect(new Set([...a, ...b]).size).toBeGreaterThan(a.length);
  });

  it('kick() skips the wait: the hub is back, send now', async () => {
    const timers = manualTimers();
    let up = false;
    const send: SendBatch = async (events) => {
      if (!up) throw new Error('offline');
      return events.map(accepted);
    };
    const box = new Outbox(new MemoryStorage(), KEY, { send, ...timers });
    box.add(clockIn('ev-000000d1'));
    await settle();
    expect(timers.live()).toHaveLength(1);
    up = true;
    box.kick();
    await settle();
    expect(box.entries()).toEqual([]);
    expect(timers.live()).toHaveLength(0);
  });

  it('waits the Retry-After of a 429, not its own shorter backoff, keeps the taps, and lets no kick jump the wait', async () => {
    const storage = new MemoryStorage();
    const timers = manualTimers();
    let now = 1_000_000;
    let limited = true;
    const send = vi.fn<SendBatch>(async (events) => {
      if (limited) throw new ApiRequestError(429, { code: 'too_many_requests', message: 'the budget is spent' }, 45);
      return events.map(accepted);
    });
    const box = new Outbox(storage, KEY, { send, ...timers, now: () => now });
    box.add(clockIn('ev-000000r1'));
    await settle();
    // The hub said 45 s: the first backoff would have been 1 s.
    expect(timers.live().map((t) => t.ms)).toEqual([45_000]);
    expect(box.status()).toMatchObject({ failures: 1, lastError: 'the budget is spent', retryAt: now + 45_000 });

    // A new tap and a reconnect inside the wait: queued, not sent (they would only be refused again).
    now += 10_000;
    box.add(clockIn('ev-000000r2', 'T2'));
    box.kick();
    await settle();
    expect(send).toHaveBeenCalledTimes(1);
    expect(box.pending().map((e) => e.event.id)).toEqual(['ev-000000r1', 'ev-000000r2']);
    expect(timers.live().map((t) => t.ms)).toEqual([45_000]);
    expect(JSON.parse(storage.getItem(KEY)!).entries).toHaveLength(2);

    // The wait is over: everything goes, in order, in one batch.
    now += 35_000;
    limited = false;
    timers.live()[0]!.fn();
    await settle();
    expect(send).toHaveBeenCalledTimes(2);
    expect(send.mock.calls[1]![0].map((e) => e.id)).toEqual(['ev-000000r1', 'ev-000000r2']);
    expect(box.entries()).toEqual([]);
    expect(box.status()).toMatchObject({ failures: 0, lastError: null, retryAt: null });
  });

  it('takes the wait from a socket ack `rate_limited` too, caps an absurd one, and forgets it once the hub answers', async () => {
    const timers = manualTimers();
    let now = 0;
    const answers: (() => EventResult[])[] = [];
    const send: SendBatch = async (events) => {
      const next = answers.shift();
      if (next) return next();
      return events.map(accepted);
    };
    const rateLimited = (retryAfterSeconds: number) => () => {
      throw Object.assign(new Error('rate_limited'), { code: 'rate_limited', retryAfterSeconds });
    };
    answers.push(rateLimited(3), rateLimited(10 ** 9));
    const box = new Outbox(new MemoryStorage(), KEY, { send, ...timers, now: () => now });
    box.add(clockIn('ev-000000s1'));
    await settle();
    // Shorter than the backoff would be after failures: still the hub's word.
    expect(timers.live().map((t) => t.ms)).toEqual([3000]);
    now += 3000;
    timers.live().at(-1)!.fn();
    await settle();
    expect(timers.timers.map((t) => t.ms)).toEqual([3000, MAX_RETRY_AFTER_MS]);
    now += MAX_RETRY_AFTER_MS;
    timers.live().at(-1)!.fn();
    await settle();
    expect(box.entries()).toEqual([]);

    // Delivered: a later failure without a Retry-After backs off as usual, and kick() works again.
    answers.push(() => {
      throw new Error('offline');
    });
    box.add(clockIn('ev-000000s2', 'T2'));
    await settle();
    // The first step of the usual backoff (1 s, jittered down to half).
    expect(timers.timers.at(-1)!.ms).toBeGreaterThanOrEqual(500);
    expect(timers.timers.at(-1)!.ms).toBeLessThanOrEqual(1000);
    box.kick();
    await settle();
    expect(box.entries()).toEqual([]);
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    const now = Date.parse('2026-11-21T10:00:00Z');
    expect(retryAfterSeconds('17', now)).toBe(17);
    expect(retryAfterSeconds(' 0 ', now)).toBe(0);
    expect(retryAfterSeconds('Sat, 21 Nov 2026 10:00:30 GMT', now)).toBe(30);
    expect(retryAfterSeconds('Sat, 21 Nov 2026 09:00:00 GMT', now)).toBe(0);
    expect(retryAfterSeconds(null, now)).toBeNull();
    expect(retryAfterSeconds('soon', now)).toBeNull();
  });

  it('counts "duplicate" as delivered: a batch sent twice is harmless', async () => {
    const box = new Outbox(new MemoryStorage(), KEY, {
      send: async (events) => events.map((e, i) => ({ id: e.id, status: i === 0 ? 'duplicate' : 'accepted' })),
    });
    box.add(clockIn('ev-000000e1'));
    box.add(clockIn('ev-000000e2', 'T2'));
    await box.flush();
    expect(box.entries()).toEqual([]);
  });

  it('keeps a rejected event with the hub’s reason and field until dismissed, and sends the rest', async () => {
    const storage = new MemoryStorage();
    const box = new Outbox(storage, KEY, {
      now: () => 42,
      send: async (events) =>
        events.map((e) =>
          e.id === 'ev-000000f1'
            ? { id: e.id, status: 'rejected', error: { code: 'conflict', message: 'bay B1 is taken by job J2 (沪A12345, in progress)', details: [{ path: 'bayId', message: 'bay B1 is taken' }] } }
            : accepted(e),
        ),
    });
    box.add({ id: 'ev-000000f1', type: 'job.started', at: AT, jobId: 'J1', bayId: 'B1', technicianId: 'T1' });
    box.add(clockIn('ev-000000f2'));
    await box.flush();
    expect(box.pending()).toEqual([]);
    const [r] = box.rejected();
    expect(r?.event.id).toBe('ev-000000f1');
    expect(r?.error).toMatchObject({ code: 'conflict', message: 'bay B1 is taken by job J2 (沪A12345, in progress)', field: 'bayId' });
    expect(r?.rejectedAt).toBe(42);

    // A reload still shows it; it is never sent again.
    const again = new Outbox(storage, KEY, { send: async () => expect.fail('nothing left to send') });
    expect(again.rejected()).toHaveLength(1);
    await again.flush();
    again.dismiss('ev-000000f1');
    expect(again.entries()).toEqual([]);
  });

  it('refuses an event that fails the shared schema, and queues an id only once', () => {
    const box = new Outbox(new MemoryStorage(), KEY, { send: async (events) => events.map(accepted) });
    expect(() => box.add({ ...clockIn('short'), id: 'short' })).toThrow();
    box.add(clockIn('ev-000000g1'));
    box.add(clockIn('ev-000000g1'));
    expect(box.entries()).toHaveLength(1);
  });

  it('moves an unreadable stored entry aside instead of losing it or choking on it', () => {
    const storage = new MemoryStorage();
    const good = { status: 'pending', event: clockIn('ev-000000h1'), queuedAt: 1 };
    storage.setItem(KEY, JSON.stringify({ v: 1, entries: [{ status: 'pending', event: { type: 'nonsense' } }, good] }));
    const spy = vi.spyOn(console, 'error').mockImplementation(() => {});
    const box = new Outbox(storage, KEY, { send: async (events) => events.map(accepted) });
    expect(box.entries()).toEqual([good]);
    expect(storage.getItem(`${KEY}:unreadable`)).toContain('nonsense');
    // Read again: moved once, not copied on every read.
    box.entries();
    expect(storage.getItem(`${KEY}:unreadable`)!.split('\n')).toHaveLength(1);
    spy.mockRestore();
  });

  it('backs off 1, 2, 4 … seconds up to 30 s, half of each step random, and makes ids the hub accepts', () => {
    const attempts = [1, 2, 3, 4, 5, 6, 7, 20];
    expect(attempts.map((n) => defaultBackoff(n, () => 0.999999))).toEqual([1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000]);
    expect(attempts.map((n) => defaultBackoff(n, () => 0))).toEqual([500, 1000, 2000, 4000, 8000, 15000, 15000, 15000]);
    const ids = new Set(Array.from({ length: 200 }, () => newEventId('tap')));
    expect(ids.size).toBe(200);
    for (const id of ids) expect(id).toMatch(/^tap-[A-Za-z0-9_-]{16}$/);
  });
});
