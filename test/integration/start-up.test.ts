import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_WORKSHOP } from '../../server/config/demo.js';
import { demoRota } from '../../server/sim/demo-day.js';
import { startHubProcess, type HubProcess } from '../helpers/hub-process.js';

/**
 * A fresh `npm start` as a new user meets it (issue 12, item 17): the hub as its own process
 * with no config, a new data directory and the live demo on. What it prints names every page
 * with the token that opens it, and the README's curl example, run as written, is accepted.
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const README = fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8');
/** "Answered at all", not a speed: the CI machine is slow and shared. */
const WITHIN = { timeout: 20_000, interval: 200 };

let hub: HubProcess;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pitwall-start-up-'));
  hub = await startHubProcess({ PITWALL_DATA_DIR: dataDir, PITWALL_CONFIG: '', PITWALL_DEMO: '', REDIS_URL: '' });
  // The banner follows the "listening" log line the helper waits for.
  for (const deadline = Date.now() + WITHIN.timeout; !/^\s+admin\s/m.test(hub.output()) && Date.now() < deadline; ) await new Promise((r) => setTimeout(r, WITHIN.interval));
}, 30_000);

afterAll(async () => {
  await hub?.kill('SIGTERM');
  fs.rmSync(dataDir, { recursive: true, force: true });
});

const tokens = () => JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-tokens.json'), 'utf8')) as Record<string, string>;
/** Every URL the start-up banner prints (the port is the test's). */
const printedUrls = () => [...hub.output().matchAll(/http:\/\/\S+#token=\S+/g)].map((m) => new URL(m[0]));

describe('the start-up printout of a fresh npm start', () => {
  it.each([
    ['board', '/board/demo', 'board'],
    ['bay terminal', '/terminal/demo?bay=B1', 'terminal'],
    ['advisor desk', '/desk/demo', 'terminal'],
    ['shift lead', '/lead/demo', 'lead'],
    ['reports', '/reports/demo', 'lead'],
    ['region', '/region', 'lead'],
  ])('names the %s page with the token that opens it', async (_name, page, role) => {
    const url = printedUrls().find((u) => `${u.pathname}${u.search}` === page);
    expect(url, `${page} in:\n${hub.output()}`).toBeDefined();
    expect(url!.origin).toBe(hub.url);
    expect(url!.hash).toBe(`#token=${tokens()[role]}`);
    const res = await fetch(new URL(page, hub.url));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/html/);
  });
});

describe("the README's curl example", () => {
  const block = /```sh\n(TOKEN=[^\n]*\n(?:[^\n]*\n)*?)```/.exec(README)?.[1] ?? '';

  it('clocks in a technician the demo leaves free (the simulator never clocks them in)', () => {
    const technician = /"technicianId":"(\w+)"/.exec(block)?.[1];
    expect(technician).toBeDefined();
    expect(DEMO_WORKSHOP.technicians.map((t) => t.id)).toContain(technician);
    expect(demoRota(DEMO_WORKSHOP)).not.toContain(technician);
  });

  it('is accepted when run as written against the fresh hub', async () => {
    expect(block).toContain('curl -s localhost:3000/');
    const script = block.replace(/^TOKEN=.*$/m, `TOKEN='${tokens().terminal}'`).replaceAll('localhost:3000', `127.0.0.1:${hub.port}`);
    const out = execFileSync('bash', ['-c', script], { encoding: 'utf8', timeout: 20_000 });
    expect(JSON.parse(out)).toEqual({ results: [{ id: 'evt-0000000001', status: 'accepted' }] });
  });
});
