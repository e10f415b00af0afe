/**
 * The metric names a PromQL expression reads, for checking a dashboard's or a rule file's
 * queries against a real `/metrics`. Not a parser: it removes what cannot be a metric name
 * (strings, label matchers, ranges and subqueries, `by (…)`/`on (…)` label lists, Grafana
 * variables; `label_values(m, label)` keeps `m`), then keeps the identifiers that are not followed by "(" (functions and
 * aggregations) and are not PromQL keywords.
 */
const KEYWORDS = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'offset', 'bool', 'inf', 'nan']);

export function promqlMetricNames(expr: string): string[] {
  const stripped = expr
    // Grafana's variable query `label_values(metric, label)`: the metric, not the label.
    .replace(/label_values\(\s*([^,)]+)(?:,[^)]*)?\)/g, ' $1 ')
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|`[^`]*`/g, ' ')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(?:by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/gi, ' ')
    .replace(/\$\{?\w+\}?/g, ' ');
  const names = new Set<string>();
  for (const m of stripped.matchAll(/(?<![\w:.])([a-zA-Z_:][a-zA-Z0-9_:]*)(?![\w:])(?!\s*\()/g)) {
    if (!KEYWORDS.has(m[1]!.toLowerCase())) names.add(m[1]!);
  }
  return [...names];
}

/** The names of the samples in a Prometheus text exposition (comments and HELP/TYPE lines skipped). */
export function exposedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{|\s)/.exec(line);
    if (m) names.add(m[1]!);
  }
  return names;
}
