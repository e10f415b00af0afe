import { OPEN_STATES, type JobState } from '../../shared/jobs.js';
import type { PitwallEvent } from '../../shared/events.js';

/**
 * The projection of one workshop's log: what the floor looks like after the events applied
 * so far. Records are immutable (replaced, never edited in place) and every change goes
 * through `Journal`, so ingest can try a batch against the live state, read the verdicts and
 * roll it back in the same synchronous step: nobody ever observes an event that is not yet
 * durable.
 */

type Service = Extract<PitwallEvent, { type: 'job.checked_in' }>['service'];
type PauseReason = Extract<PitwallEvent, { type: 'job.paused' }>['reason'];

export interface Pause {
  readonly from: number;
  readonly to: number | null;
  readonly reason: PauseReason;
}

/** A job passed on at a resume: from `at` on, `to` works it (`from` did before). */
export interface Handover {
  readonly at: number;
  readonly from: string;
  readonly to: string;
}

export interface JobRecord {
  readonly id: string;
  readonly plate: string;
  readonly service: Service;
  readonly standardMinutes: number;
  readonly customerWaiting: boolean;
  readonly advisorId: string | null;
  readonly promisedAt: number | null;
  readonly comebackOf: string | null;
  readonly highVoltage: boolean;
  /** A damaged high-voltage battery (implies highVoltage): isolation bay, level-3 technician. */
  readonly damagedBattery: boolean;
  readonly state: JobState;
  readonly checkedInAt: number;
  readonly bayId: string | null;
  readonly technicianId: string | null;
  readonly pauseReason: PauseReason | null;
  readonly pausedAt: number | null;
  readonly startedAt: number | null;
  readonly completedAt: number | null;
  readonly deliveredAt: number | null;
  readonly cancelledAt: number | null;
  /**
   * Closed in-progress intervals as [from, to, from, to, …] (ms), in time order. Paused time is
   * not in them. Append-only and shared by the job's successive records (`mutate.append`,
   * journaled): a job paused ten thousand times costs ten thousand appends, not a copy each.
   */
  readonly workSegments: readonly number[];
  /** Σ of `workSegments`, kept beside them so the time worked costs O(1) however many pauses. */
  readonly workedClosedMs: number;
  /** Every pause with its reason; `to` null while it lasts (the daily layer's "paused too long"). Shared and appended like `workSegments`. */
  readonly pauses: readonly Pause[];
  /**
   * Each change of technician at a resume, in time order. Shared and appended like
   * `workSegments`; usually empty. A segment never straddles one (the job is paused in
   * between), so each segment belongs to whoever held the job when it began (job-work.ts).
   */
  readonly handovers: readonly Handover[];
  /** Start of the open in-progress interval, when the job is running now. */
  readonly runningSince: number | null;
  /**
   * Worked time: the closed segments' time inside the technician's attendance (his breaks and
   * time clocked out are not work), a running sum like `workedClosedMs` (measure.ts).
   */
  readonly attendedClosedMs: number;
  /** The technician's attendance clock when the open interval began (measure.ts `attendanceClock`). */
  readonly runningClock: number | null;
  readonly firstTimeFix: boolean | null;
  readonly surveyed: boolean;
  /** A lead vouched for its implausible worked time (`job.time_confirmed`, outliers.ts): it counts again. */
  readonly timeConfirmed: boolean;
  /**
   * The start time the queue predicted when the car checked in (what the customer was told),
   * kept to measure how good the predictions are once the job has started.
   */
  readonly predictedStartAtCheckIn: number | null;
  /** Time of the job's last change: a later event dated earlier is clamped to it, so durations never go negative. */
  readonly lastAt: number;
}

export type TechnicianStatus = 'off' | 'on_shift' | 'on_break';

export interface TechnicianRecord {
  readonly id: string;
  readonly team: string | null;
  readonly bayId: string | null;
  readonly status: TechnicianStatus;
  /**
   * Closed attendance intervals (clocked in, not on break) as [from, to, …], in time order.
   * Append-only and shared by the technician's successive records (`mutate.append`,
   * journaled), so a shift of many breaks costs one append per break, not a copy.
   */
  readonly attendance: readonly number[];
  readonly attendingSince: number | null;
  /**
   * Σ of `attendance`, kept as it closes (never lowered by compaction): read as a clock, the
   * difference between two readings is the attendance between them, so a job's worked time
   * costs O(1) however many breaks its technician took (measure.ts).
   */
  readonly attendanceClosedMs: number;
  /**
   * When the current (or, off shift, the last) shift began: kept as attendance opens, so the
   * long-shift flag and compaction never walk back through a shift's breaks (engine/shift.ts).
   */
  readonly shiftStartedAt: number | null;
  readonly lastAt: number;
}

export interface Completion {
  readonly jobId: string;
  readonly at: number;
  readonly standardMinutes: number;
  readonly workedMs: number;
  readonly firstTimeFix: boolean;
}

export interface Survey {
  readonly jobId: string;
  readonly at: number;
  readonly score: number;
}

/** What stays of a job compacted away: enough for a comeback to count against its technician and team. */
export interface PastJob {
  readonly lastAt: number;
  readonly technicianId: string | null;
  /** The technician's team when the job last changed (the daily report's rule for a comeback). */
  readonly team: string | null;
}

/**
 * A booking (issue 15): `booked` until a check-in names it or it is cancelled. A no-show is not
 * a state: it is a booked one whose slot passed by the workshop's no-show time (appointments.ts).
 */
export interface AppointmentRecord {
  readonly id: string;
  readonly plate: string;
  readonly service: Service;
  readonly standardMinutes: number;
  readonly slotAt: number;
  readonly advisorId: string;
  readonly customerWaiting: boolean;
  readonly bookedAt: number;
  readonly state: 'booked' | 'checked_in' | 'cancelled';
  readonly jobId: string | null;
  readonly checkedInAt: number | null;
  readonly cancelledAt: number | null;
}

export interface WorkshopState {
  seq: number;
  /**
   * The idempotency keys: each event id with its event's `at` (ms), for the dedupe window only
   * (compaction.ts forgets ids dated before it; an event that old is refused as too_old before
   * its id is looked up, so a forgotten id can never be applied twice).
   */
  readonly eventIds: Map<string, number>;
  readonly jobs: Map<string, JobRecord>;
  /** The jobs still on the floor (waiting, in progress, paused): what forecasts walk, per check-in. */
  readonly openJobs: Map<string, JobRecord>;
  /**
   * Ids of jobs compacted out of `jobs` (finished), with their last change (ms): still valid
   * targets of `comebackOf`, and ids no new check-in may reuse, for PAST_JOB_RETENTION_MS
   * (compaction.ts).
   */
  readonly pastJobIds: Map<string, PastJob>;
  readonly technicians: Map<string, TechnicianRecord>;
  /** Bay → the job holding it (in progress or paused). */
  readonly bayHolders: Map<string, string>;
  readonly completions: Completion[];
  readonly deliveries: number[];
  readonly comebacks: number[];
  readonly surveys: Survey[];
  /** Appointments by id: open ones, and past ones for APPOINTMENT_RETENTION_DAYS after their slot (compaction.ts). */
  readonly appointments: Map<string, AppointmentRecord>;
  /** The same records while `booked` (no-shows included until compaction): what the forecasts and the open cap walk. */
  readonly bookedAppointments: Map<string, AppointmentRecord>;
}

export function createState(technicians: readonly { id: string; team?: string | undefined }[]): WorkshopState {
  const state: WorkshopState = {
    seq: 0,
    eventIds: new Map(),
    jobs: new Map(),
    openJobs: new Map(),
    pastJobIds: new Map(),
    technicians: new Map(),
    bayHolders: new Map(),
    completions: [],
    deliveries: [],
    comebacks: [],
    surveys: [],
    appointments: new Map(),
    bookedAppointments: new Map(),
  };
  for (const t of technicians) state.technicians.set(t.id, newTechnician(t.id, t.team ?? null));
  return state;
}

export function newTechnician(id: string, team: string | null): TechnicianRecord {
  return { id, team, bayId: null, status: 'off', attendance: [], attendingSince: null, attendanceClosedMs: 0, shiftStartedAt: null, lastAt: -Infinity };
}

/**
 * Undo log for a trial run of a batch. `null` where nothing needs undoing (replay, commit).
 */
export class Journal {
  private readonly undo: (() => void)[] = [];

  record(step: () => void): void {
    this.undo.push(step);
  }

  rollback(): void {
    for (let i = this.undo.length - 1; i >= 0; i--) this.undo[i]!();
    this.undo.length = 0;
  }
}

function setEntry<K, V>(map: Map<K, V>, key: K, value: V | undefined, j: Journal | null): void {
  if (j) {
    const had = map.has(key);
    const prev = map.get(key);
    j.record(() => (had ? map.set(key, prev as V) : map.delete(key)));
  }
  if (value === undefined) map.delete(key);
  else map.set(key, value);
}

export const mutate = {
  job(s: WorkshopState, job: JobRecord, j: Journal | null): void {
    setEntry(s.jobs, job.id, job, j);
    setEntry(s.openJobs, job.id, OPEN_STATES.has(job.state) ? job : undefined, j);
  },
  technician(s: WorkshopState, t: TechnicianRecord, j: Journal | null): void {
    setEntry(s.technicians, t.id, t, j);
  },
  bayHolder(s: WorkshopState, bayId: string, jobId: string | undefined, j: Journal | null): void {
    setEntry(s.bayHolders, bayId, jobId, j);
  },
  appointment(s: WorkshopState, a: AppointmentRecord, j: Journal | null): void {
    setEntry(s.appointments, a.id, a, j);
    setEntry(s.bookedAppointments, a.id, a.state === 'booked' ? a : undefined, j);
  },
  push<T>(list: T[], item: T, j: Journal | null): void {
    list.push(item);
    if (j) j.record(() => void list.pop());
  },
  /**
   * Appends to a record's shared, append-only list (attendance, work segments, pauses) in
   * place: O(1) however long the list. The record that owned the shorter list sees the
   * longer one, which is why only the newest record of a job or technician may be read for
   * these lists, and why a rollback pops exactly what was appended.
   */
  append<T>(list: readonly T[], items: readonly T[], j: Journal | null): void {
    const target = list as T[];
    for (const item of items) target.push(item);
    if (j) j.record(() => void (target.length -= items.length));
  },
  /** Replaces the last item of such a list in place (a pause that ends). */
  setLast<T>(list: readonly T[], item: T, j: Journal | null): void {
    const target = list as T[];
    const i = target.length - 1;
    const prev = target[i]!;
    target[i] = item;
    if (j) j.record(() => void (target[i] = prev));
  },
  eventId(s: WorkshopState, id: string, at: number, j: Journal | null): void {
    s.eventIds.set(id, at);
    if (j) j.record(() => void s.eventIds.delete(id));
  },
  seq(s: WorkshopState, j: Journal | null): void {
    s.seq += 1;
    if (j) j.record(() => void (s.seq -= 1));
  },
};
