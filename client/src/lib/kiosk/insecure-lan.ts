/**
 * True when the page was loaded over plain http from an address other than this machine's own:
 * a tablet or TV at `http://192.168.x.x`. Browsers give such a page no service worker (and no
 * wake lock), so it cannot reload while the hub is unreachable: the page says so
 * (KioskStatus.vue) instead of failing silently on the day the Wi-Fi drops.
 * docs/operations.md, "HTTPS on the shop's network".
 */
export function offlineReloadUnavailable(loc: Pick<Location, 'protocol' | 'hostname'>, secureContext: boolean): boolean {
  if (secureContext || loc.protocol === 'https:') return false;
  const host = loc.hostname.replace(/^\[|\]$/g, '');
  const local = host === 'localhost' || host.endsWith('.localhost') || /^127\./.test(host) || host === '::1';
  return !local;
}
