import { createPinia, setActivePinia } from 'pinia';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { computed, effectScope, type EffectScope } from 'vue';
import type { StoredEvent } from '../../../../shared/events.js';
import { TOKENS } from '../../../../test/fixtures/config.js';
import { ev, L, scriptedDay } from '../../../../test/fixtures/workshop.js';
import { postAccepted } from '../../../../test/helpers/e2e.js';
import { eventually, startTestHub, type TestHub } from '../../../../test/helpers/test-hub.js';
import { forecastAt1800, staffingAt1800, techniciansAt1800, waitingAt1800 } from './lead-test-fixture.js';
import { useLeadStore } from './lead-store.js';
import { useLeadFeed, type LeadFeed } from './leadFeed.js';
import { useLeadReassign } from './leadReassign.js';

/**
 * The lead's feed and the move, against a real hub (in this process, its clock pinned to 18:00
 * of the scripted day): the socket, the HTTP answers parsed with the shared schemas, the
 * refetch on `seq` and on the clock, and a move previewed then committed.
 */
let h: TestHub;
let clock: number;
let scope: EffectScope;

beforeEach(async () => {
  setActivePinia(createPinia());
  clock = Date.parse(L('18:00'));
  h = await startTestHub({ clock: () => clock });
  await h.listen();
  await postAccepted(h.url, scriptedDay());
  scope = effectScope();
});

afterEach(async () => {
  scope.stop();
  await h.stop();
});

function feed(options: Parameters<typeof useLeadFeed>[2] = {}, token: string = TOKENS.lead): LeadFeed {
  return scope.run(() => useLeadFeed('sh-test', token, { origin: h.url, ...options }))!;
}

describe('the lead feed', () => {
  it('brings the live snapshot and the hub’s answers for the lead (the test fixture is what the hub says)', async () => {
    const store = useLeadStore();
    feed();
    await eventually(() => store.technicians !== null && store.snapshot !== null && store.workshop !== null, 5000, 'the first answers');
    expect(store.connection).toBe('live');
    expect(store.snapshot?.seq).toBe(35);
    expect(store.technicians).toEqual(techniciansAt1800());
    expect(store.forecast).toEqual(forecastAt1800());
    expect(store.waiting).toEqual(waitingAt1800());
    expect(store.staffing).toEqual(staffingAt1800());
    expect(store.timeZone).toBe('Asia/Shanghai');
  });

  it('asks again when the snapshot’s seq moves, at most once a second for a burst', async () => {
    const store = useLeadStore();
    let fetches = 0;
    store.$onAction(({ name }) => {
      if (name === 'setData') fetches += 1;
    });
    feed({ throttleMs: 1000 });
    await eventually(() => fetches === 1, 5000, 'the first answers');
    // A minute later J6 starts on the idle bay: it leaves the queue.
    clock += 60_000;
    await postAccepted(h.url, [ev('job.started', L('18:01'), { jobId: 'J6', bayId: 'B3', technicianId: 'T1' })]);
    await eventually(() => store.waiting?.length === 1, 3000, 'the queue without J6');
    expect(store.forecast?.asOf).toBe('2026-11-21T10:01:00.000Z');
    // The staffing plan (weeks of the log, by the hour) waits for the clock's refetch.
    expect(store.staffing?.asOf).toBe('2026-11-21T10:00:00.000Z');
    const afterOne = fetches;
    // Five changes within a few hundred ms: one or two fetches, not five.
    for (const jobId of ['J8', 'J9', 'J10', 'J11', 'J12']) {
      await postAccepted(h.url, [ev('job.checked_in', L('18:01'), { jobId, plate: `沪Z${jobId}`, service: 'maintenance', standardMinutes: 30, customerWaiting: true })]);
    }
    await eventually(() => store.waiting?.length === 6, 4000, 'all five in the queue');
    expect(fetches - afterOne).toBeGreaterThanOrEqual(1);
    expect(fetches - afterOne).toBeLessThanOrEqual(2);
  });

  // Issue 12, item 4: "Wait with 4 on shift" beside a list of 2 on shift.
  it('asks for the staffing plan again as soon as the number on shift changes, not at the next hour', async () => {
    const store = useLeadStore();
    feed({ throttleMs: 100 });
    await eventually(() => store.staffing !== null && store.technicians !== null, 5000, 'the first answers');
    expect(store.staffing?.onShift).toBe(2);
    clock += 60_000;
    await postAccepted(h.url, [ev('shift.clock_in', L('18:01'), { technicianId: 'T3' })]);
    await eventually(() => store.technicians?.filter((t) => t.status === 'on_shift').length === 3, 3000, 'three on shift in the list');
    await eventually(() => store.staffing?.onShift === 3, 3000, 'the staffing plan for the three on shift');
  });

  it('asks again on its own as time passes, with no event at all', async () => {
    const store = useLeadStore();
    feed({ everyMs: 300 });
    await eventually(() => store.forecast !== null, 5000, 'the first forecast');
    expect(store.forecast?.asOf).toBe('2026-11-21T10:00:00.000Z');
    clock += 10 * 60_000;
    await eventually(() => store.forecast?.asOf === '2026-11-21T10:10:00.000Z', 3000, 'a forecast ten minutes on');
    // The customers on site have waited ten minutes more; the staffing plan is asked again too.
    expect(store.forecast?.p90WaitNowMin).toBe(250);
    await eventually(() => store.staffing?.asOf === '2026-11-21T10:10:00.000Z', 3000, 'a staffing plan ten minutes on');
  });

  it('says offline since when the hub goes, and keeps the last answers', async () => {
    const store = useLeadStore();
    feed();
    await eventually(() => store.technicians !== null, 5000, 'the first answers');
    const before = Date.now();
    await h.hub.close();
    await eventually(() => store.connection === 'offline', 5000, 'offline');
    expect(store.fresh.kind).toBe('offline');
    expect(store.offlineSince).toBeGreaterThanOrEqual(before);
    expect(store.technicians).toEqual(techniciansAt1800());
  });

  it('says the token is not valid instead of retrying for ever', async () => {
    const store = useLeadStore();
    feed({}, 'not-a-real-token-000');
    await eventually(() => store.connection === 'unauthorized', 5000, 'unauthorized');
    expect(store.fresh.kind).toBe('unauthorized');
  });
});

describe('a move from the lead console', () => {
  function mover(f: LeadFeed) {
    const store = useLeadStore();
    return scope.run(() => useLeadReassign(() => f.api, computed(() => store.technicians ?? []), () => store.hubClock, () => void f.refresh()))!;
  }

  it('previews the forecast before → after, then commits one staff.reassigned and the lists follow', async () => {
    const store = useLeadStore();
    const f = feed();
    await eventually(() => store.technicians !== null && store.snapshot !== null, 5000, 'the first answers');
    const r = mover(f);
    r.technicianId.value = 'T3';
    await eventually(() => r.team.value === 'repair', 1000, 'his team picked');
    r.team.value = 'quick';
    r.bayId.value = 'B3';
    await eventually(() => r.preview.value.kind === 'ready', 3000, 'the preview');
    expect(r.canCommit.value).toBe(true);
    const preview = r.preview.value.kind === 'ready' ? r.preview.value.preview : null;
    // Li Qiang is off shift: moving him changes nothing in the forecast, and the preview says so.
    expect(preview?.after.scenarios).toEqual(preview?.before.scenarios);

    const result = await r.send();
    expect(result?.status).toBe('accepted');
    await eventually(() => store.technicians?.find((t) => t.technicianId === 'T3')?.team === 'quick', 3000, 'his new team in the list');
    expect(store.technicians?.find((t) => t.technicianId === 'T3')?.bayId).toBe('B3');
    // The verdict stays on screen after the lists caught up (the pick is no longer a move).
    expect(r.commit.value.kind).toBe('done');
    expect(r.move.value).toBeNull();

    const res = await fetch(`${h.url}/api/v1/workshops/sh-test/events?limit=1000`, { headers: { Authorization: `Bearer ${TOKENS.lead}` } });
    const { events } = (await res.json()) as { events: StoredEvent[] };
    const moves = events.filter((e) => e.event.type === 'staff.reassigned');
    expect(moves.map((e) => e.event)).toEqual([{ id: expect.stringMatching(/^lead-[0-9a-f]{24}$/), type: 'staff.reassigned', at: expect.any(String), technicianId: 'T3', team: 'quick', bayId: 'B3' }]);
    // Dated by the hub's clock (18:00, pinned) plus the moments since its last board, never the machine's own date.
    const late = Date.parse(moves[0]!.event.at) - Date.parse(L('18:00'));
    expect(late).toBeGreaterThanOrEqual(0);
    expect(late).toBeLessThanOrEqual(60_000);
  });

  it('shows why a move cannot be previewed, and never commits it', async () => {
    const store = useLeadStore();
    const f = feed();
    await eventually(() => store.technicians !== null, 5000, 'the first answers');
    const r = mover(f);
    r.technicianId.value = 'T2';
    await eventually(() => r.team.value === 'repair', 1000, 'her team picked');
    r.team.value = 'paint';
    await eventually(() => r.preview.value.kind === 'error', 3000, 'the refusal');
    expect(r.preview.value.kind === 'error' && r.preview.value.message).toContain('paint');
    expect(r.canCommit.value).toBe(false);
    expect(await r.send()).toBeNull();
  });

  it('a board token is refused the preview: the reason is shown', async () => {
    const store = useLeadStore();
    const f = feed({}, TOKENS.board);
    await eventually(() => store.technicians !== null, 5000, 'the first answers');
    const r = mover(f);
    r.technicianId.value = 'T2';
    await eventually(() => r.team.value === 'repair', 1000, 'her team picked');
    r.team.value = 'quick';
    await eventually(() => r.preview.value.kind === 'error', 3000, 'the refusal');
    expect(r.preview.value.kind === 'error' && r.preview.value.message).toMatch(/lead|admin|token/i);
  });
});
