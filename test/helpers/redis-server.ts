import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { spawnDaemon, terminate } from './daemon.js';
import { requireBinary } from './find-binary.js';
import { freePort } from './hub-process.js';

/**
 * A throwaway redis-server for integration tests: real process, free port on 127.0.0.1,
 * own temp dir, no RDB snapshots. `kill()` is a crash (SIGKILL), `restart()` brings it back
 * on the same port and dir (so with `appendonly` the data survives), `stop()` is final.
 * `pause()`/`resume()` are SIGSTOP/SIGCONT: a Redis that stalls with its connections open (a
 * long fork, a VM pause) and then runs whatever its clients sent meanwhile.
 */

export interface RedisServerOptions {
  /** AOF on, fsynced on every write (`appendfsync always`), so a SIGKILL loses nothing acknowledged. */
  appendonly?: boolean;
  /** Data dir; a fresh temp dir (removed by stop()) when omitted. */
  dir?: string;
  /** More redis-server options, after the ones above (a cluster node's, test/helpers/redis-cluster.ts). */
  extraArgs?: readonly string[];
}

export interface RedisServerHandle {
  url: string;
  port: number;
  dir: string;
  /** SIGTERM, wait for exit, remove the temp dir if we made it. */
  stop(): Promise<void>;
  /** SIGKILL, like a crash. */
  kill(): Promise<void>;
  /** Starts the server again on the same port and dir (after kill(); stops it first if running). */
  restart(): Promise<void>;
  /** SIGSTOP: the server freezes, its sockets stay open and the kernel keeps buffering what clients send. */
  pause(): void;
  /** SIGCONT: it runs again, starting with what it was sent while paused. */
  resume(): void;
}

const START_TIMEOUT_MS = 10_000;
const PORT_ATTEMPTS = 5;

export async function startRedisServer(opts: RedisServerOptions = {}): Promise<RedisServerHandle> {
  const binary = ensureRedisServer();
  const ownDir = opts.dir === undefined;
  const dir = opts.dir ?? mkdtempSync(path.join(os.tmpdir(), 'pitwall-redis-'));
  const args = (port: number) => [
    '--port', String(port),
    '--bind', '127.0.0.1',
    '--save', '',
    '--appendonly', opts.appendonly ? 'yes' : 'no',
    '--appendfsync', 'always',
    '--dir', dir,
    '--daemonize', 'no',
    '--loglevel', 'warning',
    ...(opts.extraArgs ?? []),
  ];

  // Another process can grab the port between our probe and redis binding it: try a few.
  let child: ChildProcess | undefined;
  let port = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS && !child; attempt++) {
    port = await freePort();
    try {
      child = await launch(binary, args(port), port);
    } catch (err) {
      lastError = err;
    }
  }
  if (!child) {
    if (ownDir) rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start redis-server after ${PORT_ATTEMPTS} attempts: ${(lastError as Error).message}`);
  }

  let current: ChildProcess | null = child;
  let paused = false;
  const signal = async (sig: NodeJS.Signals) => {
    const proc = current;
    current = null;
    // A stopped process keeps SIGTERM pending until it is continued.
    if (proc && paused) proc.kill('SIGCONT');
    paused = false;
    if (proc) await terminate(proc, sig);
  };
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    dir,
    async stop() {
      await signal('SIGTERM');
      if (ownDir) rmSync(dir, { recursive: true, force: true });
    },
    kill: () => signal('SIGKILL'),
    async restart() {
      await signal('SIGTERM');
      current = await launch(binary, args(port), port);
    },
    pause() {
      if (!current) throw new Error('redis-server is not running');
      current.kill('SIGSTOP');
      paused = true;
    },
    resume() {
      if (!current) throw new Error('redis-server is not running');
      current.kill('SIGCONT');
      paused = false;
    },
  };
}

/** Spawns redis-server and resolves once it answers PING; rejects (and kills it) if it exits or stays silent. */
function launch(binary: string, args: string[], port: number): Promise<ChildProcess> {
  return spawnDaemon({ name: `redis-server on port ${port}`, binary, args, ready: () => answersPing(port), timeoutMs: START_TIMEOUT_MS, stopSignal: 'SIGKILL' });
}

function answersPing(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    let reply = '';
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(500, () => done(false));
    socket.once('error', () => done(false));
    socket.once('connect', () => socket.write('PING\r\n'));
    socket.on('data', (chunk) => {
      reply += chunk.toString();
      // "-LOADING" while the AOF is being replayed: not ready yet.
      if (reply.includes('\r\n')) done(reply.startsWith('+PONG'));
    });
  });
}

/** The redis-server binary (installed by `.ci/run`, never by a test). */
function ensureRedisServer(): string {
  return requireBinary('redis-server', 'redis-server', 'the Redis store tests');
}
