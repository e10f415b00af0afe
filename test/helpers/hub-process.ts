import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import https from 'node:https';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The hub as its own OS process (`server/main.ts` through tsx), so a test can SIGKILL it
 * the way a crash or an OOM would, and start it again on the same data.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const READY_TIMEOUT_MS = 20_000;

export interface HubProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** Everything the process wrote so far (stdout + stderr). */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
  exited: Promise<number | null>;
}

// One way to find a free port, the bench's.
import { freePort } from '../../bench/lib/util.js';
export { freePort };

export interface HubProcessOptions {
  /**
   * The process's open-file limit (soft and hard: Node raises its soft limit to the hard one
   * at start), to see what the hub does when it runs out; unset: this process's.
   */
  openFiles?: number;
}

export async function startHubProcess(env: Record<string, string>, port?: number, opts: HubProcessOptions = {}): Promise<HubProcess> {
  const p = port ?? (await freePort());
  const node = [process.execPath, '--import', 'tsx', path.join(ROOT, 'server/main.ts')];
  const [command, ...args] = opts.openFiles === undefined ? node : ['/bin/sh', '-c', `ulimit -n ${opts.openFiles} && exec "$@"`, 'sh', ...node];
  const child = spawn(command!, args, {
    cwd: ROOT,
    env: { ...process.env, HOST: '127.0.0.1', PORT: String(p), LOG_LEVEL: 'info', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  // With PITWALL_TLS_CERT the hub speaks HTTPS: the readiness check trusts that certificate.
  const ca = env.PITWALL_TLS_CERT ? readFileSync(env.PITWALL_TLS_CERT) : undefined;
  const url = `${ca ? 'https' : 'http'}://${env.HOST ?? '127.0.0.1'}:${p}`;
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let gone = false;
  void exited.then(() => (gone = true));
  for (;;) {
    if (gone) throw new Error(`hub exited during start-up:\n${out}`);
    try {
      if ((await healthStatus(`${url}/healthz`, ca)) === 200) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`hub not ready after ${READY_TIMEOUT_MS} ms:\n${out}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    port: p,
    child,
    output: () => out,
    exited,
    async kill(signal: NodeJS.Signals = 'SIGKILL') {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}

/** GET's status; over HTTPS trusting `ca` (fetch cannot be given a CA without another package). */
async function healthStatus(url: string, ca: Buffer | undefined): Promise<number> {
  if (!ca) return (await fetch(url)).status;
  return new Promise((resolve, reject) => {
    https
      .get(url, { ca }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
      .on('error', reject);
  });
}
