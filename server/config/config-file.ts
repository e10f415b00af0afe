import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { role } from '../../shared/auth.js';
import { thresholdsSchema } from '../../shared/lights.js';
import { workshopConfig } from '../../shared/workshop.js';

/** The config file (README.md, "Configuration"; docs/api.md): the workshops and the tokens that open them. */

/** Start-up configuration is wrong. The message is written for the operator, one problem per line. */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(
    message: string,
    /** The individual `<field> — <problem>` lines, for callers that want them apart. */
    readonly problems: readonly string[] = [],
  ) {
    super(message);
  }
}

const MIN_TOKEN_LENGTH = 16;

/** What a token is known by once loaded: its SHA-256, hex. */
export function tokenDigest(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

export const tokenConfig = z
  .object({
    token: z
      .string({ error: 'must be a string' })
      .min(MIN_TOKEN_LENGTH, {
        // Never echo the token itself: config errors end up in logs.
        error: (iss) =>
          `must be at least ${MIN_TOKEN_LENGTH} characters (this one has ${String(iss.input).length}); ` +
          `make one with: node -e "console.log(require('crypto').randomBytes(18).toString('base64url'))"`,
      })
      .optional(),
    /**
     * The token's SHA-256 as 64 hex digits, instead of the token itself: a config file that
     * leaks then opens nothing. `npm run hash-token -- <token>` prints it.
     */
    tokenSha256: z
      .string({ error: 'must be a string' })
      .regex(/^[0-9a-f]{64}$/, { error: 'must be 64 lowercase hex digits (the SHA-256 of the token; npm run hash-token -- <token>)' })
      .optional(),
    role,
    workshops: z
      .array(z.string({ error: 'must be a string' }).min(1, { error: 'must not be empty' }))
      .min(1, { error: 'must list at least one workshop id, or "*" for all' }),
  })
  .strict()
  .superRefine((t, ctx) => {
    if ((t.token === undefined) === (t.tokenSha256 === undefined)) {
      ctx.addIssue({ code: 'custom', path: ['token'], message: 'give either "token" or "tokenSha256", exactly one of them' });
    }
  });
export type TokenConfig = z.infer<typeof tokenConfig>;

export const pitwallConfigSchema = z
  .object({
    workshops: z.array(workshopConfig).min(1, { error: 'must list at least one workshop' }),
    tokens: z.array(tokenConfig),
  })
  .strict()
  // By default zod skips a refinement once anything inside failed; this one reads its input
  // defensively so that a bad time zone does not hide an unknown workshop in a token.
  .superRefine((cfg, ctx) => crossCheck(cfg, ctx), { when: (payload) => isRecord(payload.value) });
export type PitwallConfig = z.infer<typeof pitwallConfigSchema>;

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Rules that span entries: unique workshop ids, unique tokens, tokens naming known workshops. */
function crossCheck(cfg: unknown, ctx: z.RefinementCtx): void {
  if (!isRecord(cfg)) return;
  const workshops = Array.isArray(cfg.workshops) ? cfg.workshops : [];
  const tokens = Array.isArray(cfg.tokens) ? cfg.tokens : [];

  const known = new Set<string>();
  workshops.forEach((ws, i) => {
    if (!isRecord(ws) || typeof ws.id !== 'string') return;
    if (known.has(ws.id)) ctx.addIssue({ code: 'custom', path: ['workshops', i, 'id'], message: `duplicate workshop id "${ws.id}"` });
    known.add(ws.id);
  });
  const knownList = known.size > 0 ? `known: ${[...known].join(', ')}` : 'no workshop is defined';

  const firstUse = new Map<string, number>();
  tokens.forEach((t, i) => {
    if (!isRecord(t)) return;
    const digest = typeof t.token === 'string' ? tokenDigest(t.token) : typeof t.tokenSha256 === 'string' ? t.tokenSha256 : undefined;
    if (digest !== undefined) {
      const earlier = firstUse.get(digest);
      if (earlier !== undefined) {
        ctx.addIssue({ code: 'custom', path: ['tokens', i, typeof t.token === 'string' ? 'token' : 'tokenSha256'], message: `same token as tokens[${earlier}]; each token must be unique` });
      } else firstUse.set(digest, i);
    }
    if (!Array.isArray(t.workshops)) return;
    t.workshops.forEach((w: unknown, j) => {
      if (typeof w === 'string' && w !== '' && w !== '*' && !known.has(w)) {
        ctx.addIssue({ code: 'custom', path: ['tokens', i, 'workshops', j], message: `unknown workshop "${w}" (${knownList})` });
      }
    });
  });
}

/** Plain-words messages for zod's built-in checks; schemas with their own message keep it. */
const errorMap: z.core.$ZodErrorMap = (iss) => {
  switch (iss.code) {
    case 'invalid_type':
      return `expected ${withArticle(iss.expected)}, got ${kindOf(iss.input)}`;
    case 'too_small':
      if (iss.origin === 'array') return iss.minimum === 1 ? 'must not be empty' : `must have at least ${iss.minimum} entries`;
      if (iss.origin === 'string') return `must be at least ${iss.minimum} characters`;
      return undefined;
    case 'too_big':
      if (iss.origin === 'array') return `must have at most ${iss.maximum} entries`;
      if (iss.origin === 'string') return `must be at most ${iss.maximum} characters`;
      return undefined;
    case 'invalid_value':
      return `must be one of ${iss.values.map((v) => JSON.stringify(v)).join(', ')}`;
    default:
      return undefined;
  }
};

function withArticle(word: string): string {
  return /^[aeiou]/.test(word) ? `an ${word}` : `a ${word}`;
}

function kindOf(v: unknown): string {
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'an array';
  return typeof v;
}

/** `workshops[0].bays[2].id`; odd keys (an unknown field "my field") are quoted. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else if (/^[A-Za-z_$][\w$]*$/.test(String(seg))) out += (out ? '.' : '') + String(seg);
    else out += `[${JSON.stringify(String(seg))}]`;
  }
  return out || '(top level)';
}

const THRESHOLD_NAMES = Object.keys(thresholdsSchema.shape).join(', ');

function describeIssue(iss: z.core.$ZodIssue): string[] {
  if (iss.code === 'unrecognized_keys') {
    const hint = iss.path.at(-1) === 'thresholds' ? ` (known: ${THRESHOLD_NAMES})` : '';
    return iss.keys.map((k) => `${formatPath([...iss.path, k])} — unknown field${hint}`);
  }
  // With reportInput, only a missing field comes without `input`; schema-specific messages
  // such as "must be a string" would otherwise hide that the field is simply absent.
  if (iss.code === 'invalid_type' && iss.input === undefined) return [`${formatPath(iss.path)} — missing (required)`];
  if (iss.code === 'invalid_value' && iss.input === undefined) return [`${formatPath(iss.path)} — missing (${iss.message})`];
  let msg = iss.message;
  if (iss.code === 'invalid_type' && !msg.includes(' got ')) msg += ` (got ${kindOf(iss.input)})`;
  if (iss.code === 'invalid_value' && typeof iss.input === 'string') msg += ` (got "${iss.input}")`;
  return [`${formatPath(iss.path)} — ${msg}`];
}

/** Validates an already-parsed config; `sourceName` (usually the file path) heads the error. */
export function parseConfig(value: unknown, sourceName: string): PitwallConfig {
  if (!isRecord(value)) {
    throw new ConfigError(
      `Invalid config file ${sourceName}: the top level must be a JSON object {"workshops": [...], "tokens": [...]}, not ${kindOf(value)}`,
    );
  }
  const result = pitwallConfigSchema.safeParse(value, { error: errorMap, reportInput: true });
  if (result.success) return result.data;
  const problems = result.error.issues.flatMap(describeIssue);
  throw new ConfigError(`Invalid config file ${sourceName}:\n${problems.map((p) => `  ${p}`).join('\n')}`, problems);
}

/** Reads, parses and validates the config file; every failure is a ConfigError naming it. */
export function loadConfigFile(path: string): PitwallConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`Cannot read config file ${path}: ${readFailure(err)}`);
  }
  // Editors on Windows like to prepend a byte-order mark, which JSON.parse rejects.
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  if (text.trim() === '') throw new ConfigError(`Invalid config file ${path}: the file is empty (expected a JSON object)`);

  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    throw new ConfigError(`Invalid config file ${path}: not valid JSON: ${jsonFailure(text, err)}`);
  }
  return parseConfig(value, path);
}

function readFailure(err: unknown): string {
  switch ((err as NodeJS.ErrnoException).code) {
    case 'ENOENT':
      return 'no such file (set PITWALL_CONFIG to an existing JSON file)';
    case 'EISDIR':
      return 'it is a directory (set PITWALL_CONFIG to a JSON file)';
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    default:
      return err instanceof Error ? err.message : String(err);
  }
}

/**
 * Node 20 reports where JSON.parse gave up as "at position N" (a UTF-16 offset), and for an
 * unexpected token (trailing comma, single quotes, NaN) not at all; people edit the file by
 * line and column, so translate.
 */
function jsonFailure(text: string, err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  const reason = message.replace(/ (in JSON )?at position \d+.*$/s, '').replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, '');
  const position = errorPosition(text, message) ?? firstBadOffset(text);
  if (position === undefined) return reason;
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `${reason} at line ${line}, column ${column}`;
}

function errorPosition(text: string, message: string): number | undefined {
  const at = /at position (\d+)/.exec(message);
  if (at) return Number(at[1]);
  return /end of JSON input/.test(message) ? text.length : undefined;
}

/**
 * Every prefix of the text that stops before the first mistake fails only by running out of
 * input, and every prefix that includes it fails on it; so the shortest prefix that fails
 * otherwise ends at the mistake. A binary search costs a few dozen parses of a small file.
 */
function firstBadOffset(text: string): number | undefined {
  const failsInside = (n: number): boolean => {
    try {
      JSON.parse(text.slice(0, n));
      return false;
    } catch (err) {
      const pos = errorPosition(text.slice(0, n), err instanceof Error ? err.message : String(err));
      return pos === undefined || pos < n;
    }
  };
  if (!failsInside(text.length)) return undefined;
  let lo = 1;
  let hi = text.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (failsInside(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo - 1;
}
