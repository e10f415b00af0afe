import { createPinia } from 'pinia';
import { createApp } from 'vue';
import App from './App.vue';
import { createPitwallI18n, pickLocale } from './i18n/index.js';
import { router } from './router.js';

const lang = new URLSearchParams(location.search).get('lang');
const locale = pickLocale(lang, navigator.languages ?? [navigator.language]);
const i18n = createPitwallI18n(locale);
document.documentElement.lang = locale;

createApp(App).use(createPinia()).use(i18n).use(router).mount('#app');

// The offline shell (client/public/sw.js): a tablet that reloads while the hub or the Wi-Fi is
// gone still gets its page, and the outbox sends when the hub answers again. Production builds
// only (Vite's dev server has no fingerprinted assets); a failure is logged, never fatal.
// MODE as well as PROD: `vite build` run with NODE_ENV=test (as the test suite's global setup
// does, under vitest) is still a production-mode build but has PROD false.
if ((import.meta.env.PROD || import.meta.env.MODE === 'production') && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((err: unknown) => console.warn('Pitwall: the offline shell (service worker) is not available', err));
  });
}
