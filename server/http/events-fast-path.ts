import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { postEvents } from '../edges/post-events.js';
import { workshopRefusal } from '../edges/workshop-access.js';
import { reportFailure } from '../error-reply.js';
import type { Principal } from '../workshops/principal.js';
import type { WorkshopService } from '../workshops/workshop-service.js';
import { bearerToken, type Authenticate } from './auth.js';
import { UNEXPECTED_HTTP_ERROR } from './errors.js';
import { BODY_LIMIT_BYTES, readEventsBody } from './events-body.js';
import type { TokenRateLimit } from './rate-limit.js';
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
const JSON_TYPE = /^application\/json[ \t]*(;[ \t]*charset=["]?utf-8["]?[ \t]*)?$/i;

/**
 * `POST /api/v1/workshops/:ws/events` in front of Express, for the one request every bay
 * terminal sends all day: Express 5's router and response helpers cost more than the event
 * (docs/performance.md, "Issue 13: one events path", measured with and without this path).
 *
 * It is a door, not a second implementation: the post itself is `postEvents`
 * (server/edges/post-events.ts), the body goes through the route's own parser, failures through
 * the one error mapping. It takes only the plain case: a bearer token that opens the workshop,
 * a JSON body with its length declared and within the limit. Anything else (no or unknown
 * token, another workshop, another content type, chunked or compressed bodies, a query
 * string, …) goes to Express untouched, before anything was counted or read. The answer is
 * the route's: the API's security headers, the rate limiter's headers and counts, `{ results }`
 * or the contract's error envelope (test/integration/events-fast-path.test.ts compares them).
 */
export function withEventsFastPath(app: RequestListener, deps: EventsFastPathDeps): RequestListener {
  return (req, res) => {
    const plain = plainPost(req, deps);
    if (plain === undefined) {
      app(req, res);
      return;
    }
    setApiSecurityHeaders(res);
    const { workshopId, principal, token } = plain;
    const terminalId = req.headers['x-pitwall-terminal'];
    // As the Express chain: 1 point on arrival (the middleware's), the rest once the body is read.
    deps.rateLimit
      .charge(res, token, 1)
      .then(() => readEventsBody(req, res))
      .then((body) =>
        postEvents(
          deps.service,
          { workshopId, principal, body, terminalId: typeof terminalId === 'string' ? terminalId : undefined, payRest: (b) => deps.rateLimit.chargeEvents(res, token, b) },
          deps.clock,
        ),
      )
      .then(
        (results) => sendJson(res, 200, { results }),
        (err: unknown) => {
          const reply = reportFailure(deps.logger, err, { method: 'POST', path: req.url }, UNEXPECTED_HTTP_ERROR);
          if (res.headersSent) return res.destroy();
          if (reply.retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(reply.retryAfterSeconds));
          sendJson(res, reply.status, { error: reply.error });
        },
      );
  };
}

interface PlainPost {
  workshopId: string;
  principal: Principal;
  token: string;
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
  const token = bearerToken(h.authorization);
  const principal = deps.authenticate(token);
  if (token === undefined || principal === undefined) return undefined;
  const workshopId = m[1]!;
  if (workshopRefusal(deps.service, principal, workshopId) !== undefined) return undefined;
  return { workshopId, principal, token };
}

/** As Express's `res.json` writes it (the app disables ETags), so both answers are byte-identical. */
function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.statusCode = status;
  res.setHeader('Content-Type', 'application/json; charset=utf-8');
  res.setHeader('Content-Length', Buffer.byteLength(text));
  res.end(text);
}
