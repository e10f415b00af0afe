import { EVENT_TYPES, eventBatch, incomingEvent, type EventType } from '../../shared/events.js';
import { issueDetails } from '../../shared/issue-details.js';
import { rejectedResult } from '../engine/rejection.js';
import type { Parsed } from '../engine/projection.js';
import { fail } from '../errors.js';

/**
 * The body's outer shape: `{ events: [...] }` with 1–500 entries, else the whole request is
 * malformed (400). Each entry is judged on its own afterwards.
 */
export function parseBatch(body: unknown): unknown[] {
  const r = eventBatch.safeParse(body);
  if (!r.success) throw fail.badRequest('the body must be {"events": [ … ]} with 1–500 events', issueDetails(r.error));
  return r.data.events;
}

/** The declared type of a raw event, when it names one we know (authorisation looks at it before parsing). */
export function declaredType(raw: unknown): EventType | undefined {
  if (typeof raw !== 'object' || raw === null) return undefined;
  const t = (raw as { type?: unknown }).type;
  return typeof t === 'string' && (EVENT_TYPES as readonly string[]).includes(t) ? (t as EventType) : undefined;
}

export function parseEvent(raw: unknown): Parsed {
  const r = incomingEvent.safeParse(raw);
  if (r.success) return { ok: true, event: r.data };
  const id = typeof raw === 'object' && raw !== null && typeof (raw as { id?: unknown }).id === 'string' ? (raw as { id: string }).id : null;
  return { ok: false, result: rejectedResult(id, { code: 'invalid_event', details: issueDetails(r.error, raw) }) };
}
