/**
 * REDIS_URL's two forms (docs/operations.md, "Redis Cluster"):
 * - `redis://[user:password@]host:port[/db]` (or `rediss://` for TLS): one Redis server;
 * - `redis+cluster://[user:password@]host1:port1,host2:port2,…` (or `rediss+cluster://`): a
 *   Redis Cluster, named by seed nodes; the client asks them for the rest of the cluster.
 * Pure (no ioredis) so the environment check can use it; the clients are made in
 * server/store/redis/redis-client.ts.
 */

export interface ClusterNodeAddress {
  host: string;
  port: number;
}

export type RedisTarget =
  | { kind: 'server'; url: string }
  | { kind: 'cluster'; nodes: ClusterNodeAddress[]; username?: string; password?: string; tls: boolean };

/** What was wrong with the URL, said so the operator can fix the variable. */
export class RedisUrlError extends Error {
  override readonly name = 'RedisUrlError';
}

const CLUSTER_SCHEME = /^(rediss?)\+cluster:\/\//i;

export function isClusterUrl(url: string): boolean {
  return CLUSTER_SCHEME.test(url);
}

/** Parses either form; throws RedisUrlError naming the problem (never echoing the password). */
export function parseRedisUrl(url: string): RedisTarget {
  const scheme = CLUSTER_SCHEME.exec(url);
  if (!scheme) {
    if (!/^rediss?:\/\//i.test(url)) throw new RedisUrlError('a URL starting with redis://, rediss:// or redis+cluster:// (a Redis Cluster)');
    try {
      new URL(url);
    } catch {
      throw new RedisUrlError('a valid URL such as redis://host:6379 (could not parse it)');
    }
    return { kind: 'server', url };
  }
  // Not `new URL()`: a list of hosts is no URL authority WHATWG accepts. The credentials end
  // at the last `@` (no host has one), so a password holding `/` or `@` stays whole.
  const rest = url.slice(scheme[0].length);
  const at = rest.lastIndexOf('@');
  const userinfo = at >= 0 ? rest.slice(0, at) : undefined;
  const afterAuth = at >= 0 ? rest.slice(at + 1) : rest;
  const [hostList = '', path = ''] = splitOnce(afterAuth, /[/?#]/);
  if (path !== '' && !/^\/0?$/.test(path)) {
    throw new RedisUrlError(`no database number or options after the hosts of a redis+cluster:// URL (a cluster has only database 0), got "${path}"`);
  }
  const nodes = hostList.split(',').map((entry) => parseHostPort(entry.trim()));
  const credentials = userinfo === undefined ? {} : parseUserinfo(userinfo);
  return { kind: 'cluster', nodes, ...credentials, tls: scheme[1]!.toLowerCase() === 'rediss' };
}

/** The URL without its password, for logs and error messages. */
export function redactRedisUrl(url: string): string {
  if (isClusterUrl(url)) {
    const start = url.indexOf('//') + 2;
    const at = url.lastIndexOf('@');
    const colon = url.indexOf(':', start);
    return at > start && colon >= 0 && colon < at ? `${url.slice(0, colon)}:***${url.slice(at)}` : url;
  }
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return 'an unparseable URL';
  }
}

function parseHostPort(entry: string): ClusterNodeAddress {
  // `[::1]:7000` for IPv6, `host:7000` otherwise; the port is required (no cluster default).
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]\s]+):(\d{1,5})$/i.exec(entry);
  const port = match ? Number(match[2]) : NaN;
  if (!match || port < 1 || port > 65535) {
    throw new RedisUrlError(`host:port pairs separated by commas after redis+cluster://, e.g. redis+cluster://redis-1:7000,redis-2:7001 (got "${entry}")`);
  }
  return { host: match[1]!.replace(/^\[|\]$/g, ''), port };
}

function parseUserinfo(userinfo: string): { username?: string; password?: string } {
  const [user = '', password] = splitOnce(userinfo, /:/);
  try {
    return {
      ...(user !== '' && { username: decodeURIComponent(user) }),
      ...(password !== undefined && { password: decodeURIComponent(password) }),
    };
  } catch {
    throw new RedisUrlError('a percent-encoded user and password before the @ of the redis+cluster:// URL');
  }
}

/** [before, after] around the first match; after is undefined when there is none (the separator is dropped, except a path's leading `/`). */
function splitOnce(s: string, separator: RegExp): [string, string | undefined] {
  const i = s.search(separator);
  if (i < 0) return [s, undefined];
  return [s.slice(0, i), s[i] === ':' ? s.slice(i + 1) : s.slice(i)];
}
