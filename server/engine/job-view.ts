import type { JobView } from '../../shared/jobs.js';
import { MINUTE_MS, toIso } from '../../shared/time.js';
import { attendedWorkMs, minutes } from './measure.js';
import type { JobRecord, WorkshopState } from './state.js';

/** A job as the API shows it (docs/api.md, "Jobs"): times as ISO strings, worked minutes at `now`, its predicted start while it waits. */
export function jobView(j: JobRecord, technicians: WorkshopState['technicians'], now: number, predicted: Map<string, number | null>): JobView {
  const iso = (t: number | null) => (t === null ? null : toIso(t));
  const view: JobView = {
    jobId: j.id,
    plate: j.plate,
    service: j.service,
    state: j.state,
    standardMinutes: j.standardMinutes,
    customerWaiting: j.customerWaiting,
    advisorId: j.advisorId,
    comebackOf: j.comebackOf,
    highVoltage: j.highVoltage,
    damagedBattery: j.damagedBattery,
    bayId: j.bayId,
    technicianId: j.technicianId,
    pauseReason: j.pauseReason,
    checkedInAt: toIso(j.checkedInAt),
    promisedAt: iso(j.promisedAt),
    startedAt: iso(j.startedAt),
    completedAt: iso(j.completedAt),
    deliveredAt: iso(j.deliveredAt),
    cancelledAt: iso(j.cancelledAt),
    workedMin: minutes(attendedWorkMs(j, technicians, now) / MINUTE_MS),
    firstTimeFix: j.firstTimeFix,
    surveyed: j.surveyed,
  };
  if (j.state === 'waiting') view.predictedStartAt = iso(predicted.get(j.id) ?? null);
  return view;
}
