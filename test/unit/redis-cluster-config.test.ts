import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnv } from '../../server/config/env.js';
import { parseRedisUrl, redactRedisUrl } from '../../server/config/redis-url.js';

/** REDIS_URL's cluster form (server/config/redis-url.ts) and docker-compose.cluster.yml, which uses it. */

describe('REDIS_URL', () => {
  it('reads a server URL as one server and a redis+cluster URL as seed nodes with their credentials', () => {
    expect(parseRedisUrl('redis://:pw@redis:6379/0')).toEqual({ kind: 'server', url: 'redis://:pw@redis:6379/0' });
    expect(parseRedisUrl('redis+cluster://10.0.0.1:7000,redis-2:7001, [::1]:7002')).toEqual({
      kind: 'cluster',
      nodes: [
        { host: '10.0.0.1', port: 7000 },
        { host: 'redis-2', port: 7001 },
        { host: '::1', port: 7002 },
      ],
      tls: false,
    });
    expect(parseRedisUrl('rediss+cluster://pitwall:s%40cret@r1:7000/')).toEqual({
      kind: 'cluster',
      nodes: [{ host: 'r1', port: 7000 }],
      username: 'pitwall',
      password: 's@cret',
      tls: true,
    });
    expect(parseRedisUrl('redis+cluster://:only-a-password@r1:7000')).toMatchObject({ password: 'only-a-password' });
  });

  it.each([
    ['redis+cluster://', 'host:port pairs separated by commas', '(got "")'],
    ['redis+cluster://r1:7000,r2', 'host:port pairs', '(got "r2")'],
    ['redis+cluster://r1:70000', 'host:port pairs', '(got "r1:70000")'],
    ['redis+cluster://r1:7000/3', 'no database number', 'got "/3"'],
    ['http://r1:7000', 'redis://, rediss:// or redis+cluster://', 'a URL starting with'],
  ])('refuses %s, naming the variable and the problem', (value, problem, detail) => {
    expect(() => readEnv({ REDIS_URL: value })).toThrow(`REDIS_URL="${value}" — expected`);
    expect(() => readEnv({ REDIS_URL: value })).toThrow(problem);
    expect(() => readEnv({ REDIS_URL: value })).toThrow(detail);
  });

  it('never prints the password of a cluster URL', () => {
    expect(() => readEnv({ REDIS_URL: 'redis+cluster://:hunter2@r1:7000,r2' })).toThrow('REDIS_URL="redis+cluster://:***@r1:7000,r2"');
    expect(() => readEnv({ REDIS_URL: 'redis+cluster://:hunter2@r1:7000,r2' })).not.toThrow('hunter2');
    expect(redactRedisUrl('redis+cluster://user:hunter2@r1:7000,r2:7000')).toBe('redis+cluster://user:***@r1:7000,r2:7000');
    expect(redactRedisUrl('redis+cluster://user:hun/t@r2@r1:7000')).toBe('redis+cluster://user:***@r1:7000');
    expect(redactRedisUrl('redis+cluster://r1:7000,r2:7000')).toBe('redis+cluster://r1:7000,r2:7000');
    expect(parseRedisUrl('redis+cluster://user:hun/t@r2@r1:7000')).toMatchObject({ password: 'hun/t@r2', nodes: [{ host: 'r1', port: 7000 }] });
  });
});

describe('docker-compose.cluster.yml', () => {
  const compose = fs.readFileSync(path.join(import.meta.dirname, '../../docker-compose.cluster.yml'), 'utf8');
  const nodeAnchor = /^x-redis-node: &redis-node\n((?: {2}.*\n|\n)+)/m.exec(compose)?.[1] ?? '';

  it('runs six cluster nodes, each with an fsynced AOF', () => {
    expect([...compose.matchAll(/^ {2}(redis-\d): \{ <<: \*redis-node, volumes: \["(redis-\d)-data:\/data"\] \}$/gm)].map((m) => [m[1], m[2]])).toEqual(
      [1, 2, 3, 4, 5, 6].map((n) => [`redis-${n}`, `redis-${n}`]),
    );
    const args = [...nodeAnchor.matchAll(/^ {4}- "?([^"\n]*)"?$/gm)].map((m) => m[1]).join(' ');
    expect(args).toContain('--cluster-enabled yes');
    expect(args).toContain('--appendonly yes');
    expect(args).toContain('--appendfsync always');
  });

  it('creates the cluster with a replica per master, and the hubs wait for it and use its cluster URL', () => {
    expect(compose).toMatch(/redis-cli --cluster create \$\$nodes --cluster-replicas 1 --cluster-yes/);
    expect(compose).toMatch(/ {4}redis-cluster-init:\n {6}condition: service_completed_successfully/);
    const url = /^ {4}REDIS_URL: (\S+)$/m.exec(compose)?.[1] ?? '';
    expect(readEnv({ REDIS_URL: url }).redisUrl).toBe(url);
    const target = parseRedisUrl(url);
    expect(target.kind === 'cluster' && target.nodes.map((n) => `${n.host}:${n.port}`)).toEqual(['redis-1:7000', 'redis-2:7000', 'redis-3:7000']);
  });
});
