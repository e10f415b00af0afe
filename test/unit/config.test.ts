import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ConfigError, loadConfigFile, parseConfig, tokenDigest } from '../../server/config/config-file.js';
import { demoConfig, describeDemoTokens } from '../../server/config/demo.js';
import { readEnv } from '../../server/config/env.js';
import { loadHubConfig } from '../../server/config/index.js';
import { teamName } from '../../shared/workshop.js';

const tmp = fs.mkdtempSync(os.tmpdir() + '/pitwall-');
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

function validConfig() {
  return {
    workshops: [
      {
        id: 'sh-pudong',
        name: 'Shanghai Pudong',
        timezone: 'Asia/Shanghai',
        bays: [
          { id: 'B1', name: 'Bay 1', team: 'quick' },
          { id: 'B2', name: 'Bay 2', team: 'anything-goes' },
          { id: 'B3', name: 'Bay 3' },
        ],
        technicians: [{ id: 'T1', name: 'Zhang Wei', team: 'quick' }],
        advisors: [{ id: 'A1', name: 'Li Na' }],
        thresholds: { averageWait: { green: 45, yellow: 90 } } as Record<string, unknown>,
      },
    ],
    tokens: [
      { token: 'terminal-token-0123456789', role: 'terminal', workshops: ['sh-pudong'] },
      { token: 'board-token-0123456789', role: 'board', workshops: ['*'] },
    ],
  };
}
type Cfg = ReturnType<typeof validConfig>;

function changed(edit: (c: Cfg) => void): Cfg {
  const c = validConfig();
  edit(c);
  return c;
}

const ws = (c: Cfg) => c.workshops[0]!;

/** The error `fn` throws (the test fails when it throws nothing or not a ConfigError). */
function configErrorOf(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    return err as ConfigError;
  }
  throw new Error('expected a ConfigError, nothing was thrown');
}

/** Writes `content` (an object as JSON, a string as is, undefined: no file) and returns the path. */
function configFile(name: string, content: unknown): string {
  const file = path.join(tmp, `${name.replace(/\W+/g, '-')}.json`);
  if (content !== undefined) fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content, null, 2));
  return file;
}

describe('config file', () => {
  it('loads a valid file, filling advisors in when absent', () => {
    const file = configFile('valid', changed((c) => delete (ws(c) as { advisors?: unknown }).advisors));
    const config = loadConfigFile(file);
    expect(config.workshops[0]?.id).toBe('sh-pudong');
    expect(config.workshops[0]?.advisors).toEqual([]);
    expect(config.tokens.map((t) => t.role)).toEqual(['terminal', 'board']);
  });

  it('names teams from "teams" when given, and falls back to the id without it', () => {
    const named = loadConfigFile(
      configFile('teams', changed((c) => Object.assign(ws(c), { teams: [{ id: 'quick', name: 'Quick service' }, { id: 'anything-goes', name: 'Anything' }] }))),
    ).workshops[0]!;
    expect(teamName(named, 'quick')).toBe('Quick service');
    const plain = loadConfigFile(configFile('no-teams', validConfig())).workshops[0]!;
    expect(plain.teams).toBeUndefined();
    expect(teamName(plain, 'quick')).toBe('quick');
    expect(teamName(null, 'quick')).toBe('quick');
  });

  const bad: { name: string; content: unknown; expected: string[] }[] = [
    {
      name: 'team not in teams',
      content: changed((c) =>
        Object.assign(ws(c), { teams: [{ id: 'quick', name: 'Quick service' }], serviceTeams: { bodywork: 'body' } }),
      ),
      expected: [
        'workshops[0].bays[1].team — unknown team "anything-goes" (known: quick; add it to "teams")',
        'workshops[0].serviceTeams.bodywork — unknown team "body"',
      ],
    },
    {
      name: 'technician team not in teams',
      content: changed((c) => Object.assign(ws(c), { teams: [{ id: 'anything-goes', name: 'Anything' }] })),
      expected: ['workshops[0].bays[0].team — unknown team "quick"', 'workshops[0].technicians[0].team — unknown team "quick"'],
    },
    {
      name: 'duplicate team id',
      content: changed((c) => Object.assign(ws(c), { teams: [{ id: 'quick', name: 'A' }, { id: 'quick', name: 'B' }, { id: 'anything-goes', name: 'C' }] })),
      expected: ['workshops[0].teams[1].id — duplicate team id "quick"'],
    },
    {
      name: 'team without a name',
      content: changed((c) => Object.assign(ws(c), { teams: [{ id: 'quick' }, { id: 'anything-goes', name: '' }] })),
      expected: ['workshops[0].teams[0].name — missing', 'workshops[0].teams[1].name — must not be empty'],
    },
    {
      name: 'bad timezone',
      content: changed((c) => (ws(c).timezone = 'Mars/Base')),
      expected: ['workshops[0].timezone — "Mars/Base" is not an IANA time zone'],
    },
    {
      name: 'duplicate bay id',
      content: changed((c) => (ws(c).bays[2]!.id = 'B1')),
      expected: ['workshops[0].bays[2].id — duplicate bay id "B1"'],
    },
    {
      name: 'token workshop unknown',
      content: changed((c) => (c.tokens[1]!.workshops = ['sh-pud'])),
      expected: ['tokens[1].workshops[0] — unknown workshop "sh-pud" (known: sh-pudong)'],
    },
    {
      name: 'unknown role',
      content: changed((c) => (c.tokens[0]!.role = 'boss')),
      expected: ['tokens[0].role — must be one of board, terminal, lead, admin (got "boss")'],
    },
    {
      name: 'token too short',
      content: changed((c) => (c.tokens[0]!.token = 'short')),
      expected: ['tokens[0].token — must be at least 16 characters'],
    },
    {
      name: 'duplicate token',
      content: changed((c) => (c.tokens[1]!.token = c.tokens[0]!.token)),
      expected: ['tokens[1].token — same token as tokens[0]'],
    },
    {
      name: 'token and tokenSha256 both given',
      content: changed((c) => ((c.tokens[0] as Record<string, unknown>).tokenSha256 = 'a'.repeat(64))),
      expected: ['tokens[0].token — give either "token" or "tokenSha256", exactly one of them'],
    },
    {
      name: 'neither token nor tokenSha256',
      content: changed((c) => delete (c.tokens[0] as { token?: unknown }).token),
      expected: ['tokens[0].token — give either "token" or "tokenSha256"'],
    },
    {
      name: 'tokenSha256 not a digest',
      content: changed((c) => {
        delete (c.tokens[0] as { token?: unknown }).token;
        (c.tokens[0] as Record<string, unknown>).tokenSha256 = 'ABC';
      }),
      expected: ['tokens[0].tokenSha256 — must be 64 lowercase hex digits'],
    },
    {
      name: 'a hashed token that repeats a plain one',
      content: changed((c) => {
        (c.tokens[1] as Record<string, unknown>).tokenSha256 = tokenDigest(c.tokens[0]!.token as string);
        delete (c.tokens[1] as { token?: unknown }).token;
      }),
      expected: ['tokens[1].tokenSha256 — same token as tokens[0]'],
    },
    {
      name: 'unknown top-level field',
      content: { ...validConfig(), workshop: [] },
      expected: ['workshop — unknown field'],
    },
    {
      name: 'unknown threshold name',
      content: changed((c) => (ws(c).thresholds.avgWait = { green: 1, yellow: 2 })),
      expected: ['workshops[0].thresholds.avgWait — unknown field (known: utilisation'],
    },
    {
      name: 'utilisation yellow above green',
      content: changed((c) => (ws(c).thresholds.utilisation = { green: 0.6, yellow: 0.7 })),
      expected: ['workshops[0].thresholds.utilisation.yellow — yellow must not be above green (higher is better)'],
    },
    {
      name: 'band yellow not containing green',
      content: changed((c) => (ws(c).thresholds.laborAchievement = { green: [0.9, 1.1], yellow: [0.95, 1.2] })),
      expected: ['workshops[0].thresholds.laborAchievement.yellow — the yellow band must contain the green band'],
    },
    {
      name: 'empty workshops array',
      content: changed((c) => (c.workshops = [])),
      expected: ['workshops — must list at least one workshop'],
    },
    {
      name: 'missing field',
      content: changed((c) => delete (ws(c) as { timezone?: unknown }).timezone),
      expected: ['workshops[0].timezone — missing (required)'],
    },
    {
      name: 'not JSON (trailing comma)',
      content: '{\n  "workshops": [],\n}\n',
      expected: ['not valid JSON', 'line 3, column 1'],
    },
    {
      // Node 20 gives no position for this kind of mistake; the loader finds it anyway.
      name: 'not JSON (single quotes)',
      content: "{\n  'workshops': []\n}\n",
      expected: ['not valid JSON', 'line 2, column 3'],
    },
    {
      name: 'not JSON (unexpected token)',
      content: '{\n  "workshops": [1,]\n}\n',
      expected: ['not valid JSON', "Unexpected token ']' at line 2, column 19"],
    },
    { name: 'empty file', content: '', expected: ['the file is empty'] },
    { name: 'top level is an array', content: '[]', expected: ['the top level must be a JSON object', 'not an array'] },
    {
      name: 'missing file',
      content: undefined,
      expected: ['Cannot read config file', 'no such file (set PITWALL_CONFIG to an existing JSON file)'],
    },
  ];

  for (const row of bad) {
    it(`rejects: ${row.name}`, () => {
      const file = configFile(row.name, row.content);
      const { message } = configErrorOf(() => loadConfigFile(file));
      expect(message).toContain(file);
      for (const part of row.expected) expect(message).toContain(part);
    });
  }

  it('reports every problem at once, one per line, and never echoes a token', () => {
    const config = changed((c) => {
      ws(c).timezone = 'Mars/Base';
      c.tokens[0]!.token = 'tiny-secret';
      c.tokens[1]!.workshops = ['nowhere'];
    });
    const e = configErrorOf(() => parseConfig(config, '/etc/pitwall.json'));
    expect(e.message.split('\n')[0]).toBe('Invalid config file /etc/pitwall.json:');
    expect(e.problems).toHaveLength(3);
    expect(e.message).toContain('\n  workshops[0].timezone — ');
    expect(e.message).toContain('\n  tokens[0].token — ');
    expect(e.message).toContain('\n  tokens[1].workshops[0] — unknown workshop "nowhere"');
    expect(e.message).not.toContain('tiny-secret');
  });
});

describe('environment', () => {
  const rows: { name: string; env: Record<string, string>; expected: string[] }[] = [
    { name: 'PORT not a number', env: { PORT: 'eighty' }, expected: ['PORT="eighty"', 'an integer from 0 to 65535'] },
    { name: 'PORT out of range', env: { PORT: '70000' }, expected: ['PORT="70000"'] },
    { name: 'REDIS_URL wrong scheme', env: { REDIS_URL: 'http://localhost:6379' }, expected: ['REDIS_URL="http://localhost:6379"', 'redis://'] },
    { name: 'REDIS_URL password hidden', env: { REDIS_URL: 'http://:hunter2@redis:6379' }, expected: ['REDIS_URL="http://:***@redis:6379"'] },
    { name: 'LOG_LEVEL unknown', env: { LOG_LEVEL: 'verbose' }, expected: ['LOG_LEVEL="verbose"', 'one of fatal, error'] },
    { name: 'PITWALL_RATE_LIMIT zero', env: { PITWALL_RATE_LIMIT: '0' }, expected: ['PITWALL_RATE_LIMIT="0"', '≥ 1'] },
    { name: 'PITWALL_MAX_SOCKETS_PER_IP zero', env: { PITWALL_MAX_SOCKETS_PER_IP: '0' }, expected: ['PITWALL_MAX_SOCKETS_PER_IP="0"', 'connections per client address'] },
    { name: 'PITWALL_MAX_EVENT_AGE_DAYS zero', env: { PITWALL_MAX_EVENT_AGE_DAYS: '0' }, expected: ['PITWALL_MAX_EVENT_AGE_DAYS="0"', 'days an event may be dated'] },
    { name: 'PITWALL_DEMO unknown', env: { PITWALL_DEMO: 'sunday' }, expected: ['PITWALL_DEMO="sunday"', 'weekday, weekend or off'] },
    { name: 'PITWALL_TRUST_PROXY not a hop count', env: { PITWALL_TRUST_PROXY: 'yes' }, expected: ['PITWALL_TRUST_PROXY="yes"', 'number of proxies in front of the hub'] },
    { name: 'PITWALL_TRUST_PROXY negative', env: { PITWALL_TRUST_PROXY: '-1' }, expected: ['PITWALL_TRUST_PROXY="-1"', '0 to 10'] },
    { name: 'PITWALL_CONNECT_TIMEOUT_MS too short', env: { PITWALL_CONNECT_TIMEOUT_MS: '10' }, expected: ['PITWALL_CONNECT_TIMEOUT_MS="10"', 'from 100 to 120000'] },
    { name: 'PITWALL_MAX_CONNECTIONS zero', env: { PITWALL_MAX_CONNECTIONS: '0' }, expected: ['PITWALL_MAX_CONNECTIONS="0"', 'ulimit -n'] },
    { name: 'PITWALL_WEBHOOK_TIMEOUT_MS too long', env: { PITWALL_WEBHOOK_TIMEOUT_MS: '600000' }, expected: ['PITWALL_WEBHOOK_TIMEOUT_MS="600000"', 'from 1000 to 60000'] },
    { name: 'PITWALL_WEBHOOK_RETRY_MINUTES zero', env: { PITWALL_WEBHOOK_RETRY_MINUTES: '0' }, expected: ['PITWALL_WEBHOOK_RETRY_MINUTES="0"', 'minutes a webhook is retried'] },
    { name: 'PITWALL_WEBHOOK_QUEUE_CAP not a number', env: { PITWALL_WEBHOOK_QUEUE_CAP: 'lots' }, expected: ['PITWALL_WEBHOOK_QUEUE_CAP="lots"', 'messages held per endpoint'] },
  ];
  for (const row of rows) {
    it(`rejects: ${row.name}`, () => {
      const { message } = configErrorOf(() => readEnv(row.env));
      for (const part of row.expected) expect(message).toContain(part);
      expect(message).not.toContain('hunter2');
    });
  }

  it('PITWALL_DEMO=off keeps the built-in demo workshop empty', () => {
    expect(readEnv({ PITWALL_DEMO: 'off' })).toMatchObject({ liveDemo: false });
    expect(readEnv({ PITWALL_DEMO: 'off' }).demo).toBeUndefined();
  });

  it('applies the defaults', () => {
    expect(readEnv({ PORT: '' })).toEqual({
      port: 3000,
      host: '0.0.0.0',
      dataDir: path.resolve('./data'),
      archiveDir: path.resolve('./data/archive'),
      logRetentionDays: 35,
      logLevel: 'info',
      rateLimitPerMinute: 1200,
      maxSocketsPerAddress: 500,
      maxEventAgeDays: 14,
      idleCloseMinutes: 15,
      trustProxy: 0,
      connectTimeoutMs: 10_000,
      maxConnections: 10_000,
      webhookTimeoutMs: 10_000,
      webhookRetryMinutes: 60,
      webhookQueueCap: 1000,
      customerLinkHours: 24,
      customerRateLimitPerMinute: 120,
      liveDemo: true,
    });
  });

  it('reads every variable', () => {
    const env = readEnv({
      PORT: '8080',
      HOST: '127.0.0.1',
      REDIS_URL: 'rediss://user:pw@redis.example:6380/0',
      PITWALL_CONFIG: 'pitwall.json',
      PITWALL_DATA_DIR: '/var/lib/pitwall',
      LOG_LEVEL: 'DEBUG',
      PITWALL_RATE_LIMIT: '60',
      PITWALL_MAX_SOCKETS_PER_IP: '20',
      PITWALL_MAX_EVENT_AGE_DAYS: '30',
      PITWALL_IDLE_CLOSE_MINUTES: '60',
      PITWALL_LOG_RETENTION_DAYS: '400',
      PITWALL_ARCHIVE_DIR: '/mnt/archive',
      PITWALL_TRUST_PROXY: '2',
      PITWALL_CONNECT_TIMEOUT_MS: '5000',
      PITWALL_MAX_CONNECTIONS: '4000',
      PITWALL_WEBHOOK_TIMEOUT_MS: '3000',
      PITWALL_WEBHOOK_RETRY_MINUTES: '120',
      PITWALL_WEBHOOK_QUEUE_CAP: '50',
      PITWALL_CUSTOMER_LINK_HOURS: '48',
      PITWALL_CUSTOMER_RATE_LIMIT: '30',
      PITWALL_CUSTOMER_LINK_SECRET: 'x'.repeat(32),
    });
    expect(env).toEqual({
      port: 8080,
      host: '127.0.0.1',
      redisUrl: 'rediss://user:pw@redis.example:6380/0',
      configPath: path.resolve('pitwall.json'),
      dataDir: '/var/lib/pitwall',
      archiveDir: '/mnt/archive',
      logRetentionDays: 400,
      logLevel: 'debug',
      rateLimitPerMinute: 60,
      maxSocketsPerAddress: 20,
      maxEventAgeDays: 30,
      idleCloseMinutes: 60,
      trustProxy: 2,
      connectTimeoutMs: 5000,
      maxConnections: 4000,
      webhookTimeoutMs: 3000,
      webhookRetryMinutes: 120,
      webhookQueueCap: 50,
      customerLinkHours: 48,
      customerRateLimitPerMinute: 30,
      customerLinkSecret: 'x'.repeat(32),
      liveDemo: true,
    });
  });

  it('refuses a short customer link secret without echoing it, and link hours out of range', () => {
    expect(() => readEnv({ PITWALL_CUSTOMER_LINK_SECRET: 'short-secret' })).toThrow(/PITWALL_CUSTOMER_LINK_SECRET — expected at least 32 characters/);
    expect(() => readEnv({ PITWALL_CUSTOMER_LINK_SECRET: 'short-secret' })).not.toThrow(/short-secret/);
    expect(() => readEnv({ PITWALL_CUSTOMER_LINK_HOURS: '0' })).toThrow(/PITWALL_CUSTOMER_LINK_HOURS="0" — expected an integer from 1 to 2160/);
  });

  it('refuses a log retention under 35 days, naming the variable and the floor', () => {
    expect(() => readEnv({ PITWALL_LOG_RETENTION_DAYS: '20' })).toThrow(/PITWALL_LOG_RETENTION_DAYS="20" — expected an integer of at least 35/);
    expect(readEnv({ PITWALL_LOG_RETENTION_DAYS: '35' }).logRetentionDays).toBe(35);
  });

  it('PITWALL_TRUST_PROXY keeps true and false from when it was a flag', () => {
    for (const [raw, hops] of [['true', 1], ['TRUE', 1], ['1', 1], ['false', 0], ['0', 0]] as const) {
      expect(readEnv({ PITWALL_TRUST_PROXY: raw }).trustProxy).toBe(hops);
    }
  });
});

describe('demo config', () => {
  it('creates the tokens once, keeps them, and saves them with mode 0600', async () => {
    const dataDir = path.join(tmp, 'demo', 'nested');
    const first = await demoConfig(dataDir);
    expect(first.created).toBe(true);
    expect(first.tokensFile).toBe(path.join(dataDir, 'demo-tokens.json'));
    if (process.platform !== 'win32') expect(fs.statSync(first.tokensFile).mode & 0o777).toBe(0o600);

    const second = await demoConfig(dataDir);
    expect(second.created).toBe(false);
    expect(second.config.tokens).toEqual(first.config.tokens);

    const ws0 = first.config.workshops[0]!;
    expect(ws0).toMatchObject({ id: 'demo', name: 'Pitwall Demo Service Centre', timezone: 'Asia/Shanghai' });
    expect(ws0.bays.map((b) => b.id)).toEqual(['B1', 'B2', 'B3', 'B4', 'B5', 'B6', 'B7', 'B8', 'B9']);
    expect(ws0.technicians).toHaveLength(10);
    expect(ws0.advisors).toHaveLength(3);
    // Every team the demo's bays and technicians name has a name to show.
    for (const team of [...ws0.bays, ...ws0.technicians].map((x) => x.team!)) expect(teamName(ws0, team)).not.toBe(team);
    expect(first.config.tokens.map((t) => t.role)).toEqual(['board', 'terminal', 'lead', 'admin']);
  });

  it('describes every page with the token it opens with', async () => {
    const { config } = await demoConfig(path.join(tmp, 'demo-banner'));
    const lines = describeDemoTokens(config, 'http://localhost:3000/');
    const token = (role: string) => config.tokens.find((t) => t.role === role)!.token;
    const url = (line: string) => line.trim().split(/\s+/).at(-1);
    expect(lines.map(url)).toEqual([
      `http://localhost:3000/board/demo#token=${token('board')}`,
      `http://localhost:3000/terminal/demo?bay=B1#token=${token('terminal')}`,
      `http://localhost:3000/desk/demo#token=${token('terminal')}`,
      `http://localhost:3000/lead/demo#token=${token('lead')}`,
      `http://localhost:3000/reports/demo#token=${token('lead')}`,
      `http://localhost:3000/region#token=${token('lead')}`,
      token('admin'),
    ]);
    expect(lines[0]).toMatch(new RegExp(`^board    ${token('board')}\\s+TV board\\s+http`));
    expect(lines[2]).toMatch(/^\s+advisor desk\s+http/);
    expect(lines.at(-1)).toBe(`admin    ${token('admin')}`);
  });

  it('stops on a damaged tokens file instead of replacing it', async () => {
    const dataDir = path.join(tmp, 'demo-damaged');
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, 'demo-tokens.json'), '{"board": "x"}');
    await expect(demoConfig(dataDir)).rejects.toThrow(/demo-tokens\.json.*no token for terminal, lead, admin/);
  });
});

describe('loadHubConfig', () => {
  it('uses the file when PITWALL_CONFIG is set, the demo otherwise', async () => {
    const file = configFile('hub', validConfig());
    const fromFile = await loadHubConfig(readEnv({ PITWALL_CONFIG: file, PITWALL_DATA_DIR: path.join(tmp, 'hub') }));
    expect(fromFile.source).toBe('file');
    expect(fromFile.demoTokensFile).toBeUndefined();

    const demo = await loadHubConfig(readEnv({ PITWALL_DATA_DIR: path.join(tmp, 'hub') }));
    expect(demo.source).toBe('demo');
    expect(demo.demoTokensFile).toBe(path.join(tmp, 'hub', 'demo-tokens.json'));
  });
});
