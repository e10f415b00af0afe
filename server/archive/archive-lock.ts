import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { DEFAULT_KEY_PREFIX } from '../store/redis/keys.js';

/**
 * One archiver at a time per workshop. With hubs sharing a Redis, a Redis lock: `SET key token
 * NX PX ttl`, extended while the run goes on and released by scripts that act only when the key
 * still holds our token, so a run whose lock expired (a long pause) can neither extend nor
 * release the next holder's. The embedded store is one process: an in-process lock is enough.
 */

export interface ArchiveLease {
  /** Pushes the expiry out again; false when the lock is no longer ours (the run must stop before trimming). */
  extend(): Promise<boolean>;
  release(): Promise<void>;
}

export interface ArchiveLock {
  /** The lease, or null when another archiver holds the workshop's lock. */
  acquire(workshopId: string): Promise<ArchiveLease | null>;
}

/** How long a lock lives without being extended: a crashed archiver blocks the workshop this long at most. */
export const LOCK_TTL_MS = 60_000;

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end return 0`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) end return 0`;

/** The lock key shares the workshop's hash tag (keys.ts), like its other keys. */
export function archiveLockKey(workshopId: string, prefix = DEFAULT_KEY_PREFIX): string {
  return `${prefix}:{${workshopId}}:archive-lock`;
}

export function redisArchiveLock(client: Pick<Redis, 'set' | 'eval'>, opts: { keyPrefix?: string; ttlMs?: number } = {}): ArchiveLock {
  const ttl = opts.ttlMs ?? LOCK_TTL_MS;
  return {
    async acquire(workshopId) {
      const key = archiveLockKey(workshopId, opts.keyPrefix);
      const token = randomUUID();
      if ((await client.set(key, token, 'PX', ttl, 'NX')) !== 'OK') return null;
      return {
        extend: async () => (await client.eval(EXTEND, 1, key, token, String(ttl))) === 1,
        release: async () => void (await client.eval(RELEASE, 1, key, token)),
      };
    },
  };
}

/** For the embedded store: one archiver per workshop within this process. */
export function localArchiveLock(): ArchiveLock {
  const held = new Set<string>();
  return {
    async acquire(workshopId) {
      if (held.has(workshopId)) return null;
      held.add(workshopId);
      let mine = true;
      return {
        extend: async () => mine,
        release: async () => {
          if (mine) held.delete(workshopId);
          mine = false;
        },
      };
    },
  };
}
