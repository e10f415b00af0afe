import QRCode from 'qrcode';
import type { CustomerLinkResponse } from '../../../../shared/customer-link.js';
import { apiGet, ApiRequestError, workshopPath } from '../../lib/api.js';

/**
 * The desk's customer link for a car (docs/api.md, "The customer's page"): asked of the hub,
 * which alone holds the key. A car checked in a moment ago may not have reached the hub yet
 * (the outbox sends it), so a 404 is asked again, every LINK_RETRY_MS, at most LINK_TRIES times.
 */
export const LINK_RETRY_MS = 1000;
export const LINK_TRIES = 30;

export interface CustomerLink {
  url: string;
  /** The QR code of `url`, as a data: URL (the page's CSP allows data: images). */
  qr: string;
}

export async function fetchCustomerLink(workshopId: string, jobId: string, token: string, origin: string, wait = (ms: number) => new Promise((r) => setTimeout(r, ms))): Promise<CustomerLink> {
  for (let attempt = 1; ; attempt++) {
    try {
      const res = await apiGet<CustomerLinkResponse>(workshopPath(workshopId, `/jobs/${encodeURIComponent(jobId)}/customer-link`), token);
      const url = `${origin}${res.path}`;
      // Error correction M: survives a crease in the printed slip, still a small code.
      return { url, qr: await QRCode.toDataURL(url, { errorCorrectionLevel: 'M', margin: 1, width: 320 }) };
    } catch (err) {
      if (!(err instanceof ApiRequestError && err.status === 404) || attempt >= LINK_TRIES) throw err;
      await wait(LINK_RETRY_MS);
    }
  }
}
