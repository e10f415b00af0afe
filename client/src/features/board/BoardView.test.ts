// @vitest-environment happy-dom
import { flushPromises, mount } from '@vue/test-utils';
import { createPinia, setActivePinia } from 'pinia';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryHistory, createRouter } from 'vue-router';
import { createPitwallI18n } from '../../i18n/index.js';
import { snapshotAt1800, WORKSHOP } from '../../lib/board-test-fixture.js';
import { takeUrlToken } from '../../lib/token.js';
import { useBoardStore } from './board-store.js';
import BoardView from './BoardView.vue';

// The feed (socket, HTTP) is tested on its own; here the store is fed by hand.
vi.mock('./useBoardFeed.js', () => ({ useBoardFeed: vi.fn(() => ({ refreshSeries: async () => {}, stop: () => {} })) }));

async function mountBoard(query: string) {
  const router = createRouter({ history: createMemoryHistory(), routes: [{ path: '/board/:workshopId', component: BoardView, props: true }] });
  await router.push(`/board/sh-test?${query}`);
  // The app's router takes the token from the URL before any view runs (router.ts, lib/token.ts).
  const token = new URLSearchParams(query).get('token');
  if (token) takeUrlToken('board', 'sh-test', { query: { token }, hash: '' });
  const w = mount(BoardView, {
    props: { workshopId: 'sh-test' },
    global: { plugins: [router, createPitwallI18n('en')], stubs: { CompletionsChart: true, WaitingChart: true } },
  });
  await flushPromises();
  return w;
}

describe('BoardView', () => {
  beforeEach(() => {
    setActivePinia(createPinia());
    localStorage.clear();
  });

  function feed() {
    const store = useBoardStore();
    store.setWorkshop(WORKSHOP);
    store.markConnected(Date.now());
    store.applySnapshot(snapshotAt1800(), Date.now());
    return store;
  }

  it('shows every KPI tile, the bays, the banner, the flags and the legend', async () => {
    feed();
    const w = await mountBoard('token=t');
    expect(w.findAll('[data-testid^="kpi-"][data-light]').map((k) => k.attributes('data-light'))).toEqual(['red', 'yellow', 'red', 'red', 'red', 'red']);
    expect(w.findAll('[data-testid^="bay-B"]').map((b) => b.attributes('data-testid'))).toEqual(['bay-B1', 'bay-B2', 'bay-B3']);
    expect(w.get('[data-testid="alert-banner"]').attributes('data-worst')).toBe('red');
    expect(w.get('[data-testid="flag-overrun"]').text()).toContain('\u2068Bay 2\u2069 · \u2068沪D33333\u2069');
    expect(w.find('[data-testid="legend"]').exists()).toBe(true);
    expect(w.text()).toContain('Zhang Wei');
  });

  it('masks plates and shows no names in privacy mode', async () => {
    feed();
    const w = await mountBoard('token=t&privacy=1');
    const text = w.text();
    expect(text).toContain('沪F····5');
    for (const secret of ['沪F55555', '沪D33333', 'Zhang Wei', 'Wang Fang']) expect(text).not.toContain(secret);
    expect(w.find('[data-testid="privacy"]').exists()).toBe(true);
  });

  it('waits for the first board, then says when the token is refused', async () => {
    const w = await mountBoard('token=t');
    expect(w.find('[data-testid="loading"]').exists()).toBe(true);
    useBoardStore().markUnauthorized();
    await flushPromises();
    expect(w.get('[data-testid="unauthorized"]').text()).toBe('This page’s token is missing or not valid for this workshop: open it with its link (#token=…)');
  });

  it('dims the figures while offline, and keeps them on screen', async () => {
    const store = feed();
    const w = await mountBoard('token=t');
    store.markOffline(Date.now());
    await flushPromises();
    expect(w.get('[data-testid="board"]').classes()).toContain('doubtful');
    expect(w.get('[data-testid="conn"]').attributes('data-kind')).toBe('offline');
    expect(w.find('[data-testid="kpi-utilisation"]').exists()).toBe(true);
  });
});
