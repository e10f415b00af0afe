import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ROLES, type Role } from '../../shared/auth.js';
import type { WorkshopConfig } from '../../shared/workshop.js';
import { ConfigError, parseConfig, type PitwallConfig } from './config-file.js';

/** The workshop the hub runs when PITWALL_CONFIG is unset, so `npm start` shows something real. */

export const DEMO_WORKSHOP: WorkshopConfig = {
  id: 'demo',
  name: 'Pitwall Demo Service Centre',
  timezone: 'Asia/Shanghai',
  teams: [
    { id: 'quick', name: 'Quick service' },
    { id: 'repair', name: 'Repair' },
    { id: 'ev', name: 'EV high-voltage' },
    { id: 'body', name: 'Body shop' },
  ],
  bays: [
    { id: 'B1', name: 'Bay 1 · Quick service', team: 'quick' },
    { id: 'B2', name: 'Bay 2 · Quick service', team: 'quick' },
    { id: 'B3', name: 'Bay 3 · Quick service', team: 'quick' },
    { id: 'B4', name: 'Bay 4 · Repair', team: 'repair' },
    { id: 'B5', name: 'Bay 5 · Repair', team: 'repair' },
    { id: 'B6', name: 'Bay 6 · Repair', team: 'repair' },
    { id: 'B7', name: 'Bay 7 · EV high-voltage', team: 'ev', highVoltage: true },
    { id: 'B8', name: 'Bay 8 · Body', team: 'body' },
    // A quarantine bay for a car with a damaged battery (fenced off, away from the others).
    { id: 'B9', name: 'Bay 9 · EV isolation', team: 'ev', isolation: true },
  ],
  // The roster the lead's capacity view reads: five 8-hour days each, the two rest days
  // staggered so 7 of the 10 work every day (8 on Fridays), weekends no more than weekdays (the
  // case's staffing that was not adjusted to the weekend; the simulated floor, demo-day.ts,
  // works an even thinner rota of 5).
  technicians: [
    { id: 'T1', name: 'Zhang Wei', team: 'quick', weeklyHours: restingFrom(0) },
    { id: 'T2', name: 'Wang Fang', team: 'quick', weeklyHours: restingFrom(1) },
    { id: 'T3', name: 'Li Qiang', team: 'quick', weeklyHours: restingFrom(2) },
    { id: 'T4', name: 'Liu Yang', team: 'repair', weeklyHours: restingFrom(3) },
    { id: 'T5', name: 'Chen Jie', team: 'repair', weeklyHours: restingFrom(4) },
    { id: 'T6', name: 'Yang Lei', team: 'repair', weeklyHours: restingFrom(5) },
    { id: 'T7', name: 'Zhao Min', team: 'ev', highVoltageQualified: true, weeklyHours: restingFrom(6) },
    { id: 'T8', name: 'Huang Jun', team: 'ev', highVoltageQualified: true, highVoltageLevel: 3, weeklyHours: restingFrom(0) },
    { id: 'T9', name: 'Zhou Tao', team: 'body', weeklyHours: restingFrom(2) },
    { id: 'T10', name: 'Wu Hao', team: 'body', weeklyHours: restingFrom(5) },
  ],
  advisors: [
    { id: 'A1', name: 'Li Na' },
    { id: 'A2', name: 'Sun Li' },
    { id: 'A3', name: 'Ma Jing' },
  ],
  // What a real shop sets (docs/api.md, "Lights that do not lie on small numbers"): at opening,
  // three technicians a few minutes in are not a red utilisation, nor one quick job a red
  // labour-time tile.
  lightPolicy: {
    utilisation: { minSample: 60 },
    laborAchievement: { minSample: 3 },
    firstTimeFix: { minSample: 3 },
    csat: { minSample: 3 },
  },
};

/** Eight hours a day, Monday first, except two rest days from `day` (0 Monday … 6 Sunday, the second wrapping to Monday). */
function restingFrom(day: number): number[] {
  return Array.from({ length: 7 }, (_, d) => (d === day || d === (day + 1) % 7 ? 0 : 8));
}

type DemoTokens = Record<Role, string>;

/**
 * The demo config with one token per role, all for every workshop. Tokens are made on the
 * first start and kept in `<dataDir>/demo-tokens.json` so bookmarked board URLs survive
 * restarts; delete the file to get new ones.
 */
export async function demoConfig(dataDir: string): Promise<{ config: PitwallConfig; tokensFile: string; created: boolean }> {
  const tokensFile = join(dataDir, 'demo-tokens.json');
  await mkdir(dataDir, { recursive: true });

  const saved = await readTokens(tokensFile);
  const { tokens, created } = saved ? { tokens: saved, created: false } : await createTokens(tokensFile);

  const config = parseConfig(
    { workshops: [DEMO_WORKSHOP], tokens: ROLES.map((r) => ({ token: tokens[r], role: r, workshops: ['*'] })) },
    tokensFile,
  );
  return { config, tokensFile, created };
}

async function createTokens(file: string): Promise<{ tokens: DemoTokens; created: boolean }> {
  const tokens = Object.fromEntries(ROLES.map((r) => [r, randomBytes(18).toString('base64url')])) as DemoTokens;
  try {
    // "wx": of two hubs started together on one data dir, only one writes; the other reads.
    // Mode 0600 because whoever reads the file gets admin.
    await writeFile(file, `${JSON.stringify(tokens, null, 2)}\n`, { mode: 0o600, flag: 'wx' });
    return { tokens, created: true };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
    const theirs = await readTokens(file);
    if (!theirs) throw new ConfigError(`Cannot read demo tokens file ${file}`);
    return { tokens: theirs, created: false };
  }
}

/** The saved tokens, or undefined when there is no file yet. A damaged file stops start-up. */
async function readTokens(file: string): Promise<DemoTokens | undefined> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new ConfigError(`Cannot read demo tokens file ${file}: ${(err as Error).message}`);
  }
  const damaged = (why: string) =>
    new ConfigError(`Invalid demo tokens file ${file}: ${why} (delete it to generate new tokens)`);
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw damaged('not valid JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw damaged('expected a JSON object');
  const saved = value as Record<string, unknown>;
  const missing = ROLES.filter((r) => typeof saved[r] !== 'string');
  if (missing.length > 0) throw damaged(`no token for ${missing.join(', ')}`);
  // Length and uniqueness are checked with the rest of the config by parseConfig.
  return Object.fromEntries(ROLES.map((r) => [r, saved[r]])) as DemoTokens;
}

/** A page to open with a role's token: its label in the banner and its path (`:ws`: the workshop). */
interface DemoPage {
  label: string;
  path: string;
}

/**
 * Every page of the client and the token it opens with: a terminal token drives bay terminals
 * (one per bay: `?bay=`) and the advisor desk; a lead token the console, the reports and the
 * region (any token that opens several workshops does; the demo's open all). Admin has no page.
 */
const PAGES: Record<Role, DemoPage[]> = {
  board: [{ label: 'TV board', path: '/board/:ws' }],
  terminal: [
    { label: 'bay terminal', path: '/terminal/:ws?bay=:bay' },
    { label: 'advisor desk', path: '/desk/:ws' },
  ],
  lead: [
    { label: 'shift lead', path: '/lead/:ws' },
    { label: 'reports', path: '/reports/:ws' },
    { label: 'region', path: '/region' },
  ],
  admin: [],
};

/**
 * Start-up banner lines: each role's token with every page it opens, one URL a line
 * (`terminal <token>   bay terminal   http://host:3000/terminal/demo?bay=B1#token=<token>`), the
 * role's further pages on the lines below it. The token rides in the fragment, which never
 * reaches the hub or a proxy log (docs/security.md).
 */
export function describeDemoTokens(config: PitwallConfig, baseUrl: string): string[] {
  const base = baseUrl.replace(/\/+$/, '');
  const width = Math.max(0, ...config.tokens.map((t) => (t.token ?? '').length));
  const labelWidth = Math.max(...Object.values(PAGES).flatMap((pages) => pages.map((p) => p.label.length)));
  return config.tokens.flatMap((t) => {
    const head = `${t.role.padEnd(9)}${(t.token ?? '(hashed)').padEnd(width)}`;
    const workshop = config.workshops.find((w) => t.workshops[0] === '*' || w.id === t.workshops[0]);
    const pages = workshop && t.token ? PAGES[t.role] : [];
    if (pages.length === 0) return [head.trimEnd()];
    return pages.map((page, i) => {
      const path = page.path.replace(':ws', encodeURIComponent(workshop!.id)).replace(':bay', encodeURIComponent(workshop!.bays[0]?.id ?? ''));
      const url = `${base}${path}#token=${encodeURIComponent(t.token!)}`;
      return `${(i === 0 ? head : ' '.repeat(head.length))}   ${page.label.padEnd(labelWidth)}   ${url}`;
    });
  });
}
