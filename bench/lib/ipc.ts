import { fork, type ChildProcess } from 'node:child_process';
import { ROOT, stopChild, track } from './processes.js';
import path from 'node:path';

/**
 * Request / reply over the IPC channel of a forked helper (the boards, the bare Socket.IO
 * server), so the helpers can run on their own event loop, away from the poster's.
 */

interface Request {
  id: number;
  cmd: string;
  args: unknown;
}
type Reply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };

export class Helper {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private exitError: Error | null = null;

  private constructor(readonly child: ChildProcess) {
    child.on('message', (m: Reply) => {
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m.value);
      else p.reject(new Error(m.error));
    });
    child.once('exit', (code, signal) => {
      this.exitError = new Error(`helper ${path.basename(String(child.spawnargs.at(-1)))} exited (${signal ?? code})`);
      for (const p of this.pending.values()) p.reject(this.exitError);
      this.pending.clear();
    });
  }

  /** Forks `bench/<file>` under tsx with the advanced (structured clone) serialisation. */
  static start(file: string, env: Record<string, string> = {}): Helper {
    const child = track(
      fork(path.join(ROOT, 'bench', file), [], {
        execArgv: ['--import', 'tsx'],
        serialization: 'advanced',
        env: { ...process.env, ...env },
        stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      }),
    );
    return new Helper(child);
  }

  get pid(): number {
    return this.child.pid!;
  }

  call<T>(cmd: string, args: unknown = {}): Promise<T> {
    if (this.exitError) return Promise.reject(this.exitError);
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.child.send({ id, cmd, args } satisfies Request);
    });
  }

  async stop(): Promise<void> {
    await this.call('exit').catch(() => {});
    await stopChild(this.child, 'SIGTERM', 5000);
  }
}

/** The helper's side: answers each request with its handler's result (or error message). */
export function serveRequests(handlers: Record<string, (args: never) => unknown>): void {
  process.on('message', (m: Request) => {
    const handler = handlers[m.cmd];
    void (async () => {
      let reply: Reply;
      try {
        if (!handler) throw new Error(`unknown command ${m.cmd}`);
        reply = { id: m.id, ok: true, value: await handler(m.args as never) };
      } catch (err) {
        reply = { id: m.id, ok: false, error: err instanceof Error ? (err.stack ?? err.message) : String(err) };
      }
      process.send?.(reply);
      if (m.cmd === 'exit') setTimeout(() => process.exit(0), 50);
    })();
  });
  // The harness died: do not outlive it.
  process.on('disconnect', () => process.exit(0));
}
