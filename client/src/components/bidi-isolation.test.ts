// @vitest-environment happy-dom
import { mount } from '@vue/test-utils';
import { describe, expect, it } from 'vitest';
import { DEFAULT_THRESHOLDS } from '../../../shared/lights.js';
import { createPitwallI18n } from '../i18n/index.js';
import { explicitRunsAt } from '../lib/bidi-test-helper.js';
import { bayCards, flagRows } from '../lib/board-view.js';
import { snapshotAt1800, WORKSHOP } from '../lib/board-test-fixture.js';
import { lightRows } from '../features/lead/lead-view.js';
import FlagStrip from '../features/board/components/FlagStrip.vue';
import BayCard from '../features/board/components/BayCard.vue';
import LeadLights from '../features/lead/components/LeadLights.vue';
import RejectedList from '../features/terminal/components/RejectedList.vue';

/**
 * Plates and names typed with bidi controls (an old log, written before the hub refused them):
 * a U+202E in a plate turned the rest of the lead's alert sentence and the board's flag line
 * around, and 16 × U+200B made a blank plate. Each sentence is checked by the explicit-level
 * rules of UAX #9: after the typed value, no override or embedding is still open.
 */
const plugins = { global: { plugins: [createPitwallI18n('en')] } };
const RLO = '\u202E';
const TZ = 'Asia/Shanghai';

/** The 18:00 floor with bay B2's plate (and its flag's) typed with an override. */
function floorWithPlate(plate: string) {
  const snapshot = snapshotAt1800();
  snapshot.bays = snapshot.bays.map((b) => (b.bayId === 'B2' ? { ...b, plate } : b));
  return snapshot;
}

describe('a plate with U+202E', () => {
  const plate = `沪D${RLO}33333`;

  it('leaves the rest of the lead console’s alert sentence in reading order', () => {
    const rows = lightRows(floorWithPlate(plate), WORKSHOP, DEFAULT_THRESHOLDS);
    const w = mount(LeadLights, { props: { rows, timeZone: TZ, acknowledge: null }, ...plugins });
    const why = w.get('[data-testid="light-bay:B2"]').get('[data-testid="light-why"]').text();
    const rest = why.indexOf(': 460 of 120 min standard worked');
    expect(rest).toBeGreaterThan(0);
    expect(explicitRunsAt(why, rest)).toEqual([]);
    expect(explicitRunsAt(why, why.length)).toEqual([]);
  });

  it('leaves the rest of the board’s flag line (and its "since") in reading order', () => {
    const flags = flagRows(floorWithPlate(plate), WORKSHOP, false);
    const w = mount(FlagStrip, { props: { flags, timeZone: TZ }, ...plugins });
    const line = w.get('[data-testid="flag-overrun"]').text();
    const since = line.indexOf(' · since');
    expect(since).toBeGreaterThan(0);
    expect(explicitRunsAt(line, since)).toEqual([]);
    // The subject is an isolate of its own in the page as well.
    expect(w.get('[data-testid="flag-overrun"] bdi').text()).toContain('沪D');
  });

  it('shows on the bay card as a mark, not as a reversed plate', () => {
    const card = bayCards(floorWithPlate(plate), WORKSHOP, false).find((c) => c.bayId === 'B2')!;
    const w = mount(BayCard, { props: { bay: card, timeZone: TZ }, ...plugins });
    expect(w.get('[data-testid="bay-plate"]').text()).toBe('沪D\uFFFD33333');
  });

  it('keeps a refused tap’s description and the hub’s reason (which may quote the plate) in isolates of their own', () => {
    const entry = {
      status: 'rejected' as const,
      queuedAt: 1,
      rejectedAt: 2,
      event: { id: 'ev-rejected-1', type: 'job.completed' as const, at: '2026-11-21T02:00:00.000Z', jobId: 'J1', firstTimeFix: true },
      error: { code: 'illegal_transition', message: `plate ${plate}: job is completed`, field: 'type' },
    };
    const w = mount(RejectedList, { props: { entries: [entry], describe: () => `Complete · ${plate}` }, ...plugins });
    const isolates = w.findAll('bdi').map((b) => b.text());
    expect(isolates).toContain(`Complete · ${plate}`);
    expect(isolates).toContain(`plate ${plate}: job is completed`);
  });
});

describe('a plate of 16 × U+200B', () => {
  it('is a row of visible marks on the board, not a blank row', () => {
    const card = bayCards(floorWithPlate('\u200B'.repeat(16)), WORKSHOP, false).find((c) => c.bayId === 'B2')!;
    const w = mount(BayCard, { props: { bay: card, timeZone: TZ }, ...plugins });
    expect(w.get('[data-testid="bay-plate"]').text()).toBe('\uFFFD'.repeat(16));
  });
});
