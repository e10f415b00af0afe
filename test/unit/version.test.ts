import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PITWALL_VERSION } from '../../shared/version.js';

const ROOT = path.resolve(import.meta.dirname, '../..');

describe('the version', () => {
  it('is package.json\'s and CHANGELOG.md\'s newest entry\'s', () => {
    const pkg = JSON.parse(readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
    expect(pkg.version).toBe(PITWALL_VERSION);
    const newest = /^## (\d+\.\d+\.\d+) — /m.exec(readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8'))?.[1];
    expect(newest).toBe(PITWALL_VERSION);
  });
});
