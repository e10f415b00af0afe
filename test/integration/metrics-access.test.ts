import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { lanAddress } from '../helpers/lan-address.js';
import { startNginx, type NginxHandle } from '../helpers/nginx.js';
import { startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * `/metrics` (docs/security.md, "Metrics"): without PITWALL_METRICS_TOKEN only the hub's own
 * host may read it; with it, a bearer token; the shipped nginx does not forward it. Before,
 * anyone who reached the balancer read every workshop's counters.
 */
const TOKEN = 'scrape-token-0123456789abcdef';
const hubs: TestHub[] = [];
let nginx: NginxHandle | undefined;
afterEach(async () => {
  await nginx?.stop();
  nginx = undefined;
  for (const h of hubs.splice(0)) await h.stop();
});
afterAll(async () => {
  for (const h of hubs.splice(0)) await h.stop();
});

/** A hub listening on every address, as in a shop: reachable at 127.0.0.1 and at the machine's LAN address. */
async function hubOnAllAddresses(metricsToken?: string): Promise<number> {
  const h = await startTestHub(metricsToken === undefined ? {} : { metricsToken });
  hubs.push(h);
  await new Promise<void>((resolve) => h.hub.httpServer.listen(0, '0.0.0.0', resolve));
  return (h.hub.httpServer.address() as AddressInfo).port;
}

const scrape = (url: string, token?: string) => fetch(`${url}/metrics`, token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } });

describe('/metrics', () => {
  it('answers the hub\'s own host only when no token is set, whatever X-Forwarded-For says', async () => {
    const port = await hubOnAllAddresses();
    const local = await scrape(`http://127.0.0.1:${port}`);
    expect(local.status).toBe(200);
    expect(await local.text()).toContain('pitwall_events_total');

    const fromLan = await fetch(`http://${lanAddress()}:${port}/metrics`, { headers: { 'x-forwarded-for': '127.0.0.1' } });
    expect(fromLan.status).toBe(403);
    expect(((await fromLan.json()) as { error: { message: string } }).error.message).toContain('PITWALL_METRICS_TOKEN');
  });

  it('wants the bearer token when one is set, from any address', async () => {
    const port = await hubOnAllAddresses(TOKEN);
    for (const host of ['127.0.0.1', lanAddress()]) {
      const url = `http://${host}:${port}`;
      expect((await scrape(url)).status).toBe(401);
      expect((await scrape(url, `${TOKEN}x`)).status).toBe(401);
      const ok = await scrape(url, TOKEN);
      expect(ok.status).toBe(200);
      expect(await ok.text()).toContain('pitwall_events_total');
    }
  });

  it('is not forwarded by the shipped nginx, while the board and /healthz are', async () => {
    const port = await hubOnAllAddresses(TOKEN);
    nginx = await startNginx(port);
    expect((await scrape(nginx.url, TOKEN)).status).toBe(404);
    expect((await fetch(`${nginx.url}/healthz`)).status).toBe(200);
  });
});
