/**
 * The token a page runs with: `?token=` from the link the hub printed, remembered per
 * workshop in this browser so a tablet that reloads (or a bookmark without the query) keeps
 * working. A TV that only ever uses its URL is unaffected.
 */
const key = (workshopId: string) => `pitwall:token:${workshopId}`;

export function pageToken(workshopId: string, search: string = location.search, storage: Storage = localStorage): string | null {
  const fromUrl = new URLSearchParams(search).get('token');
  if (fromUrl) {
    storage.setItem(key(workshopId), fromUrl);
    return fromUrl;
  }
  return storage.getItem(key(workshopId));
}
