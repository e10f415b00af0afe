import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // .vue files in client tests (client/src/**/*.test.ts, happy-dom per file).
  plugins: [vue()],
  test: {
    // The benchmark's smoke run starts hubs, a redis-server and a load generator of its own: it
    // runs after the suite (npm test's second step), not beside timing-sensitive fault tests.
    include: process.env.PITWALL_BENCH_SMOKE ? ['test/bench/**/*.test.ts'] : ['test/**/*.test.ts', 'client/src/**/*.test.ts'],
    exclude: process.env.PITWALL_BENCH_SMOKE ? [] : ['test/bench/**', '**/node_modules/**'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each start their own redis-server and hub processes; two cores.
    maxWorkers: 2,
  },
});
