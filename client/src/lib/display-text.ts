/**
 * Text people typed (plates, ids, names, comments, a hub's message echoing them) shown inside
 * our own sentences (docs/security.md, "Exports and displayed text"). The hub refuses control
 * and format characters in identifiers and plates, but logs written before it did may hold
 * them, so the page stays safe on its own:
 *
 * - `isolate` wraps a value put into a sentence built as a string (vue-i18n messages, " · "
 *   joins) in FIRST STRONG ISOLATE … POP DIRECTIONAL ISOLATE (Unicode's bidi algorithm, UAX #9):
 *   a U+202E inside reverses the value at most, never the rest of the sentence, and the value's
 *   own direction is taken from its first strong letter (an Arabic name in an English line).
 *   Templates do the same with `<bdi>`.
 * - `visibleId` shows an identifier or plate with every control or format character as U+FFFD,
 *   so 16 × U+200B is a row of visible marks, not a blank one, and an override shows as what
 *   it is instead of turning the plate around.
 */
const FSI = '\u2068';
const PDI = '\u2069';

/**
 * The explicit bidi controls: embeddings and overrides (U+202A–U+202E) and isolates
 * (U+2066–U+2069). A stray PDI inside a value would close our isolate early and let what
 * follows run on in the reversed direction, so none may stay inside.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;

/** Control (Cc) and format (Cf) characters: nothing a plate or an id ever needs. */
const CONTROL_OR_FORMAT = /[\p{Cc}\p{Cf}]/gu;

export function isolate(value: string): string {
  return `${FSI}${value.replace(BIDI_CONTROLS, '')}${PDI}`;
}

export function visibleId(value: string): string {
  return value.replace(CONTROL_OR_FORMAT, '\uFFFD');
}

/** An identifier or plate put into a sentence: visible and isolated. */
export const isolatedId = (value: string): string => isolate(visibleId(value));
