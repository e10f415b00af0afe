import { gunzipSync, gzipSync } from 'node:zlib';
import type { Logger } from 'pino';
import { dailyReport as dailyReportSchema, type DailyReport } from '../../shared/daily.js';
import type { PitwallEvent } from '../../shared/events.js';
import { DAY_MS, localDate, startOfLocalDate } from '../../shared/time.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { CheckpointRefused, decodeCheckpoint, encodeCheckpoint } from '../engine/checkpoint.js';
import { dailyReportOf } from '../engine/daily.js';
import { dayWindow, type DayWindow } from '../engine/daily-window.js';
import { FUTURE_TOLERANCE_MS, Projection } from '../engine/projection.js';
import type { EventStore } from '../store/event-store.js';
import { readHistory } from './log-history.js';

/**
 * The daily report of any day at the cost of about a week of events, however long the log
 * (docs/architecture.md, "Past days"). The report of day D is, by definition (engine/daily.ts),
 * the projection of every event dated before D's end. It is rebuilt here from a *day
 * checkpoint* (the live projection saved at the first tick of each local day) taken more than a
 * week before D, plus the events after it dated before D's end: the checkpoint holds only events
 * dated before it, so the two together are exactly the events of the definition, in log order.
 *
 * A day is *final* once no event dated inside it can be accepted any more (its end is older
 * than the too_old window): its report is then saved as a blob and read back ever after. Until
 * then it is kept in memory with the log position it covers, and recomputed only when an event
 * dated before the day's end has arrived since.
 */

/** Blob of a final report; raise the version when the report's definition changes. */
const REPORT_VERSION = 1;
const reportBlob = (date: string) => `report-${date}`;
const dayCheckpointBlob = (date: string) => `day-${date}`;
/** A report's week must be in the replayed tail: its checkpoint must be older than this before the day's start. */
const CHECKPOINT_LEAD_MS = 8 * DAY_MS;
/** How many older day checkpoints a report tries before replaying from the log's start. */
const CHECKPOINT_TRIES = 7;

export interface DayReportsDeps {
  config: WorkshopConfig;
  store: EventStore;
  logger: Logger;
  /** The too_old window (engine/projection.ts): a day older than it can no longer change. */
  maxEventAgeMs: number;
  /** PITWALL_ARCHIVE_DIR: the log's part the archiver moved out of the store. */
  archiveDir?: string;
}

export class DayReports {
  private readonly recent = new Map<string, { seq: number; report: DailyReport }>();
  private checkpointedDay: string | null = null;

  /** Also where the first replay reads the log from and how long a day may change (first-replay.ts). */
  constructor(readonly deps: DayReportsDeps) {}

  /** The report of `date` as of `now` (the day so far for today); `live` is the settled projection. */
  async report(date: string, live: Projection, now: number): Promise<DailyReport> {
    const { config } = this.deps;
    const day = dayWindow(date, config.timezone, now);
    const final = this.isFinal(day, now);
    if (final) {
      const saved = await this.loadFinal(date);
      if (saved) return saved;
    }
    const cached = this.recent.get(date);
    if (cached && day.until < now && (await this.unchangedSince(cached.seq, live.seq, day))) {
      cached.seq = live.seq;
      return cached.report;
    }
    const { report, seq } = await this.build(date, day);
    if (final) await this.saveFinal(date, report);
    else if (day.until < now) this.recent.set(date, { seq, report });
    return report;
  }

  /** Whether `date`'s report can no longer change at `now` (no event dated inside it is accepted any more). */
  final(date: string, now: number): boolean {
    return this.isFinal(dayWindow(date, this.deps.config.timezone, now), now);
  }

  async saveFinal(date: string, report: DailyReport): Promise<void> {
    // Gzipped: a year of reports is a few MB in Redis, not tens.
    await this.deps.store.blobs.save(this.deps.config.id, reportBlob(date), gzipSync(JSON.stringify({ v: REPORT_VERSION, report })));
  }

  /** Saves `p` (settled, holding only events dated before it) as the day checkpoint of `date`; encoded before the first await. */
  async saveDayCheckpoint(date: string, p: Projection): Promise<void> {
    const bytes = encodeCheckpoint({ workshopId: this.deps.config.id, seq: p.seq, data: p.toDayData() });
    await this.deps.store.blobs.save(this.deps.config.id, dayCheckpointBlob(date), bytes);
  }

  /** How far back day checkpoints are kept (`atTick`): the first replay writes those (first-replay.ts). */
  get dayCheckpointsReachMs(): number {
    return this.deps.maxEventAgeMs + CHECKPOINT_LEAD_MS + (CHECKPOINT_TRIES + 1) * DAY_MS;
  }

  /**
   * The tick's part: at the first tick of a local day, the day checkpoint; then the report of the
   * day that has just become final is saved, and what no report needs any more is dropped.
   */
  async atTick(settled: () => Promise<Projection>, now: number): Promise<void> {
    const { config, store } = this.deps;
    const today = localDate(now, config.timezone);
    if (this.checkpointedDay === today) return;
    // Encoded as soon as `settled` resolves, before any other await: no batch is half-applied in it.
    if ((await store.blobs.load(config.id, dayCheckpointBlob(today))) === null) await this.saveDayCheckpoint(today, await settled());
    this.checkpointedDay = today;
    for (const date of this.recent.keys()) if (this.isFinal(dayWindow(date, config.timezone, now), now)) this.recent.delete(date);
    // Non-final days reach back the too_old window; their checkpoints a week further.
    const keepFrom = now - this.dayCheckpointsReachMs;
    for (let d = 1; d <= 10; d++) await store.blobs.remove(config.id, dayCheckpointBlob(localDate(keepFrom - d * DAY_MS, config.timezone)));
    const lastFinal = localDate(now - this.deps.maxEventAgeMs - FUTURE_TOLERANCE_MS - DAY_MS, config.timezone);
    const live = await settled();
    // Nothing to save for a day before the shop's first event.
    const firstAt = live.arrivals.firstAt;
    if (firstAt === null || firstAt >= startOfLocalDate(lastFinal, config.timezone) + DAY_MS) return;
    // Read back when saved already; built and saved when not.
    await this.report(lastFinal, live, now);
  }

  private isFinal(day: DayWindow, now: number): boolean {
    const dayEnd = day.until;
    return dayEnd < now && dayEnd + FUTURE_TOLERANCE_MS < now - this.deps.maxEventAgeMs;
  }

  private async loadFinal(date: string): Promise<DailyReport | null> {
    const bytes = await this.deps.store.blobs.load(this.deps.config.id, reportBlob(date));
    if (bytes === null) return null;
    try {
      const saved = JSON.parse(gunzipSync(bytes).toString('utf8')) as { v?: unknown; report?: unknown };
      if (saved.v === REPORT_VERSION) return dailyReportSchema.parse(saved.report);
    } catch (err) {
      this.deps.logger.warn({ workshopId: this.deps.config.id, date, err: (err as Error).message }, 'saved daily report unreadable; rebuilding it');
    }
    return null;
  }

  /** True when no event dated inside the report arrived between the two log positions. */
  private async unchangedSince(fromSeq: number, toSeq: number, day: DayWindow): Promise<boolean> {
    let unchanged = true;
    await this.readLog(fromSeq, (e) => {
      if (day.before(Date.parse(e.event.at)) && e.seq <= toSeq) unchanged = false;
    });
    return unchanged;
  }

  /** The report rebuilt from the newest usable day checkpoint before its week, and the log after it. */
  private async build(date: string, day: DayWindow): Promise<{ report: DailyReport; seq: number }> {
    const { config } = this.deps;
    const p = new Projection(config);
    const from = await this.checkpointFor(day, p);
    const tail: PitwallEvent[] = [];
    const seq = await this.readLog(from, (e) => {
      if (day.before(Date.parse(e.event.at))) tail.push(e.event);
    });
    p.apply(tail);
    return { report: dailyReportOf(p, tail, config, date, day), seq };
  }

  /** Restores into `p` the newest day checkpoint that holds only events dated before the report's week; its seq (0: none). */
  private async checkpointFor(day: DayWindow, p: Projection): Promise<number> {
    const { config, store, logger } = this.deps;
    const before = day.dayStart - CHECKPOINT_LEAD_MS;
    for (let i = 0; i < CHECKPOINT_TRIES; i++) {
      const date = localDate(before - i * DAY_MS, config.timezone);
      const bytes = await store.blobs.load(config.id, dayCheckpointBlob(date));
      if (bytes === null) continue;
      try {
        const c = decodeCheckpoint(bytes, config.id);
        if (c.data.latestAt >= day.dayStart - 7 * DAY_MS) continue;
        p.restore(c.data);
        return c.seq;
      } catch (err) {
        if (!(err instanceof CheckpointRefused)) throw err;
        logger.warn({ workshopId: config.id, date, reason: err.message }, 'day checkpoint ignored');
      }
    }
    return 0;
  }

  /** Reads the log after `afterSeq` to its end (from the archive where the store no longer has it); the last seq read. */
  private async readLog(afterSeq: number, each: (e: { seq: number; event: PitwallEvent }) => void): Promise<number> {
    return readHistory(this.deps.store, this.deps.archiveDir, this.deps.config.id, afterSeq, (page) => page.forEach(each));
  }

}
