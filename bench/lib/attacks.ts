import { EmbeddedEventStore } from '../../server/store/embedded/embedded-store.js';
import type { PitwallEvent } from '../../shared/events.js';
import { attackRawConnections, type RawConnectionReport } from './attack-raw-connections.js';
import { attackTerminalFlood, type TerminalFloodResult } from './attack-terminal-flood.js';
import type { BenchConfig } from './config.js';
import { pathologicalLogs, type PathologicalRow } from './pathological.js';
import type { HubHandle } from './processes.js';
import { fmtKb, fmtMs, type Table } from './report.js';
import { summarise, wallMs, type Summary } from './util.js';

/**
 * `npm run bench`'s attacks section (issue 11): what the audit's attacks cost a real hub now.
 * - old-log board: a log holding a clock-in dated 1970 and one dated 1800 (written before the
 *   `too_old` rule) and a job running since 1970; the hub starts, answers /healthz and serves
 *   the board; the same two taps posted live are refused.
 * - terminal flood: `terminal:hello` with made-up ids from one socket, with the hub's default
 *   rate limit and with it lifted (the registry's cap alone bounds the snapshot).
 * - raw connection flood: plain engine.io WebSockets that never send CONNECT, from one
 *   address, with /healthz probed on fresh connections throughout.
 * - pathological logs: the engine's CPU per event for break/pause/move-heavy logs and made-up
 *   terminals against ordinary traffic (pathological.ts).
 */

export interface OldLogResult {
  /** Spawn → /healthz 200, ms (start-up replays the log). */
  startupMs: number;
  /** The first board asked for (compaction folds the old intervals then), ms. */
  firstBoardMs: number;
  /** /healthz while boards are asked for in a loop. */
  healthzMs: Summary;
  boardMs: Summary;
  /** The live repeat of the attack: each event's status and code. */
  livePosts: string[];
}

export interface AttacksResult {
  oldLog?: OldLogResult;
  terminalFlood: { limit: string; result: TerminalFloodResult }[];
  rawConnections?: RawConnectionReport;
  pathological: PathologicalRow[];
}

export interface AttackDeps {
  /** A fresh embedded data dir. */
  dataDir(): string;
  /** Starts a hub of the bench config on `dataDir` with extra environment. */
  startHub(label: string, dataDir: string, env: Record<string, string>): Promise<HubHandle>;
  config: BenchConfig;
  smoke: boolean;
  log(message: string): void;
}

const iso = (ms: number) => new Date(ms).toISOString();

async function timed(url: string, headers: Record<string, string> = {}): Promise<number> {
  const started = wallMs();
  const res = await fetch(url, { headers });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`${url}: ${res.status}`);
  return wallMs() - started;
}

async function oldLogBoard(deps: AttackDeps): Promise<OldLogResult> {
  const ws = deps.config.workshops[0]!;
  const [t1, t2] = ws.technicians;
  const dataDir = deps.dataDir();
  const now = Date.now();
  // The store's own append: the log a hub would have written before the rule.
  const store = await EmbeddedEventStore.open(dataDir);
  const log: PitwallEvent[] = [
    { id: 'old-log-000001', type: 'shift.clock_in', at: iso(0), technicianId: t1!.id },
    { id: 'old-log-000002', type: 'shift.clock_in', at: iso(Date.parse('1800-01-01T00:00:00Z')), technicianId: t2!.id },
    { id: 'old-log-000003', type: 'job.checked_in', at: iso(0), jobId: 'J-1970', plate: 'OLD 1970', service: 'repair', standardMinutes: 60, customerWaiting: true },
    { id: 'old-log-000004', type: 'job.started', at: iso(0), jobId: 'J-1970', bayId: ws.bays[0]!.id, technicianId: t2!.id },
    { id: 'old-log-000005', type: 'shift.clock_out', at: iso(now - 60_000), technicianId: t1!.id },
  ];
  await store.append(ws.id, log, 0, iso(now - 60_000));
  await store.close();

  const hub = await deps.startHub('attack-old-log', dataDir, {});
  try {
    const boardUrl = `${hub.url}/api/v1/workshops/${ws.id}/board`;
    const auth = { authorization: `Bearer ${deps.config.boardToken}` };
    const firstBoardMs = await timed(boardUrl, auth);
    const health: number[] = [];
    const boards: number[] = [];
    const rounds = deps.smoke ? 5 : 50;
    for (let i = 0; i < rounds; i++) {
      const [h, b] = await Promise.all([timed(`${hub.url}/healthz`), timed(boardUrl, auth)]);
      health.push(h);
      boards.push(b);
    }
    const res = await fetch(`${hub.url}/api/v1/workshops/${ws.id}/events`, {
      method: 'POST',
      headers: { authorization: `Bearer ${deps.config.terminalTokens[0]}`, 'content-type': 'application/json' },
      body: JSON.stringify({
        events: [
          { id: 'live-attack-0001', type: 'shift.clock_in', at: iso(0), technicianId: ws.technicians[2]!.id },
          { id: 'live-attack-0002', type: 'shift.clock_out', at: iso(Date.now()), technicianId: ws.technicians[2]!.id },
        ],
      }),
    });
    const body = (await res.json()) as { results?: { status: string; error?: { code: string } }[] };
    const livePosts = (body.results ?? []).map((r) => (r.error ? `${r.status} (${r.error.code})` : r.status));
    return { startupMs: hub.readyAt - hub.spawnedAt, firstBoardMs, healthzMs: summarise(health), boardMs: summarise(boards), livePosts };
  } finally {
    await hub.stop();
  }
}

export async function runAttacks(deps: AttackDeps): Promise<AttacksResult> {
  const out: AttacksResult = { terminalFlood: [], pathological: [] };
  deps.log('attacks: a log with clock-ins dated 1970 and 1800');
  out.oldLog = await oldLogBoard(deps);

  const ws = deps.config.workshops[0]!;
  const count = deps.smoke ? 2_000 : 50_000;
  for (const [limit, env] of [
    ['default rate limit', { PITWALL_RATE_LIMIT: '1200' }],
    ['rate limit lifted', {}],
  ] as const) {
    deps.log(`attacks: ${count.toLocaleString('en-US')} made-up terminals (${limit})`);
    const hub = await deps.startHub(`attack-terminals-${limit.split(' ')[0]}`, deps.dataDir(), env);
    try {
      const result = await attackTerminalFlood({ baseUrl: hub.url, workshopId: ws.id, terminalToken: deps.config.terminalTokens[0]!, boardToken: deps.config.boardToken, count });
      out.terminalFlood.push({ limit, result });
    } finally {
      await hub.stop();
    }
  }

  const connections = deps.smoke ? 1_000 : 10_000;
  deps.log(`attacks: ${connections.toLocaleString('en-US')} raw WebSockets that never connect`);
  const hub = await deps.startHub('attack-raw-connections', deps.dataDir(), {});
  try {
    out.rawConnections = await attackRawConnections({ baseUrl: hub.url, connections, holdMs: 3000 });
  } finally {
    await hub.stop();
  }

  deps.log('attacks: pathological logs in the engine');
  out.pathological = pathologicalLogs(deps.smoke ? 2_000 : 40_000, deps.smoke ? 3 : 7);
  return out;
}

/** The section's rows in the bench table (docs/performance.md, "Attacks"). */
export function attackRows(t: Table, r: AttacksResult): void {
  if (r.oldLog) {
    const o = r.oldLog;
    t.add('attacks', 'old log with clock-ins dated 1970 and 1800: start-up → /healthz 200, first board', `${fmtMs(o.startupMs)}, ${fmtMs(o.firstBoardMs)}`, {
      baseline: 'before: 56–274 s, event loop blocked',
      target: 'first board ≤ 1 s',
      ok: o.firstBoardMs <= 1000,
    });
    t.add('attacks', '… then /healthz and board side by side: p50 / max', `${fmtMs(o.healthzMs.p50)} / ${fmtMs(o.healthzMs.max)}; board ${fmtMs(o.boardMs.p50)} / ${fmtMs(o.boardMs.max)}`, { target: '/healthz max ≤ 250 ms', ok: o.healthzMs.max !== null && o.healthzMs.max <= 250 });
    t.add('attacks', '… the same two taps posted live (1970 clock-in, clock-out now)', o.livePosts.join(', '), { target: 'refused: too_old', ok: o.livePosts[0] === 'rejected (too_old)' });
  }
  for (const f of r.terminalFlood) {
    const x = f.result;
    t.add('attacks', `${x.count.toLocaleString('en-US')} made-up terminal:hello (${f.limit}): snapshot bytes before → after, largest pushed`, `${fmtKb(x.snapshotBytesBefore)} → ${fmtKb(x.snapshotBytesAfter)}, ${fmtKb(x.largestPushedBytes)}`, {
      baseline: `before: 1.2 KB → 7.45 MB; ${x.accepted.toLocaleString('en-US')} accepted, ${Object.entries(x.refused).map(([k, v]) => `${v} ${k}`).join(', ') || 'none refused'}; ${x.terminalsListedAfter} listed${x.boardDropped ? '; board DROPPED' : ''}`,
      target: '≤ 64 KB, board kept',
      ok: x.largestPushedBytes <= 65_536 && x.snapshotBytesAfter <= 65_536 && !x.boardDropped,
    });
  }
  if (r.rawConnections) {
    const x = r.rawConnections;
    t.add('attacks', `${x.attempted.toLocaleString('en-US')} raw WebSockets from one address, never CONNECT: accepted / refused / failed`, `${x.accepted} / ${x.refused} / ${x.failed}`, {
      baseline: `before: 20,000 held ~45 s, /healthz stopped${x.closedByHub > 0 ? `; ${x.closedByHub} unconnected closed by the hub after ${fmtMs(x.closedAfterMs.min)}–${fmtMs(x.closedAfterMs.max)}` : ''}`,
      target: '≤ 500 accepted',
      ok: x.accepted <= 500,
    });
    t.add('attacks', `… /healthz during the flood, fresh connection each: min / median / max (${x.healthz.probes} probes)`, `${fmtMs(x.healthz.minMs)} / ${fmtMs(x.healthz.medianMs)} / ${fmtMs(x.healthz.maxMs)}`, {
      baseline: `${x.healthz.failures} failed`,
      target: 'every probe answered',
      ok: x.healthz.failures === 0 && x.healthz.probes > 0,
    });
  }
  const plain = r.pathological[0];
  for (const p of r.pathological) {
    const worst = plain ? Math.max(p.replayUs / plain.replayUs, p.ingestUs / plain.ingestUs) : null;
    t.add('attacks', `engine CPU per event, replay / single-event ingest: ${p.name} (${p.events.toLocaleString('en-US')} events)`, `${p.replayUs.toFixed(1)} / ${p.ingestUs.toFixed(1)} µs`, {
      ...(p !== plain && plain && { baseline: `ordinary ${plain.replayUs.toFixed(1)} / ${plain.ingestUs.toFixed(1)} µs`, ratio: worst, target: '≤ 2× ordinary', ok: worst !== null && worst <= 2 }),
    });
  }
}
