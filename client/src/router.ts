import { createRouter, createWebHistory } from 'vue-router';
import HomeView from './views/HomeView.vue';

/** The hub serves index.html for these paths (server/http/static.ts); the views come with the board issue. */
export const router = createRouter({
  history: createWebHistory(),
  routes: [{ path: '/', component: HomeView }],
});
