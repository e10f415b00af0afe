import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * `npm run typecheck` as a part of the suite, so that it runs beside the other tests on the
 * second worker instead of before all of them (a minute of one core on the CI machine).
 * A type error fails the test with the compiler's report.
 */

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const TIMEOUT_MS = 300_000;

function compile(bin: string, project: string): Promise<{ code: number; report: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [path.join(ROOT, bin), '-p', project, '--noEmit'], { cwd: ROOT, maxBuffer: 32 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, report: `${stdout}${stderr}` });
    });
  });
}

describe('the types', () => {
  it('of server/, shared/, test/ and bench/ check (tsc -p tsconfig.json)', { timeout: TIMEOUT_MS }, async () => {
    const { code, report } = await compile('node_modules/typescript/bin/tsc', 'tsconfig.json');
    expect(report).toBe('');
    expect(code).toBe(0);
  });

  it('of the client and its .vue files check (vue-tsc -p client/tsconfig.json)', { timeout: TIMEOUT_MS }, async () => {
    const { code, report } = await compile('node_modules/vue-tsc/bin/vue-tsc.js', 'client/tsconfig.json');
    expect(report).toBe('');
    expect(code).toBe(0);
  });
});
