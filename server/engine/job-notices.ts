import type { CustomerJobView } from '../../shared/customer-view.js';
import type { JobWebhookEvent } from '../../shared/webhooks.js';

/**
 * Which job notifications are due (docs/api.md, "Webhooks"), from what the customers see of
 * their cars: pure, over the memory of the previous look, the views now and `now`.
 *
 * - `job.turn_soon`: a waiting car whose predicted start (the range's earliest, so the customer
 *   is early rather than late) is `turnSoonMinutes` away or less; once per job, and never once
 *   the car is on a bay (a turn that came is no longer "soon").
 * - `job.ready`: ready for pick-up; once per job.
 * - `job.promise_at_risk`: the forecast says the promise will be missed; once per episode: again
 *   only after the job recovered and fell at risk again. The episode number is in the key, so
 *   each episode is its own message (and its own webhook-id).
 */

export interface JobNotice {
  type: JobWebhookEvent;
  jobId: string;
  /** Unique per notice of a workshop, the same on every hub that sees it: `type:jobId[:episode]`. */
  key: string;
  view: CustomerJobView;
}

/** What the detector remembers of one open job between looks. */
export interface JobMemory {
  readonly turnSoonDone: boolean;
  readonly readyDone: boolean;
  readonly atRisk: boolean;
  readonly riskEpisodes: number;
}

/** Job id → memory; only jobs in the last look are kept, so it is bounded by the open jobs. */
export type NoticeMemory = ReadonlyMap<string, JobMemory>;

export interface NoticeSettings {
  turnSoonMinutes: number;
}

const FRESH: JobMemory = { turnSoonDone: false, readyDone: false, atRisk: false, riskEpisodes: 0 };
const PAST_WAITING = new Set<CustomerJobView['state']>(['in_progress', 'waiting_for_parts', 'paused', 'ready', 'delivered', 'cancelled']);
const CLOSED = new Set<CustomerJobView['state']>(['ready', 'delivered', 'cancelled']);

export function detectJobNotices(
  previous: NoticeMemory,
  current: ReadonlyMap<string, CustomerJobView>,
  now: number,
  settings: NoticeSettings,
): { notices: JobNotice[]; memory: NoticeMemory } {
  const notices: JobNotice[] = [];
  const memory = new Map<string, JobMemory>();
  const soonMs = settings.turnSoonMinutes * 60_000;
  for (const jobId of [...current.keys()].sort()) {
    const view = current.get(jobId)!;
    const before = previous.get(jobId) ?? FRESH;
    const notice = (type: JobWebhookEvent, key: string) => notices.push({ type, jobId, key, view });

    const soon = view.state === 'waiting' && view.predictedStart !== null && Date.parse(view.predictedStart.earliest) - now <= soonMs;
    if (soon && !before.turnSoonDone) notice('job.turn_soon', `job.turn_soon:${jobId}`);

    const ready = view.state === 'ready';
    if (ready && !before.readyDone) notice('job.ready', `job.ready:${jobId}`);

    const atRisk = view.promiseAtRisk && !CLOSED.has(view.state);
    const riskEpisodes = atRisk && !before.atRisk ? before.riskEpisodes + 1 : before.riskEpisodes;
    if (riskEpisodes > before.riskEpisodes) notice('job.promise_at_risk', `job.promise_at_risk:${jobId}:${riskEpisodes}`);

    memory.set(jobId, {
      turnSoonDone: before.turnSoonDone || soon || PAST_WAITING.has(view.state),
      readyDone: before.readyDone || ready || view.state === 'delivered',
      atRisk,
      riskEpisodes,
    });
  }
  return { notices, memory };
}
