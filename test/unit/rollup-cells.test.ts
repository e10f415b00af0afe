import { deserialize, serialize } from 'node:v8';
import { describe, expect, it } from 'vitest';
import { cell, JobCells, type JobAttribution } from '../../server/engine/rollup-cells.js';
import type { JobRecord } from '../../server/engine/state.js';

/**
 * Job attributions (server/engine/rollup-cells.ts) are shared per distinct combination: a busy
 * workshop's 90 days of jobs point at a few hundred objects, restored from a checkpoint too.
 */
const job = (id: string, over: Partial<JobRecord> = {}): JobRecord => ({ id, plate: `沪A${id}`, service: 'repair', advisorId: 'A1', technicianId: null, checkedInAt: 0, ...over }) as JobRecord;
const jobsOf = (cells: JobCells) => cells.toData().jobs;

describe('job attributions', () => {
  it('share one object per combination, and a change moves only the job it is about', () => {
    const cells = new JobCells();
    for (let i = 0; i < 1000; i++) cells.checkedIn(job(`J${i}`, { plate: `沪B${i}` }));
    const jobs = jobsOf(cells);
    expect(new Set(jobs.values()).size).toBe(1);

    cells.attribute(job('J1', { technicianId: 'T1' }), 'g1');
    expect(cells.of('J1')).toContain(cell('technician', 'T1'));
    expect(cells.of('J2')).not.toContain(cell('technician', 'T1'));
    cells.attribute(job('J2', { technicianId: 'T1' }), 'g1');
    expect(jobs.get('J1')).toBe(jobs.get('J2'));
    expect(new Set(jobs.values()).size).toBe(2);
  });

  it('tells a technician whose id is "null" from no technician', () => {
    const cells = new JobCells();
    cells.checkedIn(job('J1'));
    cells.checkedIn(job('J2'));
    cells.attribute(job('J2', { technicianId: 'null' }), 'null');
    expect(cells.of('J1')).not.toContain(cell('technician', 'null'));
    expect(cells.of('J2')).toEqual(expect.arrayContaining([cell('technician', 'null'), cell('team', 'null')]));
  });

  it('writes a shared attribution once into a checkpoint and shares equal ones again when restored', () => {
    const cells = new JobCells();
    for (let i = 0; i < 5000; i++) cells.checkedIn(job(`J${i}`, { plate: `沪C${i}`, service: i % 2 === 0 ? 'repair' : 'maintenance' }));
    const shared = serialize(cells.toData()).length;
    // The same values as separate objects, as a checkpoint written before sharing holds them.
    const separate: { jobs: Map<string, JobAttribution>; plates: Map<string, number> } = { jobs: new Map([...jobsOf(cells)].map(([id, a]) => [id, { ...a }])), plates: cells.toData().plates };
    expect(serialize(separate).length).toBeGreaterThan(shared + 5000 * 20);

    const restored = new JobCells(deserialize(serialize(separate)) as typeof separate);
    expect(new Set(jobsOf(restored).values()).size).toBe(2);
    for (const id of ['J0', 'J1', 'J4999']) expect(restored.of(id)).toEqual(cells.of(id));
  });
});
