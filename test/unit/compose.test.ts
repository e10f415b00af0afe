import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * The compose files as `docker compose config` would read them (no Docker engine runs here):
 * valid YAML with anchors merged, every reference resolving, and what a shop's deployment needs
 * (issue 16, item 6): the balancer waits for healthy hubs, every container's log is rotated, the
 * hubs publish no port and read a .env when there is one.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');

interface Service {
  image?: string;
  build?: unknown;
  ports?: string[];
  volumes?: string[];
  depends_on?: Record<string, { condition: string }> | string[];
  healthcheck?: { test: string[]; interval: string; timeout: string; retries: number; start_period?: string };
  logging?: { driver: string; options: Record<string, string> };
  env_file?: { path: string; required: boolean }[];
  restart?: string;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

const TOP_LEVEL = new Set(['services', 'volumes', 'networks', 'configs', 'secrets', 'name']);

function load(file: string): Compose {
  const doc = parse(readFileSync(path.join(ROOT, file), 'utf8'), { merge: true, maxAliasCount: 100 }) as Record<string, unknown>;
  for (const key of Object.keys(doc)) expect(key.startsWith('x-') || TOP_LEVEL.has(key), `${file}: unknown top-level key ${key}`).toBe(true);
  return doc as unknown as Compose;
}

describe.each(['docker-compose.yml', 'docker-compose.cluster.yml'])('%s', (file) => {
  const compose = load(file);
  const services = compose.services;
  const hubs = Object.keys(services).filter((name) => name.startsWith('hub-'));

  it('resolves every reference: services depended on, named volumes, files mounted', () => {
    expect(hubs).toEqual(['hub-a', 'hub-b']);
    for (const [name, s] of Object.entries(services)) {
      expect(s.image !== undefined || s.build !== undefined, `${name} has an image or a build`).toBe(true);
      const deps = Array.isArray(s.depends_on) ? s.depends_on : Object.keys(s.depends_on ?? {});
      for (const dep of deps) expect(services[dep], `${name} depends on ${dep}`).toBeDefined();
      for (const v of s.volumes ?? []) {
        const source = v.split(':')[0]!;
        if (source.startsWith('.')) expect(() => readFileSync(path.join(ROOT, source)), `${name} mounts ${source}`).not.toThrow();
        else expect(compose.volumes?.[source] !== undefined || source in (compose.volumes ?? {}), `${name}'s volume ${source} is declared`).toBe(true);
      }
    }
  });

  it('starts the balancer once both hubs are healthy, by /healthz', () => {
    expect(services.lb!.depends_on).toEqual({ 'hub-a': { condition: 'service_healthy' }, 'hub-b': { condition: 'service_healthy' } });
    for (const hub of hubs) {
      const check = services[hub]!.healthcheck!;
      expect(check.test.join(' ')).toContain('http://127.0.0.1:3000/healthz');
      expect(check.retries).toBeGreaterThanOrEqual(1);
    }
  });

  it('rotates every container\'s log', () => {
    for (const [name, s] of Object.entries(services)) {
      expect(s.logging, `${name}'s logging`).toEqual({ driver: 'json-file', options: { 'max-size': '10m', 'max-file': '5' } });
    }
  });

  it('publishes the balancer alone, and gives the hubs the optional .env', () => {
    expect(Object.entries(services).filter(([, s]) => s.ports !== undefined).map(([name]) => name)).toEqual(['lb']);
    for (const hub of hubs) expect(services[hub]!.env_file).toEqual([{ path: '.env', required: false }]);
  });
});
