/**
 * The English messages are the schema: every other language has exactly their keys, a string
 * at each leaf. A key missing (or left over) in one language is a compile error in its
 * `*.messages.ts`, not a raw key on a screen.
 */
export type Translation<T> = { readonly [K in keyof T]: T[K] extends string ? string : Translation<T[K]> };

export interface Bilingual<En> {
  en: En;
  'zh-CN': Translation<NoInfer<En>>;
}

/** A view's strings in both languages, the Chinese checked against the English. */
export function defineMessages<En>(messages: Bilingual<En>): Bilingual<En> {
  return messages;
}
