import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { io } from 'socket.io-client';
import type { SubscribeAck } from '../shared/socket.js';
import { rawAppendFsync, rawXadd, type RawResult } from './lib/baselines.js';
import { writeBenchConfig, type BenchConfig } from './lib/config.js';
import { Helper } from './lib/ipc.js';
import { parseOptions, UsageError, type Options, type StoreName } from './lib/options.js';
import { preloadEmbedded, preloadRedis, type LogSize, type Preloaded } from './lib/preload.js';
import { killAll, removeTempDir, ROOT, startHub, startRedis, tempDir, type Fsync, type HubHandle, type RedisHandle } from './lib/processes.js';
import { attackRows, runAttacks, type AttacksResult } from './lib/attacks.js';
import { runHistory, type HistoryResult } from './lib/history-phase.js';
import { historyRows } from './lib/history-report.js';
import { topFrames } from './lib/profile.js';
import { fmtKb, fmtMb, fmtMs, fmtRate, fmtS, ratio, Table } from './lib/report.js';
import { Floor, saturate, steady, type Door, type SaturationResult, type SteadyResult } from './lib/terminals.js';
import { BENCH_SHAPE, BUSY_SHAPE, DayTemplates } from './lib/traffic.js';
import { cpuShare, fetchMetrics, freePort, MB, metricValue, procSample, sleep, summarise, threadCpu, threadShares, wallMs, type ProcSample, type Summary } from './lib/util.js';

/**
 * `npm run bench`: plays realistic traffic against real hub processes on loopback and prints
 * one table (docs/performance.md explains it). Everything it starts (redis-server, hubs, the
 * boards process, the bare Socket.IO server) it stops again, also on error or Ctrl-C.
 */

type StoreMode = { store: 'embedded' } | { store: 'redis'; fsync: Fsync };
const modeName = (m: StoreMode) => (m.store === 'embedded' ? 'embedded' : `redis ${m.fsync}`);

interface Results {
  startedAt: string;
  finishedAt?: string;
  wallSeconds?: number;
  machine: Record<string, unknown>;
  options: Record<string, unknown>;
  ingest: { mode: string; raw: { single?: RawResult; batch?: RawResult }; pitwall: SaturationResult[] }[];
  steady: SteadyEntry[];
  storm: StormEntry[];
  fanout: FanoutEntry | null;
  memory: MemoryEntry[];
  replay: ReplayEntry[];
  attacks: AttacksResult | null;
  history: HistoryResult | null;
  profiles: Record<string, unknown>[];
  errors: string[];
  table?: string;
  rows?: unknown[];
}

const RESULTS_DIR = path.join(ROOT, 'bench/results');
const QUIET_WINDOW_MS = 250;

function log(message: string): void {
  process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
}

async function main(): Promise<void> {
  let opts: Options;
  try {
    opts = parseOptions(process.argv.slice(2));
  } catch (err) {
    if (err instanceof UsageError) {
      process.stderr.write(`${err.message ? `${err.message}\n\n` : ''}${err.usage}\n`);
      process.exit(err.message ? 2 : 0);
    }
    throw err;
  }
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const outFile = opts.out ?? path.join(RESULTS_DIR, `${stamp}.json`);
  const profileDir = opts.profile ? path.join(RESULTS_DIR, 'profiles', stamp) : undefined;
  const started = wallMs();
  const results: Results = {
    startedAt: new Date().toISOString(),
    machine: machine(),
    options: { ...opts, sections: [...opts.sections] },
    ingest: [],
    steady: [],
    storm: [],
    fanout: null,
    memory: [],
    replay: [],
    attacks: null,
    history: null,
    profiles: [],
    errors: [],
  };
  const ctx: Context = { opts, results, profileDir, templates: new DayTemplates(BENCH_SHAPE), work: tempDir('pitwall-bench-'), redis: null };
  log(`${sizeName(opts)}: ${opts.workshops} workshops, ${opts.boards} boards, ${opts.rate} ev/s for ${opts.duration} s, stores: ${opts.stores.join(' + ')}, sections: ${[...opts.sections].join(', ')}`);

  try {
    ctx.config = writeBenchConfig(ctx.work, opts.workshops, BENCH_SHAPE);
    if (opts.stores.includes('redis')) {
      ctx.redis = await startRedis();
      results.machine.redis = ctx.redis.version;
    }
    const phases: [boolean, string, () => Promise<void>][] = [
      [opts.sections.has('ingest'), 'ingest', () => ingestPhase(ctx)],
      [opts.sections.has('steady') || opts.sections.has('fanout'), 'live', () => livePhase(ctx)],
      [opts.sections.has('memory'), 'memory', () => memoryPhase(ctx)],
      [opts.sections.has('replay'), 'replay', () => replayPhase(ctx)],
      [opts.sections.has('attacks'), 'attacks', () => attacksPhase(ctx)],
      [opts.sections.has('history'), 'history', () => historyPhase(ctx)],
    ];
    for (const [enabled, name, run] of phases) {
      if (!enabled) continue;
      try {
        await run();
      } catch (err) {
        const message = `${name}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`;
        results.errors.push(message);
        log(`ERROR in ${message}`);
      }
    }
  } finally {
    await ctx.redis?.stop().catch(() => {});
    removeTempDir(ctx.work);
    killAll();
  }

  if (profileDir) summariseProfiles(profileDir, results);
  const table = buildTable(results, opts);
  results.finishedAt = new Date().toISOString();
  results.machine.loadAverageEnd = os.loadavg().map((l) => l.toFixed(2)).join(' ');
  results.wallSeconds = (wallMs() - started) / 1000;
  results.table = table.render();
  results.rows = table.rows;
  mkdirSync(path.dirname(outFile), { recursive: true });
  writeFileSync(outFile, JSON.stringify(results, null, 2));

  const m = results.machine;
  process.stdout.write(
    `\nPitwall bench (${opts.smoke ? 'SMOKE: tiny numbers, targets are for the full run' : sizeName(opts)}) — ${m.cpu}, ${m.cores} cores, ${m.memory}, node ${m.node}${m.redis ? `, redis ${m.redis}` : ''}; load average at start ${m.loadAverage}, at the end ${m.loadAverageEnd}\n` +
      `${opts.workshops} workshops, ${opts.boards} boards, steady ${opts.rate} ev/s for ${opts.duration} s; ${results.wallSeconds.toFixed(0)} s in all\n\n` +
      `${results.table}\n\n` +
      (results.errors.length > 0 ? `ERRORS:\n${results.errors.map((e) => `  ${e.split('\n')[0]}`).join('\n')}\n\n` : '') +
      (results.profiles.length > 0 ? profileText(results) : '') +
      `results: ${path.relative(process.cwd(), outFile)}\n`,
  );
  process.exitCode = results.errors.length > 0 ? 1 : 0;
}

function sizeName(opts: Options): string {
  return opts.smoke ? 'smoke run' : opts.full ? 'full run (--full: the issue\'s sizes)' : 'default run (--full for the issue\'s sizes)';
}

interface Context {
  opts: Options;
  results: Results;
  profileDir: string | undefined;
  templates: DayTemplates;
  work: string;
  redis: RedisHandle | null;
  config?: BenchConfig;
}

function machine(): Record<string, unknown> {
  const cpus = os.cpus();
  let model = cpus[0]?.model ?? 'unknown';
  try {
    model = /model name\s*:\s*(.+)/.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.trim() ?? model;
  } catch {
    // not Linux
  }
  return {
    cpu: model,
    cores: cpus.length,
    memory: `${(os.totalmem() / 1024 ** 3).toFixed(1)} GB RAM`,
    node: process.version.slice(1),
    kernel: os.release(),
    loadAverage: os.loadavg().map((l) => l.toFixed(2)).join(' '),
  };
}

// ---------------------------------------------------------------------------------------------
// Hubs of one store

interface StoreEnv {
  name: StoreName;
  dataDir: string;
  redisUrl?: string;
}

/** A fresh, empty store: a new data dir, or an emptied Redis. */
async function freshStore(ctx: Context, name: StoreName): Promise<StoreEnv> {
  const dataDir = tempDir('pitwall-bench-data-');
  if (name === 'redis') {
    await ctx.redis!.client.flushall();
    return { name, dataDir, redisUrl: ctx.redis!.url };
  }
  return { name, dataDir };
}

function hubOf(ctx: Context, store: StoreEnv, label: string, configPath: string, extra: { port?: number; entry?: 'main' | 'bench'; env?: Record<string, string> } = {}): Promise<HubHandle> {
  return startHub({
    entry: extra.entry ?? 'main',
    configPath,
    dataDir: store.dataDir,
    ...(store.redisUrl !== undefined && { redisUrl: store.redisUrl }),
    ...(extra.port !== undefined && { port: extra.port }),
    ...(ctx.profileDir !== undefined && { profileDir: ctx.profileDir }),
    ...(extra.env !== undefined && { env: extra.env }),
    label,
  });
}

// ---------------------------------------------------------------------------------------------
// Ingest ceilings

async function ingestPhase(ctx: Context): Promise<void> {
  const { opts } = ctx;
  // Redis with appendfsync always (accepted = on disk, the compose file's choice), and everysec (what it costs) in the full run.
  const modes: StoreMode[] = opts.stores.flatMap((s): StoreMode[] =>
    s === 'embedded' ? [{ store: 'embedded' }] : [{ store: 'redis', fsync: 'always' }, ...(opts.smoke ? [] : [{ store: 'redis', fsync: 'everysec' } as const])],
  );
  const tests: { door: Door; batch: number; concurrency: number }[] = [
    { door: 'http', batch: 1, concurrency: opts.concurrencySingle },
    { door: 'socket', batch: 1, concurrency: opts.concurrencySingle },
    { door: 'http', batch: opts.batch, concurrency: opts.concurrencyBatch },
  ];
  for (const mode of modes) {
    const entry: Results['ingest'][number] = { mode: modeName(mode), raw: {}, pitwall: [] };
    ctx.results.ingest.push(entry);
    if (mode.store === 'redis') await ctx.redis!.setFsync(mode.fsync);

    // The baseline first, on the same (fresh) store, the same streams and concurrency.
    for (const [key, batch, concurrency] of [
      ['single', 1, opts.concurrencySingle],
      ['batch', opts.batch, opts.concurrencyBatch],
    ] as const) {
      const floor = new Floor(ctx.config!.workshops.map((w) => w.id), ctx.config!.terminalTokens, ctx.templates);
      log(`ingest ${modeName(mode)}: raw ${mode.store === 'embedded' ? 'append+fsync' : 'XADD'}, ${batch} per request, ${concurrency} at once`);
      if (mode.store === 'embedded') {
        const dir = tempDir('pitwall-bench-raw-');
        entry.raw[key] = await rawAppendFsync({ dir, floor, batch, concurrency, seconds: opts.saturation, warmupSeconds: opts.warmup });
        removeTempDir(dir);
      } else {
        await ctx.redis!.client.flushall();
        entry.raw[key] = await rawXadd({ redisUrl: ctx.redis!.url, redisPid: ctx.redis!.pid, floor, batch, concurrency, seconds: opts.saturation, warmupSeconds: opts.warmup });
      }
      log(`  ${fmtRate(entry.raw[key]!.eventsPerSecond)}`);
    }

    const store = await freshStore(ctx, mode.store);
    const hub = await hubOf(ctx, store, `ingest-${modeName(mode).replace(' ', '-')}`, ctx.config!.file);
    try {
      const floor = new Floor(ctx.config!.workshops.map((w) => w.id), ctx.config!.terminalTokens, ctx.templates);
      for (const t of tests) {
        log(`ingest ${modeName(mode)}: Pitwall ${t.door}, ${t.batch} per request, ${t.concurrency} at once`);
        const r = await saturate({ baseUrl: hub.url, floor, door: t.door, batch: t.batch, concurrency: t.concurrency, seconds: opts.saturation, warmupSeconds: opts.warmup, hubPid: hub.pid });
        entry.pitwall.push(r);
        log(`  ${fmtRate(r.eventsPerSecond)} (hub CPU ${pct(r.hubCpu)}; rejected ${r.rejected}, errors ${r.errors})`);
        if (r.rejected > 0 || r.errors > 0) ctx.results.errors.push(`ingest ${modeName(mode)} ${t.door} ×${t.batch}: ${r.rejected} rejected, ${r.errors} errors: ${r.samples.join(' | ')}`);
      }
    } finally {
      await hub.stop();
      removeTempDir(store.dataDir);
    }
  }
  if (ctx.redis) await ctx.redis.setFsync('always');
}

// ---------------------------------------------------------------------------------------------
// Steady load, reconnect storm, fan-out: one store at a time, the same boards throughout

async function livePhase(ctx: Context): Promise<void> {
  const { opts } = ctx;
  // The fan-out test runs once, on the first store (it measures the broadcast path, not the store).
  let fanoutDone = !opts.sections.has('fanout');
  for (const name of opts.stores) {
    const store = await freshStore(ctx, name);
    if (name === 'redis') await ctx.redis!.setFsync('always');
    let hub = await hubOf(ctx, store, `steady-${name}`, ctx.config!.file);
    const boards = Helper.start('boards.ts');
    try {
      const workshopIds = ctx.config!.workshops.map((w) => w.id);
      await sleep(opts.smoke ? 300 : 2000);
      const idle = procSample(hub.pid);
      log(`live ${name}: connecting ${opts.boards} boards`);
      const assignments = Array.from({ length: opts.boards }, (_, b) => workshopIds[b % workshopIds.length]!);
      const conn = await boards.call<{ ready: number; failed: number; errors: string[]; ms: number }>('connect', { url: hub.url, token: ctx.config!.boardToken, workshops: assignments, concurrency: 50, reconnectDelayMs: opts.smoke ? 200 : 1000 });
      log(`  ${conn.ready} boards subscribed in ${(conn.ms / 1000).toFixed(1)} s${conn.failed ? `, ${conn.failed} failed: ${conn.errors.join('; ')}` : ''}`);
      if (conn.failed > 0) ctx.results.errors.push(`live ${name}: ${conn.failed} boards could not subscribe: ${conn.errors.join('; ')}`);
      await sleep(opts.smoke ? 300 : 2000);
      const withBoards = procSample(hub.pid);

      let finalSeq: Record<string, number> = Object.fromEntries(workshopIds.map((id) => [id, 0]));
      if (opts.sections.has('steady')) {
        const s = await steadyRun(ctx, name, hub, boards, workshopIds, { idle, withBoards, connectMs: conn.ms });
        finalSeq = s.finalSeq;
      }
      if (opts.sections.has('storm')) hub = await stormRun(ctx, name, store, hub, boards, finalSeq);
      if (!fanoutDone) {
        fanoutDone = true;
        hub = await fanoutRun(ctx, store, hub, boards, assignments);
      }
    } finally {
      await boards.stop();
      await hub.stop();
      removeTempDir(store.dataDir);
    }
  }
}

/** The start of the steady run whose posts the latency figures leave out (connections warming up). */
const warmupSeconds = (opts: Options) => Math.min(5, opts.duration / 5);

async function steadyRun(ctx: Context, name: StoreName, hub: HubHandle, boards: Helper, workshopIds: string[], before: { idle: ProcSample | null; withBoards: ProcSample | null; connectMs: number }): Promise<SteadyResult> {
  const { opts } = ctx;
  const quietCount = workshopIds.length >= 2 ? Math.max(1, Math.round(workshopIds.length * 0.1)) : 0;
  const busy = workshopIds.map((_, i) => i).slice(0, workshopIds.length - quietCount);
  const quiet = workshopIds.map((_, i) => i).slice(workshopIds.length - quietCount);
  const floor = new Floor(workshopIds, ctx.config!.terminalTokens, ctx.templates);
  const metricsBefore = await fetchMetrics(hub.url);
  const boardsCpu0 = procSample(boards.pid);
  const selfCpu0 = process.cpuUsage();
  const rss: { t: number; rss: number }[] = [];
  const redisCpu0 = ctx.redis && name === 'redis' ? procSample(ctx.redis.pid) : null;
  await boards.call('reset');
  const cpu0 = procSample(hub.pid);
  if (cpu0) rss.push({ t: 0, rss: cpu0.rssBytes });
  log(`live ${name}: steady ${opts.rate} ev/s for ${opts.duration} s into ${busy.length} workshops, ${quiet.length} quiet ones probed`);
  const t0 = wallMs();
  const s = await steady({
    baseUrl: hub.url,
    floor,
    busy,
    quiet,
    baseSeq: workshopIds.map(() => 0),
    rate: opts.rate,
    seconds: opts.duration,
    quietEveryMs: opts.smoke ? 500 : 4000,
    quietFromSeconds: warmupSeconds(opts),
    onSecond: () => {
      const p = procSample(hub.pid);
      if (p) rss.push({ t: (p.at - t0) / 1000, rss: p.rssBytes });
    },
  });
  // The last snapshots are at most one coalescing window away.
  await sleep(600);
  const cpu1 = procSample(hub.pid);
  if (cpu1) rss.push({ t: (cpu1.at - t0) / 1000, rss: cpu1.rssBytes });
  const boardStats = await boards.call<{ snapshots: number; seconds: number; disconnects: number; subscribed: number; boards: number }>('stats');
  const metricsAfter = await fetchMetrics(hub.url);
  const boardsCpu1 = procSample(boards.pid);
  const selfCpu = process.cpuUsage(selfCpu0);
  const redisCpu1 = ctx.redis && name === 'redis' ? procSample(ctx.redis.pid) : null;

  // Latency: events posted after the warm-up only.
  const warmupEnd = t0 + warmupSeconds(opts) * 1000;
  const keep: number[] = [];
  for (let i = 0; i < s.records.t.length; i++) if (s.records.t[i]! >= warmupEnd) keep.push(i);
  const pick = <T extends Int32Array | Float64Array | Uint8Array>(a: T, make: (n: number) => T): T => {
    const out = make(keep.length);
    keep.forEach((k, j) => (out[j] = a[k]!));
    return out;
  };
  const latency = await boards.call<{ busy: Summary; quiet: Summary; missing: number; quietSkipped: number }>('latency', {
    workshopIds,
    ws: pick(s.records.ws, (n) => new Int32Array(n)),
    seq: pick(s.records.seq, (n) => new Int32Array(n)),
    t: pick(s.records.t, (n) => new Float64Array(n)),
    quiet: pick(s.records.quiet, (n) => new Uint8Array(n)),
    quietWindowMs: QUIET_WINDOW_MS,
  });
  const sent = (metricValue(metricsAfter, 'pitwall_snapshots_sent_total') ?? 0) - (metricValue(metricsBefore, 'pitwall_snapshots_sent_total') ?? 0);
  // A hub metric (prom-client's default process metrics) at the start and the end of the run.
  const around = (name: string) => ({ start: metricValue(metricsBefore, name), end: metricValue(metricsAfter, name) });
  const dropped = metricValue(metricsAfter, 'pitwall_slow_sockets_dropped_total') ?? 0;
  const cpu = cpuShare(cpu0, cpu1);
  const windowS = cpu0 && cpu1 ? (cpu1.at - cpu0.at) / 1000 : opts.duration;
  const half = rss.filter((r) => r.t >= opts.duration / 2);
  const rssValues = rss.map((r) => r.rss);
  const entry = {
    store: name,
    workshops: workshopIds.length,
    boards: opts.boards,
    rate: opts.rate,
    seconds: opts.duration,
    accepted: s.accepted,
    acceptedPerSecond: s.acceptedPerSecond,
    rejected: s.rejected,
    errors: s.errors,
    samples: s.samples,
    requestMs: s.requestMs,
    terminalQueueMs: s.terminalQueueMs,
    latencyMs: latency.busy,
    quietLatencyMs: latency.quiet,
    quietProbes: s.quietProbes,
    quietSkipped: latency.quietSkipped,
    latencyMissing: latency.missing,
    snapshotsReceivedPerSecond: boardStats.snapshots / boardStats.seconds,
    snapshotsSentPerSecond: sent / windowS,
    boardDisconnects: boardStats.disconnects,
    socketsDropped: dropped,
    hubCpu: cpu,
    hubCpuMsPer1000Events: cpu !== null && s.accepted > 0 ? (cpu * windowS * 1e6) / s.accepted : null,
    boardsProcessCpu: cpuShare(boardsCpu0, boardsCpu1),
    posterProcessCpu: (selfCpu.user + selfCpu.system) / 1e6 / windowS,
    redisCpu: cpuShare(redisCpu0, redisCpu1),
    rssIdleBytes: before.idle?.rssBytes ?? null,
    rssWithBoardsBytes: before.withBoards?.rssBytes ?? null,
    rssPerBoardBytes: before.idle && before.withBoards ? (before.withBoards.rssBytes - before.idle.rssBytes) / opts.boards : null,
    boardsConnectSeconds: before.connectMs / 1000,
    // V8's live heap (prom-client's default metric) beside the RSS: growth of the state itself vs the heap's slack.
    heapUsedBytes: around('nodejs_heap_size_used_bytes'),
    // Buffers and other memory V8 tracks outside its heap (socket writes, Redis replies).
    externalBytes: around('nodejs_external_memory_bytes'),
    heapTotalBytes: around('nodejs_heap_size_total_bytes'),
    rss: { startBytes: rssValues[0] ?? null, endBytes: rssValues.at(-1) ?? null, maxBytes: rssValues.length ? Math.max(...rssValues) : null, secondHalfGrowthBytes: half.length >= 2 ? half.at(-1)!.rss - half[0]!.rss : null, samples: rss },
  };
  ctx.results.steady.push(entry);
  log(
    `  accepted ${s.accepted} (${s.rejected} rejected, ${s.errors} errors); latency p50 ${fmtMs(latency.busy.p50)} p99 ${fmtMs(latency.busy.p99)}; quiet p99 ${fmtMs(latency.quiet.p99)}; ` +
      `${fmtRate(entry.snapshotsReceivedPerSecond, 'snapshots/s')}; hub CPU ${pct(cpu)}, RSS ${fmtMb(entry.rss.maxBytes)} max`,
  );
  if (s.rejected > 0 || s.errors > 0) ctx.results.errors.push(`steady ${name}: ${s.rejected} rejected, ${s.errors} errors: ${s.samples.join(' | ')}`);
  return s;
}

/** All boards dropped at once by a hub restart; each is back once it holds a snapshot at the log's last seq. */
async function stormRun(ctx: Context, name: StoreName, store: StoreEnv, hub: HubHandle, boards: Helper, finalSeq: Record<string, number>): Promise<HubHandle> {
  await sleep(ctx.opts.smoke ? 100 : 500);
  await boards.call('armStorm', { targets: finalSeq });
  log(`live ${name}: reconnect storm (hub restart with ${ctx.opts.boards} boards connected)`);
  const t0 = wallMs();
  await hub.stop('SIGTERM');
  const stopped = wallMs();
  const next = await hubOf(ctx, store, `storm-${name}`, ctx.config!.file, { port: hub.port });
  const deadline = wallMs() + 90_000;
  let status = await boards.call<{ total: number; lost: number; back: number; backAt: number[] }>('stormStatus');
  while (status.back < status.total && wallMs() < deadline) {
    await sleep(250);
    status = await boards.call('stormStatus');
  }
  await boards.call('disarmStorm');
  const backSeconds = status.backAt.filter((t) => Number.isFinite(t)).map((t) => (t - t0) / 1000);
  const summary = summarise(backSeconds);
  const entry = {
    store: name,
    boards: status.total,
    lost: status.lost,
    back: status.back,
    hubDownSeconds: (next.readyAt - t0) / 1000,
    oldHubStopSeconds: (stopped - t0) / 1000,
    backSeconds: summary,
  };
  ctx.results.storm.push(entry);
  log(`  ${status.back}/${status.total} back; p95 ${fmtS(summary.p95)}, max ${fmtS(summary.max)} (hub down for ${fmtS(entry.hubDownSeconds)})`);
  return next;
}

/**
 * Fan-out capacity: every room gets a snapshot every `fanoutIntervalMs` from the hub's own
 * broadcaster (its heartbeat set to that interval, no ingest at all), then the same schedule,
 * rooms, sockets and payload size from a bare Socket.IO server. Delivered snapshots are
 * counted at the boards; server CPU from /proc.
 */
async function fanoutRun(ctx: Context, store: StoreEnv, hub: HubHandle, boards: Helper, assignments: string[]): Promise<HubHandle> {
  const { opts } = ctx;
  const seconds = opts.fanoutSeconds;
  log(`fan-out: hub broadcaster, every room every ${opts.fanoutIntervalMs} ms, ${opts.boards} boards`);
  await hub.stop('SIGTERM');
  const tuned = await hubOf(ctx, store, `fanout-${store.name}`, ctx.config!.file, { port: hub.port, entry: 'bench', env: { BENCH_HEARTBEAT_MS: String(opts.fanoutIntervalMs) } });
  const back = await boards.call<{ subscribed: number; total: number }>('waitSubscribed', { timeoutMs: 120_000 });
  await sleep(opts.smoke ? 200 : 1000);
  const measure = async (pid: number) => {
    await boards.call('reset');
    const a = procSample(pid);
    const ta = threadCpu(pid);
    const b0 = procSample(boards.pid);
    await sleep(seconds * 1000);
    const b = procSample(pid);
    const threads = threadShares(ta, threadCpu(pid), seconds);
    const b1 = procSample(boards.pid);
    const st = await boards.call<{ snapshots: number; seconds: number; disconnects: number }>('stats');
    const cpu = cpuShare(a, b);
    const delivered = st.snapshots / st.seconds;
    return { deliveredPerSecond: delivered, serverCpu: cpu, deliveriesPerCpuSecond: cpu ? delivered / cpu : null, boardsCpu: cpuShare(b0, b1), disconnects: st.disconnects, threads };
  };
  const pitwall = { ...(await measure(tuned.pid)), subscribed: back.subscribed };
  const sample = await boards.call<Record<string, unknown> | null>('sample');
  const payloadBytes = sample ? Buffer.byteLength(JSON.stringify(sample)) : 0;
  log(`  Pitwall ${fmtRate(pitwall.deliveredPerSecond, 'snapshots/s')} at ${pct(pitwall.serverCpu)} CPU (snapshot ${payloadBytes} bytes; threads ${JSON.stringify(pitwall.threads)}; boards process ${pct(pitwall.boardsCpu)})`);

  // The baseline on its own port, the boards reconnected to it.
  await boards.call('disconnectAll');
  const bare = Helper.start('bare-fanout.ts');
  let baseline: Awaited<ReturnType<typeof measure>> | null = null;
  try {
    const port = await freePort();
    const { pid } = await bare.call<{ pid: number }>('start', { port, payload: sample ?? {}, intervalMs: opts.fanoutIntervalMs });
    const conn = await boards.call<{ ready: number }>('connect', { url: `http://127.0.0.1:${port}`, token: 'bare', workshops: assignments, concurrency: 50 });
    await sleep(opts.smoke ? 200 : 1000);
    baseline = { ...(await measure(pid)), subscribed: conn.ready } as typeof pitwall;
    log(`  bare Socket.IO ${fmtRate(baseline.deliveredPerSecond, 'snapshots/s')} at ${pct(baseline.serverCpu)} CPU (threads ${JSON.stringify(baseline.threads)}; boards process ${pct(baseline.boardsCpu)})`);
  } finally {
    await boards.call('disconnectAll');
    await bare.stop();
  }
  const entry = { intervalMs: opts.fanoutIntervalMs, rooms: new Set(assignments).size, boards: assignments.length, offeredPerSecond: (assignments.length * 1000) / opts.fanoutIntervalMs, payloadBytes, seconds, pitwall, bare: baseline };
  ctx.results.fanout = entry;
  return tuned;
}

// ---------------------------------------------------------------------------------------------
// Memory of a busy day, start-up replay

async function preload(ctx: Context, store: StoreEnv, workshopIds: string[], templates: DayTemplates, size: LogSize): Promise<Preloaded> {
  if (store.name === 'embedded') return preloadEmbedded(store.dataDir, workshopIds, templates, size);
  await ctx.redis!.setFsync('everysec');
  try {
    return await preloadRedis(ctx.redis!.client, workshopIds, templates, size);
  } finally {
    await ctx.redis!.setFsync('always');
  }
}

/** Every workshop's board once (what a first board would ask), then RSS after the heap settles. */
async function settledRss(hub: HubHandle, ids: string[], token: string, settleMs: number): Promise<number | null> {
  for (const id of ids) await (await fetch(`${hub.url}/api/v1/workshops/${id}/board`, { headers: { authorization: `Bearer ${token}` } })).arrayBuffer();
  await sleep(settleMs);
  return procSample(hub.pid)?.rssBytes ?? null;
}

async function memoryPhase(ctx: Context): Promise<void> {
  const { opts } = ctx;
  const count = Math.min(opts.memoryWorkshops, opts.workshops);
  const busyTemplates = new DayTemplates(BUSY_SHAPE);
  const config = writeBenchConfig(ctx.work, count, BUSY_SHAPE, 'pitwall-busy.json');
  const ids = config.workshops.map((w) => w.id);
  const settle = opts.smoke ? 300 : 3000;
  // The smoke run checks the section works on one store; the full run measures both.
  for (const name of opts.smoke ? opts.stores.slice(0, 1) : opts.stores) {
    log(`memory ${name}: ${count} workshops, empty vs a day of ~300 jobs each`);
    const empty = await freshStore(ctx, name);
    const hubEmpty = await hubOf(ctx, empty, `memory-empty-${name}`, config.file);
    const rssEmpty = await settledRss(hubEmpty, ids, config.boardToken, settle);
    await hubEmpty.stop();
    removeTempDir(empty.dataDir);

    const full = await freshStore(ctx, name);
    const loaded = await preload(ctx, full, ids, busyTemplates, { days: 1 });
    const hubFull = await hubOf(ctx, full, `memory-day-${name}`, config.file);
    const rssFull = await settledRss(hubFull, ids, config.boardToken, settle);
    await hubFull.stop();
    removeTempDir(full.dataDir);
    const entry = {
      store: name,
      workshops: count,
      jobsPerWorkshop: loaded.jobs / count,
      eventsPerWorkshop: loaded.events / count,
      rssEmptyBytes: rssEmpty,
      rssLoadedBytes: rssFull,
      perWorkshopBytes: rssEmpty !== null && rssFull !== null ? (rssFull - rssEmpty) / count : null,
      emptyHubStartSeconds: (hubEmpty.readyAt - hubEmpty.spawnedAt) / 1000,
    };
    ctx.results.memory.push(entry);
    log(`  ${fmtMb(rssEmpty)} → ${fmtMb(rssFull)}: ${fmtKb(entry.perWorkshopBytes)} per workshop (${entry.jobsPerWorkshop.toFixed(0)} jobs, ${entry.eventsPerWorkshop.toFixed(0)} events each)`);
  }
}

async function attacksPhase(ctx: Context): Promise<void> {
  const config = writeBenchConfig(ctx.work, 1, BENCH_SHAPE, 'pitwall-attacks.json');
  ctx.results.attacks = await runAttacks({
    config,
    smoke: ctx.opts.smoke,
    log,
    dataDir: () => tempDir('pitwall-bench-attack-'),
    // The bench lifts the per-token and per-address limits for its load; an attack gets the hub's own unless it says otherwise.
    startHub: (label, dataDir, env) => hubOf(ctx, { name: 'embedded', dataDir }, label, config.file, { env: { PITWALL_RATE_LIMIT: '1000000000', PITWALL_MAX_SOCKETS_PER_IP: '500', ...env } }),
  });
}

/** Issue 14: the hub's cost against the length of its history (bench/lib/history-phase.ts). */
async function historyPhase(ctx: Context): Promise<void> {
  const deps = {
    sizes: ctx.opts.history,
    smoke: ctx.opts.smoke,
    log,
    work: ctx.work,
    startHub: (label: string, configPath: string, store: { dataDir: string; redisUrl?: string }) =>
      hubOf(ctx, { name: store.redisUrl === undefined ? 'embedded' : 'redis', ...store }, label, configPath),
  };
  ctx.results.history = await runHistory(deps, ctx.opts.stores.includes('redis'), ctx.results.errors);
}

async function replayPhase(ctx: Context): Promise<void> {
  const { opts } = ctx;
  const ids = ctx.config!.workshops.map((w) => w.id);
  const perWorkshop = Math.ceil(opts.replayEvents / ids.length);
  for (const name of opts.stores) {
    const store = await freshStore(ctx, name);
    log(`replay ${name}: writing ${(perWorkshop * ids.length).toLocaleString('en-US')} events into the store`);
    const loaded = await preload(ctx, store, ids, ctx.templates, { events: perWorkshop });
    log(`  written in ${fmtS(loaded.ms / 1000)}; starting the hub`);
    const hub = await hubOf(ctx, store, `replay-${name}`, ctx.config!.file);
    try {
      const healthy = hub.readyAt;
      const served = await firstBoard(hub.url, ctx.config!.boardToken, ids[0]!);
      const rss = procSample(hub.pid)?.rssBytes ?? null;
      const entry = {
        store: name,
        events: loaded.events,
        workshops: ids.length,
        toHealthySeconds: (healthy - hub.spawnedAt) / 1000,
        toBoardServedSeconds: (served.at - hub.spawnedAt) / 1000,
        hubReplayLoggedSeconds: hub.replayMs() / 1000,
        boardSeq: served.seq,
        rssAfterBytes: rss,
        preloadSeconds: loaded.ms / 1000,
      };
      ctx.results.replay.push(entry);
      log(`  healthy after ${fmtS(entry.toHealthySeconds)}, board served after ${fmtS(entry.toBoardServedSeconds)} (hub's own replay log: ${fmtS(entry.hubReplayLoggedSeconds)}), RSS ${fmtMb(rss)}`);
    } finally {
      await hub.stop();
      removeTempDir(store.dataDir);
      if (name === 'redis') await ctx.redis!.client.flushall();
    }
  }
}

/** One board connects and subscribes: the time its first snapshot arrives. */
function firstBoard(url: string, token: string, workshopId: string): Promise<{ at: number; seq: number }> {
  return new Promise((resolve, reject) => {
    const socket = io(url, { forceNew: true, transports: ['websocket'], auth: { token }, reconnection: false, timeout: 60_000 });
    socket.once('connect_error', (err) => reject(err));
    socket.once('connect', () => {
      socket.timeout(60_000).emit('subscribe', workshopId, (err: Error | null, reply: SubscribeAck) => {
        const at = wallMs();
        socket.disconnect();
        if (err) return reject(err);
        if (!reply.ok) return reject(new Error(reply.error.message));
        resolve({ at, seq: reply.snapshot.seq });
      });
    });
  });
}

// ---------------------------------------------------------------------------------------------
// Report

function pct(share: number | null | undefined): string {
  return share === null || share === undefined ? 'n/a' : `${(share * 100).toFixed(0)} %`;
}

function buildTable(r: Results, opts: Options): Table {
  const t = new Table();
  for (const m of r.ingest) {
    const isRedis = m.mode.startsWith('redis');
    const rawName = isRedis ? 'raw XADD' : 'raw append+fsync';
    for (const p of m.pitwall) {
      const raw = p.batch === 1 ? m.raw.single : m.raw.batch;
      const label = `${m.mode}: ${p.batch === 1 ? 'single events' : `${p.batch}-event batches`} over ${p.door === 'http' ? 'HTTP' : 'socket'} (${p.concurrency} at once)`;
      const rr = ratio(p.eventsPerSecond, raw?.eventsPerSecond);
      let target: string | undefined;
      let ok: boolean | null = null;
      if (p.batch > 1) {
        target = `≥ 50 % of ${rawName}`;
        ok = rr !== null && rr >= 0.5;
      } else if (isRedis) {
        target = '≥ 3,000 ev/s';
        ok = p.eventsPerSecond >= 3000;
      }
      t.add('ingest', label, fmtRate(p.eventsPerSecond), { baseline: raw ? `${fmtRate(raw.eventsPerSecond)} ${rawName}` : '', ratio: rr, ...(target && { target }), ok });
    }
    for (const p of m.pitwall.filter((x) => x.batch > 1)) {
      t.add('ingest', `${m.mode}: hub CPU per 1,000 events (${p.batch}-event batches)`, fmtMs(p.hubCpuMsPer1000));
    }
  }
  for (const s of r.steady) {
    const load = `${s.store}, ${s.workshops} ws, ${s.boards} boards, ${s.rate} ev/s`;
    t.add('latency', `post → board snapshot p50 (${load})`, fmtMs(s.latencyMs.p50), { target: '≤ 20 ms', ok: s.latencyMs.p50 !== null && s.latencyMs.p50 <= 20 });
    t.add('latency', `post → board snapshot p95`, fmtMs(s.latencyMs.p95));
    t.add('latency', `post → board snapshot p99`, fmtMs(s.latencyMs.p99), { target: '≤ 300 ms', ok: s.latencyMs.p99 !== null && s.latencyMs.p99 <= 300 });
    t.add('latency', `post → board snapshot max (${s.latencyMs.count.toLocaleString('en-US')} samples)`, fmtMs(s.latencyMs.max));
    t.add('latency', `quiet workshop's first change p50 / p99 (${s.quietLatencyMs.count} samples)`, `${fmtMs(s.quietLatencyMs.p50)} / ${fmtMs(s.quietLatencyMs.p99)}`, { target: 'p99 ≤ 50 ms', ok: s.quietLatencyMs.p99 !== null && s.quietLatencyMs.p99 <= 50 });
    t.add('fan-out', `snapshots delivered to boards at steady load (${s.store})`, fmtRate(s.snapshotsReceivedPerSecond, '/s'), { baseline: `hub counted ${fmtRate(s.snapshotsSentPerSecond, '/s')}` });
    t.add('resources', `hub CPU per 1,000 events at steady load, fan-out included (${s.store})`, fmtMs(s.hubCpuMsPer1000Events), { baseline: `hub at ${pct(s.hubCpu)} of a core` });
    t.add('resources', `hub RSS per board connection (${s.store})`, fmtKb(s.rssPerBoardBytes));
    const flat = s.rss.secondHalfGrowthBytes !== null && s.rss.endBytes !== null ? s.rss.secondHalfGrowthBytes <= Math.max(0.05 * s.rss.endBytes, 5 * MB) : null;
    t.add('resources', `hub RSS over the run: start → end, max; 2nd half (${s.store})`, `${fmtMb(s.rss.startBytes)} → ${fmtMb(s.rss.endBytes)}, ${fmtMb(s.rss.maxBytes)}; ${s.rss.secondHalfGrowthBytes !== null && s.rss.secondHalfGrowthBytes >= 0 ? '+' : ''}${fmtMb(s.rss.secondHalfGrowthBytes)}`, {
      baseline: `V8 heap used ${fmtMb(s.heapUsedBytes.start)} → ${fmtMb(s.heapUsedBytes.end)} of ${fmtMb(s.heapTotalBytes.start)} → ${fmtMb(s.heapTotalBytes.end)}, external ${fmtMb(s.externalBytes.start)} → ${fmtMb(s.externalBytes.end)}`,
      target: '≤ 300 MB, flat',
      ok: s.rss.maxBytes !== null && flat !== null ? s.rss.maxBytes <= 300 * MB && flat : null,
    });
    t.add('resources', `sockets dropped (${s.store})`, String(s.socketsDropped), { baseline: `${s.boardDisconnects} board disconnects seen`, target: '0', ok: s.socketsDropped === 0 });
  }
  for (const m of r.memory) {
    t.add('resources', `hub RSS per workshop with a day of ${m.jobsPerWorkshop.toFixed(0)} jobs (${m.store})`, fmtKb(m.perWorkshopBytes), { baseline: `${fmtMb(m.rssEmptyBytes)} → ${fmtMb(m.rssLoadedBytes)} for ${m.workshops}` });
  }
  if (r.fanout) {
    const f = r.fanout;
    const cap = ratio(f.pitwall.deliveriesPerCpuSecond, f.bare?.deliveriesPerCpuSecond);
    t.add('fan-out', `delivered at one snapshot per room every ${f.intervalMs} ms (offered ${fmtRate(f.offeredPerSecond, '/s')})`, fmtRate(f.pitwall.deliveredPerSecond, '/s'), {
      baseline: `${fmtRate(f.bare?.deliveredPerSecond, '/s')} bare Socket.IO`,
      ratio: ratio(f.pitwall.deliveredPerSecond, f.bare?.deliveredPerSecond),
    });
    t.add('fan-out', `capacity: snapshots per CPU-second of the server (${f.payloadBytes} B each; ${f.pitwall.subscribed ?? '?'} / ${f.bare?.subscribed ?? '?'} boards on)`, fmtRate(f.pitwall.deliveriesPerCpuSecond, '/s'), {
      baseline: `${fmtRate(f.bare?.deliveriesPerCpuSecond, '/s')} bare Socket.IO`,
      ratio: cap,
      target: '≥ 80 % of bare',
      ok: cap === null ? null : cap >= 0.8,
    });
  }
  for (const s of r.storm) {
    t.add('reconnect', `all ${s.boards} boards dropped by a hub restart, back with a current board: p95 (${s.store})`, fmtS(s.backSeconds.p95), { target: '≤ 10 s', ok: s.backSeconds.p95 !== null && s.backSeconds.p95 <= 10 && s.back === s.boards });
    t.add('reconnect', `… all back (max; ${s.back}/${s.boards})`, fmtS(s.backSeconds.max), { baseline: `hub down ${fmtS(s.hubDownSeconds)}`, target: '≤ 30 s', ok: s.back === s.boards && s.backSeconds.max !== null && s.backSeconds.max <= 30 });
  }
  if (r.attacks) attackRows(t, r.attacks);
  if (r.history) historyRows(t, r.history);
  for (const p of r.replay) {
    // A small log is all start-up: judge a smoke run by its replay rate scaled to 1M, plus the start.
    const startup = Math.max(0, p.toBoardServedSeconds - p.hubReplayLoggedSeconds);
    const scaled = p.events >= 1_000_000 ? p.toBoardServedSeconds : startup + (p.hubReplayLoggedSeconds * 1_000_000) / p.events;
    t.add('replay', `start-up: ${p.events.toLocaleString('en-US')} events (${p.store}) → /healthz 200, board served`, `${fmtS(p.toHealthySeconds)}, ${fmtS(p.toBoardServedSeconds)}`, {
      baseline: `replay ${fmtRate(p.events / p.hubReplayLoggedSeconds)}${p.events < 1_000_000 ? `; 1M ≈ ${fmtS(scaled)}` : ''}`,
      target: '1M ≤ 20 s',
      ok: scaled <= 20,
    });
  }
  return t;
}

interface SteadyEntry {
  store: string;
  workshops: number;
  boards: number;
  rate: number;
  latencyMs: Summary;
  quietLatencyMs: Summary;
  snapshotsReceivedPerSecond: number;
  snapshotsSentPerSecond: number;
  hubCpu: number | null;
  hubCpuMsPer1000Events: number | null;
  rssPerBoardBytes: number | null;
  socketsDropped: number;
  boardDisconnects: number;
  heapUsedBytes: { start: number | null; end: number | null };
  externalBytes: { start: number | null; end: number | null };
  heapTotalBytes: { start: number | null; end: number | null };
  rss: { startBytes: number | null; endBytes: number | null; maxBytes: number | null; secondHalfGrowthBytes: number | null };
}
interface MemoryEntry {
  store: string;
  workshops: number;
  jobsPerWorkshop: number;
  rssEmptyBytes: number | null;
  rssLoadedBytes: number | null;
  perWorkshopBytes: number | null;
}
interface FanoutEntry {
  intervalMs: number;
  offeredPerSecond: number;
  payloadBytes: number;
  pitwall: { deliveredPerSecond: number; deliveriesPerCpuSecond: number | null; subscribed?: number };
  bare: { deliveredPerSecond: number; deliveriesPerCpuSecond: number | null; subscribed?: number } | null;
}
interface StormEntry {
  store: string;
  boards: number;
  back: number;
  hubDownSeconds: number;
  backSeconds: Summary;
}
interface ReplayEntry {
  store: string;
  events: number;
  toHealthySeconds: number;
  toBoardServedSeconds: number;
  hubReplayLoggedSeconds: number;
}

function summariseProfiles(dir: string, results: Results): void {
  let files: string[] = [];
  try {
    // One folder per hub (its label), node's own file names (pid, thread) inside.
    files = (readdirSync(dir, { recursive: true, encoding: 'utf8' }) as string[]).filter((f) => f.endsWith('.cpuprofile'));
  } catch {
    return;
  }
  for (const f of files.sort()) {
    try {
      results.profiles.push({ file: path.relative(ROOT, path.join(dir, f)), ...topFrames(path.join(dir, f), 25) });
    } catch (err) {
      results.errors.push(`profile ${f}: ${(err as Error).message}`);
    }
  }
}

function profileText(r: Results): string {
  return (
    r.profiles
      .map((p) => {
        const prof = p as { file: string; totalMs: number; idleMs: number; frames: { frame: string; selfMs: number; share: number }[] };
        const busy = prof.totalMs - prof.idleMs;
        return (
          `profile ${prof.file}: ${(busy / 1000).toFixed(1)} s busy of ${(prof.totalMs / 1000).toFixed(1)} s\n` +
          prof.frames
            .slice(0, 12)
            .map((f) => `  ${(f.share * 100).toFixed(1).padStart(5)} %  ${f.selfMs.toFixed(0).padStart(7)} ms  ${f.frame}`)
            .join('\n')
        );
      })
      .join('\n\n') + '\n\n'
  );
}

// ---------------------------------------------------------------------------------------------

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM'] as const) {
  process.on(signal, () => {
    if (interrupted) process.exit(130);
    interrupted = true;
    log(`${signal}: stopping everything the bench started`);
    killAll();
    process.exit(130);
  });
}

main().catch((err: unknown) => {
  killAll();
  process.stderr.write(`bench failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
  process.exit(1);
});

