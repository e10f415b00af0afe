import { mkdtemp, rm } from 'node:fs/promises';
import type { AddressInfo, Socket as NetSocket } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import type { ClientToServerEvents, ServerToClientEvents } from '../../shared/socket.js';
import { bootstrapHub, type BootstrapOptions } from '../../server/bootstrap.js';
import type { Hub } from '../../server/hub.js';
import { EmbeddedEventStore } from '../../server/store/embedded/embedded-store.js';
import type { EventStore } from '../../server/store/event-store.js';
import { testConfig } from '../fixtures/config.js';
import { L } from '../fixtures/workshop.js';

/**
 * A hub built by the hub's own bootstrap (server/bootstrap.ts), by default over an embedded
 * store in a temp dir, with the test config and its clock pinned to 18:00 on the scripted day
 * (events dated that day are never "in the future"). `stop()` closes sockets, hub, adapter and
 * the store it opened, and removes the dir; a store the test gave stays the test's to close.
 */
export interface TestHub {
  hub: Hub;
  store: EventStore;
  /** Set once `listen()` has run: https:// when the hub was given `tls`. */
  url: string;
  /** Listens on a free port of `host` (default 127.0.0.1; a LAN address for the tests of a device on the network). */
  listen(host?: string): Promise<string>;
  /** A socket.io client of this hub (websocket only: no polling noise in the timings). */
  client(token?: string): ClientSocket;
  stop(): Promise<void>;
}

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export const NOW = Date.parse(L('18:00'));

/** What a test may set: any bootstrap option (limits, timings, clock, adapter, budget), and the store. */
export type TestHubOptions = Partial<Omit<BootstrapOptions, 'store' | 'onRedisError'>> & {
  /** An opened store (Redis, a harness's, one kept across hub restarts); default: a fresh embedded store in a temp dir. */
  store?: EventStore;
  /** Wraps the default embedded store (fault injection). */
  wrapStore?: (s: EventStore) => EventStore;
};

export async function startTestHub(opts: TestHubOptions = {}): Promise<TestHub> {
  const { store: given, wrapStore, ...options } = opts;
  const dir = given ? undefined : await mkdtemp(path.join(os.tmpdir(), 'pitwall-hub-'));
  // The hub's too_old window is its store's dedupe window, as bootstrapHub's own stores get it.
  const real = given ?? (await EmbeddedEventStore.open(dir!, { ...(options.maxEventAgeMs !== undefined && { dedupeWindowMs: options.maxEventAgeMs }) }));
  const store = wrapStore ? wrapStore(real) : real;
  const { hub, stop: stopHub } = await bootstrapHub({
    config: testConfig(),
    logger: pino({ level: 'silent' }),
    clock: () => NOW,
    onRedisError: () => {},
    // An option given as undefined keeps the default, as it did before the bootstrap.
    ...Object.fromEntries(Object.entries(options).filter(([, v]) => v !== undefined)),
    store,
  });
  const clients: ClientSocket[] = [];
  const t: TestHub = {
    hub,
    store,
    url: '',
    async listen(host = '127.0.0.1') {
      await new Promise<void>((resolve) => hub.httpServer.listen(0, host, resolve));
      t.url = `${options.tls ? 'https' : 'http'}://${host}:${(hub.httpServer.address() as AddressInfo).port}`;
      return t.url;
    },
    client(token?: string) {
      const socket: ClientSocket = connect(t.url, {
        transports: ['websocket'],
        reconnection: false,
        forceNew: true,
        ...(token !== undefined && { auth: { token } }),
      });
      clients.push(socket);
      return socket;
    },
    async stop() {
      for (const c of clients) c.disconnect();
      await stopHub();
      if (dir === undefined) return;
      await real.close();
      await rm(dir, { recursive: true, force: true });
    },
  };
  return t;
}

/** The hub's HTTP listener switched off and on again, see `outages`. */
export interface Outage {
  /** Closes the listener and cuts every open connection (HTTP and websockets): connections are refused. */
  down(): Promise<void>;
  /** Listens again on the port it had. */
  up(): Promise<void>;
}

/**
 * Lets a test make the hub truly unreachable and bring it back on the same address, with the
 * same store (what a tablet sees of a hub restart or a dead access point: connection refused).
 * Call it before anything connects: it tracks the connections it has to cut.
 */
export function outages(t: TestHub): Outage {
  const server = t.hub.httpServer;
  const open = new Set<NetSocket>();
  server.on('connection', (socket) => {
    open.add(socket);
    socket.once('close', () => open.delete(socket));
  });
  return {
    async down() {
      const closed = new Promise<void>((resolve, reject) => server.close((err) => (err ? reject(err) : resolve())));
      for (const socket of open) socket.destroy();
      await closed;
    },
    async up() {
      const { port, hostname } = new URL(t.url);
      await new Promise<void>((resolve, reject) => {
        server.once('error', reject);
        server.listen(Number(port), hostname, () => {
          server.off('error', reject);
          resolve();
        });
      });
    },
  };
}

/** Resolves once the socket is connected; rejects with the connect_error. */
export function connected(socket: ClientSocket): Promise<void> {
  return new Promise((resolve, reject) => {
    if (socket.connected) return resolve();
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
}

/** The first time `predicate` holds, polling every 10 ms, or a rejection after `ms`. */
export async function eventually(predicate: () => boolean, ms = 2000, what = 'condition'): Promise<void> {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out after ${ms} ms waiting for ${what}`);
    await sleep(10);
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
