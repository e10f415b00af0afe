import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import { Redis } from 'ioredis';
import { freePort, sleep, wallMs } from './util.js';

/**
 * The processes the harness starts and always stops: a redis-server of its own (temp dir,
 * free port, AOF on) and hub processes. Everything started here is registered so that an
 * error or Ctrl-C half-way still kills it (`killAll`).
 */

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

const started = new Set<ChildProcess>();
const tempDirs = new Set<string>();

export function track(child: ChildProcess): ChildProcess {
  started.add(child);
  child.once('exit', () => started.delete(child));
  return child;
}

/** SIGKILLs whatever is still running and removes the temp dirs: the last resort on error or interrupt. */
export function killAll(): void {
  for (const child of started) if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  started.clear();
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true });
  tempDirs.clear();
}

export function tempDir(prefix: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), prefix));
  tempDirs.add(dir);
  return dir;
}

export function removeTempDir(dir: string): void {
  rmSync(dir, { recursive: true, force: true });
  tempDirs.delete(dir);
}

function waitExit(child: ChildProcess, timeoutMs: number): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
    }, timeoutMs);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

export async function stopChild(child: ChildProcess, signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 10_000): Promise<void> {
  if (child.exitCode === null && child.signalCode === null) child.kill(signal);
  await waitExit(child, timeoutMs);
}

// ---------------------------------------------------------------------------------------------
// redis-server

export type Fsync = 'always' | 'everysec';

export interface RedisHandle {
  url: string;
  pid: number;
  version: string;
  /** An admin connection of the harness (CONFIG SET, FLUSHALL, direct writes). */
  client: Redis;
  setFsync(mode: Fsync): Promise<void>;
  stop(): Promise<void>;
}

export async function startRedis(): Promise<RedisHandle> {
  const dir = tempDir('pitwall-bench-redis-');
  let lastError = '';
  for (let attempt = 0; attempt < 5; attempt++) {
    const port = await freePort();
    const child = track(
      spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir, '--daemonize', 'no', '--loglevel', 'warning'], {
        stdio: ['ignore', 'pipe', 'pipe'],
      }),
    );
    let output = '';
    child.stdout!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    child.stderr!.on('data', (d: Buffer) => (output = (output + d.toString()).slice(-4000)));
    const spawnError = new Promise<string>((resolve) => child.once('error', (err) => resolve(err.message)));
    const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 1, retryStrategy: () => null });
    client.on('error', () => {});
    const deadline = Date.now() + 10_000;
    let ready = false;
    while (Date.now() < deadline && child.exitCode === null) {
      const failed = await Promise.race([spawnError, sleep(100).then(() => null)]);
      if (failed !== null) throw new Error(`cannot run redis-server (${failed}); install it: apt-get install -y redis-server`);
      try {
        if (client.status !== 'ready') await client.connect();
        if ((await client.ping()) === 'PONG') {
          ready = true;
          break;
        }
      } catch {
        client.disconnect();
      }
    }
    if (!ready) {
      lastError = output;
      client.disconnect();
      await stopChild(child, 'SIGKILL');
      continue;
    }
    const info = await client.info('server');
    const version = /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
    return {
      url: `redis://127.0.0.1:${port}`,
      pid: child.pid!,
      version,
      client,
      async setFsync(mode) {
        await client.config('SET', 'appendfsync', mode);
      },
      async stop() {
        client.disconnect();
        await stopChild(child, 'SIGTERM');
        removeTempDir(dir);
      },
    };
  }
  throw new Error(`redis-server did not start: ${lastError}`);
}

// ---------------------------------------------------------------------------------------------
// The hub

export interface HubOptions {
  /** `main`: server/main.ts, the real thing. `bench`: bench/hub-entry.ts, the same wiring with the broadcaster's timings from BENCH_* variables. */
  entry: 'main' | 'bench';
  configPath: string;
  dataDir: string;
  redisUrl?: string;
  port?: number;
  /** Write a CPU profile (node --cpu-prof) into this directory at exit. */
  profileDir?: string;
  label: string;
  env?: Record<string, string>;
}

export interface HubHandle {
  url: string;
  port: number;
  pid: number;
  /** Wall time (wallMs) the process was spawned, and when /healthz first answered 200. */
  spawnedAt: number;
  readyAt: number;
  /** Sum of the hub's own "workshop replayed" log times, ms. */
  replayMs(): number;
  output(): string;
  /** SIGTERM (the hub's graceful shutdown, which also writes a CPU profile), SIGKILL after 10 s. */
  stop(signal?: NodeJS.Signals): Promise<void>;
  exited: Promise<void>;
}

const HUB_READY_TIMEOUT_MS = 180_000;

/**
 * The hub runs as plain JavaScript under node, as `npm start` runs it (dist/server/main.js),
 * not under tsx: tsx's loader thread would add its start-up to the replay figure and its own
 * thread to the CPU profile. esbuild (what tsx compiles with) transpiles server/, shared/ and
 * bench/hub-entry.ts file by file, once per run, into bench/.build/<pid>/ (the same tree, so
 * node_modules resolve and a profile's frames name the source file); removed again at exit.
 */
let built: Promise<Record<HubOptions['entry'], string>> | null = null;
export const BUILD_DIR = path.join(ROOT, 'bench/.build', String(process.pid));

export function buildHub(): Promise<Record<HubOptions['entry'], string>> {
  built ??= (async () => {
    tempDirs.add(BUILD_DIR);
    const sources = ['server', 'shared'].flatMap((dir) =>
      readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
        .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
        .map((f) => path.join(ROOT, dir, f)),
    );
    await build({
      entryPoints: [...sources, path.join(ROOT, 'bench/hub-entry.ts')],
      outdir: BUILD_DIR,
      outbase: ROOT,
      bundle: false,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      logLevel: 'error',
    });
    return { main: path.join(BUILD_DIR, 'server/main.js'), bench: path.join(BUILD_DIR, 'bench/hub-entry.js') };
  })();
  return built;
}

export async function startHub(opts: HubOptions): Promise<HubHandle> {
  const port = opts.port ?? (await freePort());
  const entryFile = (await buildHub())[opts.entry];
  const args: string[] = [];
  if (opts.profileDir) {
    // node's default profile names (with pid and thread id): one file per process.
    const dir = path.join(opts.profileDir, opts.label);
    mkdirSync(dir, { recursive: true });
    args.push('--cpu-prof', '--cpu-prof-dir', dir);
  }
  args.push(entryFile);
  const spawnedAt = wallMs();
  const child = track(
    spawn(process.execPath, args, {
      cwd: ROOT,
      env: {
        ...process.env,
        HOST: '127.0.0.1',
        PORT: String(port),
        LOG_LEVEL: 'info',
        PITWALL_CONFIG: opts.configPath,
        PITWALL_DATA_DIR: opts.dataDir,
        // The bench's terminals and boards all come from 127.0.0.1: lift the per-token and
        // per-address limits, which are there against runaway clients, not against load.
        PITWALL_RATE_LIMIT: '1000000000',
        PITWALL_MAX_SOCKETS_PER_IP: '1000000',
        ...(opts.redisUrl !== undefined ? { REDIS_URL: opts.redisUrl } : { REDIS_URL: '' }),
        ...opts.env,
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  let out = '';
  let replayMs = 0;
  let partial = '';
  const onData = (d: Buffer) => {
    const text = d.toString();
    out = (out + text).slice(-200_000);
    partial += text;
    const lines = partial.split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) {
      if (!line.includes('"workshop replayed"')) continue;
      try {
        replayMs += (JSON.parse(line) as { ms?: number }).ms ?? 0;
      } catch {
        // not a log line
      }
    }
  };
  child.stdout!.on('data', onData);
  child.stderr!.on('data', onData);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let gone = false;
  void exited.then(() => (gone = true));

  const url = `http://127.0.0.1:${port}`;
  const deadline = Date.now() + HUB_READY_TIMEOUT_MS;
  let readyAt = 0;
  while (!readyAt) {
    if (gone) throw new Error(`hub (${opts.label}) exited during start-up:\n${out.slice(-4000)}`);
    try {
      const res = await fetch(`${url}/healthz`);
      if (res.status === 200) readyAt = wallMs();
      await res.arrayBuffer();
    } catch {
      // not listening yet
    }
    if (readyAt) break;
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`hub (${opts.label}) not ready after ${HUB_READY_TIMEOUT_MS} ms:\n${out.slice(-4000)}`);
    }
    await sleep(25);
  }
  return {
    url,
    port,
    pid: child.pid!,
    spawnedAt,
    readyAt,
    replayMs: () => replayMs,
    output: () => out,
    stop: (signal = 'SIGTERM') => stopChild(child, signal),
    exited,
  };
}
