import type { Logger } from 'pino';
import type { EventResult, EventStatus, PitwallEvent } from '../../shared/events.js';
import { toIso } from '../../shared/time.js';
import type { Projection, Parsed, Verdict } from '../engine/projection.js';
import { fail } from '../errors.js';
import { StoreOutcomeUnknownError, type AppendOutcome, type EventStore } from '../store/event-store.js';
import { UnsureLog } from './unsure-log.js';

/**
 * The one write path of a workshop, and the reads' view of it: judge → append → apply, one
 * batch at a time (docs/architecture.md, "One event, end to end", steps 3–5).
 *
 * Accepted means durable: a batch is judged and applied provisionally (Projection.begin), the
 * accepted events are appended (the store's version check makes the hub's view and the log
 * agree), and only then committed and answered; a batch the store did not take is rolled back.
 * Readers wait for a provisional batch (`settled`), so nobody sees an event that is not durable.
 */

/** Page size when replaying or catching up from the store. */
export const READ_PAGE = 5000;
/** Attempts at an append that keeps losing the version race to other hubs before answering 503. */
const MAX_APPEND_ATTEMPTS = 5;
/** The most events one group commit takes (a Redis script call's arguments stay modest). */
const MAX_GROUP_EVENTS = 2000;
export interface CommitQueueDeps {
  workshopId: string;
  projection: Projection;
  store: EventStore;
  logger: Logger;
  clock: () => number;
  /** The projection changed (a batch committed, a catch-up found events, a resync came back). */
  onChanged(): void;
  /** A batch is in the log up to `seq`: the other hubs should hear of it. */
  onAppended(seq: number): void;
}

type Waiting = { parsed: readonly Parsed[]; resolve: (r: EventResult[]) => void; reject: (err: unknown) => void };

export class CommitQueue {
  readonly projection: Projection;
  /** Tail of the queue: judge → append → apply never interleave within this hub. */
  private tail: Promise<void> = Promise.resolve();
  /** Requests waiting for the workshop's turn; the next turn takes them together (group commit). */
  private waiting: Waiting[] = [];
  private turnQueued = false;
  /** A turn of the queue is running (judge → append → apply). */
  private committing = false;
  /** Set while a batch is applied provisionally and on its way to the store: readers wait for it. */
  private provisional: Promise<void> | null = null;
  /** A change to announce once the batches on their way in are in (`changedWhenIdle`). */
  private changePending = false;
  /** Set after an append of unknown outcome, until the log has been read to its end. */
  private readonly doubt: UnsureLog;

  constructor(private readonly deps: CommitQueueDeps) {
    this.projection = deps.projection;
    this.doubt = new UnsureLog({
      workshopId: deps.workshopId,
      logger: deps.logger,
      catchUpInTurn: () =>
        this.serialised(async () => {
          if (this.doubt.unsure) await this.catchUp();
        }),
      // Boards went without fresh snapshots while the store was away: one now, found events or not.
      onResynced: () => deps.onChanged(),
    });
  }

  /**
   * Group commit: requests that arrive while the workshop's previous append is on its way to
   * disk (or Redis) wait, and the next turn judges, appends and applies all of them at once,
   * in arrival order: one fsync or one script call for many terminals. Each request still gets
   * exactly its own results, and a store failure fails every request of that turn.
   */
  submit(parsed: readonly Parsed[]): Promise<EventResult[]> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ parsed, resolve, reject });
      if (this.turnQueued) return;
      this.turnQueued = true;
      void this.serialised(async () => {
        this.turnQueued = false;
        this.committing = true;
        try {
          await this.turn();
        } finally {
          this.committing = false;
          if (this.changePending) {
            this.changePending = false;
            this.deps.onChanged();
          }
        }
      });
    });
  }

  /**
   * Something outside the log changed the board (a terminal's contact): say so now, or, while
   * events are on their way in (the terminal that sent them), once they are in, in the same
   * snapshot rather than one before them that would hold them back for a coalescing window.
   */
  changedWhenIdle(): void {
    if (this.committing || this.turnQueued || this.waiting.length > 0) this.changePending = true;
    else this.deps.onChanged();
  }

  /**
   * The workshop's projection with no provisional batch in it: what every reader sees. After an
   * append of unknown outcome it first reads the log, so what that append wrote shows; while the
   * store does not answer, the last state the hub knows is served (as in any outage).
   */
  async settled(): Promise<Projection> {
    if (this.doubt.unsure) await this.doubt.resync();
    while (this.provisional) await this.provisional;
    return this.projection;
  }

  /**
   * Catches up with the log when another hub appended to it (`knownSeq` when the other hub said
   * how far; otherwise the store is asked, if others can write it). False when the store could
   * not be reached.
   */
  async refresh(knownSeq?: number): Promise<boolean> {
    const { workshopId, store } = this.deps;
    if (knownSeq !== undefined && knownSeq <= this.projection.seq) return true;
    // A log nobody else writes cannot have moved behind this hub's back (the heartbeat's question).
    if (knownSeq === undefined && !store.sharedLog) return true;
    try {
      await this.serialised(async () => {
        if (knownSeq === undefined && (await store.length(workshopId)) <= this.projection.seq) return;
        await this.catchUp();
      });
      return true;
    } catch (err) {
      this.deps.logger.warn({ err, workshopId }, 'could not catch up with the log');
      return false;
    }
  }

  /** Applies whatever the log holds beyond the projection (replay at start, catch-up later). */
  async catchUp(): Promise<void> {
    const p = this.projection;
    const before = p.seq;
    for (;;) {
      const page = await this.deps.store.read(this.deps.workshopId, p.seq, READ_PAGE);
      p.apply(page.map((s): PitwallEvent => s.event));
      if (page.length < READ_PAGE) break;
      // A long replay (no checkpoint yet: an upgrade, a damaged one) keeps memory at what the
      // windows need as it goes, not at the whole log until the first tick.
      p.compact(this.deps.clock());
    }
    // Read to the end: nothing an earlier append wrote can be missing now (one connection, or
    // one process, serves the store's commands in the order they were sent).
    this.doubt.unsure = false;
    if (p.seq !== before) this.deps.onChanged();
  }

  /** Waits for the batches in flight; a resync waiting to retry is dropped. */
  async close(): Promise<void> {
    this.doubt.close();
    await this.tail;
  }

  /** One turn of the queue: every request waiting now, in groups of at most MAX_GROUP_EVENTS. */
  private async turn(): Promise<void> {
    while (this.waiting.length > 0) {
      const group: Waiting[] = [];
      let events = 0;
      while (this.waiting.length > 0 && (group.length === 0 || events + this.waiting[0]!.parsed.length <= MAX_GROUP_EVENTS)) {
        const next = this.waiting.shift()!;
        group.push(next);
        events += next.parsed.length;
      }
      try {
        const results = await this.commit(group.flatMap((g) => g.parsed));
        let at = 0;
        for (const g of group) {
          g.resolve(results.slice(at, at + g.parsed.length));
          at += g.parsed.length;
        }
      } catch (err) {
        for (const g of group) g.reject(err);
      }
    }
  }

  private serialised<T>(task: () => Promise<T>): Promise<T> {
    const run = this.tail.then(task);
    this.tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  }

  /**
   * One pass over the batch: judged and applied provisionally (Projection.begin), appended,
   * then committed, or rolled back if the store did not take it. While the batch is
   * provisional the projection's readers wait (`settled`).
   */
  private async commit(parsed: readonly Parsed[]): Promise<EventResult[]> {
    const { workshopId, store } = this.deps;
    const p = this.projection;
    for (let attempt = 0; attempt < MAX_APPEND_ATTEMPTS; attempt++) {
      const now = this.deps.clock();
      // Never judge a batch against a state that may lack what an unconfirmed append wrote; when
      // the log cannot be read this batch fails as "nothing was changed", which is true of it.
      if (this.doubt.unsure) await this.catchUp();
      const release = this.holdReaders();
      try {
        let trial = p.begin(parsed, now);
        if (trial.verdicts.some((v) => v.status === 'rejected') && (await store.length(workshopId)) > trial.baseSeq) {
          // A rejection judged on a projection that another hub has moved past may be wrong (the
          // check-in it names may be in the log already): catch up and judge again before saying no.
          trial.rollback();
          await this.catchUp();
          trial = p.begin(parsed, now);
        }
        if (trial.accepted.length === 0) {
          trial.rollback();
          return trial.verdicts.map(toResult);
        }

        let outcome: AppendOutcome;
        try {
          outcome = await store.append(workshopId, trial.accepted, trial.baseSeq, toIso(now));
        } catch (err) {
          trial.rollback();
          if (err instanceof StoreOutcomeUnknownError) this.doubt.mark();
          throw err;
        }
        if (!outcome.ok) {
          // Another hub wrote first: read what it wrote and judge the batch again on top of it.
          trial.rollback();
          await this.catchUp();
          continue;
        }
        if (outcome.duplicates.some(Boolean)) {
          // The log knew ids this hub had not seen yet: take the log's word for all of them.
          trial.rollback();
          const known = new Set(trial.accepted.filter((_, i) => outcome.duplicates[i]).map((e) => e.id));
          // The rest of the batch is written: if the log cannot be read back now, the answer
          // still says so, and the projection catches up as soon as the store answers.
          await this.catchUp().catch(() => this.doubt.mark());
          return trial.verdicts.map((v) => (v.status === 'accepted' && known.has(v.event.id) ? { id: v.event.id, status: 'duplicate' as const } : toResult(v)));
        }
        trial.commit();
        if (p.seq !== outcome.seq) {
          this.deps.logger.warn({ workshopId, projection: p.seq, store: outcome.seq }, 'projection and log disagree after an append; catching up from the log');
          await this.catchUp().catch(() => this.doubt.mark());
        }
        this.deps.onChanged();
        this.deps.onAppended(p.seq);
        return trial.verdicts.map(toResult);
      } finally {
        release();
      }
    }
    throw fail.unavailable(`workshop ${workshopId}: the log kept moving under this hub (${MAX_APPEND_ATTEMPTS} attempts); retry`);
  }

  /** Readers of the projection wait from here until the returned release (a batch is provisional). */
  private holdReaders(): () => void {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    this.provisional = held;
    return () => {
      if (this.provisional === held) this.provisional = null;
      release();
    };
  }
}

function toResult(v: Verdict): EventResult {
  const status: EventStatus = v.status;
  switch (v.status) {
    case 'accepted':
      return { id: v.event.id, status };
    case 'duplicate':
      return { id: v.id, status };
    case 'rejected':
      return v.result;
  }
}
