import { spawn, type ChildProcess } from 'node:child_process';

/** A server process a test starts (redis-server, nginx) and how to tell it is up. */
export interface DaemonSpec {
  /** Names it in errors: "redis-server on port 6390". */
  name: string;
  binary: string;
  args: readonly string[];
  /** Resolves true once the daemon serves (answers PING, accepts a connection). */
  ready: () => Promise<boolean>;
  timeoutMs: number;
  /** Sent when it does not come up in time. */
  stopSignal: NodeJS.Signals;
  /** More to say when it fails (its own error log). */
  explain?: () => string;
}

/**
 * Spawns the daemon and resolves once `ready` says so; rejects with its output's tail (and
 * stops it) when it exits first or stays silent. Its pipes are drained for as long as it runs.
 */
export async function spawnDaemon(spec: DaemonSpec): Promise<ChildProcess> {
  const child = spawn(spec.binary, spec.args, { stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer) => (output = (output + chunk.toString()).slice(-4000));
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  let exited: string | null = null;
  child.once('exit', (code, sig) => (exited = `exited with ${sig ?? code}`));
  child.once('error', (err) => (exited = err.message));
  const said = () => [output.trim(), spec.explain?.() ?? ''].filter(Boolean).join(' ');

  const deadline = Date.now() + spec.timeoutMs;
  while (Date.now() < deadline) {
    if (exited) throw new Error(`${spec.name} ${exited}: ${said()}`);
    if (await spec.ready()) return child;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await terminate(child, spec.stopSignal);
  throw new Error(`${spec.name} was not ready within ${spec.timeoutMs} ms: ${said()}`);
}

/** Sends `sig` and waits for the exit; SIGKILL after `forceAfterMs` if it lingers. */
export function terminate(child: ChildProcess, sig: NodeJS.Signals, forceAfterMs = 5000): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill('SIGKILL'), forceAfterMs);
    child.once('exit', () => {
      clearTimeout(force);
      resolve();
    });
    child.kill(sig);
  });
}
