import { createI18n } from 'vue-i18n';
import { common } from './common.js';

/**
 * zh-CN and English. Each view keeps its strings in its own file (board.ts, terminal.ts,
 * lead.ts) shaped `{ en: {...}, 'zh-CN': {...} }` and merged here; `?lang=` wins over the
 * browser's language.
 */
export const LOCALES = ['en', 'zh-CN'] as const;
export type Locale = (typeof LOCALES)[number];

export function pickLocale(query: string | null, browser: readonly string[]): Locale {
  const wanted = [query, ...browser].filter((l): l is string => !!l);
  for (const l of wanted) {
    if (/^zh\b/i.test(l)) return 'zh-CN';
    if (/^en\b/i.test(l)) return 'en';
  }
  return 'en';
}

type Messages = Record<string, unknown>;
export type MessageModule = { en: Messages; 'zh-CN': Messages };

const modules = import.meta.glob<MessageModule>('./*.messages.ts', { eager: true, import: 'messages' });

function merged(locale: Locale): Messages {
  const out: Messages = { ...common[locale] };
  for (const m of Object.values(modules)) Object.assign(out, m[locale]);
  return out;
}

export function createPitwallI18n(locale: Locale) {
  return createI18n<[Messages], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en: merged('en'), 'zh-CN': merged('zh-CN') },
  });
}
