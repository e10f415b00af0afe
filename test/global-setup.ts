import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the client once before the browser tests (the e2e project's global setup), so they
 * load the same `client/dist` that `npm start` serves (a stale build would test yesterday's board).
 */
export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  // PITWALL_TEST_CLIENT_DIR: a build of one's own, for two test runs side by side on one checkout.
  const outDir = process.env.PITWALL_TEST_CLIENT_DIR ? ['--outDir', path.resolve(process.env.PITWALL_TEST_CLIENT_DIR), '--emptyOutDir'] : [];
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', 'client', '--logLevel', 'error', ...outDir], {
    cwd: root,
    stdio: 'inherit',
    // vitest sets NODE_ENV=test, which would give a development bundle: test what `npm start` serves.
    env: { ...process.env, NODE_ENV: 'production' },
  });
}
