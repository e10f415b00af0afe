import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseConfig } from '../../server/config/config-file.js';
import { ALERTED_FIGURES } from '../../server/engine/alerts.js';
import { exportedWorkshops } from '../../server/live-gauges.js';
import { StoreUnavailableError, type EventStore } from '../../server/store/event-store.js';
import type { BoardSnapshot } from '../../shared/snapshot.js';
import { PITWALL_VERSION } from '../../shared/version.js';
import { testConfigJson, TOKENS } from '../fixtures/config.js';
import { L, ev } from '../fixtures/workshop.js';
import { exposedNames, promqlMetricNames } from '../helpers/promql-names.js';
import { connected, NOW, startTestHub, type TestHub } from '../helpers/test-hub.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhook-receiver.js';

/**
 * Issue 16, item 7: the observability pack in deploy/ queries only what a real hub exposes.
 * A hub takes a few events (one rejected, one post while its store is down), a board watches,
 * a bay turns red and its alert goes to a webhook; its /metrics then holds every metric the
 * Grafana dashboard and the Prometheus rules name, and the gauges say what happened.
 */

const DASHBOARD = 'deploy/grafana/pitwall-dashboard.json';
const RULES = 'deploy/prometheus/pitwall-alerts.yml';
/** Series Prometheus makes itself for every target, not the hub. */
const PROMETHEUS_OWN = new Set(['up']);
const SECRET = `whsec_${randomBytes(32).toString('base64')}`;
const EVENTS = '/api/v1/workshops/sh-test/events';

interface Panel {
  type: string;
  title: string;
  targets?: { expr: string }[];
}
interface Rule {
  alert: string;
  expr: string;
  for: string;
  labels: { severity: string };
  annotations: { summary: string; description?: string };
}

let t: TestHub;
let rx: WebhookReceiver;
/** The scrape after the scripted traffic, and one taken while the store was down. */
let scrape = '';
let scrapeWhileDown = '';

async function metrics(): Promise<string> {
  const res = await fetch(`${t.url}/metrics`);
  expect(res.status).toBe(200);
  return res.text();
}

function sample(text: string, series: string): number | undefined {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line === undefined ? undefined : Number(line.slice(series.length + 1));
}

beforeAll(async () => {
  rx = await startWebhookReceiver();
  const json = testConfigJson() as { workshops: Record<string, unknown>[] };
  json.workshops[0] = { ...json.workshops[0], webhooks: [{ url: rx.url, secret: SECRET, events: ['alert.raised'] }] };
  let down = false;
  // The real embedded store, switched off on demand: pings and appends fail as an unreachable store's do.
  const switchable = (s: EventStore): EventStore =>
    Object.assign(Object.create(s) as EventStore, {
      append: (...a: Parameters<EventStore['append']>) => (down ? Promise.reject(new StoreUnavailableError('switched off')) : s.append(...a)),
      ping: () => (down ? Promise.reject(new StoreUnavailableError('switched off')) : s.ping()),
    });
  // One socket per address: the board's; a second one is refused (pitwall_sockets_refused_total).
  t = await startTestHub({ config: parseConfig(json, 'observability test config'), wrapStore: switchable, maxSocketsPerAddress: 1 });
  await t.listen();

  const board = t.client(TOKENS.board);
  await connected(board);
  await expect(connected(t.client(TOKENS.board))).rejects.toThrow();
  expect(await board.timeout(2000).emitWithAck('subscribe', 'sh-test')).toMatchObject({ ok: true });
  const shown = new Promise<BoardSnapshot>((resolve) => board.on('snapshot', (s) => s.seq >= 3 && resolve(s)));
  const post = (events: unknown[]) => request(t.hub.app).post(EVENTS).set({ Authorization: `Bearer ${TOKENS.terminal}` }).send({ events });
  // A 30-minute job on B1 since 17:10: red at the hub's 18:00. And a clock-in of nobody: rejected.
  const res = await post([
    ev('shift.clock_in', L('17:00'), { technicianId: 'T1' }),
    ev('job.checked_in', L('17:05'), { jobId: 'W1', plate: '沪A12345', service: 'maintenance', standardMinutes: 30, customerWaiting: false }),
    ev('job.started', L('17:10'), { jobId: 'W1', bayId: 'B1', technicianId: 'T1' }),
    ev('shift.clock_in', L('17:20'), { technicianId: 'T-NOBODY' }),
  ]);
  expect(res.body.results.map((r: { status: string }) => r.status)).toEqual(['accepted', 'accepted', 'accepted', 'rejected']);
  expect((await shown).alerts).toContainEqual(expect.objectContaining({ metric: 'bay:B1', light: 'red' }));
  await rx.waitFor(1);

  down = true;
  expect((await post([ev('shift.clock_in', L('17:30'), { technicianId: 'T2' })])).status).toBe(503);
  scrapeWhileDown = await metrics();
  down = false;
  scrape = await metrics();
});

afterAll(async () => {
  await t?.stop();
  await rx?.close();
});

describe('the gauges', () => {
  it('pitwall_build_info carries the release', () => {
    expect(sample(scrape, `pitwall_build_info{version="${PITWALL_VERSION}"}`)).toBe(1);
  });

  it('pitwall_store_up follows the store\'s ping at each scrape', () => {
    expect(sample(scrapeWhileDown, 'pitwall_store_up')).toBe(0);
    expect(sample(scrape, 'pitwall_store_up')).toBe(1);
  });

  it('lights per open workshop and figure, the fixed list only; a workshop not open here has no series', () => {
    expect(sample(scrape, 'pitwall_workshop_light{workshop="sh-test",figure="bayElapsed"}')).toBe(2);
    const figures = [...scrape.matchAll(/^pitwall_workshop_light\{workshop="sh-test",figure="(\w+)"\} [012]$/gm)].map((m) => m[1]);
    expect(figures.sort()).toEqual([...ALERTED_FIGURES].sort());
    expect(scrape).not.toMatch(/workshop="bj-test"/);
    expect(sample(scrape, 'pitwall_workshops_open')).toBe(1);
    expect(sample(scrape, 'pitwall_workshop_watchers{workshop="sh-test"}')).toBe(1);
  });

  it('rejections by reason, ingest failures by code, post → board latency', () => {
    expect(sample(scrape, 'pitwall_events_rejected_total{reason="unknown_reference"}')).toBe(1);
    expect(sample(scrape, 'pitwall_ingest_failures_total{reason="store_unavailable"}')).toBe(1);
    expect(sample(scrape, 'pitwall_post_to_board_seconds_count')).toBeGreaterThanOrEqual(1);
    // Timed to the snapshot that showed the post, not to a later heartbeat (15 s): a generous bound.
    expect(sample(scrape, 'pitwall_post_to_board_seconds_sum')).toBeLessThan(10);
    expect(sample(scrape, 'pitwall_webhook_deliveries_total{event="alert.raised",outcome="delivered"}')).toBeGreaterThanOrEqual(1);
  });
});

describe('which workshops the gauges export', () => {
  it('open ones only, in config order, at most the cap', () => {
    const open = (id: string) => ({ workshopId: id, alerts: [] });
    expect(exportedWorkshops(['a', 'b', 'c', 'd'], [open('d'), open('b'), open('a')], 2).map((o) => o.workshopId)).toEqual(['a', 'b']);
    expect(exportedWorkshops(['a', 'b'], [open('zz'), open('b')]).map((o) => o.workshopId)).toEqual(['b']);
  });

  it('a workshop that closes leaves no series at the next scrape', async () => {
    const h = await startTestHub({ idleCloseMs: 1000 });
    try {
      await h.listen();
      // bj-test has no car on its floor: it closes once idle.
      await request(h.hub.app).get('/api/v1/workshops/bj-test/board').set({ Authorization: `Bearer ${TOKENS.board}` }).expect(200);
      const before = await (await fetch(`${h.url}/metrics`)).text();
      expect(sample(before, 'pitwall_workshop_light{workshop="bj-test",figure="averageWait"}')).toBe(0);
      expect(sample(before, 'pitwall_workshop_watchers{workshop="bj-test"}')).toBe(0);
      await h.hub.service.tick(NOW + 60_000);
      const after = await (await fetch(`${h.url}/metrics`)).text();
      expect(after).not.toMatch(/workshop="bj-test"/);
      expect(sample(after, 'pitwall_workshops_open')).toBe(0);
    } finally {
      await h.stop();
    }
  });
});

describe('deploy/grafana/pitwall-dashboard.json', () => {
  const dashboard = JSON.parse(readFileSync(DASHBOARD, 'utf8')) as { panels: Panel[]; templating: { list: { query?: unknown }[] } };
  const queries = [
    ...dashboard.panels.flatMap((p) => (p.targets ?? []).map((q) => ({ where: p.title, expr: q.expr }))),
    ...dashboard.templating.list.flatMap((v) => (typeof v.query === 'object' && v.query !== null ? [{ where: 'variable', expr: (v.query as { query: string }).query }] : [])),
  ];

  it('has the panels the issue lists, each with a query', () => {
    const titles = dashboard.panels.map((p) => p.title).join(' | ');
    for (const want of [/Events per second/, /Rejections by reason/, /Post → board latency/, /watchers/i, /Store up/, /Event-loop lag/, /Lights per workshop/]) expect(titles).toMatch(want);
    for (const p of dashboard.panels.filter((p) => p.type !== 'row')) expect(p.targets?.length, p.title).toBeGreaterThan(0);
  });

  it('lays its panels on Grafana\'s 24-column grid without overlaps, each id once', () => {
    const boxes = (dashboard.panels as (Panel & { id: number; gridPos: { x: number; y: number; w: number; h: number } })[]).map((p) => ({ id: p.id, ...p.gridPos }));
    expect(new Set(boxes.map((b) => b.id)).size).toBe(boxes.length);
    for (const b of boxes) expect(b.x + b.w, `panel ${b.id}`).toBeLessThanOrEqual(24);
    const overlaps = boxes.flatMap((a, i) => boxes.slice(i + 1).filter((b) => a.x < b.x + b.w && b.x < a.x + a.w && a.y < b.y + b.h && b.y < a.y + a.h).map((b) => `${a.id}/${b.id}`));
    expect(overlaps).toEqual([]);
  });

  it('queries only metrics a real hub exposes', () => {
    const exposed = exposedNames(scrape);
    const missing = queries.flatMap(({ where, expr }) => promqlMetricNames(expr).filter((n) => !exposed.has(n)).map((n) => `${where}: ${n}`));
    expect(missing).toEqual([]);
    // The check sees the queries' metrics at all (an extractor that found nothing would pass anything).
    expect(new Set(queries.flatMap((q) => promqlMetricNames(q.expr))).size).toBeGreaterThanOrEqual(15);
  });
});

describe('deploy/prometheus/pitwall-alerts.yml', () => {
  const file = parseYaml(readFileSync(RULES, 'utf8')) as { groups: { name: string; rules: Rule[] }[] };
  const rules = file.groups.flatMap((g) => g.rules);

  it('is a rule file: groups of named alerts with expr, for, a severity and a summary', () => {
    expect(file.groups.length).toBeGreaterThan(0);
    for (const g of file.groups) expect(g.name).toMatch(/^pitwall-/);
    for (const r of rules) {
      expect(r.alert).toMatch(/^Pitwall[A-Za-z]+$/);
      expect(typeof r.expr).toBe('string');
      expect(r.for, r.alert).toMatch(/^\d+[smh]$/);
      expect(['critical', 'warning'], r.alert).toContain(r.labels.severity);
      expect(r.annotations.summary, r.alert).toEqual(expect.any(String));
    }
    expect(new Set(rules.map((r) => r.alert)).size).toBe(rules.length);
    // The four the issue asks for.
    expect(rules.map((r) => r.alert)).toEqual(expect.arrayContaining(['PitwallStoreDown', 'PitwallIngestFailures', 'PitwallBoardsDisconnected', 'PitwallWorkshopRed']));
  });

  it('names only metrics a real hub exposes (or Prometheus\'s own `up`)', () => {
    const exposed = exposedNames(scrape);
    const missing = rules.flatMap((r) => promqlMetricNames(r.expr).filter((n) => !exposed.has(n) && !PROMETHEUS_OWN.has(n)).map((n) => `${r.alert}: ${n}`));
    expect(missing).toEqual([]);
  });
});

describe('promqlMetricNames', () => {
  it('keeps metric names and drops functions, labels, ranges and keywords', () => {
    expect(promqlMetricNames('histogram_quantile(0.95, sum by (le) (rate(a_bucket{x="y"}[$__rate_interval])))')).toEqual(['a_bucket']);
    expect(promqlMetricNames('sum(b) < 0.5 * sum(b offset 15m) and on (ws) max_over_time(c[1h:1m]) > 0')).toEqual(['b', 'c']);
    expect(promqlMetricNames('label_values(d, workshop)')).toEqual(['d']);
  });
});
