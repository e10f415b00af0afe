import { createI18n } from 'vue-i18n';
import { messages as appointments } from './appointments.messages.js';
import { messages as board } from './board.messages.js';
import { messages as kiosk } from './kiosk.messages.js';
import { common } from './common.js';
import { messages as customer } from './customer.messages.js';
import { messages as lead } from './lead.messages.js';
import { messages as reports } from './reports.messages.js';
import { messages as terminal } from './terminal.messages.js';

/**
 * zh-CN and English. Each view keeps its strings in its own file (board.messages.ts,
 * terminal.messages.ts, …) shaped `{ en: {...}, 'zh-CN': {...} }` (schema.ts: the Chinese has
 * the English keys, checked by the compiler) and merged here; `?lang=` wins over the browser's
 * language.
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

const modules = [common, board, lead, reports, terminal, customer, appointments, kiosk] as const;

/** Every key of every view: the English messages' shape, which each language has (schema.ts). */
export type MessageSchema = typeof common.en & typeof board.en & typeof lead.en & typeof reports.en & typeof terminal.en & typeof customer.en & typeof appointments.en & typeof kiosk.en;

function merged(locale: Locale): MessageSchema {
  return Object.assign({}, ...modules.map((m) => m[locale])) as MessageSchema;
}

export function createPitwallI18n(locale: Locale) {
  return createI18n<[MessageSchema], Locale, false>({
    legacy: false,
    locale,
    fallbackLocale: 'en',
    messages: { en: merged('en'), 'zh-CN': merged('zh-CN') },
  });
}
