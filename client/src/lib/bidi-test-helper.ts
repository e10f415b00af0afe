/**
 * For tests: which explicit embeddings, overrides and isolates are open at a position of a
 * line, by the explicit-level rules of Unicode's bidi algorithm (UAX #9, X1–X8): a PDF closes
 * the innermost embedding or override unless an isolate is innermost; a PDI closes its isolate
 * and every embedding opened inside it. "The rest of the sentence is not in the reversed run"
 * is `explicitRunsAt(line, index) = []`.
 */
const OPENERS: Record<string, string> = {
  '\u202A': 'LRE',
  '\u202B': 'RLE',
  '\u202D': 'LRO',
  '\u202E': 'RLO',
  '\u2066': 'LRI',
  '\u2067': 'RLI',
  '\u2068': 'FSI',
};
const ISOLATES = new Set(['LRI', 'RLI', 'FSI']);

export function explicitRunsAt(line: string, index: number): string[] {
  const stack: string[] = [];
  for (const c of line.slice(0, index)) {
    const opener = OPENERS[c];
    if (opener) stack.push(opener);
    else if (c === '\u202C') {
      if (stack.length && !ISOLATES.has(stack.at(-1)!)) stack.pop();
    } else if (c === '\u2069') {
      const at = stack.findLastIndex((s) => ISOLATES.has(s));
      if (at >= 0) stack.length = at;
    }
  }
  return stack;
}
