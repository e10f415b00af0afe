import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';

/** docs/api.md: "body over 1 MB" is 413. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * The events post's body parser, the only one: express.json (strict: an object or array at the
 * top), used as middleware by the Express route and called directly by the fast path, so both
 * refuse a body with the same 400 / 413 / 415 (mapped in server/error-reply.ts).
 */
export const eventsBodyParser = express.json({ limit: BODY_LIMIT_BYTES });

/** The parsed body, for a caller outside Express (the fast path); undefined when the request is not JSON. */
export function readEventsBody(req: IncomingMessage, res: ServerResponse): Promise<unknown> {
  return new Promise((resolve, reject) => {
    // body-parser reads only node:http's request and headers, nothing Express adds.
    eventsBodyParser(req as express.Request, res as express.Response, (err?: unknown) => (err ? reject(err) : resolve((req as { body?: unknown }).body)));
  });
}
