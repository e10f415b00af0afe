import type { Router } from 'vue-router';

/**
 * An installed Pitwall (web app manifest, client/web-app-manifest.ts) opens at `/?installed=1`:
 * the manifest is the same for every device, so it cannot name this tablet's bay or this TV's
 * workshop. Each board and terminal records where it is (without its token, which the device
 * keeps elsewhere: lib/token.ts) and the installed app's start goes there.
 */
const KEY = 'pitwall:kiosk-page';

export function rememberKioskPage(loc: Pick<Location, 'pathname' | 'search'>, storage: Storage): void {
  const query = new URLSearchParams(loc.search);
  query.delete('token');
  const search = query.toString();
  try {
    storage.setItem(KEY, `${loc.pathname}${search ? `?${search}` : ''}`);
  } catch {
    // Storage full or refused: the installed app opens the home page, as without this.
  }
}

export function installKioskStart(router: Router, storage: Storage): void {
  router.beforeEach((to) => {
    if (to.path !== '/' || to.query.installed !== '1') return true;
    const last = storage.getItem(KEY);
    // Only a path of this app: the stored value is this origin's own, but never a redirect elsewhere.
    return last && /^\/(board|terminal|desk)\//.test(last) ? { path: last.split('?')[0]!, query: Object.fromEntries(new URLSearchParams(last.split('?')[1] ?? '')), replace: true } : true;
  });
}
