import { io, type Socket } from 'socket.io-client';
import { onBeforeUnmount, ref, type Ref } from 'vue';
import { CUSTOMER_LINK_CLOSED, CUSTOMER_NAMESPACE, type CustomerClientToServer, type CustomerServerToClient } from '../../../../shared/customer-link.js';
import { customerJobView, type CustomerJobView } from '../../../../shared/customer-view.js';

/** `loading`: nothing heard yet; `live`: connected; `offline`: the last view kept while the connection is gone; `closed`: the link is unknown or expired. */
export type CustomerPageStatus = 'loading' | 'live' | 'offline' | 'closed';

/** A refused handshake that is not "closed" (the address's budget, a hub restarting) is tried again after this. */
export const RETRY_MS = 10_000;

/**
 * The customer's page's one connection (docs/api.md, "The customer's socket"): the view on
 * joining and at every change, `closed` when the link expires. Socket.IO's own reconnection
 * covers a dropped link (polling first, so it works where WebSockets do not); a refused
 * handshake is retried by hand, except for a closed link, which is final.
 */
export function useCustomerLive(capability: string): { view: Ref<CustomerJobView | null>; status: Ref<CustomerPageStatus> } {
  const view = ref<CustomerJobView | null>(null);
  const status = ref<CustomerPageStatus>('loading');
  const socket: Socket<CustomerServerToClient, CustomerClientToServer> = io(CUSTOMER_NAMESPACE, { auth: { capability } });
  let retry: ReturnType<typeof setTimeout> | undefined;

  socket.on('view', (raw) => {
    // From the network: parsed, so a hub of another version can never show a half page.
    const parsed = customerJobView.safeParse(raw);
    if (!parsed.success) return;
    view.value = parsed.data;
    status.value = 'live';
  });
  socket.on('closed', () => close());
  socket.on('disconnect', () => {
    if (status.value !== 'closed') status.value = view.value ? 'offline' : 'loading';
  });
  socket.on('connect_error', (err) => {
    if (err.message === CUSTOMER_LINK_CLOSED) return close();
    if (view.value) status.value = 'offline';
    // A middleware refusal is not retried by Socket.IO itself.
    if (!socket.active) retry = setTimeout(() => socket.connect(), RETRY_MS);
  });

  function close() {
    status.value = 'closed';
    view.value = null;
    socket.disconnect();
  }
  onBeforeUnmount(() => {
    clearTimeout(retry);
    socket.disconnect();
  });
  return { view, status };
}
