/**
 * What the events fast path (server/http/events-fast-path.ts) still saves, measured so that a
 * loaded machine hurts both sides alike: ONE hub, listening twice (its own listener, with the
 * fast path in front of Express, and Express alone on a second port), and one client process
 * sending single-event posts (64 terminals, one post in flight each, keep-alive) to either
 * door in short alternating rounds (A B B A …). Per round: posts answered per second, and the
 * hub process's CPU per 1,000 posts (the client runs in a child process, so it is not counted).
 * `npx tsx bench/events-doors.ts [embedded|redis] [rounds] [seconds]` (defaults: embedded, 8, 3).
 * With redis it starts its own redis-server (appendfsync always) on a free port.
 * Results: docs/performance.md, "Issue 13: one events path".
 */
import { fork, spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { bootstrapHub, type StoreLocation } from '../server/bootstrap.js';
import { loadHubConfig, readEnv } from '../server/config/index.js';
import { writeBenchConfig } from './lib/config.js';
import { BENCH_SHAPE, DayTemplates, EventStream } from './lib/traffic.js';
import { freePort, sleep } from './lib/util.js';

const TERMINALS = 64;

interface Round {
  port: number;
  seconds: number;
}
interface RoundResult {
  posts: number;
  notAccepted: number;
}

if (process.argv[2] === 'client') void client(JSON.parse(process.argv[3]!) as { workshopIds: string[]; tokens: string[] });
else void main();

/** The terminals: each its workshop's valid stream, one post at a time, to whichever port the round names. */
async function client({ workshopIds, tokens }: { workshopIds: string[]; tokens: string[] }): Promise<void> {
  const templates = new DayTemplates(BENCH_SHAPE);
  const streams = workshopIds.map((id) => new EventStream(templates, id, 0));
  const agent = new http.Agent({ keepAlive: true, maxSockets: TERMINALS });
  process.on('message', (round: Round) => {
    const end = Date.now() + round.seconds * 1000;
    const result: RoundResult = { posts: 0, notAccepted: 0 };
    const terminal = (i: number) =>
      new Promise<void>((resolve) => {
        const one = (): void => {
          if (Date.now() > end) return resolve();
          const body = JSON.stringify({ events: [streams[i]!.next(Date.now())] });
          const headers = { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), authorization: `Bearer ${tokens[i]}` };
          const req = http.request({ port: round.port, path: `/api/v1/workshops/${workshopIds[i]}/events`, method: 'POST', agent, headers }, (res) => {
            let text = '';
            res.setEncoding('utf8');
            res.on('data', (c: string) => (text += c));
            res.on('end', () => {
              result.posts++;
              if (res.statusCode !== 200 || !text.includes('"accepted"')) result.notAccepted++;
              one();
            });
          });
          req.on('error', () => resolve());
          req.end(body);
        };
        one();
      });
    void Promise.all(workshopIds.map((_, i) => terminal(i))).then(() => process.send!(result));
  });
  process.send!('ready');
}

async function main(): Promise<void> {
  const storeKind = process.argv[2] === 'redis' ? 'redis' : 'embedded';
  const rounds = Number(process.argv[3] ?? 8);
  const seconds = Number(process.argv[4] ?? 3);
  const dir = mkdtempSync(path.join(tmpdir(), 'pitwall-doors-'));
  const config = writeBenchConfig(dir, TERMINALS, BENCH_SHAPE);
  let redis: ChildProcess | undefined;
  let location: StoreLocation = { dataDir: path.join(dir, 'data') };
  if (storeKind === 'redis') {
    const port = await freePort();
    redis = spawn('redis-server', ['--port', String(port), '--save', '', '--appendonly', 'yes', '--appendfsync', 'always', '--dir', dir], { stdio: 'ignore' });
    await sleep(500);
    location = { redisUrl: `redis://127.0.0.1:${port}` };
  }
  const env = readEnv({ PITWALL_CONFIG: config.file, PITWALL_RATE_LIMIT: '100000000' });
  const { config: hubConfig } = await loadHubConfig(env);
  const { hub, stop } = await bootstrapHub({ config: hubConfig, logger: pino({ level: 'warn' }), store: location, rateLimitPerMinute: env.rateLimitPerMinute });
  const fastPort = await listen(hub.httpServer);
  const expressServer = http.createServer(hub.expressApp);
  const expressPort = await listen(expressServer);

  const child = fork(new URL(import.meta.url).pathname, ['client', JSON.stringify({ workshopIds: config.workshops.map((w) => w.id), tokens: config.terminalTokens })], { execArgv: process.execArgv });
  await new Promise((resolve) => child.once('message', resolve));
  const doors = { fast: fastPort, express: expressPort } as const;
  const figures: Record<keyof typeof doors, { perSecond: number; cpuMsPer1000: number }[]> = { fast: [], express: [] };
  // Two rounds warm the doors up (JIT, connections) and are not counted; then A B B A A B B A …,
  // so neither door always runs first or last in a pair.
  for (let r = -2; r < rounds; r++) {
    const door: keyof typeof doors = r === -2 || r % 4 === 0 || r % 4 === 3 ? 'fast' : 'express';
    const cpu = process.cpuUsage();
    const start = performance.now();
    const res = await new Promise<RoundResult>((resolve) => {
      child.once('message', (m) => resolve(m as RoundResult));
      child.send({ port: doors[door], seconds } satisfies Round);
    });
    const used = process.cpuUsage(cpu);
    const wall = (performance.now() - start) / 1000;
    const f = { perSecond: res.posts / wall, cpuMsPer1000: ((used.user + used.system) / 1000 / res.posts) * 1000 };
    process.stdout.write(`${r < 0 ? 'warm-up' : `round ${r + 1}`} ${door.padEnd(7)} ${f.perSecond.toFixed(0).padStart(6)} posts/s  hub CPU ${f.cpuMsPer1000.toFixed(0).padStart(5)} ms / 1,000 posts  (not accepted: ${res.notAccepted})\n`);
    if (r < 0) continue;
    figures[door].push(f);
  }
  const median = (xs: number[]) => {
    const s = [...xs].sort((a, b) => a - b);
    return (s[Math.floor((s.length - 1) / 2)]! + s[Math.ceil((s.length - 1) / 2)]!) / 2;
  };
  for (const door of ['fast', 'express'] as const) {
    const list = figures[door];
    process.stdout.write(`${storeKind} ${door.padEnd(7)} median ${median(list.map((f) => f.perSecond)).toFixed(0)} posts/s, hub CPU ${median(list.map((f) => f.cpuMsPer1000)).toFixed(0)} ms / 1,000 posts\n`);
  }
  child.kill();
  expressServer.close();
  await stop();
  redis?.kill();
  rmSync(dir, { recursive: true, force: true });
}

function listen(server: http.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port)));
}
