import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  // .vue files in client tests (client/src/**/*.test.ts, happy-dom per file).
  plugins: [vue()],
  test: {
    include: ['test/**/*.test.ts', 'client/src/**/*.test.ts'],
    environment: 'node',
    globalSetup: ['test/global-setup.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // Integration files each start their own redis-server and hub processes; two cores.
    maxWorkers: 2,
  },
});
