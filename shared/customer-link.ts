import { z } from 'zod';
import type { CustomerJobView } from './customer-view.js';

/**
 * The customer's link and socket (docs/api.md, "The customer's page"): what the desk gets for a
 * car, and the typed Socket.IO maps of the `/customer` namespace, which carries one car's view
 * and nothing else.
 */

/** `GET /api/v1/workshops/:ws/jobs/:jobId/customer-link`: the capability and the page's path (`/c/<capability>`). */
export const customerLinkResponse = z.object({ jobId: z.string(), capability: z.string(), path: z.string() });
export type CustomerLinkResponse = z.infer<typeof customerLinkResponse>;

/** The page's path for a capability; the desk prefixes the origin it was loaded from. */
export const customerPagePath = (capability: string) => `/c/${capability}`;

/** The namespace of customers' sockets: separate from the boards' `/`, so no board broadcast can ever reach one. */
export const CUSTOMER_NAMESPACE = '/customer';

/** The `connect_error` message of an unknown or expired link (the same for both: no detail). */
export const CUSTOMER_LINK_CLOSED = 'link_closed';
/** …and of a client address past its budget. */
export const CUSTOMER_RATE_LIMITED = 'rate_limited';
/** The ack error code of any message a customer socket sends: it may send nothing. */
export const CUSTOMER_SOCKET_REFUSED = 'forbidden';

export interface CustomerServerToClient {
  /** The car's view, on joining and whenever it changes. */
  view: (view: CustomerJobView) => void;
  /** The link expired while the page was open: the hub disconnects next. */
  closed: () => void;
}

/** A customer's socket sends nothing: every message is refused. */
export type CustomerClientToServer = Record<string, never>;
