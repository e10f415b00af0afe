import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';

/** `vite client` for development (the hub on :3000 behind the proxy), `vite build client` for `npm start`. */
const hub = process.env.PITWALL_HUB_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  // A brotli and a gzip copy of every text asset over 1 kB, served by the hub when the browser
  // takes them (server/http/static.ts): tablets on a shop's Wi-Fi load the client 3-4x faster.
  plugins: [vue(), compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024 })],
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
