import { readFileSync } from 'node:fs';
import http from 'node:http';
import { performance } from 'node:perf_hooks';
import WebSocket from 'ws';
import { sleep } from './util.js';

/**
 * The attack of issue 11, item 3: raw engine.io WebSockets that never send Socket.IO's CONNECT,
 * all from one address, while `/healthz` is probed as a load balancer would. The hub should
 * refuse the excess at the engine, close the rest after its connect timeout, and keep
 * answering its probe. docs/security.md, "Connections before the handshake".
 */

export interface RawConnectionAttack {
  /** The hub, e.g. `http://127.0.0.1:3000`. */
  baseUrl: string;
  /** WebSockets to open. Each holds a file descriptor in this process until the end. */
  connections: number;
  /** Handshakes in flight at once (default 500): a flood, but within the listen backlog's reach. */
  concurrency?: number;
  /** After the last handshake is answered, keep the accepted ones open this long (default 0). */
  holdMs?: number;
  /** Pause between two `/healthz` probes (default 100 ms). */
  probeEveryMs?: number;
  /** A probe or a handshake not answered by then counts as failed (default 10 s). */
  timeoutMs?: number;
}

export interface RawConnectionReport {
  attempted: number;
  /** Upgraded: the engine sent its OPEN. */
  accepted: number;
  /** Answered with an HTTP error instead of the upgrade, by response body (`too_many_connections`). */
  refused: number;
  refusedBy: Record<string, number>;
  /** Neither: connection reset, timed out, or any other error. */
  failed: number;
  /** Accepted, then closed by the hub before the end (its connect timeout). */
  closedByHub: number;
  /** How long those lived, ms (null when none was closed). */
  closedAfterMs: { min: number | null; max: number | null };
  /** From the first handshake to the last answer. */
  floodMs: number;
  healthz: { probes: number; failures: number; minMs: number | null; medianMs: number | null; maxMs: number | null };
}

export async function attackRawConnections(attack: RawConnectionAttack): Promise<RawConnectionReport> {
  const { connections } = attack;
  const concurrency = attack.concurrency ?? 500;
  const timeoutMs = attack.timeoutMs ?? 10_000;
  checkFileLimit(connections);
  const wsUrl = `${attack.baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`;

  const report: RawConnectionReport = {
    attempted: connections,
    accepted: 0,
    refused: 0,
    refusedBy: {},
    failed: 0,
    closedByHub: 0,
    closedAfterMs: { min: null, max: null },
    floodMs: 0,
    healthz: { probes: 0, failures: 0, minMs: null, medianMs: null, maxMs: null },
  };
  const sockets: WebSocket[] = [];
  let finished = false;

  const latencies: number[] = [];
  const probing = (async () => {
    while (!finished) {
      const started = performance.now();
      if ((await probeHealth(`${attack.baseUrl}/healthz`, timeoutMs)) === 200) latencies.push(performance.now() - started);
      else report.healthz.failures++;
      report.healthz.probes++;
      await sleep(attack.probeEveryMs ?? 100);
    }
  })();

  const open = (): Promise<void> =>
    new Promise((resolve) => {
      const ws = new WebSocket(wsUrl, { handshakeTimeout: timeoutMs });
      sockets.push(ws);
      let openedAt = 0;
      let settled = false;
      const settle = (outcome: () => void): void => {
        if (settled) return;
        settled = true;
        outcome();
        resolve();
      };
      ws.once('open', () =>
        settle(() => {
          report.accepted++;
          openedAt = performance.now();
        }),
      );
      ws.once('unexpected-response', (_req, res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk.slice(0, 200)));
        const done = (): void =>
          settle(() => {
            report.refused++;
            const reason = body.trim() || `HTTP ${res.statusCode ?? '?'}`;
            report.refusedBy[reason] = (report.refusedBy[reason] ?? 0) + 1;
          });
        res.once('end', done);
        res.once('close', done);
        res.once('error', done);
      });
      ws.on('error', () => settle(() => report.failed++));
      ws.once('close', () => {
        if (openedAt === 0 || finished) return;
        const lived = performance.now() - openedAt;
        report.closedByHub++;
        report.closedAfterMs.min = Math.min(report.closedAfterMs.min ?? Infinity, lived);
        report.closedAfterMs.max = Math.max(report.closedAfterMs.max ?? 0, lived);
      });
    });

  const floodStarted = performance.now();
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(concurrency, connections) }, async () => {
      while (next < connections) {
        next++;
        await open();
      }
    }),
  );
  report.floodMs = performance.now() - floodStarted;
  if (attack.holdMs) await sleep(attack.holdMs);

  finished = true;
  await probing;
  for (const ws of sockets) ws.terminate();
  const sorted = latencies.sort((a, b) => a - b);
  report.healthz.minMs = sorted[0] ?? null;
  report.healthz.medianMs = sorted[Math.floor((sorted.length - 1) / 2)] ?? null;
  report.healthz.maxMs = sorted.at(-1) ?? null;
  return report;
}

/**
 * One GET on a connection of its own, as a load balancer's probe: a kept-alive connection
 * would still answer from a hub that can no longer accept any. The status, or 0.
 */
function probeHealth(url: string, timeoutMs: number): Promise<number> {
  return new Promise((resolve) => {
    const req = http.get(url, { agent: false, timeout: timeoutMs }, (res) => {
      res.resume();
      res.once('end', () => resolve(res.statusCode ?? 0));
      res.once('error', () => resolve(0));
    });
    req.once('timeout', () => req.destroy());
    req.once('error', () => resolve(0));
  });
}

/**
 * Every WebSocket is a file descriptor here too: fail with the fix in the message, not with
 * EMFILE half-way through. (Node raises its soft limit to the hard one at start, so this is
 * the hard limit in practice: `ulimit -Hn`.)
 */
function checkFileLimit(connections: number): void {
  let limit: number;
  try {
    const line = readFileSync('/proc/self/limits', 'utf8').split('\n').find((l) => l.startsWith('Max open files'));
    limit = Number(line?.split(/\s{2,}/)[1]);
  } catch {
    return; // not Linux: let the attempt tell
  }
  const headroom = 200;
  if (Number.isFinite(limit) && connections + headroom > limit) {
    throw new Error(`attackRawConnections: ${connections} connections need ${connections + headroom} open files, this process may hold ${limit} (raise \`ulimit -n\` or open fewer)`);
  }
}
