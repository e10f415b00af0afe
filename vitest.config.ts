import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';
import { ProjectsInTurn } from './test/sequencer.js';

/**
 * One project per kind of test (`npx vitest run --project unit`), all run by `npm test`:
 * - typecheck: `npm run typecheck` as a test, beside the others rather than before them;
 * - unit, client: no server, no browser (`npm run test:fast`, the edit loop);
 * - integration: real hubs, redis-server, nginx, hub processes;
 * - e2e: Debian's Chromium against a real hub; only this project builds the client first;
 * - bench-smoke: the benchmark's smoke run, which starts hubs, a redis-server and a load
 *   generator of its own: a later group, never beside the timing-sensitive fault tests.
 */
export default defineConfig({
  // .vue files in client tests (client/src/**/*.test.ts, happy-dom per file).
  plugins: [vue()],
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each start their own redis-server and hub processes; two cores.
    maxWorkers: 2,
    sequence: { sequencer: ProjectsInTurn },
    projects: [
      { extends: true, test: { name: 'typecheck', include: ['test/typecheck/**/*.test.ts'] } },
      { extends: true, test: { name: 'unit', include: ['test/unit/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'client', include: ['client/src/**/*.test.ts'], isolate: false } },
      { extends: true, test: { name: 'integration', include: ['test/integration/**/*.test.ts'] } },
      { extends: true, test: { name: 'e2e', include: ['test/e2e/**/*.test.ts'], globalSetup: ['test/global-setup.ts'] } },
      { extends: true, test: { name: 'bench-smoke', include: ['test/bench/**/*.test.ts'], sequence: { groupOrder: 1 } } },
    ],
  },
});
