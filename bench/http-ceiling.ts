/**
 * What one core can answer with nothing but the HTTP layer: a one-event post to a bare
 * node:http server and to an Express 5 app shaped like the hub's routes (a router with a
 * param, express.json, res.json), each answered at once with a fixed result. The gap is why
 * the hub answers `POST …/events` in front of Express (server/http/events-fast-path.ts).
 * `npx tsx bench/http-ceiling.ts` — the client runs in a child process, 64 posts at a time,
 * keep-alive, 5 s per server.
 */
import { fork } from 'node:child_process';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';

const SECONDS = 5;
const CONCURRENCY = 64;
const body = JSON.stringify({ events: [{ id: 'ev-ceiling-0001', type: 'job.started', at: '2026-12-02T10:00:00.000Z', jobId: 'J1', bayId: 'B1', technicianId: 'T1' }] });

if (process.argv[2] === 'client') {
  const port = Number(process.argv[3]);
  const agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  const end = Date.now() + SECONDS * 1000;
  let done = 0;
  const one = (): void => {
    if (Date.now() > end) return;
    const req = http.request(
      { port, path: '/api/v1/workshops/ws-1/events', method: 'POST', agent, headers: { 'content-type': 'application/json', authorization: 'Bearer terminal-token', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        res.resume();
        res.on('end', () => {
          done++;
          one();
        });
      },
    );
    req.end(body);
  };
  for (let i = 0; i < CONCURRENCY; i++) one();
  setTimeout(() => {
    process.send!(done / SECONDS);
    process.exit(0);
  }, SECONDS * 1000 + 200);
} else {
  const bare: http.RequestListener = (req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const parsed = JSON.parse(Buffer.concat(chunks).toString('utf8')) as { events: { id: string }[] };
      const text = JSON.stringify({ results: [{ id: parsed.events[0]!.id, status: 'accepted' }] });
      res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    });
  };
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  const router = express.Router();
  router.param('ws', (_req, _res, next) => next());
  router.post('/:ws/events', express.json({ limit: '1mb' }), (req, res) => {
    res.json({ results: [{ id: (req.body as { events: { id: string }[] }).events[0]!.id, status: 'accepted' }] });
  });
  app.use('/api/v1/workshops', (_req, _res, next) => next(), router);

  for (const [name, handler] of [['node:http', bare], ['Express 5', app]] as const) {
    const server = http.createServer(handler);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const cpu0 = process.cpuUsage();
    const child = fork(new URL(import.meta.url).pathname, ['client', String((server.address() as AddressInfo).port)], { execArgv: ['--import', 'tsx'] });
    const perSecond = await new Promise<number>((resolve) => child.once('message', (m) => resolve(Number(m))));
    const cpu = process.cpuUsage(cpu0);
    console.log(`${name.padEnd(10)} ${Math.round(perSecond).toLocaleString('en-US').padStart(7)} posts/s, server at ${Math.round(((cpu.user + cpu.system) / 1e6 / SECONDS) * 100)} % of a core`);
    await new Promise<void>((resolve) => server.close(() => resolve()));
    server.closeAllConnections();
  }
}
