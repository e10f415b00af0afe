import net from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { HEADERS_TIMEOUT_MS } from '../../server/http/server-bounds.js';
import { capturingLogger } from '../helpers/log-capture.js';
import { sleep, startTestHub, type TestHub } from '../helpers/test-hub.js';

/**
 * Raw TCP that never completes a request (issue 11, item 3): before the engine ever sees it,
 * a connection holds a file descriptor. docs/security.md, "Connections before the handshake".
 */

const silent: net.Socket[] = [];
afterEach(() => {
  for (const s of silent.splice(0)) s.destroy();
});

/**
 * A TCP connection that sends nothing; resolves once connected, with when the hub closed it.
 * Destroyed after the test by the list it is put on (`silent`, or a concurrent test's own).
 */
function openSilent(url: string, owner: net.Socket[] = silent): Promise<{ socket: net.Socket; closed: Promise<number> }> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    owner.push(socket);
    const opened = Date.now();
    const closed = new Promise<number>((done) => socket.once('close', () => done(Date.now() - opened)));
    socket.on('error', () => {}); // a reset is a close here
    socket.once('connect', () => resolve({ socket, closed }));
    socket.once('error', reject);
  });
}

/** A list of sockets destroyed when the (concurrent) test that made it finishes. */
function ownedBy(onTestFinished: (fn: () => void) => void): net.Socket[] {
  const owned: net.Socket[] = [];
  onTestFinished(() => owned.forEach((s) => s.destroy()));
  return owned;
}

/** A plain HTTP/1.1 GET on a fresh connection: the status line, or what happened instead. */
function probe(url: string): Promise<string> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    let reply = '';
    socket.setTimeout(10_000, () => {
      socket.destroy();
      resolve('no answer');
    });
    socket.once('connect', () => socket.write(`GET /healthz HTTP/1.1\r\nHost: ${hostname}\r\nConnection: close\r\n\r\n`));
    socket.on('data', (d) => (reply += d.toString()));
    socket.once('error', () => resolve(reply.split('\r\n')[0] || 'closed'));
    socket.once('close', () => resolve(reply.split('\r\n')[0] || 'closed'));
  });
}

describe('the HTTP server', () => {
  const MAX = 30;
  let h: TestHub;
  const { logger, lines: log } = capturingLogger('warn');
  beforeAll(async () => {
    h = await startTestHub({ maxConnections: MAX, logger });
    await h.listen();
  });
  afterAll(() => h.stop());

  it('holds at most PITWALL_MAX_CONNECTIONS connections, and takes new ones again once some close', { timeout: 60_000 }, async () => {
    const held = await Promise.all(Array.from({ length: MAX }, () => openSilent(h.url)));
    // Past the cap a connection is closed at once: the process keeps its descriptors for its store.
    expect(await probe(h.url)).toBe('closed');
    expect(await probe(h.url)).toBe('closed');
    // Said once (a minute), so the operator knows why the health checks fail.
    expect(log.filter((l) => l.includes('PITWALL_MAX_CONNECTIONS'))).toHaveLength(1);
    for (const { socket } of held.slice(0, 5)) socket.destroy();
    // The hub counts a connection out when it sees it close, a moment after this side did.
    let answer = '';
    for (let i = 0; i < 50 && answer !== 'HTTP/1.1 200 OK'; i++) {
      answer = await probe(h.url);
      await sleep(100);
    }
    expect(answer).toBe('HTTP/1.1 200 OK');
  });

  // Each of these waits out a timeout on its own connection: side by side, not one after another.
  describe.concurrent('timeouts', () => {
    it('closes a connection that sends no request within the headers timeout', { timeout: 60_000 }, async ({ expect, onTestFinished }) => {
      const { closed } = await openSilent(h.url, ownedBy(onTestFinished));
      // Without the bound it stays open for good (Node's header timeout starts at the first byte).
      const after = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(Infinity), HEADERS_TIMEOUT_MS + 20_000))]);
      expect(after).toBeLessThan(HEADERS_TIMEOUT_MS + 20_000);
      expect(after).toBeGreaterThanOrEqual(HEADERS_TIMEOUT_MS - 1000);
    });

    it('closes a connection that sends its headers a line at a time (slowloris) after the headers timeout', { timeout: 60_000 }, async ({ expect, onTestFinished }) => {
      const { socket, closed } = await openSilent(h.url, ownedBy(onTestFinished));
      socket.write('GET /healthz HTTP/1.1\r\n');
      const drip = setInterval(() => socket.writable && socket.write('X-Slow: 1\r\n'), 500);
      try {
        // Node's default: 60 s, checked every 30 s.
        const after = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(Infinity), HEADERS_TIMEOUT_MS + 20_000))]);
        expect(after).toBeLessThan(HEADERS_TIMEOUT_MS + 20_000);
      } finally {
        clearInterval(drip);
      }
    });

    it('leaves an idle keep-alive connection to the keep-alive timeout, and answers on it before', { timeout: 60_000 }, async ({ expect, onTestFinished }) => {
      const { socket, closed } = await openSilent(h.url, ownedBy(onTestFinished));
      let replies = '';
      socket.on('data', (d) => (replies += d.toString()));
      socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      await sleep(2000);
      socket.write(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n`);
      // Node closes an idle keep-alive connection after 5 s (its keepAliveTimeout), untouched by the bounds above.
      const after = await Promise.race([closed, new Promise<number>((r) => setTimeout(() => r(Infinity), 30_000))]);
      expect(replies.match(/HTTP\/1\.1 200 OK/g)).toHaveLength(2);
      expect(after).toBeLessThan(30_000);
    });
  });
});
