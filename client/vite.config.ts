import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/** `vite client` for development (the hub on :3000 behind the proxy), `vite build client` for `npm start`. */
const hub = process.env.PITWALL_HUB_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [vue()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true },
  server: {
    proxy: {
      '/api': hub,
      '/healthz': hub,
      '/socket.io': { target: hub, ws: true },
    },
  },
});
