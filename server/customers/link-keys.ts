import { createHmac, randomBytes } from 'node:crypto';
import type { BlobStore } from '../store/blob-store.js';

/**
 * Each workshop's key for its customers' links (capability.ts). With
 * PITWALL_CUSTOMER_LINK_SECRET set, derived from it (HMAC-SHA256 of the workshop id): every
 * hub given the same secret agrees, and changing it revokes every link. Unset, 32 random bytes
 * created once in the store beside the workshop's log (the blob `customer-link-key`, SET NX on
 * Redis), so every hub on the store reads the same key and nothing per job is kept anywhere.
 * Cached per workshop: the config's workshops bound the map.
 */
export const LINK_KEY_BLOB = 'customer-link-key';
const KEY_BYTES = 32;

export interface LinkKeys {
  keyOf(workshopId: string): Promise<Buffer>;
}

export function linkKeys(blobs: BlobStore, secret: string | undefined): LinkKeys {
  const cache = new Map<string, Promise<Buffer>>();
  const make = (workshopId: string): Promise<Buffer> =>
    secret !== undefined ? Promise.resolve(createHmac('sha256', secret).update(`customer-link-key\n${workshopId}`).digest()) : blobs.createOnce(workshopId, LINK_KEY_BLOB, randomBytes(KEY_BYTES));
  return {
    keyOf(workshopId) {
      let key = cache.get(workshopId);
      if (key === undefined) {
        key = make(workshopId);
        cache.set(workshopId, key);
        // A store that failed is asked again next time, not remembered as failing.
        key.catch(() => cache.delete(workshopId));
      }
      return key;
    },
  };
}
