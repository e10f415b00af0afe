import { describe, expect, it } from 'vitest';
import { createPitwallI18n } from './index.js';
import { defineMessages } from './schema.js';

/**
 * The type-level half is checked by vue-tsc (npm run typecheck): each `@ts-expect-error`
 * below fails the check if the language it marks stopped being a compile error.
 */
describe('typed messages', () => {
  it('refuses a language that lacks a key, has one too many, or a nested object where a string is', () => {
    const en = { lead: { title: 'Lead', move: { confirm: 'Move {plate}' } } };
    const complete = defineMessages({ en, 'zh-CN': { lead: { title: '组长', move: { confirm: '移动 {plate}' } } } });
    // @ts-expect-error: zh-CN lacks lead.move.confirm
    defineMessages({ en, 'zh-CN': { lead: { title: '组长', move: {} } } });
    // @ts-expect-error: zh-CN lacks lead.title
    defineMessages({ en, 'zh-CN': { lead: { move: { confirm: '移动 {plate}' } } } });
    // @ts-expect-error: zh-CN names a key English does not have
    defineMessages({ en, 'zh-CN': { lead: { title: '组长', titel: '组长', move: { confirm: '移动 {plate}' } } } });
    // @ts-expect-error: a string where English has an object
    defineMessages({ en, 'zh-CN': { lead: { title: '组长', move: '移动' } } });
    expect(complete['zh-CN'].lead.move.confirm).toBe('移动 {plate}');
  });

  it('every key of the English messages resolves in Chinese too (the merged locales have the same keys)', () => {
    const i18n = createPitwallI18n('en');
    const keys = (o: object, prefix = ''): string[] =>
      Object.entries(o).flatMap(([k, v]) => (typeof v === 'string' ? [prefix + k] : keys(v as object, `${prefix}${k}.`)));
    const en = keys(i18n.global.getLocaleMessage('en'));
    expect(en.length).toBeGreaterThan(400);
    expect(keys(i18n.global.getLocaleMessage('zh-CN'))).toEqual(en);
  });
});
