import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { errorReply } from '../error-reply.js';
import { fail } from '../errors.js';
import { mayOpen, type Principal } from '../workshops/principal.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import type { Authenticate } from './auth.js';
import type { TokenRateLimit } from './rate-limit.js';
import { BODY_LIMIT_BYTES } from './routes/workshops.js';
import { setApiSecurityHeaders } from './security-headers.js';

export interface EventsFastPathDeps {
  service: WorkshopService;
  authenticate: Authenticate;
  /** The same limiter (and counts) the Express routes use. */
  rateLimit: TokenRateLimit;
  clock: () => number;
  logger: Logger;
}

const EVENTS_PATH = /^\/api\/v1\/workshops\/([A-Za-z0-9_-]+)\/events$/;
const BEARER = /^Bearer[ \t]+(\S+)[ \t]*$/i;
const JSON_TYPE = /^application\/json[ \t]*(;[ \t]*charset=["]?utf-8["]?[ \t]*)?$/i;

/**
 * `POST /api/v1/workshops/:ws/events` in front of Express, for the one request every bay
 * terminal sends all day. Measured on this machine (docs/performance.md): Express 5's router,
 * body parser and response helpers cap a one-event post at ~3,900 requests per second of a
 * core before any work is done, plain node:http at ~11,700; the hub's single-event ingest over
 * HTTP was bound by that.
 *
 * It takes only the plain case: a bearer token that opens the workshop, a JSON body with its
 * length declared and within the limit. Anything else (no or unknown token, another workshop,
 * another content type, chunked or compressed bodies, a query string, …) goes to Express
 * untouched, before anything was counted or read, so every refusal keeps exactly one
 * implementation: the routes' and the error handler's. The answer is the same as the route's:
 * the API's security headers, the rate limiter's headers and counts, `{ results }` or the
 * contract's error envelope.
 */
export function withEventsFastPath(app: RequestListener, deps: EventsFastPathDeps): RequestListener {
  return (req, res) => {
    const plain = plainPost(req, deps);
    if (plain === undefined) {
      app(req, res);
      return;
    }
    setApiSecurityHeaders(res);
    const answer = (status: number, body: unknown) => sendJson(res, status, body);
    const failWith = (err: unknown) => {
      const reply = errorReply(err);
      if (reply.unexpected) deps.logger.error({ err, method: 'POST', path: req.url }, 'unexpected error answering a request');
      else if (reply.status === 503) deps.logger.warn({ err, method: 'POST', path: req.url }, 'store unavailable');
      if (res.headersSent) res.destroy();
      else {
        if (reply.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(reply.retryAfterSeconds));
        answer(reply.status, { error: reply.error });
      }
    };
    // As the Express chain: 1 point on arrival (the middleware's), the rest once the body is read.
    deps.rateLimit
      .charge(res, plain.token, 1)
      .then(() => readJson(req, plain.length))
      .then(async (body) => {
        await deps.rateLimit.chargeEvents(res, plain.token, body);
        const terminalId = req.headers['x-pitwall-terminal'];
        if (typeof terminalId === 'string') deps.service.terminalSeen(plain.workshopId, plain.principal, terminalId, undefined, deps.clock());
        const results = await deps.service.ingest(plain.workshopId, body, plain.principal);
        answer(200, { results });
      })
      .catch(failWith);
  };
}

interface PlainPost {
  workshopId: string;
  principal: Principal;
  token: string;
  length: number;
}

/** The request, when it is the plain case this path answers; undefined hands it to Express. */
function plainPost(req: IncomingMessage, deps: EventsFastPathDeps): PlainPost | undefined {
  if (req.method !== 'POST') return undefined;
  const m = EVENTS_PATH.exec(req.url ?? '');
  if (!m) return undefined;
  const h = req.headers;
  if (h['transfer-encoding'] !== undefined || h['content-encoding'] !== undefined) return undefined;
  if (h['content-type'] === undefined || !JSON_TYPE.test(h['content-type'])) return undefined;
  const length = Number(h['content-length']);
  if (!(Number.isInteger(length) && length > 0 && length <= BODY_LIMIT_BYTES)) return undefined;
  const token = BEARER.exec(h.authorization ?? '')?.[1];
  const principal = deps.authenticate(token);
  if (token === undefined || principal === undefined) return undefined;
  const workshopId = m[1]!;
  if (deps.service.config(workshopId) === undefined || !mayOpen(principal, workshopId)) return undefined;
  return { workshopId, principal, token, length };
}

/**
 * The body as JSON, as express.json() (strict) reads it: an object or array at the top, or the
 * parser's 400 through the same error mapping.
 */
function readJson(req: IncomingMessage, length: number): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let received = 0;
    req.on('data', (chunk: Buffer) => {
      received += chunk.length;
      chunks.push(chunk);
    });
    req.on('error', reject);
    req.on('aborted', () => reject(fail.badRequest('the request was aborted before its body arrived')));
    req.on('end', () => {
      // node:http holds the body to its Content-Length; a shorter one ends as 'aborted'.
      if (received !== length) return reject(fail.badRequest('the body is shorter than its Content-Length'));
      const text = (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks)).toString('utf8');
      const first = /\S/.exec(text)?.[0];
      if (first !== '{' && first !== '[') return reject(fail.badRequest('the body is not valid JSON'));
      try {
        resolve(JSON.parse(text));
      } catch {
        reject(fail.badRequest('the body is not valid JSON'));
      }
    });
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
