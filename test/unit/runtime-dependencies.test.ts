import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The runtime image installs `dependencies` only (Dockerfile: `npm prune --omit=dev`): they must
 * be exactly the packages the hub's code imports (server/ and shared/, tests aside). A client
 * package there ships dozens of packages the hub never loads; a server import missing from
 * them breaks the image while every test here passes (they run with devDependencies).
 */
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|\bimport\(\s*['"]([^'"]+)['"]\s*\)|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

function sources(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.ts') && !f.endsWith('.d.ts') && !f.endsWith('.test.ts'))
    .map((f) => path.join(ROOT, dir, f));
}

/** `@scope/name/sub` → `@scope/name`; `name/sub` → `name`; null for relative paths and node's own modules. */
function packageOf(specifier: string): string | null {
  if (specifier.startsWith('.') || specifier.startsWith('node:') || builtinModules.includes(specifier)) return null;
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

describe('runtime dependencies', () => {
  it('are exactly the packages server/ and shared/ import', () => {
    const imported = new Set<string>();
    for (const file of [...sources('server'), ...sources('shared')]) {
      for (const m of readFileSync(file, 'utf8').matchAll(IMPORT)) {
        const name = packageOf((m[1] ?? m[2] ?? m[3])!);
        if (name) imported.add(name);
      }
    }
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string> };
    expect(Object.keys(pkg.dependencies).sort()).toEqual([...imported].sort());
  });

  it('are what the image keeps, on the current Node LTS, with the floor package.json states', () => {
    const dockerfile = readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8');
    const stages = [...dockerfile.matchAll(/^FROM (\S+)/gm)].map((m) => m[1]);
    expect(stages).toEqual(['node:24-bookworm-slim', 'node:24-bookworm-slim']);
    expect(dockerfile).toMatch(/npm prune --omit=dev/);
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { engines: { node: string } };
    // Vite 8's floor; CI here runs on Node 20, which must stay inside it.
    expect(pkg.engines.node).toBe('^20.19.0 || >=22.12.0');
    const [major, minor] = process.versions.node.split('.').map(Number) as [number, number];
    expect(major === 20 ? minor >= 19 : major >= 22).toBe(true);
  });
});
