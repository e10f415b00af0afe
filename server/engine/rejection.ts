import type { EventResult } from '../../shared/events.js';

/**
 * Why an event was refused, naming the field (docs/api.md: "rejected with a reason that
 * names the field"). `code` lets a terminal tell a typo from a race with another bay.
 */
export const REJECTION_CODES = ['invalid_event', 'future_time', 'too_old', 'unknown_reference', 'illegal_transition', 'conflict', 'unqualified'] as const;
export type RejectionCode = (typeof REJECTION_CODES)[number];

export interface Rejection {
  readonly code: RejectionCode;
  readonly path: string;
  readonly message: string;
}

export const reject = (code: RejectionCode, path: string, message: string): Rejection => ({ code, path, message });

export function rejectedResult(id: string | null, r: Rejection | { code: RejectionCode; details: { path: string; message: string }[] }): EventResult {
  const details = 'details' in r ? r.details : [{ path: r.path, message: r.message }];
  return {
    id,
    status: 'rejected',
    error: { code: r.code, message: details.map((d) => (d.path ? `${d.path}: ${d.message}` : d.message)).join('; '), details },
  };
}
