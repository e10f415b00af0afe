import { createServer, type RequestListener, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Socket } from 'node:net';
import type { Logger } from 'pino';

/** PITWALL_MAX_CONNECTIONS's default: far above a chain's boards and tablets, below common `ulimit -n` settings. */
export const DEFAULT_MAX_CONNECTIONS = 10_000;
/**
 * A client gets this long to send its request's headers (Node's default: 60 s). A connection
 * that sends nothing, or a header a byte at a time (slowloris), holds a file descriptor until
 * then; a real browser or tablet sends its headers in one go.
 */
export const HEADERS_TIMEOUT_MS = 10_000;
/** ... and this long for the whole request, body included (Node's default: 5 minutes); a 1 MB batch needs far less. */
export const REQUEST_TIMEOUT_MS = 30_000;
/** How often Node checks those two timeouts (default 30 s: a slowloris would get up to 40 s). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** The certificate (with its chain) and private key, PEM (server/config/tls-files.ts). */
export interface ServerTls {
  cert: Buffer | string;
  key: Buffer | string;
}

/**
 * The hub's HTTP server with bounds on what connections can hold: at most `maxConnections`
 * open at once (WebSockets included: an upgraded connection still counts), so a flood from
 * many addresses meets a refusal before the process runs out of file descriptors and with
 * them its store's files and Redis connections; and short header/request timeouts for raw
 * TCP that never completes a request. docs/security.md, "Connections before the handshake".
 */
export function createBoundedServer(app: RequestListener, opts: { maxConnections: number; logger: Logger; tls?: ServerTls }): Server {
  const bounds = { headersTimeout: HEADERS_TIMEOUT_MS, requestTimeout: REQUEST_TIMEOUT_MS, connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS };
  // HTTPS when given a certificate (PITWALL_TLS_CERT/KEY): same bounds, same app, Socket.IO on it alike.
  const server = opts.tls ? createHttpsServer({ ...bounds, cert: opts.tls.cert, key: opts.tls.key }, app) : createServer(bounds, app);
  server.maxConnections = opts.maxConnections;
  // Once a minute at most: the operator must learn why health checks fail, not read 10,000 lines.
  let warnedAt = -Infinity;
  server.on('drop', () => {
    const now = Date.now();
    if (now - warnedAt < 60_000) return;
    warnedAt = now;
    opts.logger.warn({ maxConnections: opts.maxConnections }, 'connection refused: PITWALL_MAX_CONNECTIONS open connections reached');
  });
  // Node's header timeout starts at a request's first byte: a connection that sends nothing at
  // all is not covered, and would stay forever. Anything that has sent a byte is bounded by
  // the timeouts above, keep-alive's, or (upgraded WebSockets, long polls) the engine's ping.
  // Not `server.timeout`: a 'timeout' listener would also stop Node closing idle keep-alives.
  server.on('connection', (socket: Socket) => {
    const timer = setTimeout(() => {
      if (socket.bytesRead === 0) socket.destroy();
    }, HEADERS_TIMEOUT_MS);
    timer.unref();
    socket.once('close', () => clearTimeout(timer));
  });
  return server;
}
