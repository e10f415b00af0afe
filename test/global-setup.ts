import { execFileSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Builds the client once before the suite, so browser tests load the same `client/dist` that
 * `npm start` serves (a stale build would test yesterday's board).
 */
export default function setup(): void {
  const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
  execFileSync(process.execPath, [path.join(root, 'node_modules/vite/bin/vite.js'), 'build', 'client', '--logLevel', 'error'], { cwd: root, stdio: 'inherit' });
}
