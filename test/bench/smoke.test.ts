import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import type { AttacksResult } from '../../bench/lib/attacks.js';
import type { HistoryResult } from '../../bench/lib/history-phase.js';

/**
 * `npm run bench -- --smoke` runs end to end, so the harness cannot rot: every section runs
 * against real hubs (both stores, a redis-server of its own), every baseline beside it, and the
 * JSON it writes holds each figure the table prints. Tiny numbers on a busy CI machine: this
 * checks the harness works and its figures are sane, never how fast the hub is.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TIMEOUT_MS = 150_000;

interface Summary {
  count: number;
  p50: number | null;
  p99: number | null;
  max: number | null;
}

interface BenchJson {
  options: { smoke: boolean };
  errors: string[];
  machine: { cores: number; node: string; redis?: string };
  ingest: { mode: string; raw: { single?: { eventsPerSecond: number }; batch?: { eventsPerSecond: number } }; pitwall: { door: string; batch: number; eventsPerSecond: number; rejected: number; errors: number; hubCpuMsPer1000: number | null }[] }[];
  steady: { store: string; accepted: number; errors: number; rejected: number; latencyMs: Summary; quietLatencyMs: Summary; snapshotsReceivedPerSecond: number; rss: { maxBytes: number | null }; socketsDropped: number }[];
  storm: { store: string; boards: number; back: number; backSeconds: Summary }[];
  fanout: { boards: number; payloadBytes: number; pitwall: { deliveredPerSecond: number; deliveriesPerCpuSecond: number | null }; bare: { deliveredPerSecond: number } | null } | null;
  memory: { store: string; perWorkshopBytes: number | null; jobsPerWorkshop: number }[];
  replay: { store: string; events: number; toHealthySeconds: number; toBoardServedSeconds: number; boardSeq: number }[];
  table: string;
  rows: { section: string; measure: string; value: string }[];
  attacks: AttacksResult | null;
  history: HistoryResult | null;
}

function runBench(args: string[]): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'bench/run.ts'), ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    const timer = setTimeout(() => child.kill('SIGINT'), TIMEOUT_MS - 10_000);
    child.once('error', reject);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('npm run bench -- --smoke', () => {
  let dir: string | undefined;
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it(
    'runs every section on both stores with its baselines and writes every figure',
    async () => {
      dir = await mkdtemp(path.join(os.tmpdir(), 'pitwall-bench-smoke-'));
      const out = path.join(dir, 'smoke.json');
      const started = performance.now();
      const { code, output } = await runBench(['--smoke', '--out', out]);
      const seconds = (performance.now() - started) / 1000;
      console.log(`bench smoke: ${seconds.toFixed(1)} s, exit ${code}`);
      expect(code, output.slice(-4000)).toBe(0);
      const r = JSON.parse(await readFile(out, 'utf8')) as BenchJson;

      expect(r.options.smoke).toBe(true);
      expect(r.errors).toEqual([]);
      expect(r.machine.cores).toBeGreaterThan(0);
      expect(r.machine.redis).toMatch(/^\d+\./);

      // Ingest: each store with both raw ceilings and the three Pitwall doors, all accepted.
      expect(r.ingest.map((m) => m.mode.split(' ')[0])).toEqual(expect.arrayContaining(['embedded', 'redis']));
      for (const m of r.ingest) {
        expect(m.raw.single?.eventsPerSecond, m.mode).toBeGreaterThan(0);
        expect(m.raw.batch?.eventsPerSecond, m.mode).toBeGreaterThan(0);
        expect(m.pitwall.map((p) => `${p.door}×${p.batch}`)).toEqual(['http×1', 'socket×1', 'http×100']);
        for (const p of m.pitwall) {
          expect(p.eventsPerSecond, `${m.mode} ${p.door}×${p.batch}`).toBeGreaterThan(0);
          expect(p.rejected + p.errors).toBe(0);
        }
        expect(m.pitwall[2]!.hubCpuMsPer1000).toBeGreaterThan(0);
      }

      // Steady load and the storm: latencies measured at the boards, every board back.
      expect(r.steady.map((s) => s.store)).toEqual(['embedded', 'redis']);
      for (const s of r.steady) {
        expect(s.accepted).toBeGreaterThan(0);
        expect(s.errors + s.rejected).toBe(0);
        expect(s.latencyMs.count).toBeGreaterThan(0);
        expect(s.latencyMs.p50).toBeGreaterThanOrEqual(0);
        // The window bounds a busy workshop's delay; 5 s would mean a lost snapshot, whatever the load.
        expect(s.latencyMs.max).toBeLessThan(5000);
        expect(s.quietLatencyMs.count).toBeGreaterThan(0);
        expect(s.snapshotsReceivedPerSecond).toBeGreaterThan(0);
        expect(s.rss.maxBytes).toBeGreaterThan(0);
        expect(s.socketsDropped).toBe(0);
      }
      expect(r.storm.map((s) => s.store)).toEqual(['embedded', 'redis']);
      for (const s of r.storm) {
        expect(s.back).toBe(s.boards);
        expect(s.backSeconds.max).toBeGreaterThan(0);
      }

      // Fan-out against the bare Socket.IO server.
      expect(r.fanout).not.toBeNull();
      expect(r.fanout!.payloadBytes).toBeGreaterThan(500);
      expect(r.fanout!.pitwall.deliveredPerSecond).toBeGreaterThan(0);
      expect(r.fanout!.bare?.deliveredPerSecond).toBeGreaterThan(0);

      // Memory of a busy day and the start-up replay, per store.
      expect(r.memory.map((m) => m.store)).toEqual(['embedded']);
      for (const m of r.memory) expect(m.jobsPerWorkshop).toBeGreaterThan(200);
      expect(r.replay.map((p) => p.store)).toEqual(['embedded', 'redis']);
      for (const p of r.replay) {
        expect(p.events).toBeGreaterThan(0);
        expect(p.toBoardServedSeconds).toBeGreaterThanOrEqual(p.toHealthySeconds);
        expect(p.boardSeq).toBeGreaterThan(0);
      }

      // The attacks of issue 11, each answered within its bound.
      expect(r.attacks).not.toBeNull();
      expect(r.attacks!.oldLog!.livePosts[0]).toBe('rejected (too_old)');
      expect(r.attacks!.terminalFlood.map((f) => f.limit)).toEqual(['default rate limit', 'rate limit lifted']);
      for (const f of r.attacks!.terminalFlood) expect(f.result.snapshotBytesAfter).toBeLessThanOrEqual(65_536);
      expect(r.attacks!.rawConnections!.accepted).toBeLessThanOrEqual(500);
      expect(r.attacks!.rawConnections!.healthz.failures).toBe(0);
      expect(r.attacks!.pathological.map((p) => p.name.split(' ')[0])).toEqual(['ordinary', 'breaks', 'pauses', 'reassignments', 'many']);

      // Issue 14's history section: a short and a long log per shape, each hub stopped cleanly
      // after its first start; many workshops restarted; a workshop-year's Redis memory.
      const h = r.history!;
      expect(h.cases.map((c) => c.shape)).toEqual(['bench', 'bench', 'busy', 'busy']);
      expect(h.cases[0]!.days).toBeLessThan(h.cases[1]!.days);
      expect(h.cases[2]!.days).toBeLessThan(h.cases[3]!.days);
      for (const c of h.cases) {
        expect(c.firstStart.stoppedCleanly, `${c.shape} ${c.days} days`).toBe(true);
        expect(c.start.toBoardSeconds).toBeGreaterThanOrEqual(c.start.toHealthySeconds);
        expect(c.rssAfterStartBytes).toBeGreaterThan(0);
        expect(c.dailyMs.count).toBeGreaterThanOrEqual(3);
        expect(c.staffingMs.p50).toBeGreaterThan(0);
        expect(c.historyMs.p50).toBeGreaterThan(0);
      }
      expect(h.many!.coldBoardMs.count).toBe(h.many!.coldWorkshops.length);
      expect(h.many!.rssBeforeUseBytes).toBeGreaterThan(0);
      expect(h.redis!.usedMemoryAfterPreloadBytes).toBeGreaterThan(h.redis!.usedMemoryBeforeBytes);
      expect(h.redis!.firstStart.stoppedCleanly).toBe(true);

      // The printed table: every section, baselines and ratios.
      expect(new Set(r.rows.map((row) => row.section))).toEqual(new Set(['ingest', 'latency', 'fan-out', 'resources', 'reconnect', 'replay', 'attacks', 'history']));
      expect(r.table).toContain('raw XADD');
      expect(r.table).toContain('raw append+fsync');
      expect(r.table).toContain('bare Socket.IO');
      expect(output).toContain(r.table);
    },
    TIMEOUT_MS,
  );
});
