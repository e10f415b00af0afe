import { createRouter, createWebHistory } from 'vue-router';
import { ALL_WORKSHOPS, takeUrlToken, type PageKind } from './lib/token.js';
import HomeView from './views/HomeView.vue';

declare module 'vue-router' {
  interface RouteMeta {
    /** Which stored token the page runs with (lib/token.ts); pages without one take none. */
    tokenKind?: PageKind;
  }
}

/**
 * The hub serves index.html for these paths (server/http/static.ts). Each view reads its
 * workshop from the path and its token from the device's storage, where the guard below puts
 * the one its link carried (`#token=`, or `?token=` from an old bookmark).
 */
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: HomeView },
    { path: '/board/:workshopId', component: () => import('./features/board/BoardView.vue'), props: true, meta: { tokenKind: 'board' } },
    { path: '/terminal/:workshopId', component: () => import('./features/terminal/TerminalView.vue'), props: (r) => ({ workshopId: r.params.workshopId, mode: 'technician' }), meta: { tokenKind: 'terminal' } },
    { path: '/desk/:workshopId', component: () => import('./features/terminal/TerminalView.vue'), props: (r) => ({ workshopId: r.params.workshopId, mode: 'advisor' }), meta: { tokenKind: 'desk' } },
    { path: '/lead/:workshopId', component: () => import('./features/lead/LeadView.vue'), props: true, meta: { tokenKind: 'lead' } },
    { path: '/reports/:workshopId', component: () => import('./features/reports/ReportsView.vue'), props: true, meta: { tokenKind: 'reports' } },
    // A customer's phone: the capability is the credential, no token, no login (features/customer).
    { path: '/c/:capability', component: () => import('./features/customer/CustomerPage.vue'), props: true },
    // Every workshop the token opens, so no workshop in the path.
    { path: '/region', component: () => import('./features/region/RegionView.vue'), meta: { tokenKind: 'region' } },
  ],
});

// Before any view runs (and before its first request): the token is kept on the device and, on
// every page but the board, replaced out of the address bar, other parameters (bay, lang, date) kept.
router.beforeEach((to) => {
  const kind = to.meta.tokenKind;
  if (!kind) return true;
  const workshopId = typeof to.params.workshopId === 'string' ? to.params.workshopId : ALL_WORKSHOPS;
  const { clean } = takeUrlToken(kind, workshopId, { query: to.query, hash: to.hash });
  return clean ? { path: to.path, query: clean.query as typeof to.query, hash: clean.hash, replace: true } : true;
});
