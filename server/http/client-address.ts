import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/**
 * The client's address, for HTTP (Express's `req.ip`) and sockets (the engine's per-address
 * cap) alike: one function, so both doors count the same client the same way.
 *
 * `trustedHops` proxies stand between the client and the hub (PITWALL_TRUST_PROXY). Each one
 * appends the address it received the request from to X-Forwarded-For, so the client is the
 * address `trustedHops` entries from the right (the TCP peer counting as the first). Entries
 * further left were written by the client itself and prove nothing: taking the first entry
 * let any client claim any address. 0: X-Forwarded-For is ignored, the TCP peer is the client.
 */
export interface ClientAddress {
  /** proxy-addr's trust function, also Express's `trust proxy` setting (server/http/app.ts). */
  trust: (address: string, hop: number) => boolean;
  of(req: IncomingMessage): string;
}

export function clientAddress(trustedHops: number): ClientAddress {
  const trust = (_address: string, hop: number): boolean => hop < trustedHops;
  return { trust, of: (req) => proxyaddr(req, trust) };
}
