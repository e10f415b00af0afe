// proxy-addr (Express's own dependency) ships no types and @types/proxy-addr is not installed:
// the one call the hub makes, as documented in the package's README.
declare module 'proxy-addr' {
  import type { IncomingMessage } from 'node:http';

  /** Whether the hop at `address`, `i` hops from the hub (0: the socket's peer), is a trusted proxy. */
  type Trust = (address: string, i: number) => boolean;

  /** The address of the client: the nearest address in the chain that `trust` does not vouch for. */
  function proxyaddr(req: IncomingMessage, trust: Trust): string;

  export default proxyaddr;
}
