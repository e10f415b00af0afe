import { z } from 'zod';
import { ApiRequestError, apiGet } from '../../lib/api.js';
import { fetchBoard } from '../../lib/workshop.js';
import type { RegionSite } from './region-view.js';

/** `GET /api/v1/workshops`: the workshops a token opens (docs/api.md, "Reading"). */
const workshopList = z.object({ workshops: z.array(z.object({ id: z.string(), name: z.string(), timezone: z.string() })) });

/**
 * Every workshop the token opens with its live board, one request each, side by side. A site
 * that fails keeps its place with the reason, so head office sees it is not reporting.
 */
export async function loadRegion(token: string): Promise<RegionSite[]> {
  const { workshops } = workshopList.parse(await apiGet<unknown>('/api/v1/workshops', token));
  return Promise.all(
    workshops.map(async (w): Promise<RegionSite> => {
      try {
        return { ...w, snapshot: await fetchBoard(w.id, token), error: null };
      } catch (e) {
        if (e instanceof ApiRequestError && e.status === 401) throw e;
        return { ...w, snapshot: null, error: e instanceof Error ? e.message : String(e) };
      }
    }),
  );
}
