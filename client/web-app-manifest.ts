import type { ManifestOptions } from 'vite-plugin-pwa';

/**
 * The web app manifest (served as /manifest.webmanifest): a bay tablet, the desk or a TV
 * "installed" to the home screen opens full-screen, without the browser's address bar.
 * `start_url` carries `installed=1`: the home page then opens the board or terminal this device
 * showed last (client/src/lib/kiosk-start.ts), since the manifest cannot know which one it is.
 */
export const webAppManifest: Partial<ManifestOptions> = {
  name: 'Pitwall',
  short_name: 'Pitwall',
  description: 'Real-time operations monitor for the service centre: boards and bay terminals.',
  lang: 'zh-CN',
  start_url: '/?installed=1',
  scope: '/',
  id: '/',
  // Browsers without full screen for installed apps (iPadOS) fall back to standalone.
  display: 'fullscreen',
  display_override: ['fullscreen', 'standalone'],
  orientation: 'any',
  background_color: '#0b0f14',
  theme_color: '#0b0f14',
  icons: [
    { src: '/icons/icon-192.png', sizes: '192x192', type: 'image/png', purpose: 'any' },
    { src: '/icons/icon-512.png', sizes: '512x512', type: 'image/png', purpose: 'any' },
    { src: '/icons/maskable-192.png', sizes: '192x192', type: 'image/png', purpose: 'maskable' },
    { src: '/icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
  ],
};
