/**
 * The token a page runs with, and keeping it out of URLs (docs/security.md, "Tokens and URLs").
 *
 * A link carries the token in its fragment (`/lead/sh-pudong#token=…`): a fragment never reaches
 * the hub, a proxy or its access log. A query token (`?token=…`) still works for old bookmarks.
 * Either way the page keeps the token in this device's storage, keyed by page kind and
 * workshop, so a desk tablet reloads (offline too) with nothing in its address bar, and a lead
 * token opened on a laptop is never picked up by that laptop's board page.
 *
 * Every page but the board then takes the token out of the address bar before any view runs
 * (a photo of the tablet, a shared link, the browser's history). The board keeps its URL: a
 * TV's bookmark is how it comes back after a power cut, its token is read-only, and the hub
 * takes a board token from `?token=` anyway (a TV browser cannot set headers).
 */
export type PageKind = 'board' | 'terminal' | 'desk' | 'lead' | 'reports' | 'region';

/** The region page's workshop key: its token opens several (workshop ids cannot contain "*"). */
export const ALL_WORKSHOPS = '*';

const key = (kind: PageKind, workshopId: string) => `pitwall:token:${kind}:${workshopId}`;
/** Where the first version kept a token, for any page kind (read once, then moved). */
const legacyKey = (workshopId: string) => `pitwall:token:${workshopId}`;

/** Storage that may refuse (Safari's private mode, a full quota): the page still runs on this load. */
const inMemory = new Map<string, string>();

function readStored(storage: Storage, k: string): string | null {
  try {
    return storage.getItem(k);
  } catch {
    return null;
  }
}

function writeStored(storage: Storage, k: string, value: string | null): void {
  try {
    if (value === null) storage.removeItem(k);
    else storage.setItem(k, value);
  } catch {
    // Kept in memory only: the next reload needs the link again.
  }
}

export interface UrlParts {
  query: Record<string, unknown>;
  /** With its "#", decoded as vue-router gives it ("" when none). */
  hash: string;
}

export interface TakenToken {
  token: string | null;
  /** The URL without its token, or null when it has none (or is a board's, which keeps it). */
  clean: UrlParts | null;
}

/**
 * A fragment's `&`-separated parts (`#token=…&x=1`). Not URLSearchParams: vue-router hands the
 * hash over already decoded, and a second decoding would turn a token's "+" into a space.
 */
const fragmentParts = (hash: string) => hash.replace(/^#/, '').split('&').filter(Boolean);
const isTokenPart = (part: string) => part === 'token' || part.startsWith('token=');

/**
 * Takes the token from a URL (fragment first, then query), remembers it for this page kind and
 * workshop, and says how the URL reads without it. A URL without a token changes nothing: the
 * stored one stays. A repeated `?token=` (an array) is not a token.
 */
export function takeUrlToken(kind: PageKind, workshopId: string, url: UrlParts, storage: Storage = localStorage): TakenToken {
  const parts = fragmentParts(url.hash);
  const fromFragment = parts.find(isTokenPart)?.slice('token='.length);
  const fromQuery = typeof url.query.token === 'string' ? url.query.token : null;
  const token = fromFragment || fromQuery || null;
  if (token) remember(kind, workshopId, token, storage);
  if (kind === 'board' || (!parts.some(isTokenPart) && !('token' in url.query))) return { token, clean: null };
  const { token: _dropped, ...query } = url.query;
  const rest = parts.filter((p) => !isTokenPart(p)).join('&');
  return { token, clean: { query, hash: rest ? `#${rest}` : '' } };
}

/** The token this page kind runs with in this workshop: the one last taken from a URL on this device. */
export function pageToken(kind: PageKind, workshopId: string, storage: Storage = localStorage): string | null {
  const k = key(kind, workshopId);
  const stored = readStored(storage, k) ?? inMemory.get(k) ?? null;
  if (stored) return stored;
  // A tablet set up before tokens were kept per page kind: moved once to this kind's key.
  const legacy = readStored(storage, legacyKey(workshopId));
  if (!legacy) return null;
  remember(kind, workshopId, legacy, storage);
  writeStored(storage, legacyKey(workshopId), null);
  return legacy;
}

function remember(kind: PageKind, workshopId: string, token: string, storage: Storage): void {
  inMemory.set(key(kind, workshopId), token);
  writeStored(storage, key(kind, workshopId), token);
}

/** A link to another page that needs the same token (reports ⇄ region): in the fragment, never the query. */
export const fragmentToken = (token: string | null) => (token ? `#token=${encodeURIComponent(token)}` : '');
