import vue from '@vitejs/plugin-vue';
import { defineConfig } from 'vite';
import { compression } from 'vite-plugin-compression2';
import { VitePWA } from 'vite-plugin-pwa';
import { webAppManifest } from './web-app-manifest.js';

/** `vite client` for development (the hub on :3000 behind the proxy), `vite build client` for `npm start`. */
const hub = process.env.PITWALL_HUB_URL ?? 'http://localhost:3000';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [
    vue(),
    // The offline shell (src/sw.ts), built with Workbox's injectManifest: the build's own file
    // list goes into the worker, which keeps the network-first policy for pages written there.
    // Registered by src/lib/kiosk/service-worker.ts (injectRegister: false), which also reloads a
    // kiosk to a new build at a quiet moment.
    VitePWA({
      strategies: 'injectManifest',
      srcDir: 'src',
      filename: 'sw.ts',
      injectRegister: false,
      manifest: webAppManifest,
      // Icons are in public/ (client/scripts/make-icons.mjs draws them from favicon.svg).
      includeManifestIcons: true,
      injectManifest: {
        // Everything the build writes: every view's chunk, its styles, the icons and favicons.
        globPatterns: ['**/*.{js,css,html,svg,png,ico,webmanifest,woff2}'],
        // The worker itself is never in its own manifest; maps are not served (static.ts).
        globIgnores: ['sw.js', '**/*.map'],
        // Bounded: one file above this is a mistake to hear about, not to precache silently.
        maximumFileSizeToCacheInBytes: 3 * 1024 * 1024,
      },
      devOptions: { enabled: false },
    }),
    // A brotli and a gzip copy of every text asset over 1 kB, served by the hub when the browser
    // takes them (server/http/static.ts): tablets on a shop's Wi-Fi load the client 3-4x faster.
    compression({ algorithms: ['brotliCompress', 'gzip'], threshold: 1024 }),
  ],
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
