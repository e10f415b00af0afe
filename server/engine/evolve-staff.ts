import type { EventOf } from '../../shared/events.js';
import type { WorkshopContext } from './context.js';
import { reject, type Rejection } from './rejection.js';
import { SHIFT_GAP_MS } from './shift.js';
import { mutate, type Journal, type TechnicianRecord, type WorkshopState } from './state.js';

/**
 * The technician's own events, judged and applied for evolve.ts: shifts and breaks (attendance
 * appended in place, the shift's start and the attendance clock kept as it opens and closes) and
 * moves between teams and bays.
 */

type ShiftEvent = EventOf<'shift.clock_in' | 'shift.clock_out' | 'shift.break_start' | 'shift.break_end'>;

export function shift(s: WorkshopState, ctx: WorkshopContext, e: ShiftEvent, at: number, j: Journal | null): Rejection | null {
  const tech = technician(s, ctx, e.technicianId);
  if (!tech) return unknownTechnician(e.technicianId);
  const t = Math.max(at, tech.lastAt);
  // Appended in place (journaled), never copied: a shift of many breaks stays O(1) per event.
  const closeAttendance = (): void => {
    if (tech.attendingSince !== null) mutate.append(tech.attendance, [tech.attendingSince, t], j);
  };
  const closedMs = tech.attendanceClosedMs + (tech.attendingSince === null ? 0 : t - tech.attendingSince);
  let next: TechnicianRecord;
  switch (e.type) {
    case 'shift.clock_in':
      if (tech.status !== 'off') return reject('illegal_transition', 'technicianId', `technician ${tech.id} is already clocked in`);
      next = { ...tech, status: 'on_shift', attendingSince: t, shiftStartedAt: shiftStartOnOpening(tech, t), lastAt: t };
      break;
    case 'shift.clock_out':
      if (tech.status === 'off') return reject('illegal_transition', 'technicianId', `technician ${tech.id} is not clocked in`);
      closeAttendance();
      next = { ...tech, status: 'off', attendingSince: null, attendanceClosedMs: closedMs, lastAt: t };
      break;
    case 'shift.break_start':
      if (tech.status !== 'on_shift') {
        return reject('illegal_transition', 'technicianId', `technician ${tech.id} is ${tech.status === 'off' ? 'not clocked in' : 'already on a break'}`);
      }
      closeAttendance();
      next = { ...tech, status: 'on_break', attendingSince: null, attendanceClosedMs: closedMs, lastAt: t };
      break;
    case 'shift.break_end':
      if (tech.status !== 'on_break') return reject('illegal_transition', 'technicianId', `technician ${tech.id} is not on a break`);
      next = { ...tech, status: 'on_shift', attendingSince: t, shiftStartedAt: shiftStartOnOpening(tech, t), lastAt: t };
      break;
  }
  mutate.technician(s, next, j);
  return null;
}

export function reassign(s: WorkshopState, ctx: WorkshopContext, e: EventOf<'staff.reassigned'>, j: Journal | null): Rejection | null {
  const tech = technician(s, ctx, e.technicianId);
  if (!tech) return unknownTechnician(e.technicianId);
  if (e.team !== undefined && !ctx.teams.has(e.team)) {
    return reject('unknown_reference', 'team', `unknown team ${e.team} (known: ${[...ctx.teams].join(', ') || 'none'})`);
  }
  if (e.bayId !== undefined && !ctx.bayIds.has(e.bayId)) return reject('unknown_reference', 'bayId', `unknown bay ${e.bayId}`);
  mutate.technician(s, { ...tech, team: e.team ?? tech.team, bayId: e.bayId ?? tech.bayId }, j);
  return null;
}

/** A technician of the config (one removed from it no longer takes events). */
export function technician(s: WorkshopState, ctx: WorkshopContext, id: string): TechnicianRecord | undefined {
  return ctx.technicianIds.has(id) ? s.technicians.get(id) : undefined;
}

export const unknownTechnician = (id: string) => reject('unknown_reference', 'technicianId', `unknown technician ${id}`);

/**
 * The shift start once attendance opens again at `t` (clock-in or end of a break): the same
 * shift when the gap since the last closed attendance is a break's (shift.ts), else a new one.
 */
function shiftStartOnOpening(tech: TechnicianRecord, t: number): number {
  const lastEnd = tech.attendance.at(-1);
  return lastEnd !== undefined && tech.shiftStartedAt !== null && t - lastEnd <= SHIFT_GAP_MS ? tech.shiftStartedAt : t;
}
