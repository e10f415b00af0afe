import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A real HTTP receiver for webhook tests, on a free port of 127.0.0.1: records every request
 * (headers and the raw body, as signed) and answers with the next status of `statuses`
 * (then 200), or never answers while `hang` is set.
 */
export interface ReceivedWebhook {
  headers: IncomingHttpHeaders;
  body: string;
  /** The request's path and query, as sent. */
  url: string;
}

export interface WebhookReceiver {
  url: string;
  received: ReceivedWebhook[];
  /** Statuses to answer the next requests with, in order; afterwards 200. */
  statuses: number[];
  hang: boolean;
  /** Requests held unanswered (hang). */
  readonly held: number;
  /** Held requests the sender gave up on (closed the connection). */
  readonly abandoned: number;
  /** Resolves once `n` requests arrived (polls; rejects after `ms`). */
  waitFor(n: number, ms?: number): Promise<ReceivedWebhook[]>;
  close(): Promise<void>;
}

export async function startWebhookReceiver(): Promise<WebhookReceiver> {
  const held: ServerResponse[] = [];
  let abandoned = 0;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      r.received.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), url: req.url ?? '' });
      if (r.hang) {
        res.on('close', () => {
          if (!res.writableEnded) abandoned++;
        });
        return void held.push(res);
      }
      res.writeHead(r.statuses.shift() ?? 200).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const r: WebhookReceiver = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`,
    received: [],
    statuses: [],
    hang: false,
    get held() {
      return held.length;
    },
    get abandoned() {
      return abandoned;
    },
    async waitFor(n, ms = 10_000) {
      const until = Date.now() + ms;
      while (r.received.length < n) {
        if (Date.now() > until) throw new Error(`the receiver got ${r.received.length} webhooks within ${ms} ms, expected ${n}`);
        await new Promise((res) => setTimeout(res, 20));
      }
      return r.received;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
  return r;
}
