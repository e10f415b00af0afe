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
// gone still gets its page, and the outbox sends when the hub answers again. Built clients only
// (under Vite's dev server a worker would cache modules under the developer's feet); a failure
// is logged, never fatal.
if (import.meta.env.PROD && 'serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/sw.js', { scope: '/' }).catch((err: unknown) => console.warn('Pitwall: the offline shell (service worker) is not available', err));
  });
}
