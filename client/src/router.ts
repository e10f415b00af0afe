import { createRouter, createWebHistory } from 'vue-router';
import HomeView from './views/HomeView.vue';

/**
 * The hub serves index.html for these paths (server/http/static.ts). Each view reads its
 * workshop from the path and its token from `?token=` (kept for the session by lib/token.ts).
 */
export const router = createRouter({
  history: createWebHistory(),
  routes: [
    { path: '/', component: HomeView },
    { path: '/board/:workshopId', component: () => import('./views/BoardView.vue'), props: true },
    { path: '/terminal/:workshopId', component: () => import('./views/TerminalView.vue'), props: (r) => ({ workshopId: r.params.workshopId, mode: 'technician' }) },
    { path: '/desk/:workshopId', component: () => import('./views/TerminalView.vue'), props: (r) => ({ workshopId: r.params.workshopId, mode: 'advisor' }) },
    { path: '/lead/:workshopId', component: () => import('./views/LeadView.vue'), props: true },
    { path: '/reports/:workshopId', component: () => import('./views/ReportsView.vue'), props: true },
    // Every workshop the token opens, so no workshop in the path.
    { path: '/region', component: () => import('./views/RegionView.vue') },
  ],
});
