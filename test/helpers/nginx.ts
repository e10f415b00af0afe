import type { ChildProcess } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { spawnDaemon, terminate } from './daemon.js';
import { requireBinary } from './find-binary.js';
import { freePort } from './hub-process.js';

/** Debian's nginx lives in /usr/sbin, not on a non-root user's PATH. */
const SBIN = ['/usr/sbin', '/usr/local/sbin'];

/**
 * The shipped `deploy/nginx.conf` in front of a hub, as a real nginx (Debian's nginx-light,
 * which .ci/run installs): only what must differ on a test machine is rewritten (the upstream
 * is the test's hub, it listens on a free port of 127.0.0.1, logs go to a temp dir, and it
 * stays in the foreground); the proxy headers and the log format are the shipped ones.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SHIPPED_NGINX_CONF = path.join(ROOT, 'deploy/nginx.conf');
const START_TIMEOUT_MS = 10_000;
const PORT_ATTEMPTS = 5;

export interface NginxHandle {
  url: string;
  port: number;
  /** The access log so far (the shipped `access_log`, moved to the temp dir). */
  accessLog(): string;
  stop(): Promise<void>;
}

/** Starts nginx with the shipped config in front of `upstreamPort` on 127.0.0.1. */
export async function startNginx(upstreamPort: number): Promise<NginxHandle> {
  const binary = ensureNginx();
  const dir = mkdtempSync(path.join(os.tmpdir(), 'pitwall-nginx-'));
  // Workers run as `nobody` when the master is root: they must reach their temp dirs.
  chmodSync(dir, 0o755);
  let child: ChildProcess | undefined;
  let port = 0;
  let lastError: unknown;
  for (let attempt = 0; attempt < PORT_ATTEMPTS && !child; attempt++) {
    port = await freePort();
    writeFileSync(path.join(dir, 'nginx.conf'), testConf(readFileSync(SHIPPED_NGINX_CONF, 'utf8'), { dir, port, upstreamPort }));
    try {
      child = await launch(binary, dir, port);
    } catch (err) {
      lastError = err;
    }
  }
  if (!child) {
    rmSync(dir, { recursive: true, force: true });
    throw new Error(`could not start nginx after ${PORT_ATTEMPTS} attempts: ${(lastError as Error).message}`);
  }
  const running = child;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    accessLog: () => readFileSync(path.join(dir, 'access.log'), 'utf8'),
    async stop() {
      await terminate(running, 'SIGQUIT');
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** The shipped config with the test machine's upstream, port and paths; fails if the shipped one changed shape. */
function testConf(shipped: string, at: { dir: string; port: number; upstreamPort: number }): string {
  const replace = (conf: string, pattern: RegExp, by: string): string => {
    if (!pattern.test(conf)) throw new Error(`deploy/nginx.conf no longer matches ${pattern}: update test/helpers/nginx.ts`);
    return conf.replace(pattern, by);
  };
  let conf = shipped;
  conf = replace(conf, /^(\s*)server hub-a:3000[^;]*;\n\s*server hub-b:3000[^;]*;/m, `$1server 127.0.0.1:${at.upstreamPort};`);
  conf = replace(conf, /listen 80;/, `listen 127.0.0.1:${at.port};`);
  // A config without an access_log of its own logs with nginx's default (combined) format.
  const defaultLog = conf.includes('/var/log/nginx/') ? '' : `\n  access_log ${at.dir}/access.log;`;
  conf = conf.replace(/\/var\/log\/nginx\//g, `${at.dir}/`);
  conf = replace(conf, /^http \{$/m, `http {\n  client_body_temp_path ${at.dir}/client_body;\n  proxy_temp_path ${at.dir}/proxy;${defaultLog}`);
  return `daemon off;\nworker_processes 1;\npid ${at.dir}/nginx.pid;\nerror_log ${at.dir}/error.log warn;\n${conf}`;
}

function launch(binary: string, dir: string, port: number): Promise<ChildProcess> {
  return spawnDaemon({
    name: `nginx on port ${port}`,
    // -e: the error log before the config is read (the default path may not be writable).
    binary,
    args: ['-p', `${dir}/`, '-c', path.join(dir, 'nginx.conf'), '-e', path.join(dir, 'error.log')],
    ready: () => accepts(port),
    timeoutMs: START_TIMEOUT_MS,
    stopSignal: 'SIGQUIT',
    explain: () => errorLog(dir),
  });
}

function errorLog(dir: string): string {
  try {
    return readFileSync(path.join(dir, 'error.log'), 'utf8').trim();
  } catch {
    return '';
  }
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

/** SIGQUIT is nginx's graceful stop; it exits once open connections are done (the test closed its own). */

/** The nginx binary (Debian's nginx-light, installed by `.ci/run`, never by a test). */
function ensureNginx(): string {
  return requireBinary('nginx', 'nginx-light', 'the proxy tests', SBIN);
}
