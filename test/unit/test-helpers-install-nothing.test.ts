import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { requireBinary } from '../helpers/find-binary.js';
import { sourceFiles } from '../helpers/code-shape.js';

/**
 * Installing is `.ci/run`'s job, done once as root on a clean box. A test or helper that runs
 * apt or npm itself changes the machine under every other test running beside it and hides
 * what the suite needs; a missing tool says instead which package to install.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

/** A child process started with a package manager, directly or inside a shell command. */
const RUNS_A_PACKAGE_MANAGER = [
  /\b(?:execFileSync|execSync|spawnSync|spawn|execFile|exec)\(\s*['"`](?:apt-get|apt|dpkg|npm|npx|pnpm|yarn|pip3?)['"`]/,
  /\b(?:execFileSync|execSync|spawnSync|spawn|execFile|exec)\([^)]*['"`][^'"`]*\b(?:apt-get|apt|npm|pnpm|yarn)\s+(?:-\S+\s+)*(?:update|install|i|ci|add)\b/,
];

describe('the test helpers', () => {
  it('install nothing: no test file starts apt or npm', () => {
    const offenders = [...sourceFiles(ROOT, 'test'), ...sourceFiles(ROOT, 'client/src').filter((f) => f.endsWith('.test.ts'))].filter((file) => {
      const text = readFileSync(path.join(ROOT, file), 'utf8');
      return RUNS_A_PACKAGE_MANAGER.some((pattern) => pattern.test(text));
    });
    expect(offenders.filter((f) => f !== 'test/unit/test-helpers-install-nothing.test.ts')).toEqual([]);
  });

  it('recognise the installs they used to run', () => {
    const installs = [
      "execFileSync('apt-get', ['install', '-y', 'redis-server'], { stdio: 'inherit', env });",
      "execFileSync('bash', ['-c', 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-noto-cjk'], { stdio: 'inherit' });",
      "execSync('npm install playwright')",
    ];
    for (const line of installs) expect(RUNS_A_PACKAGE_MANAGER.some((p) => p.test(line)), line).toBe(true);
    // What stays allowed: a message that tells the reader what to install, a shell running README's commands.
    const allowed = ["throw new Error('nginx is not installed; install it with `sudo apt-get install nginx-light`');", "execFileSync('bash', ['-c', script], { encoding: 'utf8' });"];
    for (const line of allowed) expect(RUNS_A_PACKAGE_MANAGER.some((p) => p.test(line)), line).toBe(false);
  });

  it('name the Debian package when a tool is missing', () => {
    expect(() => requireBinary('pitwall-no-such-tool', 'pitwall-tools', 'the tests of nothing')).toThrow(
      'pitwall-no-such-tool is not installed; the tests of nothing need it. Install it with `sudo apt-get install pitwall-tools`',
    );
    expect(requireBinary('redis-server', 'redis-server', 'the Redis store tests')).toMatch(/redis-server$/);
  });
});
