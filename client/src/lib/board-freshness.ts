/**
 * Whether the board may vouch for what it shows. A TV is unattended: when the hub is gone or
 * the data has stopped coming, the screen must say so instead of freezing on yesterday's
 * lights. Age is measured from when this browser *received* the last snapshot, never from
 * its `asOf`: the demo runs the hub on an accelerated clock, and a TV's clock may be wrong.
 */

/** The hub sends a snapshot at least every 15 s; missing two and a half of them means trouble. */
export const STALE_AFTER_MS = 40_000;

export type Connection = 'connecting' | 'live' | 'offline' | 'unauthorized';

export interface FreshnessInput {
  connection: Connection;
  /** When the socket went down (browser clock, ms); null while connected. */
  offlineSince: number | null;
  /** When the last snapshot arrived (browser clock, ms); null before the first. */
  receivedAt: number | null;
  now: number;
}

export type Freshness =
  | { kind: 'unauthorized' }
  | { kind: 'connecting' }
  | { kind: 'offline'; since: number; dataFrom: number | null }
  | { kind: 'stale'; dataFrom: number }
  | { kind: 'live' };

export function freshness({ connection, offlineSince, receivedAt, now }: FreshnessInput): Freshness {
  switch (connection) {
    case 'unauthorized':
      return { kind: 'unauthorized' };
    case 'offline':
      return { kind: 'offline', since: offlineSince ?? now, dataFrom: receivedAt };
    case 'connecting':
    case 'live':
      if (receivedAt === null) return { kind: 'connecting' };
      if (now - receivedAt > STALE_AFTER_MS) return { kind: 'stale', dataFrom: receivedAt };
      return connection === 'live' ? { kind: 'live' } : { kind: 'connecting' };
    default: {
      const never: never = connection;
      return never;
    }
  }
}

/** Whether the figures on screen may be out of date (the board dims them). */
export function isDoubtful(f: Freshness): boolean {
  return f.kind === 'offline' || f.kind === 'stale';
}
