import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { readEnv } from '../../server/config/env.js';

/**
 * `.env.example` and the README's table list every variable the hub reads, no more: they are
 * read off `readEnv` itself (every name it asks for, with the demo on so its own variables are
 * asked too), so a variable added to server/config/env.ts without a line in both fails here.
 */
const ROOT = path.resolve(import.meta.dirname, '../..');

function variablesRead(): string[] {
  const names = new Set<string>();
  const recording = (values: Record<string, string>) =>
    new Proxy(values, {
      get(target, name) {
        if (typeof name === 'string') names.add(name);
        return target[name as string];
      },
    });
  readEnv(recording({}));
  readEnv(recording({ PITWALL_DEMO: 'weekend' }));
  return [...names].sort();
}

describe('the documented environment', () => {
  const read = variablesRead();

  it('is what the hub reads', () => {
    expect(read).toContain('PORT');
    expect(read).toContain('PITWALL_DEMO_SPEED');
    expect(read.length).toBeGreaterThanOrEqual(19);
  });

  it('.env.example sets each variable once, with its default, and nothing else', () => {
    const lines = readFileSync(path.join(ROOT, '.env.example'), 'utf8').split('\n').filter((l) => /^[A-Z_]+=/.test(l));
    const names = lines.map((l) => l.slice(0, l.indexOf('=')));
    expect([...names].sort()).toEqual(read);
    // Each value given is one the hub accepts: the file can be used as it is.
    const values = Object.fromEntries(lines.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    expect(() => readEnv(values)).not.toThrow();
  });

  it("the README's configuration table has a row for each", () => {
    const readme = readFileSync(path.join(ROOT, 'README.md'), 'utf8');
    const rows = [...readme.matchAll(/^\| `([A-Z_]+)` \|/gm)].map((m) => m[1]!);
    expect([...new Set(rows)].sort()).toEqual(read);
  });
});
