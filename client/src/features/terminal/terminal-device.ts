import { z } from 'zod';
import { jobView } from '../../../../shared/jobs.js';
import { technicianView } from '../../../../shared/technicians.js';
import { workshopConfig, type WorkshopConfig } from '../../../../shared/workshop.js';
import { newEventId, type KeyValueStorage } from './outbox.js';

/**
 * What a tablet remembers about itself: its terminal id (made once, the board's terminal
 * health follows it), who picked himself on it, which bay it hangs at, the jobs it sent a
 * survey for, and the last lists it saw, so a reload with no network still shows names,
 * bays and the queue (marked as of when they were fetched).
 */
const ID_KEY = 'pitwall:terminal-id';
const key = (workshopId: string, what: string) => `pitwall:terminal:${workshopId}:${what}`;

export const TERMINAL_ID_PATTERN = /^[A-Za-z0-9_-]{8,64}$/;

export function terminalId(storage: KeyValueStorage): string {
  const saved = storage.getItem(ID_KEY);
  if (saved && TERMINAL_ID_PATTERN.test(saved)) return saved;
  const made = newEventId('tab');
  storage.setItem(ID_KEY, made);
  return made;
}

export class DeviceSettings {
  constructor(
    private readonly storage: KeyValueStorage,
    private readonly workshopId: string,
  ) {}

  get technicianId(): string | null {
    return this.storage.getItem(key(this.workshopId, 'technician'));
  }
  set technicianId(id: string | null) {
    this.put('technician', id);
  }

  get bayId(): string | null {
    return this.storage.getItem(key(this.workshopId, 'bay'));
  }
  set bayId(id: string | null) {
    this.put('bay', id);
  }

  loadCache(): FloorCache | null {
    const parsed = floorCache.safeParse(safeJson(this.storage.getItem(key(this.workshopId, 'cache'))));
    return parsed.success ? parsed.data : null;
  }
  saveCache(cache: FloorCache): void {
    try {
      this.storage.setItem(key(this.workshopId, 'cache'), JSON.stringify(cache));
    } catch (err) {
      // A full storage must not break the page: the cache only helps an offline reload.
      console.warn('terminal: lists not cached', err);
    }
  }

  private put(what: string, value: string | null) {
    if (value === null) this.storage.removeItem(key(this.workshopId, what));
    else this.storage.setItem(key(this.workshopId, what), value);
  }
}

export const floorCache = z.object({
  workshop: workshopConfig.nullable(),
  jobs: z.array(jobView),
  technicians: z.array(technicianView),
  /** When the lists were fetched (ms). */
  fetchedAt: z.number().nullable(),
});
export type FloorCache = z.infer<typeof floorCache>;

function safeJson(raw: string | null): unknown {
  if (raw === null) return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    return undefined;
  }
}

/** `?bay=B1` from the tablet's link, if it names a bay of the workshop. */
export function bayFromQuery(query: unknown, ws: WorkshopConfig | null): string | null {
  if (typeof query !== 'string' || !query) return null;
  if (ws && !ws.bays.some((b) => b.id === query)) return null;
  return query;
}
