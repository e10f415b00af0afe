import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';

/** `vite client` for development (the hub on :3000 behind the proxy), `vite build client` for `npm start`. */
const hub = process.env.PITWALL_HUB_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [vue()],
  // No source maps: the image serves client/dist to every device on the network, and a map
  // gives the whole source away (docs/security.md). PITWALL_CLIENT_SOURCEMAPS=1 for a local debug build.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: process.env.PITWALL_CLIENT_SOURCEMAPS === '1' },
  server: {
    proxy: {
      '/api': hub,
      '/healthz': hub,
      '/socket.io': { target: hub, ws: true },
    },
  },
});
