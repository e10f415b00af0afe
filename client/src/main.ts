import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { createPitwallI18n, pickLocale } from './i18n/index.js';
import { installKioskStart } from './lib/kiosk/kiosk-start.js';
import { startServiceWorker } from './lib/kiosk/service-worker.js';
import { router } from './router.js';

const lang = new URLSearchParams(location.search).get('lang');
const locale = pickLocale(lang, navigator.languages ?? [navigator.language]);
const i18n = createPitwallI18n(locale);
document.documentElement.lang = locale;

// Before the first navigation: an installed app's start opens this device's own board or terminal.
installKioskStart(router, localStorage);
createApp(App).use(createPinia()).use(i18n).use(router).mount('#app');

// The offline shell (src/sw.ts, built by vite-plugin-pwa): a tablet that reloads while the hub or
// the Wi-Fi is gone still gets its page, and the outbox sends when the hub answers again; a new
// build reloads kiosks at a quiet moment (lib/kiosk/service-worker.ts). Built clients only (under
// Vite's dev server a worker would cache modules under the developer's feet).
// Not on a customer's phone (`/c/…`): it follows one car over a possibly slow link, and a
// worker would fetch the whole staff app in the background (docs/api.md, "The customer's page").
if (import.meta.env.PROD && !location.pathname.startsWith('/c/')) window.addEventListener('load', () => startServiceWorker(window));
