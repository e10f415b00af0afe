import { describe, expect, it } from 'vitest';
import type { CustomerJobView } from '../../shared/customer-view.js';
import { detectJobNotices, type NoticeMemory } from '../../server/engine/job-notices.js';

/** The job notifications' rules (docs/api.md, "Webhooks"), over scripted looks at one or two cars. */

const NOW = Date.parse('2026-11-21T10:00:00+08:00');
const at = (min: number) => new Date(NOW + min * 60_000).toISOString();

function view(over: Partial<CustomerJobView> = {}): CustomerJobView {
  return {
    workshopName: 'Shanghai test',
    plateMasked: '沪A·····5',
    service: 'maintenance',
    state: 'waiting',
    queuePosition: 3,
    predictedStart: { earliest: at(40), latest: at(55) },
    predictedReady: { earliest: at(100), latest: at(130) },
    promisedAt: at(180),
    promiseAtRisk: false,
    customerWaiting: false,
    backBy: null,
    technicianGivenName: null,
    asOf: at(0),
    ...over,
  };
}

/** Looks at the views in turn (each at `NOW + minute`), returning the notices' keys per look. */
function looks(steps: { minute: number; views: Record<string, CustomerJobView> }[], turnSoonMinutes = 15): string[][] {
  let memory: NoticeMemory = new Map();
  return steps.map(({ minute, views }) => {
    const r = detectJobNotices(memory, new Map(Object.entries(views)), NOW + minute * 60_000, { turnSoonMinutes });
    memory = r.memory;
    return r.notices.map((n) => n.key);
  });
}

describe('job notices', () => {
  it.each([
    {
      name: 'turn_soon once, when the earliest predicted start comes within 15 min',
      steps: [
        { minute: 0, views: { J1: view() } },
        { minute: 24, views: { J1: view() } },
        { minute: 25, views: { J1: view() } },
        { minute: 30, views: { J1: view({ queuePosition: 0 }) } },
      ],
      expected: [[], [], ['job.turn_soon:J1'], []],
    },
    {
      name: 'turn_soon not again when the forecast slips away and comes back',
      steps: [
        { minute: 30, views: { J1: view() } },
        { minute: 31, views: { J1: view({ predictedStart: { earliest: at(90), latest: at(100) } }) } },
        { minute: 80, views: { J1: view({ predictedStart: { earliest: at(90), latest: at(100) } }) } },
      ],
      expected: [['job.turn_soon:J1'], [], []],
    },
    {
      name: 'no turn_soon for a car already on a bay, nor without a prediction',
      steps: [
        { minute: 0, views: { J1: view({ state: 'in_progress', queuePosition: null, predictedStart: null }), J2: view({ predictedStart: null }) } },
        { minute: 60, views: { J1: view({ state: 'in_progress', queuePosition: null, predictedStart: null }), J2: view({ predictedStart: null }) } },
      ],
      expected: [[], []],
    },
    {
      name: 'ready once, even when the view keeps saying so',
      steps: [
        { minute: 0, views: { J1: view({ state: 'in_progress', predictedStart: null }) } },
        { minute: 5, views: { J1: view({ state: 'ready', predictedStart: null, predictedReady: null }) } },
        { minute: 6, views: { J1: view({ state: 'ready', predictedStart: null, predictedReady: null }) } },
      ],
      expected: [[], ['job.ready:J1'], []],
    },
    {
      name: 'promise_at_risk once per episode: again only after it recovered',
      steps: [
        { minute: 0, views: { J1: view({ promiseAtRisk: true }) } },
        { minute: 1, views: { J1: view({ promiseAtRisk: true }) } },
        { minute: 2, views: { J1: view({ promiseAtRisk: false }) } },
        { minute: 3, views: { J1: view({ promiseAtRisk: true }) } },
      ],
      expected: [['job.promise_at_risk:J1:1'], [], [], ['job.promise_at_risk:J1:2']],
    },
    {
      name: 'a ready car is no longer at risk (its promise is kept or missed for good)',
      steps: [{ minute: 0, views: { J1: view({ state: 'ready', promiseAtRisk: true, predictedStart: null }) } }],
      expected: [['job.ready:J1']],
    },
    {
      name: 'each car on its own, in job id order',
      steps: [{ minute: 30, views: { J2: view({ state: 'ready' }), J1: view() } }],
      expected: [['job.turn_soon:J1', 'job.ready:J2']],
    },
  ])('$name', ({ steps, expected }) => {
    expect(looks(steps)).toEqual(expected);
  });

  it('takes the workshop\'s turnSoonMinutes', () => {
    expect(looks([{ minute: 0, views: { J1: view() } }], 45)).toEqual([['job.turn_soon:J1']]);
    expect(looks([{ minute: 0, views: { J1: view() } }], 39)).toEqual([[]]);
  });

  it('forgets a job once it left the views (memory bounded by the open jobs)', () => {
    const first = detectJobNotices(new Map(), new Map([['J1', view({ state: 'ready' })]]), NOW, { turnSoonMinutes: 15 });
    const second = detectJobNotices(first.memory, new Map(), NOW, { turnSoonMinutes: 15 });
    expect([...second.memory.keys()]).toEqual([]);
  });

  it('carries the view as the customer sees it, nothing else', () => {
    const v = view({ state: 'ready' });
    const { notices } = detectJobNotices(new Map(), new Map([['J1', v]]), NOW, { turnSoonMinutes: 15 });
    expect(notices).toEqual([{ type: 'job.ready', jobId: 'J1', key: 'job.ready:J1', view: v }]);
  });
});
