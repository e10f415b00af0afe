import { resolve } from 'node:path';
import { ConfigError } from './config-file.js';
import { parseRedisUrl, RedisUrlError } from './redis-url.js';
import { readTlsFiles, type TlsFiles } from './tls-files.js';

/** The hub's environment (README.md, "Configuration"; docs/operations.md), checked once at start-up. */

export const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];

export interface HubEnv {
  port: number;
  host: string;
  /** Unset: the embedded store. `redis://…` one server, `redis+cluster://h1:p1,h2:p2…` a Redis Cluster (config/redis-url.ts). */
  redisUrl?: string;
  /** Absolute path of the workshop config file; unset: the built-in demo workshop. */
  configPath?: string;
  /** Absolute. */
  dataDir: string;
  logLevel: LogLevel;
  /** PITWALL_RATE_LIMIT: events per minute per token, on every door (a request costs 1, a post its number of events). */
  rateLimitPerMinute: number;
  /** PITWALL_MAX_SOCKETS_PER_IP: Socket.IO (engine) connections per client address, counted before the handshake. */
  maxSocketsPerAddress: number;
  /** PITWALL_MAX_EVENT_AGE_DAYS: new events dated longer ago than this are refused as `too_old`. */
  maxEventAgeDays: number;
  /** PITWALL_IDLE_CLOSE_MINUTES: a workshop nobody asked for this long, with no car on its floor, is closed (server/workshops/open-workshops.ts). */
  idleCloseMinutes: number;
  /**
   * PITWALL_LOG_RETENTION_DAYS: the archiver (server/archive/) moves events received longer ago
   * than this out of the store's hot log; at least 35 (MIN_RETENTION_DAYS).
   */
  logRetentionDays: number;
  /** PITWALL_ARCHIVE_DIR (absolute): where the archiver writes; default `<dataDir>/archive`. */
  archiveDir: string;
  /**
   * PITWALL_TRUST_PROXY: how many proxies stand in front of the hub; the client address is
   * taken that many X-Forwarded-For entries from the right (0: the header is ignored).
   */
  trustProxy: number;
  /** PITWALL_CONNECT_TIMEOUT_MS: how long a connection may stay without joining a namespace. */
  connectTimeoutMs: number;
  /** PITWALL_MAX_CONNECTIONS: open TCP connections of the HTTP server, all clients together. */
  maxConnections: number;
  /**
   * PITWALL_METRICS_TOKEN: the bearer token a scraper sends for `/metrics`; unset, `/metrics`
   * answers only connections from the hub's own host (docs/security.md, "Metrics").
   */
  metricsToken?: string;
  /** PITWALL_TLS_CERT + PITWALL_TLS_KEY, read and checked: the hub serves HTTPS (server/config/tls-files.ts); unset, plain HTTP. */
  tls?: TlsFiles;
  /** PITWALL_WEBHOOK_TIMEOUT_MS: one webhook attempt's time limit (server/notify/). */
  webhookTimeoutMs: number;
  /** PITWALL_WEBHOOK_RETRY_MINUTES: how long a webhook is retried before it is dropped and logged. */
  webhookRetryMinutes: number;
  /** PITWALL_WEBHOOK_QUEUE_CAP: webhook messages held per endpoint; past it, new ones are dropped and counted. */
  webhookQueueCap: number;
  /** PITWALL_CUSTOMER_LINK_HOURS: a customer's link stops opening this long after the car's delivery or cancellation. */
  customerLinkHours: number;
  /** PITWALL_CUSTOMER_LINK_SECRET (≥ 32 characters): the customer links' keys derive from it; unset, each workshop's key is created once in the store (server/customers/link-keys.ts). */
  customerLinkSecret?: string;
  /** PITWALL_CUSTOMER_RATE_LIMIT: requests (page reads, socket connections) per minute per client address on the customer's page. */
  customerRateLimitPerMinute: number;
  /** PITWALL_DEMO: play a simulated day into the demo workshop (an accelerated clock, a throwaway store). */
  demo?: DemoSettings;
  /**
   * The built-in demo workshop lives a simulated day in real time (PITWALL_DEMO=off: it stays
   * empty). Ignored with PITWALL_CONFIG: real workshops are never simulated.
   */
  liveDemo: boolean;
}

export interface DemoSettings {
  day: 'weekday' | 'weekend';
  /** Simulated minutes per real minute. */
  speed: number;
  /** Local time the simulated day starts at (HH:MM); earlier events are played at once. */
  start: string;
}

/**
 * Reads and checks the variables; every bad one is reported at once, each with its value and
 * what was expected. An empty variable counts as unset (`PORT= npm start`, blank lines in
 * compose files).
 */
export function readEnv(env: NodeJS.ProcessEnv): HubEnv {
  const problems: string[] = [];
  const get = (name: string): string | undefined => {
    const v = env[name]?.trim();
    return v === undefined || v === '' ? undefined : v;
  };
  const bad = (name: string, value: string, expected: string): void => {
    problems.push(`${name}="${hidePassword(value)}" — expected ${expected}`);
  };
  const integer = (name: string, fallback: number, min: number, max: number, expected: string): number => {
    const raw = get(name);
    if (raw === undefined) return fallback;
    const n = /^\d+$/.test(raw) ? Number(raw) : NaN;
    if (n >= min && n <= max) return n;
    bad(name, raw, expected);
    return fallback;
  };

  const port = integer('PORT', 3000, 0, 65535, 'an integer from 0 to 65535');
  const rateLimitPerMinute = integer('PITWALL_RATE_LIMIT', 1200, 1, Number.MAX_SAFE_INTEGER, 'an integer ≥ 1 (events per minute per token)');

  const maxEventAgeDays = integer('PITWALL_MAX_EVENT_AGE_DAYS', 14, 1, 366, 'an integer from 1 to 366 (days an event may be dated before the hub\'s clock)');
  const idleCloseMinutes = integer('PITWALL_IDLE_CLOSE_MINUTES', 15, 1, 1440, 'an integer from 1 to 1440 (minutes a workshop nobody asks for stays open)');
  const logRetentionDays = integer('PITWALL_LOG_RETENTION_DAYS', 35, 35, 36_500, 'an integer of at least 35 (days the hot log keeps before the archiver moves events out; less would archive events the hub still needs)');
  const maxSocketsPerAddress = integer('PITWALL_MAX_SOCKETS_PER_IP', 500, 1, 1_000_000, 'an integer ≥ 1 (Socket.IO connections per client address)');
  // `true`/`false` from the days it was a flag: `true` meant one load balancer.
  const flag = get('PITWALL_TRUST_PROXY')?.toLowerCase();
  const trustProxy =
    flag === 'true' ? 1
    : flag === 'false' ? 0
    : integer('PITWALL_TRUST_PROXY', 0, 0, 10, 'the number of proxies in front of the hub, 0 to 10 (0: ignore X-Forwarded-For; 1: one load balancer), or true (1) / false (0)');
  const connectTimeoutMs = integer('PITWALL_CONNECT_TIMEOUT_MS', 10_000, 100, 120_000, 'an integer from 100 to 120000 (milliseconds a connection may stay without joining a namespace)');
  const maxConnections = integer('PITWALL_MAX_CONNECTIONS', 10_000, 1, 1_000_000, 'an integer ≥ 1 (open connections to the hub, all clients together; keep it below `ulimit -n`)');

  const access = accessSettings(get, bad, (text) => problems.push(text));
  const webhooks = webhookSettings(integer);
  const customers = customerSettings(get, problems, integer);
  const redisUrl = get('REDIS_URL');
  const redisProblem = redisUrl === undefined ? undefined : redisUrlProblem(redisUrl);
  if (redisUrl !== undefined && redisProblem !== undefined) bad('REDIS_URL', redisUrl, redisProblem);

  const rawLevel = get('LOG_LEVEL');
  let logLevel: LogLevel = 'info';
  if (rawLevel !== undefined) {
    const level = LOG_LEVELS.find((l) => l === rawLevel.toLowerCase());
    if (level) logLevel = level;
    else bad('LOG_LEVEL', rawLevel, `one of ${LOG_LEVELS.join(', ')}`);
  }

  const rawDemo = get('PITWALL_DEMO');
  const liveDemo = rawDemo?.toLowerCase() !== 'off';
  const demo = rawDemo !== undefined && liveDemo ? demoSettings(rawDemo, get, bad, integer) : undefined;

  if (problems.length > 0) {
    throw new ConfigError(`Invalid environment:\n${problems.map((p) => `  ${p}`).join('\n')}`, problems);
  }
  const configPath = get('PITWALL_CONFIG');
  return {
    port,
    host: get('HOST') ?? '0.0.0.0',
    ...(redisUrl !== undefined && { redisUrl }),
    // Absolute so that error messages and logs say exactly which file and directory are meant.
    ...(configPath !== undefined && { configPath: resolve(configPath) }),
    ...storageDirs(get),
    logRetentionDays,
    logLevel,
    rateLimitPerMinute,
    maxSocketsPerAddress,
    maxEventAgeDays,
    idleCloseMinutes,
    trustProxy,
    connectTimeoutMs,
    maxConnections,
    ...access,
    ...webhooks,
    ...customers,
    liveDemo,
    ...(demo !== undefined && { demo }),
  };
}

/** PITWALL_DEMO's day and its speed and start (PITWALL_DEMO_SPEED, PITWALL_DEMO_START). */
function demoSettings(
  rawDemo: string,
  get: (name: string) => string | undefined,
  bad: (name: string, value: string, expected: string) => void,
  integer: (name: string, fallback: number, min: number, max: number, expected: string) => number,
): DemoSettings {
  const day = rawDemo.toLowerCase();
  if (day !== 'weekday' && day !== 'weekend') bad('PITWALL_DEMO', rawDemo, 'weekday, weekend or off');
  const speed = integer('PITWALL_DEMO_SPEED', 30, 1, 3600, 'an integer from 1 to 3600 (simulated minutes per real minute)');
  const start = get('PITWALL_DEMO_START') ?? '07:45';
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(start)) bad('PITWALL_DEMO_START', start, 'a local time HH:MM, e.g. 10:30');
  return { day: day === 'weekday' ? 'weekday' : 'weekend', speed, start };
}

/** The secrets that guard the hub's doors: the metrics token, and the certificate and key for HTTPS. */
function accessSettings(
  get: (name: string) => string | undefined,
  bad: (name: string, value: string, expected: string) => void,
  problem: (text: string) => void,
): Pick<HubEnv, 'metricsToken' | 'tls'> {
  const metricsToken = get('PITWALL_METRICS_TOKEN');
  if (metricsToken !== undefined && !/^[\x21-\x7e]{16,512}$/.test(metricsToken)) bad('PITWALL_METRICS_TOKEN', '(hidden)', '16 to 512 printable characters without spaces (the bearer token a scraper sends for /metrics)');
  const tls = readTlsFiles(get, problem);
  return { ...(metricsToken !== undefined && { metricsToken }), ...(tls !== undefined && { tls }) };
}

/** The webhooks' delivery limits (server/notify/, docs/operations.md, "Webhooks"). */
function webhookSettings(
  integer: (name: string, fallback: number, min: number, max: number, expected: string) => number,
): Pick<HubEnv, 'webhookTimeoutMs' | 'webhookRetryMinutes' | 'webhookQueueCap'> {
  return {
    webhookTimeoutMs: integer('PITWALL_WEBHOOK_TIMEOUT_MS', 10_000, 1000, 60_000, 'an integer from 1000 to 60000 (milliseconds one webhook attempt may take)'),
    webhookRetryMinutes: integer('PITWALL_WEBHOOK_RETRY_MINUTES', 60, 1, 1440, 'an integer from 1 to 1440 (minutes a webhook is retried before it is dropped)'),
    webhookQueueCap: integer('PITWALL_WEBHOOK_QUEUE_CAP', 1000, 1, 100_000, 'an integer from 1 to 100000 (webhook messages held per endpoint)'),
  };
}

/** The customer's page (server/customers/): link expiry, the links' secret, the budget per address. */
function customerSettings(
  get: (name: string) => string | undefined,
  problems: string[],
  integer: (name: string, fallback: number, min: number, max: number, expected: string) => number,
): Pick<HubEnv, 'customerLinkHours' | 'customerLinkSecret' | 'customerRateLimitPerMinute'> {
  const customerLinkHours = integer('PITWALL_CUSTOMER_LINK_HOURS', 24, 1, 24 * 90, 'an integer from 1 to 2160 (hours a customer link keeps opening after delivery or cancellation)');
  const customerRateLimitPerMinute = integer('PITWALL_CUSTOMER_RATE_LIMIT', 120, 1, 1_000_000, 'an integer ≥ 1 (customer page requests per minute per client address)');
  const customerLinkSecret = get('PITWALL_CUSTOMER_LINK_SECRET');
  // Never echoed: a rejected secret is still most of a secret.
  if (customerLinkSecret !== undefined && customerLinkSecret.length < 32) problems.push('PITWALL_CUSTOMER_LINK_SECRET — expected at least 32 characters (e.g. `openssl rand -base64 32`)');
  return { customerLinkHours, customerRateLimitPerMinute, ...(customerLinkSecret !== undefined && { customerLinkSecret }) };
}

/** The data directory and the archive's (inside it unless set), absolute. */
function storageDirs(get: (name: string) => string | undefined): Pick<HubEnv, 'dataDir' | 'archiveDir'> {
  const dataDir = resolve(get('PITWALL_DATA_DIR') ?? './data');
  return { dataDir, archiveDir: resolve(get('PITWALL_ARCHIVE_DIR') ?? `${dataDir}/archive`) };
}

/** What is wrong with a REDIS_URL (either form, server/config/redis-url.ts), as what was expected; undefined when nothing. */
function redisUrlProblem(value: string): string | undefined {
  try {
    parseRedisUrl(value);
    return undefined;
  } catch (err) {
    if (err instanceof RedisUrlError) return err.message;
    throw err;
  }
}

/** `redis://:secret@host` must not land in the start-up log when it is rejected. */
function hidePassword(value: string): string {
  return value.replace(/\/\/([^/@:]*):[^/@]*@/, '//$1:***@');
}
