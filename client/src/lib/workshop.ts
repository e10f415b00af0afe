import type { WorkshopConfig } from '../../../shared/workshop.js';
import { apiGet, workshopPath } from './api.js';

/** The workshop's config (names of bays, technicians, advisors; thresholds; time zone). */
export async function fetchWorkshop(workshopId: string, token: string): Promise<WorkshopConfig> {
  const { workshop } = await apiGet<{ workshop: WorkshopConfig }>(workshopPath(workshopId), token);
  return workshop;
}

export function nameOf(list: readonly { id: string; name: string }[], id: string | null | undefined): string {
  if (id === null || id === undefined) return '';
  return list.find((x) => x.id === id)?.name ?? id;
}
