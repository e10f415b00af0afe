// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { fragmentToken, pageToken, takeUrlToken } from './token.js';

beforeEach(() => localStorage.clear());

describe('takeUrlToken', () => {
  it('takes a fragment token, keeps it for the page kind and workshop, and gives the URL without it', () => {
    const taken = takeUrlToken('terminal', 'ws-a', { query: { bay: 'B1', lang: 'en' }, hash: '#token=tok-fragment-0001' });
    expect(taken).toEqual({ token: 'tok-fragment-0001', clean: { query: { bay: 'B1', lang: 'en' }, hash: '' } });
    expect(pageToken('terminal', 'ws-a')).toBe('tok-fragment-0001');
  });

  it('takes an old bookmark’s query token the same way, other parameters kept', () => {
    const taken = takeUrlToken('reports', 'ws-b', { query: { token: 'tok-query-00000001', date: '2026-11-20', lang: 'zh-CN' }, hash: '' });
    expect(taken).toEqual({ token: 'tok-query-00000001', clean: { query: { date: '2026-11-20', lang: 'zh-CN' }, hash: '' } });
    expect(pageToken('reports', 'ws-b')).toBe('tok-query-00000001');
  });

  it('prefers the fragment, drops both, and keeps the rest of the fragment', () => {
    const taken = takeUrlToken('lead', 'ws-c', { query: { token: 'tok-query-00000002' }, hash: '#token=tok-fragment-0002&x=1' });
    expect(taken).toEqual({ token: 'tok-fragment-0002', clean: { query: {}, hash: '#x=1' } });
  });

  it('keeps a token’s "+", "/" and "=" as they are (vue-router has decoded the fragment once already)', () => {
    const taken = takeUrlToken('lead', 'ws-j', { query: {}, hash: '#token=ab+cd/ef==0123456' });
    expect(taken.token).toBe('ab+cd/ef==0123456');
  });

  it('leaves a board’s URL as it is (a TV comes back through its bookmark) but keeps its token', () => {
    expect(takeUrlToken('board', 'ws-d', { query: { token: 'tok-board-0000001', lang: 'en' }, hash: '' })).toEqual({ token: 'tok-board-0000001', clean: null });
    expect(takeUrlToken('board', 'ws-d', { query: {}, hash: '#token=tok-board-0000002' })).toEqual({ token: 'tok-board-0000002', clean: null });
    expect(pageToken('board', 'ws-d')).toBe('tok-board-0000002');
  });

  it('changes nothing when the URL has no token: the stored one stays', () => {
    takeUrlToken('desk', 'ws-e', { query: {}, hash: '#token=tok-desk-00000001' });
    expect(takeUrlToken('desk', 'ws-e', { query: { lang: 'en' }, hash: '' })).toEqual({ token: null, clean: null });
    expect(pageToken('desk', 'ws-e')).toBe('tok-desk-00000001');
  });

  it('takes no token from a repeated ?token= (the hub refuses it too) but still drops it from the URL', () => {
    const taken = takeUrlToken('lead', 'ws-f', { query: { token: ['a-token-000000001', 'a-token-000000002'], lang: 'en' }, hash: '' });
    expect(taken).toEqual({ token: null, clean: { query: { lang: 'en' }, hash: '' } });
    expect(pageToken('lead', 'ws-f')).toBeNull();
  });
});

describe('pageToken', () => {
  it('keeps each page kind’s token apart: a lead token opened on a laptop is not its board’s', () => {
    takeUrlToken('lead', 'ws-g', { query: {}, hash: '#token=tok-lead-00000001' });
    expect(pageToken('lead', 'ws-g')).toBe('tok-lead-00000001');
    expect(pageToken('board', 'ws-g')).toBeNull();
    expect(pageToken('lead', 'ws-other')).toBeNull();
  });

  it('moves a token kept by the first version (one key per workshop) to the page kind that reads it first', () => {
    localStorage.setItem('pitwall:token:ws-h', 'tok-legacy-000001');
    expect(pageToken('terminal', 'ws-h')).toBe('tok-legacy-000001');
    expect(localStorage.getItem('pitwall:token:ws-h')).toBeNull();
    expect(pageToken('terminal', 'ws-h')).toBe('tok-legacy-000001');
    expect(pageToken('desk', 'ws-h')).toBeNull();
  });

  it('runs this load from memory when storage refuses (private mode, a full quota)', () => {
    const refusing = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
      removeItem: () => undefined,
    } as unknown as Storage;
    expect(takeUrlToken('lead', 'ws-i', { query: {}, hash: '#token=tok-memory-000001' }, refusing).token).toBe('tok-memory-000001');
    expect(pageToken('lead', 'ws-i', refusing)).toBe('tok-memory-000001');
  });
});

describe('fragmentToken', () => {
  it('puts a token after "#", encoded, and nothing when there is none', () => {
    expect(fragmentToken('a+b/c=')).toBe('#token=a%2Bb%2Fc%3D');
    expect(fragmentToken(null)).toBe('');
  });
});
