import { z } from 'zod';
import { errorDetail, pitwallEvent, type EventResult, type PitwallEvent } from '../../../../shared/events.js';
import { retryAfterMsOf } from '../../lib/retry-after.js';

/**
 * The terminal's outbox: every tap becomes an event (its `id` and `at` fixed when tapped) that
 * is written to local storage before anything is sent, then sent in order whenever the hub
 * answers. The event id is the hub's idempotency key, so sending a batch twice is harmless:
 * `duplicate` means "already delivered". A `rejected` event stays, with the hub's reason,
 * until the user dismisses it; nothing leaves the outbox unseen.
 *
 * State lives in storage, not in this object: every read and write goes through it, so a page
 * reload (a new Outbox over the same storage) or a second tab sees the same queue.
 */

export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** What the hub said about a rejected event, kept to show the user as it is. */
export const rejection = z.object({
  code: z.string(),
  message: z.string(),
  /** The field the hub named (`details[0].path`), when it named one. */
  field: z.string().nullable(),
  details: z.array(errorDetail).optional(),
});
export type Rejection = z.infer<typeof rejection>;

export const outboxEntry = z.discriminatedUnion('status', [
  z.object({ status: z.literal('pending'), event: pitwallEvent, queuedAt: z.number() }),
  z.object({ status: z.literal('rejected'), event: pitwallEvent, queuedAt: z.number(), rejectedAt: z.number(), error: rejection }),
]);
export type OutboxEntry = z.infer<typeof outboxEntry>;

const stored = z.object({ v: z.literal(1), entries: z.array(z.unknown()) });

/**
 * Sends one batch, in order; resolves with one result per event (the hub's answer) or throws
 * (no answer: retry later). An error carrying `retryAfterSeconds` (HTTP 429 with Retry-After,
 * a socket ack `rate_limited`) is the hub asking to wait that long (lib/retry-after.ts).
 */
export type SendBatch = (events: PitwallEvent[]) => Promise<EventResult[]>;

export interface OutboxOptions {
  send: SendBatch;
  now?: () => number;
  /** Delay before the n-th retry (n ≥ 1) after a failed send. */
  backoff?: (attempt: number) => number;
  /** Events per request: small enough that one slow request does not hold the rest for long. */
  batchSize?: number;
  setTimer?: (fn: () => void, ms: number) => unknown;
  clearTimer?: (timer: unknown) => void;
  /** Called after every change of the queue or of the sending state. */
  onChange?: () => void;
  /** The events the hub has just confirmed (accepted or duplicate), in order. */
  onDelivered?: (events: PitwallEvent[]) => void;
}

export interface OutboxStatus {
  sending: boolean;
  /** Failed sends in a row since the last answer from the hub. */
  failures: number;
  /** Why the last send failed (no network, 503, …); null once the hub answered. */
  lastError: string | null;
  /** When the next attempt is due (ms, the `now` clock), while one is scheduled. */
  retryAt: number | null;
}

export const OUTBOX_MAX_BACKOFF_MS = 30_000;

/**
 * 1 s, 2 s, 4 s … up to 30 s: quick after a blip, gentle on a hub that is down for long; with
 * "equal jitter" (half the step fixed, half random), so the tablets of a shop that all lost the
 * hub at the same moment do not all come back at the same moments and hit it in one burst.
 */
export function defaultBackoff(attempt: number, random: () => number = Math.random): number {
  const step = Math.min(OUTBOX_MAX_BACKOFF_MS, 1000 * 2 ** Math.max(0, attempt - 1));
  return Math.round(step / 2 + random() * (step / 2));
}

export const outboxKey = (workshopId: string) => `pitwall:outbox:${workshopId}`;

export class Outbox {
  private readonly send: SendBatch;
  private readonly now: () => number;
  private readonly backoff: (attempt: number) => number;
  private readonly batchSize: number;
  private readonly setTimer: (fn: () => void, ms: number) => unknown;
  private readonly clearTimer: (timer: unknown) => void;
  private readonly onChange: () => void;
  private readonly onDelivered: (events: PitwallEvent[]) => void;
  private timer: unknown = null;
  private inFlight: Promise<void> | null = null;
  private stopped = false;
  private readonly state: OutboxStatus = { sending: false, failures: 0, lastError: null, retryAt: null };
  /** The hub refused for its rate limit and asked to wait until then (ms, the `now` clock); null otherwise. */
  private heldUntil: number | null = null;

  constructor(
    private readonly storage: KeyValueStorage,
    private readonly key: string,
    options: OutboxOptions,
  ) {
    this.send = options.send;
    this.now = options.now ?? Date.now;
    this.backoff = options.backoff ?? ((attempt) => defaultBackoff(attempt));
    this.batchSize = options.batchSize ?? 100;
    this.setTimer = options.setTimer ?? ((fn, ms) => setTimeout(fn, ms));
    this.clearTimer = options.clearTimer ?? ((t) => clearTimeout(t as ReturnType<typeof setTimeout>));
    this.onChange = options.onChange ?? (() => {});
    this.onDelivered = options.onDelivered ?? (() => {});
  }

  /** Every entry, oldest first, as storage holds them now. */
  entries(): OutboxEntry[] {
    return this.read();
  }

  pending(): Extract<OutboxEntry, { status: 'pending' }>[] {
    return this.read().filter((e) => e.status === 'pending');
  }

  rejected(): Extract<OutboxEntry, { status: 'rejected' }>[] {
    return this.read().filter((e) => e.status === 'rejected');
  }

  status(): Readonly<OutboxStatus> {
    return { ...this.state };
  }

  /**
   * Queues an event (validated against the shared schema first: a malformed event would only
   * come back rejected) and tries to send it at once. Throws when the event is invalid or the
   * storage refuses the write: the caller must tell the user, the tap was not recorded.
   */
  add(event: PitwallEvent): void {
    const valid = pitwallEvent.parse(event);
    const entries = this.read();
    if (entries.some((e) => e.event.id === valid.id)) return;
    this.write([...entries, { status: 'pending', event: valid, queuedAt: this.now() }]);
    this.onChange();
    this.kick();
  }

  /** The user has read a rejection: it leaves the outbox. Pending events cannot be dismissed. */
  dismiss(eventId: string): void {
    const entries = this.read();
    const next = entries.filter((e) => !(e.status === 'rejected' && e.event.id === eventId));
    if (next.length === entries.length) return;
    this.write(next);
    this.onChange();
  }

  /**
   * Try now (the hub is back, a new event): forgets the backoff, but not a wait the hub asked
   * for (its rate limit): sending before it ends would only be refused again.
   */
  kick(): void {
    if (this.stopped) return;
    if (this.heldUntil !== null && this.now() < this.heldUntil) return;
    this.cancelTimer();
    this.state.failures = 0;
    void this.flush();
  }

  /**
   * Sends everything pending, in order, a batch at a time; single-flight (a call while a
   * flush runs waits for it and then sends what was added meanwhile). A failed request keeps
   * every event and schedules a retry with backoff.
   */
  async flush(): Promise<void> {
    if (this.inFlight) {
      await this.inFlight;
      if (this.pending().length && !this.timer && !this.stopped) return this.flush();
      return;
    }
    this.inFlight = this.drain().finally(() => {
      this.inFlight = null;
    });
    return this.inFlight;
  }

  stop(): void {
    this.stopped = true;
    this.cancelTimer();
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const batch = this.pending().slice(0, this.batchSize).map((e) => e.event);
      if (!batch.length) break;
      this.state.sending = true;
      this.onChange();
      let results: EventResult[];
      try {
        results = await this.send(batch);
        if (results.length !== batch.length) throw new Error(`the hub answered ${results.length} results for ${batch.length} events`);
      } catch (err) {
        this.state.sending = false;
        this.state.failures += 1;
        this.state.lastError = err instanceof Error ? err.message : String(err);
        // The hub's own word on when to come back beats our guess, shorter or longer.
        const asked = retryAfterMsOf(err);
        this.heldUntil = asked === null ? null : this.now() + asked;
        this.schedule(asked ?? this.backoff(this.state.failures));
        this.onChange();
        return;
      }
      this.heldUntil = null;
      this.state.failures = 0;
      this.state.lastError = null;
      this.settle(batch, results);
    }
    this.state.sending = false;
    this.onChange();
  }

  /** Delivered (accepted or duplicate) events leave; rejected ones stay with the hub's reason. */
  private settle(batch: PitwallEvent[], results: EventResult[]): void {
    const outcome = new Map<string, EventResult>();
    batch.forEach((event, i) => outcome.set(event.id, results[i]!));
    const at = this.now();
    const next: OutboxEntry[] = [];
    const delivered: PitwallEvent[] = [];
    for (const entry of this.read()) {
      const r = entry.status === 'pending' ? outcome.get(entry.event.id) : undefined;
      if (!r) next.push(entry);
      else if (r.status !== 'rejected') delivered.push(entry.event);
      else if (r.status === 'rejected') {
        const details = r.error?.details;
        next.push({
          status: 'rejected',
          event: entry.event,
          queuedAt: entry.queuedAt,
          rejectedAt: at,
          error: {
            code: r.error?.code ?? 'rejected',
            message: r.error?.message ?? 'rejected by the hub',
            field: details?.[0]?.path ?? null,
            ...(details && { details }),
          },
        });
      }
      // accepted and duplicate: delivered, gone.
    }
    this.write(next);
    if (delivered.length) this.onDelivered(delivered);
    this.onChange();
  }

  private schedule(ms: number): void {
    this.cancelTimer();
    if (this.stopped) return;
    this.state.retryAt = this.now() + ms;
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.state.retryAt = null;
      void this.flush();
    }, ms);
  }

  private cancelTimer(): void {
    if (this.timer !== null) this.clearTimer(this.timer);
    this.timer = null;
    this.state.retryAt = null;
  }

  private read(): OutboxEntry[] {
    const raw = this.storage.getItem(this.key);
    if (raw === null) return [];
    let parsed: z.infer<typeof stored>;
    try {
      parsed = stored.parse(JSON.parse(raw));
    } catch (err) {
      this.quarantine(raw, err);
      return [];
    }
    const entries: OutboxEntry[] = [];
    let unreadable = 0;
    for (const item of parsed.entries) {
      const e = outboxEntry.safeParse(item);
      if (e.success) entries.push(e.data);
      else {
        unreadable += 1;
        this.quarantine(JSON.stringify(item), e.error);
      }
    }
    // Moved aside once: the queue keeps only what can still be sent.
    if (unreadable) this.write(entries);
    return entries;
  }

  private write(entries: OutboxEntry[]): void {
    this.storage.setItem(this.key, JSON.stringify({ v: 1, entries }));
  }

  /**
   * A stored entry this version cannot read (a damaged write, an older app) is moved aside,
   * never silently dropped: someone can still recover it from the device.
   */
  private quarantine(raw: string, err: unknown): void {
    const key = `${this.key}:unreadable`;
    const previous = this.storage.getItem(key);
    this.storage.setItem(key, previous ? `${previous}\n${raw}` : raw);
    console.error('outbox: moved an unreadable entry aside', err);
    if (this.storage.getItem(this.key) === raw) this.storage.removeItem(this.key);
  }
}

/**
 * A fresh event id (8–64 of A–Z a–z 0–9 _ -). getRandomValues, not randomUUID: tablets on a
 * shop LAN often load the page over plain http, where randomUUID does not exist.
 */
export function newEventId(prefix = 'ev'): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  let out = '';
  for (const b of bytes) out += alphabet[b & 63];
  return `${prefix}-${out}`;
}
