import { describe, expect, it } from 'vitest';
import type { Light } from '../../../../shared/lights.js';
import type { BoardSnapshot } from '../../../../shared/snapshot.js';
import { rankSites, type RegionSite } from './region-view.js';
import { snapshotAt1800 } from '../../lib/board-test-fixture.js';

function site(id: string, lights: Partial<Record<keyof BoardSnapshot['kpis'], Light>>, error: string | null = null): RegionSite {
  const base = snapshotAt1800();
  const kpis = Object.fromEntries(Object.entries(base.kpis).map(([k, v]) => [k, { ...v, light: lights[k as keyof BoardSnapshot['kpis']] ?? 'green' }])) as BoardSnapshot['kpis'];
  return { id, name: id.toUpperCase(), timezone: 'Asia/Shanghai', snapshot: error ? null : { ...base, workshopId: id, kpis }, error };
}

describe('rankSites', () => {
  it('puts reds first, more reds before fewer, then yellows, then green by name', () => {
    const order = rankSites([
      site('a-green', {}),
      site('b-yellow', { csat: 'yellow' }),
      site('c-one-red', { averageWait: 'red' }),
      site('d-two-reds', { averageWait: 'red', utilisation: 'red' }),
      site('e-red-yellow', { averageWait: 'red', csat: 'yellow' }),
      site('f-two-yellows', { csat: 'yellow', firstTimeFix: 'yellow' }),
    ]).map((s) => s.id);
    expect(order).toEqual(['d-two-reds', 'e-red-yellow', 'c-one-red', 'f-two-yellows', 'b-yellow', 'a-green']);
  });

  it('counts the lights and names the worst', () => {
    const [s] = rankSites([site('x', { averageWait: 'red', csat: 'yellow' })]);
    expect(s).toMatchObject({ reds: 1, yellows: 1, worst: 'red' });
    expect(s!.kpis.map((k) => k.name)).toEqual(['utilisation', 'laborAchievement', 'firstTimeFix', 'comebackRate', 'csat', 'averageWait']);
  });

  it('puts a site that did not answer on top, with no lights of its own', () => {
    const order = rankSites([site('red', { averageWait: 'red' }), site('down', {}, 'timeout')]);
    expect(order.map((s) => s.id)).toEqual(['down', 'red']);
    expect(order[0]!.worst).toBe('none');
  });

  it('an all-"no data" site sorts after green ones by name, never above a red', () => {
    const none = site('a-quiet', { utilisation: 'none', laborAchievement: 'none', firstTimeFix: 'none', comebackRate: 'none', csat: 'none', averageWait: 'none' });
    const order = rankSites([none, site('busy', { utilisation: 'red' }), site('fine', {})]);
    expect(order.map((s) => s.id)).toEqual(['busy', 'fine', 'a-quiet']);
  });
});
