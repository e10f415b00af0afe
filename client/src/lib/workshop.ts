import { boardSnapshot, type BoardSnapshot } from '../../../shared/snapshot.js';
import type { WorkshopConfig } from '../../../shared/workshop.js';
import { apiGet, workshopPath } from './api.js';

/** The workshop's config (names of bays, technicians, advisors; thresholds; time zone). */
export async function fetchWorkshop(workshopId: string, token: string): Promise<WorkshopConfig> {
  const { workshop } = await apiGet<{ workshop: WorkshopConfig }>(workshopPath(workshopId), token);
  return workshop;
}

/** The live board once, over HTTP, checked against the shared schema (the reports' header, the region's cards). */
export async function fetchBoard(workshopId: string, token: string): Promise<BoardSnapshot> {
  return boardSnapshot.parse(await apiGet<unknown>(workshopPath(workshopId, '/board'), token));
}

export function nameOf(list: readonly { id: string; name: string }[], id: string | null | undefined): string {
  if (id === null || id === undefined) return '';
  return list.find((x) => x.id === id)?.name ?? id;
}
