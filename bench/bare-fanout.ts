import { createServer } from 'node:http';
import { Server } from 'socket.io';
import { serveRequests } from './lib/ipc.js';

/**
 * The fan-out baseline: a bare Socket.IO server with the hub's server options, the same rooms
 * and the same `subscribe` handshake, pushing a payload of a real snapshot's size to every
 * room on the same schedule as the hub's heartbeat. What it costs per delivered message is
 * the floor under anything the hub can do.
 */

let io: Server | null = null;
const timers = new Map<string, NodeJS.Timeout>();
let sent = 0;

serveRequests({
  async start(args: { port: number; payload: Record<string, unknown>; intervalMs: number }) {
    const httpServer = createServer();
    // The hub's options (server/hub.ts): no client bundle, 1 MB messages, engine.io's defaults otherwise.
    const server = new Server(httpServer, { serveClient: false, maxHttpBufferSize: 1024 * 1024 });
    io = server;
    server.use((socket, next) => (typeof (socket.handshake.auth as { token?: unknown }).token === 'string' ? next() : next(new Error('unauthorized'))));
    const rooms = new Map<string, number>();
    const ensureRoom = (workshopId: string) => {
      if (rooms.has(workshopId)) return;
      rooms.set(workshopId, 0);
      const room = `ws:${workshopId}`;
      const tick = () => {
        const seq = (rooms.get(workshopId) ?? 0) + 1;
        rooms.set(workshopId, seq);
        // A fresh object per send, as the hub builds a fresh snapshot each time.
        server.to(room).emit('snapshot', { ...args.payload, workshopId, seq, asOf: new Date().toISOString() });
        sent += server.of('/').adapter.rooms.get(room)?.size ?? 0;
        timers.set(workshopId, setTimeout(tick, args.intervalMs));
      };
      timers.set(workshopId, setTimeout(tick, args.intervalMs));
    };
    server.on('connection', (socket) => {
      socket.on('subscribe', (workshopId: unknown, ack: unknown) => {
        if (typeof workshopId !== 'string' || typeof ack !== 'function') return;
        void socket.join(`ws:${workshopId}`);
        ensureRoom(workshopId);
        (ack as (r: unknown) => void)({ ok: true, snapshot: { ...args.payload, workshopId, seq: rooms.get(workshopId) ?? 0 } });
      });
    });
    await new Promise<void>((resolve) => httpServer.listen(args.port, '127.0.0.1', resolve));
    return { pid: process.pid };
  },

  stats() {
    return { sent };
  },

  async exit() {
    for (const t of timers.values()) clearTimeout(t);
    await new Promise<void>((resolve) => (io ? io.close(() => resolve()) : resolve()));
    return {};
  },
});
