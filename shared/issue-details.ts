import type { z } from 'zod';
import { EVENT_TYPES } from './events.js';

/**
 * A zod refusal said field by field, as the API answers it (docs/api.md, errors: `details`
 * of `{ path, message }`): a missing field "is required", an unknown one "is not a field of
 * this event type", an unknown event type lists the ones there are. The hub's parsers and the
 * embedded log's check of its stored lines say their problems the same way.
 */
/** zod issues as the contract's `details`: the field path ("events.3.at", "standardMinutes") and what is wrong. */
export function issueDetails(error: z.ZodError, input?: unknown): { path: string; message: string }[] {
  return error.issues.map((i) => {
    const path = i.path.map(String).join('.');
    if (input !== undefined && i.code === 'invalid_type' && valueAt(input, i.path) === undefined) {
      return { path, message: path === '' ? 'must be a JSON object' : 'is required' };
    }
    if (i.code === 'invalid_type' && path === '') return { path, message: 'an event must be a JSON object' };
    if (i.code === 'invalid_union' && path === 'type') return { path, message: `must be one of ${EVENT_TYPES.join(', ')}` };
    if (i.code === 'unrecognized_keys') return { path: [path, ...i.keys].filter(Boolean).join('.'), message: 'is not a field of this event type' };
    return { path, message: i.message };
  });
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = root;
  for (const key of path) {
    if (typeof v !== 'object' || v === null) return undefined;
    v = (v as Record<PropertyKey, unknown>)[key];
  }
  return v;
}
