import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { performance } from 'node:perf_hooks';

/**
 * Small shared pieces of the harness: one clock for every process, percentiles, and what
 * /proc says about a process (CPU time, resident memory).
 */

/**
 * Milliseconds since the epoch with sub-millisecond resolution. The poster, the boards child
 * and the bare Socket.IO server all stamp times with this, so a time taken in one process can
 * be subtracted from one taken in another on the same machine.
 */
export function wallMs(): number {
  return performance.timeOrigin + performance.now();
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface Summary {
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
  max: number | null;
  mean: number | null;
}

/** Nearest-rank percentiles of a sample (sorted in place). */
export function summarise(values: Float64Array | number[]): Summary {
  const sorted = Float64Array.from(values).sort();
  const n = sorted.length;
  if (n === 0) return { count: 0, p50: null, p95: null, p99: null, max: null, mean: null };
  const at = (p: number) => sorted[Math.min(n - 1, Math.max(0, Math.ceil((p / 100) * n) - 1))]!;
  let sum = 0;
  for (const v of sorted) sum += v;
  return { count: n, p50: at(50), p95: at(95), p99: at(99), max: sorted[n - 1]!, mean: sum / n };
}

/** Clock ticks per second of /proc/<pid>/stat's times (USER_HZ: 100 on every Linux we run on). */
const CLOCK_TICKS = 100;

export interface ProcSample {
  /** utime + stime, seconds. */
  cpuSeconds: number;
  rssBytes: number;
  at: number;
}

/** CPU time and RSS of a process, or null when it is gone (or /proc is not there). */
export function procSample(pid: number): ProcSample | null {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: count fields after the last ')'.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const utime = Number(fields[11]);
    const stime = Number(fields[12]);
    const status = readFileSync(`/proc/${pid}/status`, 'utf8');
    const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? NaN);
    return { cpuSeconds: (utime + stime) / CLOCK_TICKS, rssBytes: rssKb * 1024, at: wallMs() };
  } catch {
    return null;
  }
}

/** CPU seconds of each thread of a process, by thread name (node's main thread, "V8 Worker", "libuv-worker"…), summed per name. */
export function threadCpu(pid: number): Record<string, number> {
  const out: Record<string, number> = {};
  try {
    for (const tid of readdirSync(`/proc/${pid}/task`)) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        out[name] = (out[name] ?? 0) + (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
      } catch {
        // the thread ended
      }
    }
  } catch {
    // not Linux, or the process is gone
  }
  return out;
}

/** Per-thread CPU share between two `threadCpu` samples `seconds` apart. */
export function threadShares(a: Record<string, number>, b: Record<string, number>, seconds: number): Record<string, number> {
  return Object.fromEntries(Object.entries(b).map(([k, v]) => [k, Math.round(((v - (a[k] ?? 0)) / seconds) * 1000) / 1000]).filter(([, v]) => (v as number) > 0));
}

/** CPU share (1.0 = one core) of a process between two samples. */
export function cpuShare(a: ProcSample | null, b: ProcSample | null): number | null {
  if (!a || !b || b.at <= a.at) return null;
  return (b.cpuSeconds - a.cpuSeconds) / ((b.at - a.at) / 1000);
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as net.AddressInfo;
      srv.close(() => resolve(port));
    });
  });
}

export const MB = 1024 * 1024;

/** Reads one counter or gauge (summing its label sets) from Prometheus text. */
export function metricValue(text: string, name: string): number | null {
  let sum: number | null = null;
  for (const line of text.split('\n')) {
    if (!line.startsWith(name)) continue;
    const rest = line.slice(name.length);
    if (rest[0] !== ' ' && rest[0] !== '{') continue;
    const value = Number(line.slice(line.lastIndexOf(' ') + 1));
    if (Number.isFinite(value)) sum = (sum ?? 0) + value;
  }
  return sum;
}

export async function fetchMetrics(baseUrl: string): Promise<string> {
  const res = await fetch(`${baseUrl}/metrics`);
  return res.text();
}
