import { z } from 'zod';
import type { EventResult } from './events.js';
import { terminalId, type AlertMessage, type BoardSnapshot } from './snapshot.js';

/**
 * Typed Socket.IO event maps (docs/api.md, "Socket.IO"): the hub uses them as
 * `Server<ClientToServerEvents, ServerToClientEvents>`, the client as
 * `Socket<ServerToClientEvents, ClientToServerEvents>`, so a misspelt event fails to compile.
 */

export interface ApiError {
  code: string;
  message: string;
  details?: { path: string; message: string }[];
  /** A socket ack refused with `rate_limited`: send the same message again after this many seconds. */
  retryAfterSeconds?: number;
}

/** The ack error code of a message refused by the token's budget (HTTP: 429 `too_many_requests` with Retry-After). */
export const SOCKET_RATE_LIMITED = 'rate_limited';

export type SubscribeAck = { ok: true; snapshot: BoardSnapshot } | { ok: false; error: ApiError };
export type EventsAck = { results: EventResult[] } | { error: ApiError };
export type UnsubscribeAck = { ok: true } | { ok: false; error: ApiError };

export interface EventsMessage {
  workshopId: string;
  events: unknown[];
}

/** A bay terminal introduces itself and then repeats it as a heartbeat (every 30 s is plenty). */
export interface TerminalHello {
  workshopId: string;
  /** Made by the device once and kept (8–64 of A–Z a–z 0–9 _ -). */
  terminalId: string;
  /** The bay the tablet is mounted at; null for a roaming device or an advisor desk. */
  bayId: string | null;
}
export type TerminalHelloAck = { ok: true } | { ok: false; error: ApiError };

/** A lead (or admin) acknowledges an active alert: boards keep showing it but stop sounding it. */
export interface AlertAck {
  workshopId: string;
  metric: string;
}
export type AlertAckReply = { ok: true } | { ok: false; error: ApiError };

export interface ClientToServerEvents {
  'alert:ack': (ack: AlertAck, reply: (r: AlertAckReply) => void) => void;
  'terminal:hello': (hello: TerminalHello, ack: (reply: TerminalHelloAck) => void) => void;
  subscribe: (workshopId: string, ack: (reply: SubscribeAck) => void) => void;
  unsubscribe: (workshopId: string, ack: (reply: UnsubscribeAck) => void) => void;
  events: (message: EventsMessage, ack: (reply: EventsAck) => void) => void;
}

export interface ServerToClientEvents {
  snapshot: (snapshot: BoardSnapshot) => void;
  alert: (alert: AlertMessage) => void;
}

/**
 * What one hub tells the others through the Socket.IO Redis adapter (server/realtime/cluster.ts).
 * Each hub serves its own sockets from its own projection; these only say "look again".
 * Parsed on arrival like any other input, every string bounded: a message is a few hundred
 * bytes at most, and a terminal reaches another hub's registry only with a valid id.
 */
const syncWorkshopId = z.string().min(1).max(64);
const syncTime = z.number().finite();
export const clusterMessage = z.discriminatedUnion('kind', [
  /** An append landed in the workshop's log up to `seq`: catch up from the store. */
  z.object({ kind: z.literal('appended'), workshopId: syncWorkshopId, seq: z.number().int().nonnegative() }),
  /** A lead acknowledged an alert on the sending hub. */
  z.object({ kind: z.literal('alert-ack'), workshopId: syncWorkshopId, metric: z.string().min(1).max(80), at: syncTime }),
  /** A terminal made contact with the sending hub (`bayId` absent: unchanged). */
  z.object({ kind: z.literal('terminal'), workshopId: syncWorkshopId, terminalId, bayId: z.string().min(1).max(64).nullable().optional(), at: syncTime }),
]);
export type ClusterMessage = z.infer<typeof clusterMessage>;

export interface InterServerEvents {
  'pitwall:sync': (message: ClusterMessage) => void;
}

export const CONNECT_ERROR_UNAUTHORIZED = 'unauthorized';
