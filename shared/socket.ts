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

/*
 * What a client may send, one schema per message; the hub parses every payload with these
 * (they come from the network), and the types below are inferred from them, so the client's
 * signatures can never promise more than the hub accepts.
 */

export const socketWorkshopId = z
  .string({ error: 'must be a workshop id (string)' })
  .min(1, { error: 'must not be empty' })
  .max(64, { error: 'must be at most 64 characters' });

/** `subscribe` and `unsubscribe`: the workshop id alone. */
export const subscribeMessage = socketWorkshopId;
export type SubscribeMessage = z.infer<typeof subscribeMessage>;

/** `events` itself is the hub's to judge (400 for a missing or oversized array, per event after that), as over HTTP. */
export const eventsMessage = z.object({ workshopId: socketWorkshopId, events: z.unknown() }, { error: 'must be an object { workshopId, events }' });
export type EventsMessage = z.infer<typeof eventsMessage>;

/**
 * A bay terminal introduces itself and then repeats it as a heartbeat (every 30 s is plenty).
 * Bounded before anything else looks at it: a terminal's ids end up in every board snapshot.
 * `terminalId` is made by the device once and kept (8–64 of A–Z a–z 0–9 _ -); `bayId` is the
 * bay the tablet is mounted at, null for a roaming device or an advisor desk, absent: unchanged.
 */
export const terminalHello = z.object(
  {
    workshopId: socketWorkshopId,
    terminalId,
    bayId: z.string({ error: 'must be a bay id (string) or null' }).min(1, { error: 'must not be empty' }).max(64, { error: 'must be at most 64 characters' }).nullable().optional(),
  },
  { error: 'must be an object { workshopId, terminalId, bayId }' },
);
export type TerminalHello = z.infer<typeof terminalHello>;

/** A lead (or admin) acknowledges an active alert: boards keep showing it but stop sounding it. */
export const alertAck = z.object({ workshopId: socketWorkshopId, metric: z.string({ error: 'must be a string' }).min(1).max(80) }, { error: 'must be an object { workshopId, metric }' });
export type AlertAck = z.infer<typeof alertAck>;

/** Every client → hub message's payload schema, by event name (the hub parses with these). */
export const clientMessages = {
  subscribe: subscribeMessage,
  unsubscribe: subscribeMessage,
  events: eventsMessage,
  'terminal:hello': terminalHello,
  'alert:ack': alertAck,
} as const;

/**
 * One reply envelope for every ack (docs/api.md, "Socket.IO"): `{ ok: true, … }` with what the
 * message returns, or `{ ok: false, error }`. The `events` ack keeps `results` and `error` at
 * the top, where terminals built before the envelope read them (`{ results } | { error }`).
 */
export type Ack<T extends object = object> = ({ ok: true } & T) | { ok: false; error: ApiError };

export type SubscribeAck = Ack<{ snapshot: BoardSnapshot }>;
export type EventsAck = Ack<{ results: EventResult[] }>;
export type UnsubscribeAck = Ack;
export type TerminalHelloAck = Ack;
export type AlertAckReply = Ack;

export interface ClientToServerEvents {
  'alert:ack': (ack: AlertAck, reply: (r: AlertAckReply) => void) => void;
  'terminal:hello': (hello: TerminalHello, ack: (reply: TerminalHelloAck) => void) => void;
  subscribe: (workshopId: SubscribeMessage, ack: (reply: SubscribeAck) => void) => void;
  unsubscribe: (workshopId: SubscribeMessage, ack: (reply: UnsubscribeAck) => void) => void;
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
