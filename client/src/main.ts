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
