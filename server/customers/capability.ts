import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The customer's link (docs/security.md, "The customer's link"): `<workshop>.<job>.<mac>`, the
 * ids base64url-encoded and the mac the first 128 bits of HMAC-SHA256 over both with the
 * workshop's link key. Nothing per job is stored: any hub holding the key checks any link,
 * and a link for another job cannot be made without the key.
 */

/** 16 bytes of HMAC: 128 bits, 22 base64url characters. */
const MAC_BYTES = 16;
/** Two ids of at most 64 characters (4 bytes each in UTF-8) and the mac: anything longer is not a link. */
export const MAX_CAPABILITY_LENGTH = 2 * 342 + 2 + 22;
const SHAPE = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]{22}$/;

export interface CapabilityTarget {
  workshopId: string;
  jobId: string;
}

function macOf(key: Buffer, t: CapabilityTarget): Buffer {
  // A separator no id may hold (ids are printable), so ("a", "b\nc") and ("a\nb", "c") differ.
  return createHmac('sha256', key).update(`pitwall-customer-link\n${t.workshopId}\n${t.jobId}`).digest().subarray(0, MAC_BYTES);
}

export function mintCapability(key: Buffer, t: CapabilityTarget): string {
  const b64 = (s: string) => Buffer.from(s, 'utf8').toString('base64url');
  return `${b64(t.workshopId)}.${b64(t.jobId)}.${macOf(key, t).toString('base64url')}`;
}

/** The ids a link names, before its mac is checked (the workshop tells whose key checks it); null when it is no link at all. */
export function capabilityTarget(capability: string): CapabilityTarget | null {
  if (capability.length > MAX_CAPABILITY_LENGTH || !SHAPE.test(capability)) return null;
  const [ws, job] = capability.split('.') as [string, string, string];
  const text = (part: string) => {
    const s = Buffer.from(part, 'base64url').toString('utf8');
    // Node's decoder skips what it does not know: only the exact encoding counts.
    return Buffer.from(s, 'utf8').toString('base64url') === part && s.length > 0 ? s : null;
  };
  const workshopId = text(ws);
  const jobId = text(job);
  return workshopId === null || jobId === null ? null : { workshopId, jobId };
}

/** Whether the link's mac is the one `key` makes for its ids (in constant time). */
export function capabilityValid(key: Buffer, capability: string, t: CapabilityTarget): boolean {
  const given = Buffer.from(capability.slice(capability.lastIndexOf('.') + 1), 'base64url');
  const expected = macOf(key, t);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** A request path as logs may hold it: a customer page's or API path without its capability (docs/security.md, "The customer's link"). */
export function loggablePath(path: string): string {
  return path.replace(/^(\/api\/v1)?\/c\/.*$/, (_m, api: string | undefined) => `${api ?? ''}/c/:capability`);
}
