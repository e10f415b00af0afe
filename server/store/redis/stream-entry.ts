import type { PitwallEvent, StoredEvent } from '../../../shared/events.js';

/** One entry of a workshop's event stream (`<seq>-0`, fields `r` receivedAt and `e` the event's JSON) as a StoredEvent. */
export function parseEntry(key: string, id: string, fields: string[]): StoredEvent {
  let receivedAt: string | undefined;
  let eventJson: string | undefined;
  for (let i = 0; i + 1 < fields.length; i += 2) {
    if (fields[i] === 'r') receivedAt = fields[i + 1];
    else if (fields[i] === 'e') eventJson = fields[i + 1];
  }
  if (receivedAt === undefined || eventJson === undefined) throw new Error(`redis stream ${key} entry ${id} lacks the r/e fields`);
  // Events were validated before they were appended; parsing them again on every read would only cost time.
  return { seq: Number.parseInt(id, 10), receivedAt, event: JSON.parse(eventJson) as PitwallEvent };
}
