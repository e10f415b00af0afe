import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

/**
 * docker-compose.https.yml and deploy/Caddyfile, checked without a Docker engine (none runs on
 * the build machines): the override is a valid compose document that adds a Caddy service
 * with `tls internal` in front of the hubs docker-compose.yml defines, on the ports devices use,
 * its CA kept in a volume; and the Caddyfile proxies to those hubs, sticky, with health checks.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');
const read = (file: string) => readFileSync(path.join(ROOT, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  ports?: string[];
  volumes?: string[];
  depends_on?: string[] | Record<string, unknown>;
  environment?: Record<string, string>;
}
interface Compose {
  services: Record<string, Service>;
  volumes?: Record<string, unknown>;
}

describe('HTTPS with the compose file (docker-compose.https.yml, deploy/Caddyfile)', () => {
  const base = parse(read('docker-compose.yml')) as Compose;
  const https = parse(read('docker-compose.https.yml')) as Compose;
  const caddyfile = read('deploy/Caddyfile');

  it('adds a Caddy service on 443 (and 80 for the redirect), its CA in a named volume, after the hubs', () => {
    expect(Object.keys(https.services)).toEqual(['caddy']);
    const caddy = https.services.caddy!;
    expect(caddy.image).toMatch(/^caddy:2/);
    expect(caddy.ports).toEqual(expect.arrayContaining(['443:443', '80:80']));
    expect(caddy.volumes).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
    const dataVolume = caddy.volumes!.find((v) => v.endsWith(':/data'))!.split(':')[0]!;
    expect(Object.keys(https.volumes ?? {})).toContain(dataVolume);
    const deps = Array.isArray(caddy.depends_on) ? caddy.depends_on : Object.keys(caddy.depends_on ?? {});
    for (const d of deps) expect(Object.keys(base.services)).toContain(d);
    // No port clash with the base file's services.
    const taken = Object.values(base.services).flatMap((s) => (s.ports ?? []).map((p) => p.split(':')[0]));
    for (const p of caddy.ports!) expect(taken).not.toContain(p.split(':')[0]);
    // Every variable the Caddyfile reads is given to the container, with a default.
    for (const [, name] of caddyfile.matchAll(/\{\$([A-Z_]+)(?::[^}]*)?\}/g)) expect(caddy.environment?.[name!]).toMatch(/^\$\{[A-Z_]+:-.+\}$/);
  });

  it('issues from its internal CA and proxies to the hubs of docker-compose.yml, sticky and health-checked', () => {
    expect(caddyfile).toMatch(/^\s*tls internal\s*$/m);
    const upstreams = /^\s*reverse_proxy ([^{]+)\{/m.exec(caddyfile)![1]!.trim().split(/\s+/);
    expect(upstreams.length).toBeGreaterThanOrEqual(2);
    for (const u of upstreams) {
      const [host, port] = u.split(':');
      expect(Object.keys(base.services)).toContain(host);
      expect(port).toBe('3000');
    }
    expect(caddyfile).toMatch(/lb_policy ip_hash/);
    expect(caddyfile).toMatch(/health_uri \/healthz/);
    // Metrics never through the proxy (docs/security.md, "Metrics").
    expect(caddyfile).toMatch(/respond \/metrics 404/);
    // Braces balanced: a Caddyfile that would not parse fails here, not on the shop's server.
    const stripped = caddyfile.replace(/#.*$/gm, '').replace(/\{\$[A-Z_]+(?::[^}]*)?\}/g, 'X');
    let depth = 0;
    for (const ch of stripped) {
      if (ch === '{') depth++;
      if (ch === '}') depth--;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });
});
